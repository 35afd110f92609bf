"""Versions on the web pages: new dataset or new version, the draft preview of what would
change, publish, rollback, unpublish and delete (which asks first), and corrections."""

import html
import io
import re

from tests import stored
from tests.conftest import csrf_token, post_form
from tests.datasets.helpers import dataset_tables, import_file, write_csv

STOPS = "id;name;lat;lon;zone\n1;Meir;51.218;4.41;1\n2;Zuid;51.2;4.39;2\n"
STOPS_V2 = "id;name;lat;lon;kind;zone\n1;Meir;51.218;4.41;tram;A\n2;Zuid;51.2;4.39;bus;B\n3;Noord;51.23;4.42;bus;C\n"


def send(client, text: str, name: str = "stops.csv", **fields):
    token = csrf_token(client, "/datasets/upload")
    data = {"csrf_token": token, "file": (io.BytesIO(text.encode()), name), **fields}
    return client.post("/datasets/upload", data=data, content_type="multipart/form-data")


def page(client, url: str) -> str:
    return html.unescape(client.get(url).get_data(as_text=True))


def public_rows(app, slug: str) -> int:
    return app.test_client().get(f"/api/v1/datasets/{slug}").get_json()["row_count"]


def test_upload_asks_new_dataset_or_new_version_and_never_matches_names(client, app, auth, tmp_path):
    import_file(app, write_csv(tmp_path, "stops.csv", STOPS), slug="stops", title="Stops")
    auth.login_as("organizer")
    form = page(client, "/datasets/upload")
    assert "A new version of an existing dataset" in form and '<option value="stops">' in form
    assert '<input checked id="target-1" name="target" type="radio" value="version">' in page(
        client, "/datasets/upload?version_of=stops"
    )

    same_name = send(client, STOPS_V2, target="new", draft="")
    assert same_name.status_code == 302 and "/datasets/stops-2/report" in same_name.headers["Location"]
    taken = send(client, STOPS_V2, target="new", slug="stops")
    assert taken.status_code == 409 and "already a dataset at stops" in html.unescape(taken.get_data(as_text=True))
    assert public_rows(app, "stops") == 2 and len(dataset_tables(app)) == 2


def test_a_new_version_is_a_draft_showing_what_would_change_until_published(client, app, auth, tmp_path):
    import_file(app, write_csv(tmp_path, "stops.csv", STOPS), slug="stops", title="Stops")
    auth.login_as("organizer")
    assert re.search(r'<input[^>]*checked id="draft" name="draft"', page(client, "/datasets/upload"))  # ticked

    response = send(client, STOPS_V2, target="version", version_of="stops", draft="y")
    assert response.status_code == 302
    report = page(client, response.headers["Location"])
    assert "Imported as draft version 2" in report and "What publishing version 2 would change" in report
    assert "Rows: 2 → 3" in report
    assert re.search(r"Columns added: <code[^>]*>kind</code>", report)
    assert re.search(r"Columns with another type: <code[^>]*>zone</code> \(integer → text\)", report)
    assert public_rows(app, "stops") == 2
    anonymous = app.test_client().get("/datasets/stops").get_data(as_text=True)
    assert "Noord" not in anonymous

    published = post_form(client, "/datasets/stops/publish", {"version": "2"}, page="/datasets/stops/report")
    assert published.status_code == 302
    assert public_rows(app, "stops") == 3
    assert "Noord" in app.test_client().get("/datasets/stops").get_data(as_text=True)


def test_identical_upload_makes_nothing(client, app, auth, tmp_path):
    import_file(app, write_csv(tmp_path, "stops.csv", STOPS), slug="stops")
    auth.login_as("organizer")
    response = send(client, STOPS, name="again.csv", target="version", version_of="stops", draft="y")
    assert response.status_code == 302
    assert "Nothing imported: the file is identical to version 1" in page(client, response.headers["Location"])
    assert len(dataset_tables(app)) == 1


def test_reading_fields_of_the_upload_form_reach_the_importer(client, app, auth):
    auth.login_as("organizer")
    response = send(client, "Anna|Antwerpen\nBram|Gent\n", name="names.csv", header="no", delimiter="|", draft="")
    assert response.status_code == 302
    body = app.test_client().get("/api/v1/datasets/names").get_json()
    assert body["row_count"] == 2 and [c["name"] for c in body["columns"]] == ["column_1", "column_2"]
    bad = send(client, STOPS, name="x.csv", encoding="klingon")
    assert bad.status_code == 400 and "Unknown encoding" in bad.get_data(as_text=True)


def test_rollback_unpublish_and_delete_from_the_page(client, app, auth, tmp_path):
    import_file(app, write_csv(tmp_path, "stops.csv", STOPS), slug="stops")
    import_file(app, write_csv(tmp_path, "v2.csv", STOPS_V2), slug="stops")
    auth.login_as("organizer")
    detail = page(client, "/datasets/stops")
    assert "Roll back to version 1" in detail and "Delete this dataset" in detail
    assert re.search(r'name="confirm" value="yes" required', detail)  # the browser asks first too

    post_form(client, "/datasets/stops/rollback", {"version": "1"}, page="/datasets/stops")
    assert public_rows(app, "stops") == 2
    post_form(client, "/datasets/stops/unpublish", {}, page="/datasets/stops")
    assert app.test_client().get("/datasets/stops").status_code == 404

    unconfirmed = post_form(client, "/datasets/stops/delete", {}, page="/datasets/stops", follow_redirects=True)
    assert "confirm to go on" in html.unescape(unconfirmed.get_data(as_text=True))
    assert len(dataset_tables(app)) == 2
    deleted = post_form(client, "/datasets/stops/delete", {"confirm": "yes"}, page="/datasets/stops")
    assert deleted.status_code == 302
    assert client.get("/datasets/stops").status_code == 404
    assert dataset_tables(app, with_search_tables=True) == set()
    assert stored.originals(app) == []


def test_participants_cannot_change_versions(client, app, auth, tmp_path):
    import_file(app, write_csv(tmp_path, "stops.csv", STOPS), slug="stops")
    auth.login_as("participant")
    assert "Delete this dataset" not in page(client, "/datasets/stops")
    response = post_form(client, "/datasets/stops/delete", {"confirm": "yes"}, page="/datasets/stops")
    assert response.status_code == 403 and len(dataset_tables(app)) == 1  # refused outright, as the API does
    assert post_form(client, "/datasets/stops/unpublish", {}, page="/datasets/stops").status_code == 403
    assert public_rows(app, "stops") == 2
