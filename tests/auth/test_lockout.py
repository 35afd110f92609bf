"""Log-in throttling cannot be turned into a permanent lock-out of an account's owner."""

from __future__ import annotations

import time
import uuid

from hackkit.extensions import db, limiter
from tests.conftest import AuthActions, make_app, post_form
from tests.mailserver import reset_link

WINDOW_SECONDS = 6  # long enough that a busy CI machine's slow log-ins stay inside it


def attacker(attempt: int) -> dict:
    # Spread over many addresses, as a botnet would, so only the account limit applies.
    return {"REMOTE_ADDR": f"203.0.113.{attempt % 250 + 1}"}


def test_refused_attempts_do_not_stretch_the_lock_out_beyond_one_window(tmp_path, database_url):
    app = make_app(tmp_path, database_url, HACKKIT_LOGIN_LIMIT_ACCOUNT=f"3 per {WINDOW_SECONDS} seconds")
    auth = AuthActions(app, app.test_client())
    # An address of its own: limit counters live in the process's limiter storage, which other
    # tests' apps in the same process share, and they used participant1@... too.
    owner = auth.create_user(email=f"owner-{uuid.uuid4().hex[:8]}@example.org")
    new_browser = app.test_client()  # the owner on a device that never logged in before
    with app.app_context():
        limiter.reset()  # counters of earlier tests' apps in this process start from nothing

    # The window opens somewhere during the first refused attempt: before it is the earliest
    # it can end, after it the latest. Only answers inside the earliest end are checked.
    opened_after = time.monotonic()
    for attempt in range(3):
        assert auth.login(owner.email, "a wrong guess!", environ_base=attacker(attempt)).status_code == 401
        if attempt == 0:
            opened_before = time.monotonic()
    earliest_end, latest_end = opened_after + WINDOW_SECONDS, opened_before + WINDOW_SECONDS
    throttled = auth.login(owner.email, client=new_browser).status_code
    assert time.monotonic() < earliest_end, "the machine was too slow to test inside the window"
    assert throttled == 429  # throttled now
    # The attacker keeps going for the whole window; none of it pushes the end further away.
    attempt = 3
    while time.monotonic() < earliest_end - 0.5:
        status = auth.login(owner.email, "a wrong guess!", environ_base=attacker(attempt)).status_code
        if time.monotonic() >= earliest_end - 0.2:
            break  # a slow machine: this answer may already belong to the next window
        assert status == 429
        attempt += 1
    assert attempt > 5
    time.sleep(max(0.0, latest_end + 0.3 - time.monotonic()))
    assert auth.login(owner.email, client=new_browser).status_code == 302
    with app.app_context():
        db.engine.dispose()


def test_a_stranger_hammering_an_account_never_slows_its_owners_own_browser(app, auth):
    owner = auth.create_user()
    laptop = app.test_client()
    assert auth.login(owner.email, client=laptop).status_code == 302  # the laptop is now known
    auth.logout(client=laptop)

    venue = {"REMOTE_ADDR": "192.0.2.1"}  # everyone at the event shares one public address
    stranger = app.test_client()
    for _ in range(60):  # well past the account's and the address's per-minute limits
        status = auth.login(owner.email, "a wrong guess!", client=stranger, environ_base=venue).status_code
        assert status in (401, 429)
    assert auth.login(owner.email, client=stranger, environ_base=venue).status_code == 429
    assert auth.login(owner.email, client=app.test_client()).status_code == 429  # a new browser elsewhere, too
    # The owner's laptop logs in at once, even from the stranger's address.
    assert auth.login(owner.email, client=laptop, environ_base=venue).status_code == 302


def test_the_owners_browser_still_has_a_limit_of_its_own(app, auth):
    owner = auth.create_user()
    laptop = app.test_client()
    auth.login(owner.email, client=laptop)
    auth.logout(client=laptop)
    for _ in range(5):
        assert auth.login(owner.email, "a wrong guess!", client=laptop).status_code == 401
    assert auth.login(owner.email, client=laptop).status_code == 429
    assert auth.login(owner.email, client=app.test_client()).status_code == 302  # a separate bucket


def test_a_device_cookie_counts_only_for_its_own_account(app, auth):
    owner, other = auth.create_user(), auth.create_user()
    laptop = app.test_client()
    auth.login(owner.email, client=laptop)
    auth.logout(client=laptop)
    for attempt in range(5):
        assert auth.login(other.email, "a wrong guess!", environ_base=attacker(attempt)).status_code == 401
    # The owner's cookie does not open the other account's bucket.
    assert auth.login(other.email, client=laptop).status_code == 429


def test_the_api_token_route_shares_the_account_limit_with_the_log_in_page(client, auth):
    owner = auth.create_user()
    for attempt in range(5):
        assert auth.login(owner.email, "a wrong guess!", environ_base=attacker(attempt)).status_code == 401
    response = client.post(
        "/api/v1/tokens", auth=(owner.email, "another guess"), environ_base={"REMOTE_ADDR": "203.0.113.99"}
    )
    assert response.status_code == 429
    assert response.get_json()["status"] == 429


def test_a_reset_works_while_log_in_is_throttled_and_lifts_the_throttle(tmp_path, database_url, smtp_server):
    app = make_app(tmp_path, database_url, **smtp_server.config())
    client = app.test_client()
    auth = AuthActions(app, client)
    owner = auth.create_user()
    stranger = app.test_client()
    for attempt in range(5):
        assert auth.login(owner.email, "wrong!", client=stranger, environ_base=attacker(attempt)).status_code == 401
    throttled = auth.login(owner.email)
    assert throttled.status_code == 429
    assert 'href="/auth/reset"' in throttled.get_data(as_text=True)  # the way out is on the page

    assert post_form(client, "/auth/reset", {"email": owner.email}).status_code == 200
    link = reset_link(smtp_server.wait_for(1)[0].get_content())
    new = "locked out no longer"
    assert post_form(client, link, {"password": new, "confirm": new}).status_code == 302
    # The stranger goes on; the browser that did the reset is not slowed down by it.
    for attempt in range(5, 40):
        assert auth.login(owner.email, "wrong!", client=stranger, environ_base=attacker(attempt)).status_code in (
            401,
            429,
        )
    assert auth.login(owner.email, new).status_code == 302


def test_a_reset_clears_the_failures_counted_against_the_account(tmp_path, database_url, smtp_server):
    app = make_app(tmp_path, database_url, **smtp_server.config())
    client = app.test_client()
    auth = AuthActions(app, client)
    owner = auth.create_user()
    for attempt in range(5):
        assert auth.login(owner.email, "wrong!", environ_base=attacker(attempt)).status_code == 401
    assert auth.login(owner.email, environ_base=attacker(9)).status_code == 429
    post_form(client, "/auth/reset", {"email": owner.email})
    link = reset_link(smtp_server.wait_for(1)[0].get_content())
    new = "locked out no longer"
    assert post_form(client, link, {"password": new, "confirm": new}).status_code == 302
    # Even a browser that never saw the reset can log in straight away.
    assert auth.login(owner.email, new, client=app.test_client(), environ_base=attacker(9)).status_code == 302
    with app.app_context():
        db.engine.dispose()
