"""The API's security order is wired in one place (hackkit/api/__init__.py), not by the
order in which its modules happen to be imported: re-sorting imports cannot change it."""

from hackkit.api.auth import check_caller
from tests.api.helpers import assert_error, token_for


def test_the_api_has_one_hook_before_its_views(app):
    assert app.before_request_funcs["api"] == [check_caller]


def test_a_bad_token_is_refused_before_its_scope_is_looked_at(client):
    response = client.post("/api/v1/tokens", headers={"Authorization": "Bearer not-a-token"}, json={})
    assert_error(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="hackkit"'


def test_a_read_token_cannot_write_on_any_route(client, auth):
    user = auth.create_user("organizer")
    headers = token_for(client, user.email, scope="read")
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    for method, url in (("POST", "/api/v1/tokens"), ("DELETE", "/api/v1/tokens/1"), ("POST", "/api/v1/events")):
        assert_error(client.open(url, method=method, headers=headers, json={}), 403)
