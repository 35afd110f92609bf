"""Log-in and password-reset throttling with Flask-Limiter.

Log-in: only failures count, per account and per client address, and refused
attempts (429) are not counted, so every window expires on its own. That alone does
not stop a stranger from spending an account's few attempts at the start of every
window and so keeping its owner out for good. Two things do:

- Device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): a
  browser that has logged in to an account, or reset its password, gets a signed cookie
  naming that account. Its attempts on that account count in a bucket of its own and
  skip the per-address limit (a venue shares one address), so a stranger's failures
  never slow the owner's own browser down, and the owner's guesses still are limited.
- A password reset works while log-in is throttled, clears the account's counter and
  remembers the browser it was done in.

The account counter is shared by the log-in page and the API token route, so a
guesser cannot double their attempts by switching between them.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse_many

from hackkit.extensions import limiter

ACCOUNT_SCOPE = "login-account"
DEVICE_COOKIE = "hackkit_device"
DEVICE_DAYS = 180


def _email_key(email: str | None) -> str:
    return (email or "").strip().lower()


def _device_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="hackkit.login-device")


def _tried_email() -> str:
    email = request.form.get("email") or (request.authorization.username if request.authorization else "")
    return _email_key(email)


def _account_tag(email: str) -> str:
    # The cookie is signed, not encrypted: it names the account by a hash, not the address.
    return hashlib.sha256(_email_key(email).encode()).hexdigest()[:24]


def _trusted_device() -> str | None:
    """This browser's device id when it has logged in to the account being tried before."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        tag, device = _device_signer().loads(raw, max_age=DEVICE_DAYS * 86400)
    except (BadSignature, ValueError, TypeError):
        return None
    return device if tag == _account_tag(_tried_email()) else None


def _account_key() -> str:
    device = _trusted_device()
    if device:
        return "login-device:" + device
    return "login-account:" + _tried_email()


def remember_device(response: Response, email: str) -> Response:
    """Mark this browser as one the account's owner uses (after a log-in or a reset)."""
    value = _device_signer().dumps([_account_tag(email), secrets.token_urlsafe(16)])
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_DAYS * 86400,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response


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
        exempt_when=lambda: _trusted_device() is not None,
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
