"""Every failed password check counts against the account checked and the client address,
whatever else the request carries (a decoy e-mail field, a device cookie for another account).

One test per entry point that checks a password: the log-in page, the API token route, the
password-change page and the account-deletion page.
"""

from __future__ import annotations

import base64
import uuid

from tests.conftest import TEST_PASSWORD, AuthActions, make_app, post_form

WRONG = "a wrong guess!"


def spread(attempt: int) -> dict:
    # Many addresses, as a botnet would: only the account limit applies.
    return {"REMOTE_ADDR": f"203.0.113.{attempt % 250 + 1}"}


def one_address() -> dict:
    return {"REMOTE_ADDR": f"198.51.100.{uuid.uuid4().int % 250 + 1}"}


def token_request(client, user: str, password: str, form: dict | None = None, environ: dict | None = None):
    return client.post("/api/v1/tokens", auth=(user, password), data=form or {}, environ_base=environ or {})


def test_token_route_counts_against_the_basic_auth_account_not_a_decoy_email_field(client, auth):
    victim, decoy = auth.create_user(), auth.create_user()
    for attempt in range(5):
        response = token_request(client, victim.email, WRONG, {"email": decoy.email}, spread(attempt))
        assert response.status_code == 401
    # The victim's account is spent: even the right password is refused, on either entry point.
    refused = token_request(client, victim.email, TEST_PASSWORD, {"email": decoy.email}, spread(77))
    assert refused.status_code == 429
    assert refused.get_json()["status"] == 429
    assert "Retry-After" in refused.headers
    assert auth.login(victim.email, client=client.application.test_client(), environ_base=spread(78)).status_code == 429
    # The decoy was never tried, so it was never counted.
    assert token_request(client, decoy.email, TEST_PASSWORD, environ=spread(79)).status_code == 201


def test_a_device_cookie_for_the_attackers_own_account_does_not_lift_the_address_limit(tmp_path, database_url):
    app = make_app(
        tmp_path,
        database_url,
        HACKKIT_LOGIN_LIMIT_ACCOUNT="1000 per minute",  # only the address limit is under test
        HACKKIT_LOGIN_LIMIT_ADDRESS="5 per minute",
    )
    attacker_browser = app.test_client()
    auth = AuthActions(app, attacker_browser)
    attacker, victim = auth.create_user(), auth.create_user()
    here = one_address()
    # The attacker logs in to their own account: this browser now carries a device cookie for it.
    assert auth.login(attacker.email, environ_base=here).status_code == 302
    auth.logout()
    assert attacker_browser.get_cookie("hackkit_device") is not None
    for _ in range(5):
        response = token_request(attacker_browser, victim.email, WRONG, {"email": attacker.email}, here)
        assert response.status_code == 401
    # The sixth try from the same address is refused, right password or not.
    assert (
        token_request(attacker_browser, victim.email, TEST_PASSWORD, {"email": attacker.email}, here).status_code == 429
    )
    assert auth.login(victim.email, client=attacker_browser, environ_base=here).status_code == 429
    # The attacker's own account from their own browser still works (the device cookie's purpose).
    assert auth.login(attacker.email, client=attacker_browser, environ_base=here).status_code == 302


def test_log_in_page_counts_against_the_form_account_not_a_basic_auth_header(client, auth):
    victim, decoy = auth.create_user(), auth.create_user()
    decoy_header = {"Authorization": "Basic " + base64.b64encode(f"{decoy.email}:x".encode()).decode()}
    for attempt in range(5):
        response = post_form(
            client,
            "/login",
            {"email": victim.email, "password": WRONG},
            environ_base=spread(attempt),
            headers=decoy_header,
        )
        assert response.status_code == 401
    assert auth.login(victim.email, client=client.application.test_client(), environ_base=spread(80)).status_code == 429
    assert auth.login(decoy.email, client=client.application.test_client(), environ_base=spread(81)).status_code == 302


def test_log_in_page_address_limit_holds_with_a_device_cookie_for_another_account(tmp_path, database_url):
    app = make_app(
        tmp_path,
        database_url,
        HACKKIT_LOGIN_LIMIT_ACCOUNT="1000 per minute",
        HACKKIT_LOGIN_LIMIT_ADDRESS="5 per minute",
    )
    browser = app.test_client()
    auth = AuthActions(app, browser)
    attacker = auth.create_user()
    victims = [auth.create_user() for _ in range(6)]
    here = one_address()
    assert auth.login(attacker.email, environ_base=here).status_code == 302
    auth.logout()
    for victim in victims[:5]:
        assert auth.login(victim.email, WRONG, environ_base=here).status_code == 401
    assert auth.login(victims[5].email, environ_base=here).status_code == 429


def test_wrong_current_passwords_on_the_password_page_are_counted(client, auth):
    owner = auth.create_user()
    thief = client.application.test_client()  # someone who got hold of a logged-in session
    assert auth.login(owner.email, client=thief, environ_base=spread(1)).status_code == 302
    thief.delete_cookie("hackkit_device")  # the session, not the owner's browser
    for attempt in range(5):
        data = {"current_password": WRONG, "new_password": "a brand new secret", "confirm": "a brand new secret"}
        response = post_form(thief, "/account/password", data, environ_base=spread(attempt))
        assert response.status_code == 400
    data = {"current_password": TEST_PASSWORD, "new_password": "a brand new secret", "confirm": "a brand new secret"}
    assert post_form(thief, "/account/password", data, environ_base=spread(90)).status_code == 429
    # The account is throttled everywhere, not only on that page.
    assert token_request(client, owner.email, TEST_PASSWORD, environ=spread(91)).status_code == 429


def test_wrong_passwords_on_the_delete_page_are_counted(client, auth):
    owner = auth.create_user()
    thief = client.application.test_client()
    assert auth.login(owner.email, client=thief, environ_base=spread(1)).status_code == 302
    thief.delete_cookie("hackkit_device")
    for attempt in range(5):
        assert (
            post_form(
                thief, "/account/delete", {"password": WRONG, "confirm": "y"}, environ_base=spread(attempt)
            ).status_code
            == 400
        )
    assert (
        post_form(
            thief, "/account/delete", {"password": TEST_PASSWORD, "confirm": "y"}, environ_base=spread(92)
        ).status_code
        == 429
    )
    assert auth.login(owner.email, client=client.application.test_client(), environ_base=spread(93)).status_code == 429
