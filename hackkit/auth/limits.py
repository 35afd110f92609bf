"""Password-guessing and password-reset throttling, counted in Flask-Limiter's storage.

Every check of a password (the log-in page, the API token route, the password-change and
account-deletion pages) goes through `checked_password(email, check)`. That one function
decides which account a request tries: the e-mail address the view passes to the check,
the very account the check verifies. Nothing else in the request (another form field, a
Basic-auth name, a cookie for another account) can move the count elsewhere. Before the
check it refuses (429) a request whose limits are spent, so a right password is refused too;
after a failed check it counts the failure against the account and the client address.
Refused attempts are not counted, so every window expires on its own.

That alone does not stop a stranger from spending an account's few attempts at the start
of every window and so keeping its owner out for good. Two things do:

- Device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): a
  browser that has logged in to an account, or reset its password, gets a signed cookie
  naming that account. On that account only, its failures count in a bucket of its own
  instead of the account's, and it is not held back by its address's limit (a venue
  shares one address); its failures still count against the address for everyone else.
  So a stranger's failures never slow the owner's own browser down, and the owner's
  guesses are still limited.
- A password reset works while log-in is throttled, clears the account's counter and
  remembers the browser it was done in.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from typing import TypeVar

from flask import Response, current_app, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import RateLimitItem, parse_many
from werkzeug.exceptions import TooManyRequests

from hackkit.extensions import limiter
from hackkit.services.errors import Unauthorized, WrongPassword

ACCOUNT_SCOPE = "login-account"
DEVICE_SCOPE = "login-device"
ADDRESS_SCOPE = "login-address"
DEVICE_COOKIE = "hackkit_device"
DEVICE_DAYS = 180

T = TypeVar("T")


class LoginThrottled(TooManyRequests):
    """Too many wrong passwords for this account or from this address: wait (429)."""

    def __init__(self, limit: str, retry_after: int):
        super().__init__(limit)
        self.retry_after = retry_after


def _email_key(email: str | None) -> str:
    return (email or "").strip().lower()


def _device_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="hackkit.login-device")


def _account_tag(email: str) -> str:
    # The cookie is signed, not encrypted: it names the account by a hash, not the address.
    return hashlib.sha256(_email_key(email).encode()).hexdigest()[:24]


def _trusted_device(account: str) -> str | None:
    """This browser's device id when it has logged in to `account` before."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw or not account:
        return None
    try:
        tag, device = _device_signer().loads(raw, max_age=DEVICE_DAYS * 86400)
    except (BadSignature, ValueError, TypeError):
        return None
    return device if tag == _account_tag(account) else None


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


def _identifiers(scope: str, key: str) -> list[str]:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    return [prefix, scope, key] if prefix else [scope, key]


def _storage(action: Callable[[], T]) -> T:
    """Run a counter operation; an unreachable storage switches to counting in memory, as
    Flask-Limiter does for its own limits, instead of turning a log-in into a 500."""
    try:
        return action()
    except Exception:
        if not limiter._in_memory_fallback_enabled or limiter._storage_dead:
            raise
        current_app.logger.warning("rate limit storage unreachable: counting log-in failures in memory")
        limiter._storage_dead = True
        return action()


def _limits_for(account: str, *, counting: bool) -> list[tuple[str, str, str]]:
    """(setting, scope, key) of each counter of an attempt on `account` from this client.

    A failure always counts against the client address and the account's bucket (on its own
    account, a trusted device has a bucket of its own). The address limit holds back every
    attempt except a trusted device's on its own account.
    """
    device = _trusted_device(account)
    own = (
        ("HACKKIT_LOGIN_LIMIT_ACCOUNT", DEVICE_SCOPE, device)
        if device
        else ("HACKKIT_LOGIN_LIMIT_ACCOUNT", ACCOUNT_SCOPE, account)
    )
    address = ("HACKKIT_LOGIN_LIMIT_ADDRESS", ADDRESS_SCOPE, get_remote_address() or "")
    return [own, address] if counting or not device else [own]


def _items(setting: str) -> list[RateLimitItem]:
    return parse_many(current_app.config[setting])


def _refuse_when_spent(account: str) -> None:
    for setting, scope, key in _limits_for(account, counting=False):
        for item in _items(setting):
            identifiers = _identifiers(scope, key)
            if not _storage(lambda item=item, identifiers=identifiers: limiter.limiter.test(item, *identifiers)):
                stats = _storage(
                    lambda item=item, identifiers=identifiers: limiter.limiter.get_window_stats(item, *identifiers)
                )
                raise LoginThrottled(str(item), max(1, int(stats.reset_time - time.time())))


def _count_failure(account: str) -> None:
    for setting, scope, key in _limits_for(account, counting=True):
        for item in _items(setting):
            identifiers = _identifiers(scope, key)
            _storage(lambda item=item, identifiers=identifiers: limiter.limiter.hit(item, *identifiers))


def checked_password(email: str | None, check: Callable[[], T]) -> T:
    """Run `check` (a service call that verifies the password of the account `email`) under
    the log-in limits. A wrong password (Unauthorized or WrongPassword) is counted, then
    re-raised; a spent limit raises LoginThrottled before the password is even looked at."""
    if not limiter.enabled:
        return check()
    account = _email_key(email)
    _refuse_when_spent(account)
    try:
        return check()
    except (Unauthorized, WrongPassword):
        _count_failure(account)
        raise


def clear_login_failures(email: str) -> None:
    """Forget the failed log-ins counted against this account (after a password reset)."""
    for item in _items("HACKKIT_LOGIN_LIMIT_ACCOUNT"):
        identifiers = _identifiers(ACCOUNT_SCOPE, _email_key(email))
        _storage(lambda item=item, identifiers=identifiers: limiter.limiter.clear(item, *identifiers))


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
