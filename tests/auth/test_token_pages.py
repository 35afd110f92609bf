"""API tokens on the account page: create (secret shown once), see, revoke."""

import html
import re

import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import ApiToken
from hackkit.services import tokens
from tests.conftest import post_form

SECRET_RE = re.compile(r'id="new-token-secret"[^>]*value="(hk_[^"]+)"')


def create(client, name="Dashboard", scope="read"):
    return post_form(client, "/account/tokens", {"name": name, "scope": scope}, page="/account")


def stored(app) -> list[ApiToken]:
    with app.app_context():
        return list(db.session.scalars(sa.select(ApiToken).order_by(ApiToken.id)))


def test_a_new_token_is_shown_once_with_a_copy_hint_and_works(client, app, auth):
    auth.login_as()
    response = create(client, scope="write")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    secret = SECRET_RE.search(page).group(1)
    assert "shown only once" in page and "Copy it now" in page
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    # The page never shows it again, and it is not in the session cookie.
    again = client.get("/account").get_data(as_text=True)
    assert secret not in again and "Dashboard" in again
    session_cookie = client.get_cookie("session")
    assert session_cookie is None or secret not in session_cookie.decoded_value
    [record] = stored(app)
    assert (record.name, record.scope) == ("Dashboard", "write")


def test_the_token_list_shows_name_access_dates_and_status(client, app, auth):
    user = auth.login_as()
    with app.app_context():
        tokens.issue_token(db.session, db.session.get(type(user), user.id), name="Laptop script", scope="read")
    page = client.get("/account").get_data(as_text=True)
    row = page[page.index("Laptop script") :].split("</tr>")[0]
    assert "Read only" in row and "Never" in row and "UTC" in row and "Revoke" in row


def test_a_read_only_token_from_the_page_cannot_write(client, auth):
    auth.login_as("organizer")
    secret = SECRET_RE.search(html.unescape(create(client, scope="read").get_data(as_text=True))).group(1)
    response = client.post("/api/v1/events", json={"slug": "x"}, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 403 and "read-only" in response.get_json()["error"]


def test_revoking_from_the_page_makes_the_token_401(client, app, auth):
    auth.login_as()
    secret = SECRET_RE.search(html.unescape(create(client).get_data(as_text=True))).group(1)
    [record] = stored(app)
    response = post_form(client, f"/account/tokens/{record.id}/revoke", {}, page="/account")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account#api-tokens")
    page = client.get("/account").get_data(as_text=True)
    assert "is revoked" in page and "Revoked" in page
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_someone_elses_token_cannot_be_revoked_from_the_page(client, app, auth):
    other = auth.create_user()
    with app.app_context():
        tokens.issue_token(db.session, db.session.get(type(other), other.id))
    auth.login_as()
    [record] = stored(app)
    response = post_form(client, f"/account/tokens/{record.id}/revoke", {}, page="/account")
    assert response.status_code == 404
    assert stored(app)[0].revoked_at is None


def test_a_token_without_a_name_is_refused_with_a_message(client, app, auth):
    auth.login_as()
    response = create(client, name="   ")
    assert response.status_code == 400
    assert "This field is required" in response.get_data(as_text=True)
    assert stored(app) == []


def test_an_unknown_access_level_is_refused(client, app, auth):
    auth.login_as()
    assert create(client, scope="admin").status_code == 400
    assert stored(app) == []


def test_token_pages_need_a_login_and_a_csrf_token(client, app, auth):
    response = client.post("/account/tokens", data={"name": "x", "scope": "read"})
    assert response.status_code in (302, 400)
    auth.login_as()
    assert client.post("/account/tokens", data={"name": "x", "scope": "read"}).status_code == 400  # no CSRF token
    assert stored(app) == []
