"""Language choice: the visitor's pick, then their account's, then the browser's."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Flask, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

LANGUAGES = {"en": "English", "nl": "Nederlands"}


def select_locale() -> str:
    if not has_request_context():  # CLI and background work speak English
        return "en"
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    # Reading current_user here would hit the database on every page; the session copy
    # is set at log-in and by the switch, which covers the account's preference.
    return request.accept_languages.best_match(list(LANGUAGES), default="en")


def init_app(app: Flask) -> None:
    @app.context_processor
    def language_context():
        return {
            "languages": LANGUAGES,
            "current_locale": str(get_locale() or "en"),
            "format_datetime_in": format_datetime_in,
        }


def remember_choice(lang: str) -> bool:
    """Store the visitor's language for this session (and their account, if signed in)."""
    if lang not in LANGUAGES:
        return False
    session["lang"] = lang
    if current_user.is_authenticated:
        from hackkit.extensions import db

        current_user.locale = lang
        db.session.commit()
    return True


def format_datetime_in(moment: datetime, zone: str, fmt: str = "medium") -> str:
    """A date-time as the event's local time, in the visitor's language, with the zone named."""
    return format_datetime(moment, fmt, tzinfo=ZoneInfo(zone), locale=str(get_locale() or "en")) + f" ({zone})"
