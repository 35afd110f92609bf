"""Flask-Login wiring: the login cookie names the account and its current session token."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from hackkit.extensions import db, login_manager
from hackkit.models import User


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in to see this page.")
    login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(cookie_id: str) -> User | None:
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    # A rotated token (log-out elsewhere, password change) invalidates this cookie.
    if user is None or user.session_token != token:
        return None
    return user
