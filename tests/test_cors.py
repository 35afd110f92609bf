"""CORS: any web page may read the public endpoints; nobody gets CORS on writes or pages."""

import pytest

from hackkit.cors import is_public_read_path
from tests.api.helpers import token_for

ORIGIN = {"Origin": "https://dashboard.example.net"}


def preflight(client, path, method="GET", headers="authorization"):
    return client.options(
        path,
        headers={**ORIGIN, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers},
    )


@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/datasets", "/api/v1/openapi.json"])
def test_a_simple_cross_origin_read_is_allowed_without_credentials(client, path):
    response = client.get(path, headers=ORIGIN)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "X-RateLimit-Remaining" in response.headers["Access-Control-Expose-Headers"]


def test_errors_of_a_read_are_readable_cross_origin(client):
    response = client.get("/api/v1/events/no-such-event", headers=ORIGIN)
    assert response.status_code == 404 and response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_for_a_read_with_a_token_is_allowed(client, auth):
    response = preflight(client, "/api/v1/me")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    allowed = response.headers["Access-Control-Allow-Methods"].replace(" ", "").split(",")
    assert set(allowed) == {"GET", "HEAD", "OPTIONS"}
    assert response.headers["Access-Control-Allow-Headers"].lower() == "authorization"
    assert "Access-Control-Allow-Credentials" not in response.headers
    # What the browser then sends: the page's own token, no cookies.
    headers = token_for(client, auth.create_user().email, scope="read")
    me = client.get("/api/v1/me", headers={**ORIGIN, **headers})
    assert me.status_code == 200 and me.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(("method", "path"), [("POST", "/api/v1/events"), ("DELETE", "/api/v1/tokens/1")])
def test_a_preflight_for_a_write_gets_no_cors_headers(client, method, path):
    response = preflight(client, path, method=method, headers="authorization, content-type")
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Methods" not in response.headers


def test_a_cross_origin_write_gets_no_cors_headers(client, auth):
    headers = token_for(client, auth.create_user("organizer").email)
    response = client.post("/api/v1/events", json={}, headers={**ORIGIN, **headers})
    assert response.status_code == 400
    assert "Access-Control-Allow-Origin" not in response.headers


def test_pages_and_forms_get_no_cors_headers(client, auth):
    assert "Access-Control-Allow-Origin" not in client.get("/", headers=ORIGIN).headers
    assert "Access-Control-Allow-Origin" not in client.get("/login", headers=ORIGIN).headers
    assert "Access-Control-Allow-Origin" not in preflight(client, "/account").headers


def test_the_open_data_exports_are_readable_cross_origin(client, app, tmp_path):
    from tests.datasets.helpers import import_file, write_csv

    import_file(app, write_csv(tmp_path, "trees.csv", "id,species\n1,oak\n"), slug="trees", title="Trees")
    for path in ("/catalog.ttl", "/catalog.jsonld", "/datasets/trees/datapackage.json"):
        response = client.get(path, headers=ORIGIN)
        assert response.status_code == 200, path
        assert response.headers["Access-Control-Allow-Origin"] == "*", path


@pytest.mark.parametrize(
    ("path", "public"),
    [
        ("/api/v1/datasets/trees/rows", True),
        ("/api/3/action/package_search", True),
        ("/api/action/package_show", True),
        ("/datastore/dump/abc-123", True),
        ("/catalog.ttl", True),
        ("/catalog.jsonld", True),
        ("/datasets/trees/datapackage.json", True),
        ("/datasets/trees", False),
        ("/datasets/trees/download", False),
        ("/account/tokens", False),
        ("/api/v1", False),
        ("/catalog", True),
        ("/catalogue", False),
    ],
)
def test_public_read_endpoints_are_recognised_by_url(path, public):
    """Endpoints built elsewhere (CKAN API, DCAT catalogue, Data Packages) are covered by pattern."""
    assert is_public_read_path(path) is public
