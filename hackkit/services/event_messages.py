"""Organizers write to a segment of an event; the outbox shows them what was sent and what failed.

A message is previewed first (a dry run counts the recipients and shows the mail as it will
read), then sent: it is kept on the event, and one mail per recipient goes into the outbox
in the same transaction, deduplicated per message and person.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from hackkit.models import Event, EventMessage, Membership, OutboxItem, Registration, Submission, Team, User
from hackkit.models.base import utcnow
from hackkit.models.notification import SEGMENTS
from hackkit.permissions import require
from hackkit.services import notification_settings, notifications, outbox, reminders
from hackkit.services import validation as v
from hackkit.services.errors import Conflict, NotFound

KIND = "organizer_messages"
SEGMENT_LABELS = {
    "registered": _l("Everyone registered"),
    "no_submission": _l("Teams without a submission"),
    "looking_for_team": _l("Registered people without a team"),
    "judges_missing_scores": _l("Judges with missing scores"),
}


@dataclass
class Outcome:
    recipients: int  # mails that go (or would go) out
    switched_off: int  # people in the segment who turned organizers' messages off
    dry_run: bool
    subject: str
    body: str
    message: EventMessage | None = None


def segment_people(session: Session, event: Event, segment: str) -> list[User]:
    """The people a segment names, each once, by name."""
    if segment == "registered":
        ids = sa.select(Registration.user_id).where(Registration.event_id == event.id)
    elif segment == "no_submission":
        submitted = sa.select(Submission.id).where(Submission.team_id == Team.id, Submission.status == "submitted")
        ids = (
            sa.select(Membership.user_id)
            .join(Team, Team.id == Membership.team_id)
            .where(Team.event_id == event.id, ~submitted.exists())
        )
    elif segment == "looking_for_team":
        in_team = sa.select(Membership.user_id).where(Membership.event_id == event.id)
        ids = sa.select(Registration.user_id).where(
            Registration.event_id == event.id, Registration.user_id.not_in(in_team)
        )
    else:
        ids = sa.select(User.id).where(User.id.in_(list(reminders.judges_missing_scores(session, event)) or [0]))
    # Ids first, then the people: PostgreSQL cannot DISTINCT rows with JSON columns (skills).
    query = sa.select(User).where(User.id.in_(ids)).order_by(User.display_name, User.id)
    return list(session.scalars(query))


def _values(data: dict) -> tuple[str, str, str, bool]:
    if data.get("segment") in (None, ""):
        raise v.fail("segment", _l("Choose who gets the message."))
    segment = v.choice(data, "segment", SEGMENTS, default="registered")
    subject = v.text(data, "subject", max_length=200, required=True)
    body = v.text(data, "body", max_length=10000, required=True)
    dry_run = data.get("dry_run", False)
    if not isinstance(dry_run, bool):
        raise v.fail("dry_run", _l("Use true or false."))
    return segment, subject, body, dry_run


def send_message(session: Session, actor: User, event: Event, data: dict) -> Outcome:
    """Preview (`dry_run`) or send a message to a segment of the event (organizers)."""
    require(actor, "events.manage")
    segment, subject, body, dry_run = _values(data)
    people = segment_people(session, event, segment)
    off = notification_settings.switched_off(session, [p.id for p in people], KIND)
    receiving = [p for p in people if p.id not in off]
    subject_line = f"{event.name}: {subject}"
    if dry_run:
        return Outcome(len(receiving), len(off), True, subject_line, body)
    message = EventMessage(
        event_id=event.id, author_id=actor.id, segment=segment, subject=subject, body=body, created_at=utcnow()
    )
    session.add(message)
    session.flush()

    def make(_user: User) -> tuple[str, str]:
        return subject_line, body + "\n\n" + notifications.link("events.detail", slug=event.slug)

    message.recipients = notifications.notify_all(
        session, receiving, KIND, f"message:{message.id}", make, event_id=event.id
    )
    session.commit()
    return Outcome(message.recipients, len(off), False, subject_line, body, message)


def messages_of(session: Session, actor: User, event: Event) -> list[EventMessage]:
    """The messages sent to the event's people, newest first (organizers)."""
    require(actor, "events.manage")
    query = sa.select(EventMessage).where(EventMessage.event_id == event.id)
    return list(session.scalars(query.order_by(EventMessage.created_at.desc(), EventMessage.id.desc())))


def outbox_of(session: Session, actor: User, event: Event) -> list[OutboxItem]:
    """What the hub sent or tried to send for the event, newest first (organizers)."""
    require(actor, "events.manage")
    return outbox.for_event(session, event.id)


def send_again(session: Session, actor: User, event: Event, item_id: int) -> OutboxItem:
    """Queue a mail that was given up on once more, from its first try (organizers)."""
    require(actor, "events.manage")
    item = session.get(OutboxItem, item_id)
    if item is None or item.event_id != event.id:
        raise NotFound(_l("There is no such e-mail."))
    if item.status != "dead":
        raise Conflict(_l("Only an e-mail that was given up on can be sent again."))
    return outbox.retry_now(session, item)
