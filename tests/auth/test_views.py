"""Sign-up, log-in, sessions and account pages through real HTTP requests."""

import pytest
import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import User
from tests.conftest import TEST_PASSWORD, post_form


def users(app) -> list[User]:
    with app.app_context():
        return list(db.session.scalars(sa.select(User)))


def signup(client, email="ada@example.org", password=TEST_PASSWORD, confirm=None, name="Ada"):
    return post_form(
        client, "/signup", {"email": email, "display_name": name, "password": password, "confirm": confirm or password}
    )


def test_signup_creates_account_and_logs_in(client, app):
    response = signup(client)
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    page = client.get("/account").get_data(as_text=True)
    assert "ada@example.org" in page and "Welcome, Ada!" in page
    assert [u.email for u in users(app)] == ["ada@example.org"]


def test_signup_with_existing_email_shows_message_and_creates_nothing(client, app, auth):
    auth.create_user(email="ada@example.org")
    response = signup(client, email="Ada@Example.org")
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True)
    assert len(users(app)) == 1


@pytest.mark.parametrize(
    "password, message", [("short", "at least 10 characters"), ("password123", "too easy to guess")]
)
def test_signup_with_weak_password_is_refused(client, app, password, message):
    response = signup(client, password=password)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert users(app) == []


def test_signup_with_mismatched_confirmation_is_refused(client, app):
    response = signup(client, confirm="something else entirely")
    assert response.status_code == 400 and "The passwords differ." in response.get_data(as_text=True)
    assert users(app) == []


def test_form_without_csrf_token_is_refused_and_changes_nothing(client, app):
    response = client.post(
        "/signup",
        data={"email": "ada@example.org", "display_name": "Ada", "password": TEST_PASSWORD, "confirm": TEST_PASSWORD},
    )
    assert response.status_code == 400
    assert "reload the page" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert users(app) == []


def test_login_and_logout(client, auth):
    user = auth.create_user()
    response = auth.login(user.email)
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/account").status_code == 302


