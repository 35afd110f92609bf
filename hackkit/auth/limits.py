"""Log-in throttling: failed attempts are counted per account and per address.

Only failures count, and every window expires, so an attacker can slow an account
down but never lock its owner out for good.
"""

from __future__ import annotations

from flask import current_app, request

from hackkit.extensions import limiter


def _account_key() -> str:
    email = request.form.get("email") or (request.authorization.username if request.authorization else "")
    return "login-account:" + (email or "").strip().lower()


def _failed(response) -> bool:
    return response.status_code == 401


def login_limits(view):
    """Decorate a credential-checking view with both limits."""
    view = limiter.limit(
        lambda: current_app.config["HACKKIT_LOGIN_LIMIT_ACCOUNT"],
        key_func=_account_key,
        deduct_when=_failed,
        methods=["POST"],
        scope="login-account",
    )(view)
    view = limiter.limit(
        lambda: current_app.config["HACKKIT_LOGIN_LIMIT_ADDRESS"],
        deduct_when=_failed,
        methods=["POST"],
        scope="login-address",
    )(view)
    return view
