"""Calendars: the moments of an event's schedule, and the secret address of a person's own.

The personal calendar is fetched by calendar apps that cannot log in, so its address holds
a secret. Only its SHA-256 is stored (as API tokens are), and resetting it makes the old
address stop working at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from hackkit.models import Event, User
from hackkit.services import participation, teams
from hackkit.services.errors import NotFound


@dataclass
class Moment:
    key: str  # stable within its event: part of the calendar entry's UID
    summary: str
    starts: datetime
    ends: datetime | None  # None: a moment in time (a deadline), not a span
    event: Event


def event_schedule(event: Event) -> list[Moment]:
    """Opening, the registration window, the submission deadline and the closing."""
    moments = [Moment("event", event.name, event.starts_at, event.ends_at, event)]
    if event.registration_opens and event.registration_closes:
        summary = str(_l("Registration for %(name)s", name=event.name))
        moments.append(Moment("registration", summary, event.registration_opens, event.registration_closes, event))
    moments.append(Moment("opening", str(_l("Opening of %(name)s", name=event.name)), event.starts_at, None, event))
    deadline = str(_l("Submission deadline of %(name)s", name=event.name))
    moments.append(Moment("deadline", deadline, event.submission_deadline, None, event))
    moments.append(
        Moment("closing", str(_l("Closing and awards of %(name)s", name=event.name)), event.ends_at, None, event)
    )
    return moments


def personal_schedule(session: Session, user: User) -> list[Moment]:
    """The schedule of every published event the person is in, with their team's own deadline
    (an organizer may have extended it) in place of the event's."""
    moments: list[Moment] = []
    for row in participation.my_hackathons(session, user):
        if row.event.visibility == "draft":
            continue
        for moment in event_schedule(row.event):
            if moment.key == "deadline" and row.team is not None:
                moment.starts = teams.effective_deadline(row.team)
                moment.summary = str(_l("Submission deadline of %(team)s", team=row.team.name))
            moments.append(moment)
    return moments


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def reset_calendar_secret(session: Session, user: User) -> str:
    """A new secret for the person's calendar address; the old one stops working."""
    secret = secrets.token_urlsafe(24)
    user.calendar_token_hash = _digest(secret)
    session.commit()
    return secret


def owner_of_calendar(session: Session, secret: str) -> User:
    found = session.scalar(sa.select(User).where(User.calendar_token_hash == _digest(secret)))
    if found is None:
        raise NotFound(_l("There is no calendar at this address."))
    return found
