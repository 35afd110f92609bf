"""Versions and drafts through /api/v1/datasets: upload, publish, rollback, unpublish, delete."""

import io

from tests import stored
from tests.api.test_datasets_api import token_for
from tests.datasets.helpers import dataset_tables

STOPS = "id;name;lat;lon\n1;Meir;51.218;4.41\n2;Zuid;51.2;4.39\n"
STOPS_V2 = "id;name;lat;lon;kind\n1;Meir;51.218;4.41;tram\n2;Zuid;51.2;4.39;bus\n3;Noord;51.23;4.42;bus\n"


def upload(client, headers, text: str, name: str = "stops.csv", **fields):
    data = {"file": (io.BytesIO(text.encode()), name), **fields}
    return client.post("/api/v1/datasets", data=data, headers=headers, content_type="multipart/form-data")


def test_same_file_name_never_adds_a_version_without_a_slug(client, auth):
    organizer = token_for(client, auth, "organizer")
    assert upload(client, organizer, STOPS).get_json()["slug"] == "stops"
    second = upload(client, organizer, STOPS_V2)
    assert second.status_code == 201 and second.get_json()["created"] is True
    assert second.get_json()["slug"] == "stops-2"
    assert client.get("/api/v1/datasets/stops").get_json()["row_count"] == 2


def test_draft_flag_keeps_a_new_version_from_the_public(client, auth):
    organizer = token_for(client, auth, "organizer")
    upload(client, organizer, STOPS, slug="stops")
    draft = upload(client, organizer, STOPS_V2, slug="stops", draft="true")
    assert draft.status_code == 201
    body = draft.get_json()
    assert body["imported_version"] == 2 and body["version"] == 2 and body["versions"][-1]["draft"] is True
    assert "_version=2" in body["rows_url"]  # the links name the draft, not the public version
    assert body["changes"] == {"compared_with": 1, "added": ["kind"], "removed": [], "retyped": [], "rows": [2, 3]}

    public = client.get("/api/v1/datasets/stops").get_json()
    assert public["version"] == 1 and public["row_count"] == 2 and len(public["versions"]) == 1
    assert client.get("/api/v1/datasets/stops/rows?_version=2").status_code == 404
    seen = client.get("/api/v1/datasets/stops", headers=organizer).get_json()
    assert [(v["number"], v["draft"], v["current"]) for v in seen["versions"]] == [(1, False, True), (2, True, False)]
    assert client.get("/api/v1/datasets/stops/rows?_version=2", headers=organizer).get_json()["total"] == 3

    participant = token_for(client, auth, "participant")
    assert client.post("/api/v1/datasets/stops/publish", headers=participant).status_code == 403
    assert client.post("/api/v1/datasets/stops/publish").status_code == 401
    published = client.post("/api/v1/datasets/stops/publish", json={"version": 2}, headers=organizer)
    assert published.status_code == 200 and published.get_json()["version"] == 2
    assert client.get("/api/v1/datasets/stops").get_json()["row_count"] == 3


def test_rollback_unpublish_and_delete(client, app, auth):
    organizer = token_for(client, auth, "organizer")
    upload(client, organizer, STOPS, slug="stops")
    upload(client, organizer, STOPS_V2, slug="stops")
    rolled = client.post("/api/v1/datasets/stops/rollback", json={"version": 1}, headers=organizer)
    assert rolled.status_code == 200 and rolled.get_json()["version"] == 1
    assert client.get("/api/v1/datasets/stops").get_json()["row_count"] == 2
    bad = client.post("/api/v1/datasets/stops/rollback", json={"version": 5}, headers=organizer)
    assert bad.status_code == 404 and bad.get_json()["ok"] is False
    none_earlier = client.post("/api/v1/datasets/stops/rollback", headers=organizer)
    assert none_earlier.status_code == 409 and "earlier" in none_earlier.get_json()["error"]

    assert client.post("/api/v1/datasets/stops/unpublish", headers=organizer).get_json()["status"] == "draft"
    assert client.get("/api/v1/datasets/stops").status_code == 404
    assert client.post("/api/v1/datasets/stops/publish", json={"version": 1}, headers=organizer).status_code == 200
    assert client.get("/api/v1/datasets/stops").get_json()["row_count"] == 2

    participant = token_for(client, auth, "participant")
    assert client.delete("/api/v1/datasets/stops?confirm=true", headers=participant).status_code == 403
    unconfirmed = client.delete("/api/v1/datasets/stops", headers=organizer)
    assert unconfirmed.status_code == 400 and "confirm" in unconfirmed.get_json()["errors"]
    assert len(dataset_tables(app)) == 2
    deleted = client.delete("/api/v1/datasets/stops", json={"confirm": True}, headers=organizer)
    assert deleted.status_code == 200 and deleted.get_json() == {"ok": True, "deleted": "stops"}
    assert client.get("/api/v1/datasets/stops", headers=organizer).status_code == 404
    assert dataset_tables(app, with_search_tables=True) == set()
    assert stored.originals(app) == []


def test_identical_upload_says_so_and_makes_nothing(client, app, auth):
    organizer = token_for(client, auth, "organizer")
    upload(client, organizer, STOPS, slug="stops")
    again = upload(client, organizer, STOPS, name="renamed.csv", slug="stops")
    assert again.status_code == 200
    body = again.get_json()
    assert body["unchanged"] is True and body["created"] is False and "identical to version 1" in body["message"]
    assert len(dataset_tables(app)) == 1


def test_upload_takes_the_clis_reading_overrides(client, auth):
    organizer = token_for(client, auth, "organizer")
    headerless = upload(
        client, organizer, "Anna|Antwerpen\nBram|Gent\n", name="n.csv", slug="names", header="no", delimiter="|"
    )
    assert headerless.status_code == 201 and headerless.get_json()["row_count"] == 2
    rd = upload(client, organizer, "id;px;py\n1;121000;487000\n", name="rd.csv", geometry="px,py", crs="EPSG:28992")
    assert rd.get_json()["geometry"]["from"] == {"x": "px", "y": "py", "crs": "EPSG:28992"}
    bad = upload(client, organizer, STOPS, name="x.csv", encoding="klingon")
    assert bad.status_code == 400 and bad.get_json()["errors"]["encoding"]


def test_rows_geojson_without_geometry_is_a_400_with_a_message(client, auth):
    organizer = token_for(client, auth, "organizer")
    upload(client, organizer, "id;naam\n1;Anna\n2;Bram\n", name="people.csv", slug="people")
    response = client.get("/api/v1/datasets/people/rows.geojson")
    assert response.status_code == 400
    body = response.get_json()
    assert body["ok"] is False and body["status"] == 400 and "no locations" in body["error"]
