"""Password reset by e-mail, driven over HTTP against a real local SMTP server."""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.models import User
from hackkit.models.base import utcnow
from hackkit.services import password_reset
from tests.conftest import CSRF_RE, TEST_PASSWORD, AuthActions, make_app, post_form
from tests.mailserver import free_port, reset_link

NEW_PASSWORD = "a brand new passphrase"
SENT_TEXT = "we have sent it a link to choose a new password"


@pytest.fixture
def mail_app(tmp_path, database_url, smtp_server):
    app = make_app(tmp_path, database_url, **smtp_server.config())
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def mail_client(mail_app):
    return mail_app.test_client()


@pytest.fixture
def mail_auth(mail_app, mail_client):
    return AuthActions(mail_app, mail_client)


def ask_for_reset(client, email: str):
    return post_form(client, "/auth/reset", {"email": email})


def link_in(message) -> str:
    return reset_link(message.get_content())


def set_password(client, link: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    # A link that no longer works shows no form: the session's CSRF token comes from another page.
    page = link if client.get(link).status_code == 200 else "/login"
    return post_form(client, link, {"password": password, "confirm": confirm or password}, page=page)


def test_login_page_offers_the_reset(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/auth/reset"' in page
    assert "Forgot your password?" in page


def test_reset_by_email_sets_the_password_and_ends_every_session(mail_app, mail_client, mail_auth, smtp_server):
    user = mail_auth.create_user()
    phone = mail_app.test_client()
    assert mail_auth.login(user.email, client=phone).status_code == 302

    response = ask_for_reset(mail_client, user.email.upper())  # any spelling of the address
    assert response.status_code == 200
    assert SENT_TEXT in response.get_data(as_text=True)

    (message,) = smtp_server.wait_for(1)
    assert message["To"] == user.email
    assert message["From"] == "hackkit@localhost"
    assert "password" in message["Subject"]
    assert "60 minutes" in message.get_content()
    link = link_in(message)

    form = mail_client.get(link)
    assert form.status_code == 200
    assert 'autocomplete="new-password"' in form.get_data(as_text=True)
    response = set_password(mail_client, link)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert "Your password is set" in mail_client.get("/login").get_data(as_text=True)

    assert phone.get("/account").status_code == 302  # the other session has ended
    assert mail_auth.login(user.email, TEST_PASSWORD).status_code == 401
    assert mail_auth.login(user.email, NEW_PASSWORD).status_code == 302


def test_a_reset_link_works_only_once(mail_client, mail_auth, smtp_server):
    user = mail_auth.create_user()
    ask_for_reset(mail_client, user.email)
    link = link_in(smtp_server.wait_for(1)[0])
    assert set_password(mail_client, link).status_code == 302

    again = mail_client.get(link)
    assert again.status_code == 400
    page = again.get_data(as_text=True)
    assert "already been used" in page
    assert 'href="/auth/reset"' in page  # a way to ask for a new one
    # Posting the form a second time (e.g. an attacker who saw the link) changes nothing.
    assert set_password(mail_client, link, "what an attacker chose").status_code == 400
    assert mail_auth.login(user.email, "what an attacker chose").status_code == 401
    assert mail_auth.login(user.email, NEW_PASSWORD).status_code == 302


def test_a_newer_link_or_a_password_change_voids_the_older_links(mail_client, mail_auth, smtp_server):
    user = mail_auth.create_user()
    ask_for_reset(mail_client, user.email)
    ask_for_reset(mail_client, user.email)
    first, second = (link_in(m) for m in smtp_server.wait_for(2))
    assert set_password(mail_client, second).status_code == 302
    assert mail_client.get(first).status_code == 400


def test_an_expired_link_is_refused_with_a_way_forward(app, client, auth):
    user = auth.create_user()
    with app.app_context():
        account = db.session.get(User, user.id)
        secret = app.config["SECRET_KEY"]
        stale = password_reset.make_token(account, secret, now=utcnow() - timedelta(minutes=61))
        fresh_enough = password_reset.make_token(account, secret, now=utcnow() - timedelta(minutes=59))
    response = client.get(f"/auth/reset/{stale}")
    assert response.status_code == 400
    assert "has expired" in response.get_data(as_text=True)
    assert set_password(client, f"/auth/reset/{stale}").status_code == 400
    assert auth.login(user.email, NEW_PASSWORD).status_code == 401
    assert client.get(f"/auth/reset/{fresh_enough}").status_code == 200


@pytest.mark.parametrize(
    "mangle", [lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"), lambda t: "x", lambda t: t + ".x"]
)
def test_a_tampered_link_is_refused(app, client, auth, mangle):
    user = auth.create_user()
    with app.app_context():
        token = password_reset.make_token(db.session.get(User, user.id), app.config["SECRET_KEY"])
    response = client.get(f"/auth/reset/{mangle(token)}")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_a_link_signed_with_another_key_is_refused(app, client, auth):
    user = auth.create_user()
    with app.app_context():
        token = password_reset.make_token(db.session.get(User, user.id), "some other hub's key")
    assert client.get(f"/auth/reset/{token}").status_code == 400


def test_an_unknown_address_gets_the_same_page_and_no_mail(mail_client, mail_auth, smtp_server):
    user = mail_auth.create_user()
    unknown = ask_for_reset(mail_client, "nobody@example.org")
    known = ask_for_reset(mail_client, user.email)
    assert unknown.status_code == known.status_code == 200
    strip = lambda r: r.get_data(as_text=True).replace("nobody@example.org", "X").replace(user.email, "X")  # noqa: E731
    assert strip(unknown) == strip(known)
    messages = smtp_server.wait_for(1)
    time.sleep(0.5)  # give a wrongly sent second message the time to arrive
    assert len(smtp_server.messages) == 1
    assert messages[0]["To"] == user.email


def test_a_weak_or_mistyped_password_is_refused_and_the_link_still_works(mail_client, mail_auth, smtp_server):
    user = mail_auth.create_user()
    ask_for_reset(mail_client, user.email)
    link = link_in(smtp_server.wait_for(1)[0])
    response = set_password(mail_client, link, "short")
    assert response.status_code == 400
    assert "at least 10 characters" in response.get_data(as_text=True)
    response = set_password(mail_client, link, NEW_PASSWORD, confirm=NEW_PASSWORD + "!")
    assert response.status_code == 400
    assert "The passwords differ." in response.get_data(as_text=True)
    assert set_password(mail_client, link).status_code == 302


def test_forms_without_a_csrf_token_are_refused(mail_client, mail_auth, smtp_server):
    user = mail_auth.create_user()
    assert mail_client.post("/auth/reset", data={"email": user.email}).status_code == 400
    ask_for_reset(mail_client, user.email)
    link = link_in(smtp_server.wait_for(1)[0])
    assert mail_client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 400
    assert mail_auth.login(user.email, NEW_PASSWORD).status_code == 401
    assert len(smtp_server.messages) == 1


def test_a_malformed_address_gets_a_clear_message(client):
    response = ask_for_reset(client, "not an address")
    assert response.status_code == 400
    assert "Enter a valid e-mail address." in response.get_data(as_text=True)


def test_the_mail_speaks_the_language_of_the_account(mail_app, mail_client, mail_auth, smtp_server):
    user = mail_auth.create_user()
    with mail_app.app_context():
        db.session.get(User, user.id).locale = "nl"
        db.session.commit()
    ask_for_reset(mail_client, user.email)
    (message,) = smtp_server.wait_for(1)
    assert "wachtwoord" in message["Subject"]
    assert "60 minuten" in message.get_content()


def test_mail_server_down_still_shows_the_same_page_and_logs_the_error(tmp_path, database_url, caplog):
    app = make_app(
        tmp_path,
        database_url,
        HACKKIT_SMTP_HOST="127.0.0.1",
        HACKKIT_SMTP_PORT=free_port(),
        HACKKIT_SMTP_SECURITY="none",
    )
    client = app.test_client()
    user = AuthActions(app, client).create_user()
    with caplog.at_level(logging.ERROR, logger="hackkit.services.mail"):
        response = ask_for_reset(client, user.email)
        assert response.status_code == 200
        assert SENT_TEXT in response.get_data(as_text=True)

        # The mail goes out after the answer (the same time whether or not the address exists):
        # wait for its error, not for any record (start-up may have logged a warning already).
        def logged() -> bool:
            messages = [record.getMessage() for record in caplog.records]
            return any("could not send e-mail" in m and user.email in m for m in messages)

        deadline = time.monotonic() + 10
        while not logged() and time.monotonic() < deadline:
            time.sleep(0.05)
    assert logged()
    with app.app_context():
        db.engine.dispose()


def test_without_a_mail_server_the_link_goes_to_the_server_log(app, client, auth, caplog):
    user = auth.create_user()
    with caplog.at_level(logging.WARNING, logger="hackkit.services.mail"):
        response = ask_for_reset(client, user.email)
    assert SENT_TEXT in response.get_data(as_text=True)
    (record,) = caplog.records
    link = reset_link(record.getMessage())
    assert set_password(client, link).status_code == 302
    assert auth.login(user.email, NEW_PASSWORD).status_code == 302


def test_reset_requests_are_limited_per_address_asked_about(client, auth, caplog):
    user = auth.create_user()
    for attempt in range(3):
        remote = {"REMOTE_ADDR": f"10.1.0.{attempt + 1}"}
        assert post_form(client, "/auth/reset", {"email": user.email}, environ_base=remote).status_code == 200
    assert (
        post_form(client, "/auth/reset", {"email": user.email}, environ_base={"REMOTE_ADDR": "10.1.0.9"}).status_code
        == 429
    )
    # The same limit holds for an address without an account, so a 429 reveals nothing.
    for _ in range(3):
        assert ask_for_reset(client, "nobody@example.org").status_code == 200
    assert ask_for_reset(client, "nobody@example.org").status_code == 429


def test_reset_requests_are_limited_per_client(client):
    for attempt in range(10):
        assert ask_for_reset(client, f"someone{attempt}@example.org").status_code == 200
    assert ask_for_reset(client, "someone.else@example.org").status_code == 429
    other = {"REMOTE_ADDR": "10.2.0.1"}
    assert post_form(client, "/auth/reset", {"email": "x@example.org"}, environ_base=other).status_code == 200


def test_the_mailed_link_uses_the_public_url_not_the_host_a_stranger_sends(tmp_path, database_url, smtp_server):
    app = make_app(tmp_path, database_url, HACKKIT_PUBLIC_URL="https://hack.example.nl", **smtp_server.config())
    client = app.test_client()
    user = AuthActions(app, client).create_user()
    evil = "http://evil.example"  # the Host header, as a stranger sends it
    token = CSRF_RE.search(client.get("/auth/reset", base_url=evil).get_data(as_text=True)).group(1)
    response = client.post("/auth/reset", data={"csrf_token": token, "email": user.email}, base_url=evil)
    assert response.status_code == 200
    text = smtp_server.wait_for(1)[0].get_content()
    assert "https://hack.example.nl/auth/reset/" in text
    assert "evil.example" not in text
    with app.app_context():
        db.engine.dispose()


def test_production_without_a_public_url_sends_no_link_and_says_why_in_the_log(
    tmp_path, database_url, smtp_server, caplog
):
    app = make_app(
        tmp_path, database_url, HACKKIT_ENV="production", SESSION_COOKIE_SECURE=False, **smtp_server.config()
    )
    client = app.test_client()
    user = AuthActions(app, client).create_user()
    with caplog.at_level(logging.ERROR, logger="hackkit.services.password_reset"):
        response = ask_for_reset(client, user.email)
    assert response.status_code == 200
    assert SENT_TEXT in response.get_data(as_text=True)
    assert any("HACKKIT_PUBLIC_URL" in r.getMessage() for r in caplog.records)
    time.sleep(0.5)
    assert smtp_server.messages == []
    with app.app_context():
        db.engine.dispose()


def test_two_requests_racing_with_one_link_set_one_password(app, auth):
    user = auth.create_user()
    with app.app_context():
        token = password_reset.make_token(db.session.get(User, user.id), app.config["SECRET_KEY"])
    link = f"/auth/reset/{token}"
    browsers = [app.test_client(), app.test_client()]
    tokens = [CSRF_RE.search(b.get(link).get_data(as_text=True)).group(1) for b in browsers]
    chosen = ["the first racer's passphrase", "the second racer's passphrase"]
    start = threading.Barrier(2)
    statuses: dict[int, int] = {}

    def race(i: int) -> None:
        start.wait()
        data = {"csrf_token": tokens[i], "password": chosen[i], "confirm": chosen[i]}
        statuses[i] = browsers[i].post(link, data=data).status_code

    racers = [threading.Thread(target=race, args=(i,)) for i in range(2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=30)
    assert sorted(statuses.values()) == [302, 400]
    winner = chosen[[i for i, s in statuses.items() if s == 302][0]]
    loser = chosen[[i for i, s in statuses.items() if s == 400][0]]
    assert auth.login(user.email, loser).status_code == 401
    assert auth.login(user.email, winner).status_code == 302


@pytest.mark.parametrize("path", ["/auth/reset", "/auth/reset/not-a-token"])
def test_reset_pages_carry_the_strict_content_security_policy(client, path):
    response = client.get(path)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    page = response.get_data(as_text=True)
    assert "<script>" not in page and " style=" not in page
