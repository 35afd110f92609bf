"""Managing API tokens through the API: list your own, create named read or write ones, revoke;
and a read-only token refused on every write route of the API."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import ApiToken
from hackkit.services import tokens
from tests import factories as f
from tests.api.helpers import assert_error, token_for
from tests.api.test_tokens import basic
from tests.conftest import TEST_PASSWORD

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def test_a_named_read_token_is_created_with_its_metadata(client, auth):
    user = auth.create_user()
    response = client.post(
        "/api/v1/tokens", headers=basic(user.email, TEST_PASSWORD), json={"name": "  dashboard  ", "scope": "read"}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["token"].startswith("hk_")
    assert body["name"] == "dashboard" and body["scope"] == "read"
    assert body["id"] and body["created_at"] and body["last_used_at"] is None and body["revoked_at"] is None


@pytest.mark.parametrize("body", [{"name": 42}, {"name": ["x"]}, {"scope": 1}, {"scope": "admin"}])
def test_a_bad_name_or_scope_is_400_and_creates_nothing(client, app, auth, body):
    user = auth.create_user()
    response = client.post("/api/v1/tokens", headers=basic(user.email, TEST_PASSWORD), json=body)
    errors = assert_error(response, 400)["errors"]
    assert set(errors) <= {"name", "scope"} and errors
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_listing_shows_only_your_own_tokens_and_never_a_secret_or_hash(client, app, auth):
    me, other = auth.create_user(), auth.create_user()
    mine = token_for(client, me.email, scope="read")
    client.post("/api/v1/tokens", headers=basic(me.email, TEST_PASSWORD), json={"name": "laptop"})
    token_for(client, other.email)
    response = client.get("/api/v1/tokens", headers=mine)
    assert response.status_code == 200
    listed = response.get_json()["tokens"]
    assert sorted(t["name"] for t in listed) == ["api", "laptop"]
    assert [t["current"] for t in listed if t["scope"] == "read"] == [True]
    with app.app_context():
        hashes = set(db.session.scalars(sa.select(ApiToken.token_hash)))
    text = response.get_data(as_text=True)
    assert not any(h in text for h in hashes) and "hk_" not in text
    assert all(set(t) >= {"id", "name", "scope", "created_at", "last_used_at", "revoked_at"} for t in listed)


def test_listing_needs_a_token(client):
    assert_error(client.get("/api/v1/tokens"), 401)


def test_revoking_your_token_makes_it_401_from_then_on(client, auth):
    user = auth.create_user()
    keep = token_for(client, user.email)
    doomed = token_for(client, user.email)
    doomed_id = next(t["id"] for t in client.get("/api/v1/tokens", headers=doomed).get_json()["tokens"] if t["current"])
    response = client.delete(f"/api/v1/tokens/{doomed_id}", headers=keep)
    assert response.status_code == 200 and response.get_json()["revoked_at"]
    assert_error(client.get("/api/v1/me", headers=doomed), 401)
    assert client.get("/api/v1/me", headers=keep).status_code == 200
    # Revoking again is harmless and keeps the first time.
    again = client.delete(f"/api/v1/tokens/{doomed_id}", headers=keep)
    assert again.get_json()["revoked_at"] == response.get_json()["revoked_at"]


def test_someone_elses_token_is_not_found_and_stays_live(client, auth):
    me, other = auth.create_user(), auth.create_user()
    mine, theirs = token_for(client, me.email), token_for(client, other.email)
    their_id = client.get("/api/v1/tokens", headers=theirs).get_json()["tokens"][0]["id"]
    assert_error(client.delete(f"/api/v1/tokens/{their_id}", headers=mine), 404)
    assert_error(client.delete("/api/v1/tokens/999999", headers=mine), 404)
    assert client.get("/api/v1/me", headers=theirs).status_code == 200


def test_last_used_is_recorded_at_most_once_a_minute(client, app, auth):
    user = auth.create_user()
    headers = token_for(client, user.email)

    def last_used():
        with app.app_context():
            return db.session.scalar(sa.select(ApiToken.last_used_at))

    assert last_used() is None
    client.get("/api/v1/me", headers=headers)
    first = last_used()
    assert first is not None
    client.get("/api/v1/me", headers=headers)
    assert last_used() == first  # a second request within the minute writes nothing
    with app.app_context():
        record = db.session.scalar(sa.select(ApiToken))
        record.last_used_at = first - timedelta(minutes=2)
        db.session.commit()
    client.get("/api/v1/me", headers=headers)
    assert last_used() > first - timedelta(minutes=2)


# --- read-only tokens -------------------------------------------------------------------


@pytest.fixture
def read_token(app):
    """A registered participant's read-only token, and the event they are in."""
    with app.app_context():
        event = f.event(db.session, f.user(db.session, "organizer"))
        person = f.registered(db.session, event)
        headers = {"Authorization": "Bearer " + tokens.issue_token(db.session, person, scope="read")}
        return headers, event.slug


def test_a_read_token_reads(client, read_token):
    headers, slug = read_token
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.get(f"/api/v1/events/{slug}", headers=headers).status_code == 200
    assert client.get("/api/v1/tokens", headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/v1/events/{slug}/teams", {"name": "Read-only team"}),
        ("PATCH", "/api/v1/events/{slug}", {"tagline": "changed"}),
        ("DELETE", "/api/v1/tokens/1", None),
        ("POST", "/api/v1/datasets", None),
        ("POST", "/api/v1/events", {"slug": "x", "name": "X"}),
    ],
)
def test_a_read_token_gets_403_on_a_write_and_nothing_changes(client, app, read_token, method, path, body):
    headers, slug = read_token
    response = client.open(path.format(slug=slug), method=method, json=body, headers=headers)
    message = assert_error(response, 403)["error"]
    assert "read-only" in message and method in message
    with app.app_context():
        from hackkit.models import Team

        assert db.session.scalar(sa.select(sa.func.count(Team.id))) == 0
        assert db.session.scalar(sa.select(ApiToken.revoked_at)) is None


def _write_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            for method in sorted(rule.methods & WRITE_METHODS):
                yield rule, method


def test_every_write_route_of_the_api_refuses_a_read_token(app, client, read_token):
    """Generated from the URL map, so a write route added later is covered without a new test."""
    headers, slug = read_token
    checked = []
    for rule, method in _write_routes(app):
        # Path parameters get plausible values; the scope check comes before any lookup.
        path = re.sub(r"<(?:int:)?(\w+)>", lambda m: "1" if "int:" in m.group(0) else slug, rule.rule)
        path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", "x", path)
        response = client.open(path, method=method, json={}, headers=headers)
        assert response.status_code == 403, f"{method} {rule.rule} answered {response.status_code} to a read token"
        assert "read-only" in response.get_json()["error"]
        checked.append((method, rule.rule))
    assert len(checked) >= 20, checked  # the API has many write routes: the walk really ran


def test_the_openapi_document_says_every_write_may_be_refused_to_a_read_token(client):
    document = client.get("/api/v1/openapi.json").get_json()
    writes = [(path, method, op) for path, ops in document["paths"].items() for method, op in ops.items()]
    writes = [(path, method, op) for path, method, op in writes if method.upper() in WRITE_METHODS]
    assert writes
    for path, method, operation in writes:
        assert "403" in operation["responses"], f"{method.upper()} {path} does not document 403"
    assert set(document["paths"]["/tokens"]) == {"get", "post"} and "delete" in document["paths"]["/tokens/{token_id}"]
