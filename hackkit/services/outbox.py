"""The outbox queue: enqueue a delivery with the change that causes it, deliver it later.

Rules this module keeps for every channel (mail and webhooks alike):
- `enqueue` only adds a row to the caller's transaction: the request that triggers a message
  never waits on a mail server, and a change that is rolled back sends nothing.
- A `dedupe_key` names the happening; the same key twice is one delivery ("nothing twice").
- `deliver_due` claims due rows with a lease before sending, so two workers (two machines)
  never send the same row; a failure is retried with growing back-off, and after
  MAX_ATTEMPTS the row is `dead` and shown to organizers with its last error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hackkit.models import OutboxItem
from hackkit.models.base import utcnow
from hackkit.services.errors import Invalid

log = logging.getLogger(__name__)

# Waits after the 1st, 2nd, ... failure. Eight tries span about a day, long enough for a
# mail server to come back after a weekend-night outage is noticed and fixed.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# How long a worker may hold a row; longer than the slowest send (SMTP and HTTP time out at 15 s).
LEASE = timedelta(minutes=2)

# A sender delivers one item. It returns a short record of the answer (kept on the row) and
# raises DeliveryFailed (or OSError and the like) when it could not deliver.
Sender = Callable[[OutboxItem], str | None]


class DeliveryFailed(Exception):
    """A delivery did not go through; the message is kept on the row as its last error."""

    def __init__(self, message: str, response: str | None = None):
        super().__init__(message)
        self.response = response


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    dead: list[int] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return len(self.sent) + len(self.retrying) + len(self.dead)


def backoff(attempts: int) -> timedelta:
    """The wait before the next try after `attempts` failures (1-based)."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def enqueue(
    session: Session,
    channel: str,
    recipient: str,
    payload: Mapping,
    *,
    subject: str = "",
    dedupe_key: str | None = None,
    event_id: int | None = None,
    user_id: int | None = None,
    not_before: datetime | None = None,
) -> OutboxItem | None:
    """Add a delivery to the caller's transaction (the caller commits); None if already queued."""
    if channel not in ("mail", "webhook"):
        raise Invalid(f"unknown outbox channel {channel!r}")
    if dedupe_key is not None:
        # Rows added in this transaction are looked up in the session, committed ones in the
        # table; no autoflush per row, which made a mailing to hundreds of people slow.
        if any(isinstance(o, OutboxItem) and o.dedupe_key == dedupe_key for o in session.new):
            return None
        with session.no_autoflush:
            found = session.scalar(sa.select(OutboxItem.id).where(OutboxItem.dedupe_key == dedupe_key))
        if found is not None:
            return None
    item = OutboxItem(
        channel=channel,
        recipient=recipient,
        subject=subject[:300],
        payload=dict(payload),
        dedupe_key=dedupe_key,
        event_id=event_id,
        user_id=user_id,
        status="pending",
        attempts=0,
        next_attempt_at=not_before or utcnow(),
    )
    session.add(item)
    return item


def _claim(session: Session, now: datetime, channels: tuple[str, ...], limit: int) -> list[int]:
    """Lease up to `limit` due rows to this worker; a row another worker holds is skipped."""
    due = session.scalars(
        sa.select(OutboxItem.id)
        .where(
            OutboxItem.status.in_(("pending", "retrying")),
            OutboxItem.channel.in_(channels),
            OutboxItem.next_attempt_at <= now,
            sa.or_(OutboxItem.claimed_until.is_(None), OutboxItem.claimed_until < now),
        )
        .order_by(OutboxItem.next_attempt_at, OutboxItem.id)
        .limit(limit)
    ).all()
    claimed = []
    for item_id in due:
        # Compare-and-set: only one worker's UPDATE matches a row whose lease is free.
        result = session.execute(
            sa.update(OutboxItem)
            .where(
                OutboxItem.id == item_id,
                OutboxItem.status.in_(("pending", "retrying")),
                sa.or_(OutboxItem.claimed_until.is_(None), OutboxItem.claimed_until < now),
            )
            .values(claimed_until=now + LEASE)
        )
        if result.rowcount == 1:
            claimed.append(item_id)
    session.commit()
    return claimed


def deliver_due(
    session: Session,
    senders: Mapping[str, Sender],
    *,
    now: datetime | None = None,
    limit: int = 100,
) -> DeliveryReport:
    """One pass of the worker: deliver what is due on the channels that have a sender."""
    now = now or utcnow()
    report = DeliveryReport()
    for item_id in _claim(session, now, tuple(senders), limit):
        item = session.get(OutboxItem, item_id)
        try:
            response = senders[item.channel](item)
        except Exception as error:  # noqa: BLE001 — any failure of a receiver is recorded, not raised
            _record_failure(item, error, now, report)
        else:
            item.status = "sent"
            item.sent_at = utcnow()
            item.last_response = (response or "")[:2000] or None
            item.last_error = None
            item.attempts += 1
            report.sent.append(item.id)
        item.claimed_until = None
        session.commit()
    return report


def _record_failure(item: OutboxItem, error: Exception, now: datetime, report: DeliveryReport) -> None:
    item.attempts += 1
    item.last_error = f"{error.__class__.__name__}: {error}"[:2000]
    if isinstance(error, DeliveryFailed) and error.response:
        item.last_response = error.response[:2000]
    if item.attempts >= MAX_ATTEMPTS:
        item.status = "dead"
        report.dead.append(item.id)
        log.error(
            "outbox %s %s to %s: gave up after %s tries: %s",
            item.id,
            item.channel,
            item.recipient,
            item.attempts,
            item.last_error,
        )
    else:
        item.status = "retrying"
        item.next_attempt_at = now + backoff(item.attempts)
        report.retrying.append(item.id)
        log.warning(
            "outbox %s %s to %s failed (try %s), again at %s: %s",
            item.id,
            item.channel,
            item.recipient,
            item.attempts,
            item.next_attempt_at,
            item.last_error,
        )


def retry_now(session: Session, item: OutboxItem) -> OutboxItem:
    """Queue an item again at once, from its first try (an organizer's "send again", a replay)."""
    item.status = "pending"
    item.attempts = 0
    item.next_attempt_at = utcnow()
    item.claimed_until = None
    session.commit()
    return item


def for_event(session: Session, event_id: int, channel: str | None = None, limit: int = 200) -> list[OutboxItem]:
    """What was queued for an event, newest first (the organizer's "what was sent" list)."""
    query = sa.select(OutboxItem).where(OutboxItem.event_id == event_id)
    if channel:
        query = query.where(OutboxItem.channel == channel)
    return list(session.scalars(query.order_by(OutboxItem.created_at.desc(), OutboxItem.id.desc()).limit(limit)))
