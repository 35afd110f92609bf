"""Flask-Login wiring: the login cookie names the account and its current session token.

The account is read once per HACKKIT_PUBLIC_CACHE_SECONDS per worker and cookie, not on every
request (services/account_cache.py says what that means for log-outs and changes)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from hackkit.extensions import db, login_manager
from hackkit.models import User
from hackkit.services import account_cache


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in to see this page.")
    login_manager.login_message_category = "info"
    account_cache.init_app(app)


@login_manager.user_loader
def load_user(cookie_id: str) -> User | None:
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    cache = account_cache.current()
    if cache is not None:
        kept = cache.get(db.session, account_cache.session_key(cookie_id))
        if kept is not None:
            return kept[0]
        generation = cache.generation
    user = db.session.get(User, int(user_id))
    # A rotated token (log-out elsewhere, password change) invalidates this cookie.
    if user is None or user.session_token != token:
        return None
    if cache is not None:
        cache.put(account_cache.session_key(cookie_id), (user,), user.id, generation)
    return user
