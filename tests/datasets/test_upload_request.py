"""Upload-then-import is one piece of code: the upload page and the API read the same fields
and pass the importer the same corrections (column types included)."""

import io

from tests.api.helpers import token_for
from tests.conftest import csrf_token

CSV = "id;postcode;capaciteit\n1;2000;10\n2;2018;25\n"


def _types(client, slug: str) -> dict:
    detail = client.get(f"/api/v1/datasets/{slug}", headers=client.token).get_json()
    return {c["name"]: c["type"] for c in detail["columns"]}


def test_the_page_and_the_api_pass_the_same_corrections(client, auth):
    organizer = auth.login_as("organizer")
    client.token = token_for(client, organizer.email)
    fields = {"delimiter": ";", "header": "yes", "types": '{"postcode": "text", "capaciteit": "text"}', "draft": ""}
    page = client.post(
        "/datasets/upload",
        data={"csrf_token": csrf_token(client, "/datasets/upload"), "file": (io.BytesIO(CSV.encode()), "a.csv")}
        | {"slug": "by-page"}
        | fields,
        content_type="multipart/form-data",
    )
    assert page.status_code == 302
    api = client.post(
        "/api/v1/datasets",
        data={"file": (io.BytesIO(CSV.encode()), "a.csv"), "slug": "by-api"} | fields,
        headers=client.token,
        content_type="multipart/form-data",
    )
    assert api.status_code == 201, api.get_json()
    assert _types(client, "by-page") == _types(client, "by-api")
    assert _types(client, "by-page")["postcode"] == "text" and _types(client, "by-page")["capaciteit"] == "text"


def test_a_bad_types_field_is_refused_on_the_page_as_in_the_api(client, auth):
    auth.login_as("organizer")
    page = client.post(
        "/datasets/upload",
        data={
            "csrf_token": csrf_token(client, "/datasets/upload"),
            "file": (io.BytesIO(CSV.encode()), "a.csv"),
            "types": "not json",
        },
        content_type="multipart/form-data",
    )
    assert page.status_code == 400 and "types" in page.get_data(as_text=True)
