"""API tokens through HTTP Basic, bearer use, and the JSON error shape."""

import base64
import hashlib
import re

import pytest
import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import ApiToken
from tests.conftest import TEST_PASSWORD


def basic(email: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{email}:{password}".encode()).decode()}


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status
    body = response.get_json()
    assert body["ok"] is False and body["status"] == status and body["error"]
    return body


def test_basic_credentials_give_a_token_stored_only_as_a_hash(client, app, auth):
    user = auth.create_user()
    response = client.post("/api/v1/tokens", headers=basic(user.email, TEST_PASSWORD), json={"name": "my script"})
    assert response.status_code == 201
    token = response.get_json()["token"]
    assert response.get_json()["scope"] == "write"
    with app.app_context():
        stored = db.session.scalar(sa.select(ApiToken))
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert stored.name == "my script"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.get_json()["email"] == user.email


@pytest.mark.parametrize("password", ["wrong password", ""])
def test_wrong_credentials_get_401_in_the_error_shape(client, auth, password):
    user = auth.create_user()
    response = client.post("/api/v1/tokens", headers=basic(user.email, password))
    assert_error_shape(response, 401)
    assert "Basic" in response.headers["WWW-Authenticate"]


def test_token_request_without_credentials_is_401(client):
    assert_error_shape(client.post("/api/v1/tokens"), 401)


def test_a_bad_bearer_token_is_401_not_anonymous(client):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer hk_not-a-real-token"})
    assert_error_shape(response, 401)


def test_me_without_token_is_401(client):
    assert_error_shape(client.get("/api/v1/me"), 401)


def test_a_logged_in_browser_cookie_does_not_authenticate_the_api(client, auth):
    auth.login_as()
    assert_error_shape(client.get("/api/v1/me"), 401)


def test_bad_scope_is_400_with_field_errors(client, auth):
    user = auth.create_user()
    response = client.post("/api/v1/tokens", headers=basic(user.email, TEST_PASSWORD), json={"scope": "root"})
    body = assert_error_shape(response, 400)
    assert body["errors"]["scope"]


def test_token_guessing_is_rate_limited_like_the_login_form(client, auth):
    user = auth.create_user()
    for _ in range(5):
        assert client.post("/api/v1/tokens", headers=basic(user.email, "wrong password")).status_code == 401
    response = client.post("/api/v1/tokens", headers=basic(user.email, TEST_PASSWORD))
    assert_error_shape(response, 429)


def test_unknown_api_route_and_wrong_method_use_the_error_shape(client):
    assert_error_shape(client.get("/api/v1/no-such-thing"), 404)
    response = client.put("/api/v1/tokens")
    assert_error_shape(response, 405)
    assert "POST" in response.headers["Allow"] and "GET" in response.headers["Allow"]


def test_openapi_document_describes_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    described = {(path, method.upper()) for path, ops in document["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        # Only /api/v1 is ours to describe: the CKAN-compatible routes (/api/3/action/...,
        # /datastore/dump/...) follow CKAN's contract and are checked against docs/api.md
        # in tests/api/ckan/test_docs.py.
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi_document":
            continue
        path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in described, f"{method} {rule.rule} is missing from openapi.json"
