"""A hub that mails a real local SMTP server, and the worker pass the tests run by hand."""

from __future__ import annotations

from datetime import datetime

from hackkit.extensions import db
from hackkit.services import mail_worker

PUBLIC_URL = "https://hack.example.nl"


def deliver(app, now: datetime | None = None):
    """One pass of the mail worker, as `hackkit mail send --once` runs it."""
    with app.app_context():
        try:
            return mail_worker.run_pass(db.session, app.config, now=now)
        finally:
            db.session.remove()


def addressed_to(messages) -> list[str]:
    return sorted(m["To"] for m in messages)


def text_of(message) -> str:
    return message.get_content()
