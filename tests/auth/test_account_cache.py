"""Who is signed in, kept per worker for the page-cache time (hackkit/services/account_cache.py):
no statement for the account on each request, yet a log-out everywhere, a revoked token or a
changed role reaches every worker within that time, at once on the worker that made it, and a
person's own change shows at once everywhere."""

from __future__ import annotations

import pytest

from hackkit.extensions import db
from hackkit.models import User
from hackkit.services import accounts, tokens
from tests.conftest import TEST_PASSWORD, AuthActions, counted_queries, make_app

SECONDS = 2.0


@pytest.fixture
def app_settings():
    return {"HACKKIT_PUBLIC_CACHE_SECONDS": SECONDS}


@pytest.fixture
def other_worker(tmp_path, database_url, app):
    """A second app on the same database and key: another worker, or another instance."""
    return make_app(tmp_path, database_url, HACKKIT_PUBLIC_CACHE_SECONDS=SECONDS, SECRET_KEY=app.config["SECRET_KEY"])


def reads_accounts(statements: list[str]) -> list[str]:
    """The statements asking who is signed in: the account by its id, or the token by its hash."""
    return [s for s in statements if "WHERE users.id = " in s or "api_tokens.token_hash = " in s]


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def same_browser(client, app):
    """A client of `app` holding `client`'s cookies: the same browser, its request sent elsewhere."""
    twin = app.test_client()
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name)
        if cookie is not None:
            twin.set_cookie(name, cookie.value)
    return twin


def test_a_signed_in_person_is_read_once_per_cache_time(app, client, auth, clock):
    auth.login_as()
    client.get("/account")
    with counted_queries(app) as sent:
        assert signed_in(client)
    assert reads_accounts(sent) == []
    clock.now += SECONDS
    with counted_queries(app) as sent:
        assert signed_in(client)
    assert len(reads_accounts(sent)) == 1


def test_a_log_out_everywhere_ends_other_sessions_at_once_here_and_within_the_time_elsewhere(
    app, client, auth, clock, other_worker
):
    user = auth.login_as()
    laptop = same_browser(client, other_worker)
    phone = app.test_client()
    AuthActions(app, phone).login(user.email)
    assert signed_in(client) and signed_in(laptop) and signed_in(phone)
    with app.test_request_context():  # the phone signs out everywhere, on this worker
        accounts.end_all_sessions(db.session, db.session.get(User, user.id))
    assert not signed_in(client)  # this worker forgot its copy when it committed
    assert signed_in(laptop)  # the other still has its copy, for at most the cache time
    clock.now += SECONDS
    assert not signed_in(laptop)


def test_an_organizer_changing_a_role_reaches_a_person_within_the_time(app, client, auth, clock, other_worker):
    user = auth.login_as()
    assert client.get("/events/new").status_code == 403  # a participant creates no events
    with other_worker.test_request_context():  # made organizer through another worker
        organizer = db.session.merge(auth.create_user("organizer"))
        accounts.change_role(db.session, organizer, db.session.get(User, user.id), "organizer")
    assert client.get("/events/new").status_code == 403  # this worker's copy, for at most the time
    clock.now += SECONDS
    assert client.get("/events/new").status_code == 200


def test_ones_own_change_shows_at_once_on_every_worker(app, client, auth, other_worker):
    auth.login_as()
    assert signed_in(same_browser(client, other_worker))  # the other worker keeps a copy now
    page = client.get("/account").get_data(as_text=True)
    assert "Grace Renamed" not in page
    answer = client.post("/account", data={"display_name": "Grace Renamed", "csrf_token": _token(page)})
    assert answer.status_code == 302, answer.status_code
    moved = same_browser(client, other_worker)  # the new session cookie holds the new mark
    assert 'value="Grace Renamed"' in moved.get("/account").get_data(as_text=True)


def test_a_revoked_token_stops_at_once_here_and_within_the_time_elsewhere(app, auth, clock, other_worker):
    user = auth.create_user()
    with app.app_context():
        record, secret = tokens.create_token(db.session, db.session.get(User, user.id), scope="read")
        record_id = record.id
    bearer = {"Authorization": f"Bearer {secret}"}
    here, there = app.test_client(), other_worker.test_client()
    for client in (here, there):  # the second call of each is answered from the kept copy
        assert client.get("/api/v1/me", headers=bearer).status_code == 200
        assert client.get("/api/v1/me", headers=bearer).status_code == 200
    with counted_queries(app) as sent:
        assert here.get("/api/v1/me", headers=bearer).status_code == 200
    assert reads_accounts(sent) == []
    with app.test_request_context():
        tokens.revoke_token(db.session, db.session.get(User, user.id), record_id)
    assert here.get("/api/v1/me", headers=bearer).status_code == 401
    assert there.get("/api/v1/me", headers=bearer).status_code == 200
    clock.now += SECONDS
    assert there.get("/api/v1/me", headers=bearer).status_code == 401


def test_a_new_password_ends_kept_tokens_and_sessions_on_this_worker_at_once(app, client, auth):
    user = auth.login_as()
    with app.app_context():
        secret = tokens.issue_token(db.session, db.session.get(User, user.id))
    bearer = {"Authorization": f"Bearer {secret}"}
    client.get("/api/v1/me", headers=bearer)
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 200
    with app.test_request_context():
        accounts.change_password(db.session, db.session.get(User, user.id), TEST_PASSWORD, "a new password 4 me")
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 401
    assert not signed_in(same_browser(client, app))


def _token(page: str) -> str:
    import re

    return re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page).group(1)


def test_a_copy_read_before_a_log_out_on_this_worker_is_not_kept_after_it(app, client, auth, clock, monkeypatch):
    """The read and the keeping are two steps: a log-out everywhere committed by another
    request of the same worker in between must still end the session at once."""
    from hackkit.services import account_cache

    user = auth.login_as()
    laptop = same_browser(client, app)
    keep = account_cache.AccountCache.put

    def log_out_elsewhere_then_keep(cache, *args):
        account_cache.AccountCache.put = keep  # once
        with app.test_request_context():  # the phone's request, on the same worker
            accounts.end_all_sessions(db.session, db.session.get(User, user.id))
        keep(cache, *args)

    monkeypatch.setattr(account_cache.AccountCache, "put", log_out_elsewhere_then_keep)
    laptop.get("/account")  # read before the log-out, kept after it: must not be kept
    assert not signed_in(laptop)


def test_an_account_deleted_on_another_worker_cannot_write_there_and_is_signed_out(app, client, auth, other_worker):
    user = auth.login_as()
    elsewhere = same_browser(client, other_worker)
    form = elsewhere.get("/account").get_data(as_text=True)  # the other worker keeps the account
    with app.test_request_context():
        accounts.delete_account(db.session, db.session.get(User, user.id), TEST_PASSWORD)
    answer = elsewhere.post("/account", data={"display_name": "Still here?", "csrf_token": _token(form)})
    assert answer.status_code == 409, answer.status_code
    assert "Reload the page" in answer.get_data(as_text=True)
    assert elsewhere.get("/account").status_code == 302  # signed out: the account is gone
