"""A new password (reset by e-mail, changed on the account page, set by an administrator)
revokes every API token made before: whoever knew the old password may have made them."""

from __future__ import annotations

from hackkit.extensions import db
from hackkit.services import accounts
from tests.conftest import TEST_PASSWORD, AuthActions, make_app, post_form
from tests.mailserver import reset_link

NEW_PASSWORD = "a brand new passphrase"


def make_token(client, email: str) -> str:
    response = client.post("/api/v1/tokens", auth=(email, TEST_PASSWORD))
    assert response.status_code == 201
    return response.get_json()["token"]


def me(client, token: str) -> int:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_password_change_revokes_every_token_and_says_so(client, auth):
    user = auth.create_user()
    first, second = make_token(client, user.email), make_token(client, user.email)
    assert me(client, first) == 200
    assert auth.login(user.email).status_code == 302
    page = client.get("/account/password").get_data(as_text=True)
    assert "revokes every API token" in page  # said before the change, too
    data = {"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = post_form(client, "/account/password", data)
    assert response.status_code == 302
    assert "every API token is revoked" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert me(client, first) == 401
    assert me(client, second) == 401
    # The owner can make new ones with the new password.
    fresh = client.post("/api/v1/tokens", auth=(user.email, NEW_PASSWORD)).get_json()["token"]
    assert me(client, fresh) == 200


def test_a_password_reset_by_email_revokes_every_token(tmp_path, database_url, smtp_server):
    app = make_app(tmp_path, database_url, **smtp_server.config())
    client = app.test_client()
    auth = AuthActions(app, client)
    user, other = auth.create_user(), auth.create_user()
    token, others_token = make_token(client, user.email), make_token(client, other.email)
    assert post_form(client, "/auth/reset", {"email": user.email}).status_code == 200
    link = reset_link(smtp_server.wait_for(1)[0].get_content())
    assert "revokes every API token" in client.get(link).get_data(as_text=True)
    response = post_form(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert "every API token revoked" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert me(client, token) == 401
    assert me(client, others_token) == 200  # only the account whose password changed
    with app.app_context():
        db.engine.dispose()


def test_an_administrators_password_reset_revokes_every_token(app, client, auth):
    user = auth.create_user()
    token = make_token(client, user.email)
    with app.app_context():
        accounts.set_password(db.session, db.session.get(type(user), user.id), NEW_PASSWORD)
    assert me(client, token) == 401


def test_the_dutch_page_says_tokens_are_revoked(client, auth):
    user = auth.create_user()
    auth.login(user.email)
    client.set_cookie("hackkit_lang", "nl")
    page = client.get("/account/password", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "trekt elke API-token" in page
