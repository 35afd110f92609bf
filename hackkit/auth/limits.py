"""Log-in and password-reset throttling with Flask-Limiter.

Log-in: only failures count, per account and per client address. Every window
expires on its own, and refused attempts (429) are not counted, so hammering an
account slows it down for at most one window and never locks its owner out for good.
A password reset works while log-in is throttled and clears the account's counter.

The account counter is shared by the log-in page and the API token route, so a
guesser cannot double their attempts by switching between them.
"""

from __future__ import annotations

from flask import current_app, request
from limits import parse_many

from hackkit.extensions import limiter

ACCOUNT_SCOPE = "login-account"


def _email_key(email: str | None) -> str:
    return (email or "").strip().lower()


def _account_key() -> str:
    email = request.form.get("email") or (request.authorization.username if request.authorization else "")
    return "login-account:" + _email_key(email)


def _failed(response) -> bool:
    return response.status_code == 401


def login_limits(view):
    """Decorate a credential-checking view with both limits."""
    view = limiter.shared_limit(
        lambda: current_app.config["HACKKIT_LOGIN_LIMIT_ACCOUNT"],
        scope=ACCOUNT_SCOPE,
        key_func=_account_key,
        deduct_when=_failed,
        methods=["POST"],
    )(view)
    view = limiter.limit(
        lambda: current_app.config["HACKKIT_LOGIN_LIMIT_ADDRESS"],
        deduct_when=_failed,
        methods=["POST"],
        scope="login-address",
    )(view)
    return view


def clear_login_failures(email: str) -> None:
    """Forget the failed log-ins counted against this account (after a password reset)."""
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    identifiers = [prefix] if prefix else []
    identifiers += ["login-account:" + _email_key(email), ACCOUNT_SCOPE]
    for item in parse_many(current_app.config["HACKKIT_LOGIN_LIMIT_ACCOUNT"]):
        limiter.limiter.clear(item, *identifiers)


def _reset_email_key() -> str:
    return "reset-email:" + _email_key(request.form.get("email"))


def reset_request_limits(view):
    """Every request for a reset e-mail counts, per address asked about and per client.

    The limit is the same for addresses with and without an account, so a 429 tells a
    stranger nothing about who has one; it keeps the form from being used to flood an inbox.
    """
    view = limiter.limit(
        lambda: current_app.config["HACKKIT_RESET_LIMIT_EMAIL"],
        key_func=_reset_email_key,
        methods=["POST"],
        scope="reset-email",
    )(view)
    view = limiter.limit(
        lambda: current_app.config["HACKKIT_RESET_LIMIT_ADDRESS"],
        methods=["POST"],
        scope="reset-address",
    )(view)
    return view