def test_logout_is_post_only(client, auth):
    auth.login_as()
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize(
    "email, password", [("participant1@example.org", "wrong password!"), ("nobody@example.org", TEST_PASSWORD)]
)
def test_login_failure_gives_one_clear_message(client, auth, email, password):
    auth.create_user()
    response = auth.login(email, password)
    assert response.status_code == 401
    assert "do not match an account" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_login_follows_a_local_next(client, auth):
    user = auth.create_user()
    response = auth.login(user.email, next="/account/password?tab=1")
    assert response.headers["Location"] == "/account/password?tab=1"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "http:/evil.example",
    ],
)
def test_login_ignores_an_off_site_next(client, auth, target):
    user = auth.create_user()
    response = auth.login(user.email, next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_page_redirect_keeps_the_page_asked_for(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_failed_logins_are_limited_per_account_with_a_clear_message(client, app, auth):
    user = auth.create_user()
    for attempt in range(5):
        address = {"REMOTE_ADDR": f"10.0.0.{attempt + 1}"}  # spread over addresses: the account limit holds
        assert auth.login(user.email, "wrong password!", environ_base=address).status_code == 401
    response = auth.login(user.email, TEST_PASSWORD, environ_base={"REMOTE_ADDR": "10.0.0.99"})
    assert response.status_code == 429
    assert "Too many" in response.get_data(as_text=True)
    assert response.headers["Retry-After"]
    # Another account from the same address is not affected.
    other = auth.create_user()
    assert auth.login(other.email, environ_base={"REMOTE_ADDR": "10.0.0.99"}).status_code == 302


def test_failed_logins_are_limited_per_address(client, auth):
    for attempt in range(20):
        assert auth.login(f"nobody{attempt}@example.org", "wrong password!").status_code == 401
    user = auth.create_user()
    assert auth.login(user.email).status_code == 429
    assert auth.login(user.email, environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 302


def test_successful_logins_do_not_count_towards_the_limit(client, auth):
    user = auth.create_user()
    for _ in range(8):
        assert auth.login(user.email).status_code == 302
        auth.logout()


def test_logout_ends_the_other_sessions_of_the_account(app, auth):
    user = auth.create_user()
    laptop, phone = app.test_client(), app.test_client()
    auth.login(user.email, client=laptop)
    auth.login(user.email, client=phone)
    assert phone.get("/account").status_code == 200
    auth.logout(client=laptop)
    assert phone.get("/account").status_code == 302


def test_password_change_keeps_this_session_and_ends_the_others(app, auth):
    user = auth.create_user()
    laptop, phone = app.test_client(), app.test_client()
    auth.login(user.email, client=laptop)
    auth.login(user.email, client=phone)
    response = post_form(
        laptop,
        "/account/password",
        {
            "current_password": TEST_PASSWORD,
            "new_password": "another long passphrase",
            "confirm": "another long passphrase",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account").status_code == 302
    assert auth.login(user.email, TEST_PASSWORD, client=phone).status_code == 401
    assert auth.login(user.email, "another long passphrase", client=phone).status_code == 302


def test_password_change_with_wrong_current_password_is_refused(client, auth):
    auth.login_as()
    response = post_form(
        client,
        "/account/password",
        {
            "current_password": "not it at all",
            "new_password": "another long passphrase",
            "confirm": "another long passphrase",
        },
    )
    assert response.status_code == 400
    assert "current password is not right" in response.get_data(as_text=True)


def test_profile_edit_is_saved_and_shown(client, app, auth):
    user = auth.login_as()
    response = post_form(
        client,
        "/account",
        {
            "display_name": "Ada L.",
            "skills": "Python, GIS",
            "languages": "Nederlands, English",
            "bio": "I draw maps.",
            "looking_for_team": "y",
        },
    )
    assert response.status_code == 302
    page = client.get("/account").get_data(as_text=True)
    assert "Your profile is saved." in page and 'value="Python, GIS"' in page and "I draw maps." in page
    with app.app_context():
        saved = db.session.get(User, user.id)
        assert (saved.skills, saved.languages, saved.looking_for_team) == (
            ["Python", "GIS"],
            ["Nederlands", "English"],
            True,
        )


def test_profile_with_too_long_bio_is_refused_and_unchanged(client, app, auth):
    user = auth.login_as()
    response = post_form(client, "/account", {"display_name": "Changed", "bio": "x" * 600})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, user.id).display_name == user.display_name


def test_account_deletion_needs_password_and_confirmation(client, app, auth):
    auth.login_as()
    assert post_form(client, "/account/delete", {"password": "wrong", "confirm": "y"}).status_code == 400
    assert post_form(client, "/account/delete", {"password": TEST_PASSWORD}).status_code == 400
    assert len(users(app)) == 1
    response = post_form(client, "/account/delete", {"password": TEST_PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    assert users(app) == []
    assert client.get("/account").status_code == 302


def test_session_cookie_is_httponly_and_samesite(client, auth):
    user = auth.create_user()
    response = auth.login(user.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development serves plain HTTP on localhost


def test_session_cookie_is_secure_in_production(tmp_path, database_url, monkeypatch):
    from tests.conftest import AuthActions, make_app

    monkeypatch.setenv("HACKKIT_ENV", "production")
    app = make_app(tmp_path, database_url)
    client = app.test_client()
    actions = AuthActions(app, client)
    user = actions.create_user()
    token = client.get("/login", base_url="https://localhost")
    assert token.status_code == 200
    response = actions.login(user.email, client=client)
    assert "Secure" in response.headers["Set-Cookie"]


def test_organizer_changes_a_role(client, app, auth):
    person = auth.create_user("participant")
    auth.login_as("organizer")
    page = client.get("/admin/users")
    assert page.status_code == 200 and person.email in page.get_data(as_text=True)
    response = post_form(client, f"/admin/users/{person.id}/role", {f"u{person.id}-role": "judge"}, page="/admin/users")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(User, person.id).role == "judge"


@pytest.mark.parametrize("role", ["participant", "judge"])
def test_only_organizers_see_people_and_change_roles(client, app, auth, role):
    person = auth.create_user("participant")
    auth.login_as(role)
    assert client.get("/admin/users").status_code == 403
    token_page = "/account"
    response = post_form(client, f"/admin/users/{person.id}/role", {f"u{person.id}-role": "organizer"}, page=token_page)
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(User, person.id).role == "participant"


def test_anonymous_visitors_are_sent_to_log_in_for_people(client):
    assert client.get("/admin/users").status_code == 302
