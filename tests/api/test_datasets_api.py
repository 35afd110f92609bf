"""The catalogue, dataset metadata and upload through /api/v1/datasets."""

import io

from tests.api.test_tokens import basic
from tests.conftest import TEST_PASSWORD, make_app
from tests.datasets.helpers import dataset_tables, import_file, write_csv

CSV = "id;naam;lat;lon;postcode\n1;Meir;51.218;4.41;2000\n2;Zuid;51.2;4.39;2018\n"


def token_for(client, auth, role: str) -> dict:
    user = auth.create_user(role)
    token = client.post("/api/v1/tokens", headers=basic(user.email, TEST_PASSWORD)).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_catalogue_lists_published_datasets_with_facets(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="stops", title="Bus stops", license="CC0-1.0")
    import_file(app, write_csv(tmp_path, "b.csv", "x\n1\n"), slug="numbers", title="Numbers", license="CC-BY-4.0")
    import_file(app, write_csv(tmp_path, "c.csv", "x\n1\n"), slug="hidden", title="Hidden", draft=True)
    body = client.get("/api/v1/datasets").get_json()
    assert [d["slug"] for d in body["datasets"]] == ["stops", "numbers"]
    assert {f["value"]: f["count"] for f in body["facets"]["license"]} == {"CC0-1.0": 1, "CC-BY-4.0": 1}
    found = client.get("/api/v1/datasets?q=bus&license=CC0-1.0").get_json()
    assert [d["slug"] for d in found["datasets"]] == ["stops"]
    assert client.get("/api/v1/datasets?license=CC-BY-4.0").get_json()["total"] == 1


def test_dataset_detail_has_schema_row_count_and_versions(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="stops")
    import_file(app, write_csv(tmp_path, "a.csv", CSV + "3;Noord;51.23;4.42;2060\n"), slug="stops")
    body = client.get("/api/v1/datasets/stops").get_json()
    assert body["row_count"] == 3 and [v["number"] for v in body["versions"]] == [1, 2]
    fields = {f["name"]: f["type"] for f in body["schema"]["fields"]}
    assert fields == {"id": "integer", "naam": "string", "lat": "number", "lon": "number", "postcode": "string"}
    assert body["geometry"]["lat"] == "lat"
    old = client.get("/api/v1/datasets/stops/rows?_version=1").get_json()
    assert old["total"] == 2
    assert client.get("/api/v1/datasets/stops/rows?_version=9").status_code == 404
    assert client.get("/api/v1/datasets/nope").status_code == 404


def test_drafts_are_404_without_an_organizer_token(client, app, auth, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="secret", draft=True)
    assert client.get("/api/v1/datasets/secret").status_code == 404
    assert client.get("/api/v1/datasets/secret/rows").status_code == 404
    participant = token_for(client, auth, "participant")
    assert client.get("/api/v1/datasets/secret/rows.csv", headers=participant).status_code == 404
    organizer = token_for(client, auth, "organizer")
    assert client.get("/api/v1/datasets/secret", headers=organizer).get_json()["status"] == "draft"


def test_geojson_of_points_uses_the_detected_columns(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="stops")
    body = client.get("/api/v1/datasets/stops/rows.geojson?naam=Meir").get_json()
    assert body["features"][0]["geometry"] == {"type": "Point", "coordinates": [4.41, 51.218]}
    assert body["features"][0]["properties"]["postcode"] == "2000"


def upload(client, headers, content: bytes, name="stops.csv", **form):
    data = {"file": (io.BytesIO(content), name), **form}
    return client.post("/api/v1/datasets", data=data, headers=headers, content_type="multipart/form-data")


def test_organizer_uploads_a_file_and_gets_the_report(client, auth):
    organizer = token_for(client, auth, "organizer")
    response = upload(client, organizer, CSV.encode(), title="Stops", license="CC0-1.0", draft="1")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["slug"] == "stops" and body["status"] == "draft" and body["created"] is True
    assert body["report"]["delimiter"] == ";" and body["row_count"] == 2


def test_upload_needs_an_organizer_write_token(client, auth, app):
    assert upload(client, {}, CSV.encode()).status_code == 401
    assert upload(client, token_for(client, auth, "participant"), CSV.encode()).status_code == 403
    assert dataset_tables(app, with_search_tables=True) == set()


def test_unreadable_upload_is_422_and_leaves_nothing(client, auth, app):
    organizer = token_for(client, auth, "organizer")
    response = upload(client, organizer, b"\x00\x01\x02\x03" * 100, name="x.csv")
    assert response.status_code == 422 and "cannot be imported" in response.get_json()["error"]
    assert dataset_tables(app, with_search_tables=True) == set()
    assert client.get("/api/v1/datasets").get_json()["total"] == 0


def test_a_delimiter_of_more_than_one_character_is_400_not_a_server_error(client, auth, app):
    """A bad reading choice is a bad parameter (400, naming the field) refused before the file
    is read, as a bad encoding is; 422 stays for files that cannot be read."""
    organizer = token_for(client, auth, "organizer")
    for delimiter in ("\x07\xd6T", ";;", "\n", '"'):  # found by tests/security/test_api_fuzz.py
        response = upload(client, organizer, CSV.encode(), delimiter=delimiter)
        assert response.status_code == 400, (delimiter, response.get_json())
        assert "delimiter is one character" in response.get_json()["error"]
        assert response.get_json()["errors"]["delimiter"]
    assert dataset_tables(app, with_search_tables=True) == set()


def test_upload_corrections_override_the_guesses(client, auth):
    organizer = token_for(client, auth, "organizer")
    response = upload(client, organizer, b"1;2\n3;4\n", header="yes", types='{"c_2": "text"}', slug="fixed")
    assert response.status_code == 201, response.get_json()
    assert {c["name"]: c["type"] for c in response.get_json()["columns"]} == {"c_1": "integer", "c_2": "text"}
    bad = upload(client, organizer, b"1;2\n", types="not json", slug="fixed")
    assert bad.status_code == 400 and "types" in bad.get_json()["errors"]


def test_upload_over_the_limit_is_413(tmp_path, database_url, auth):
    app = make_app(tmp_path, database_url, HACKKIT_MAX_UPLOAD_MB=1)
    client = app.test_client()
    from tests.conftest import AuthActions

    organizer = token_for(client, AuthActions(app, client), "organizer")
    response = upload(client, organizer, b"a\n" + b"1\n" * 600_000)
    assert response.status_code == 413 and response.get_json()["status"] == 413
    assert dataset_tables(app, with_search_tables=True) == set()
