"""The outbox: every e-mail and webhook delivery waits here until a worker sends it.

A request that triggers a message only adds a row in its own transaction, so it never waits
on a mail server or a webhook receiver, and a change that is rolled back sends nothing. The
worker (`hackkit mail send`) claims due rows, delivers them, and records the answer.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hackkit.models.base import Base, UTCDateTime, utcnow

CHANNELS = ("mail", "webhook")
# pending: waiting for its first try; retrying: failed at least once, tried again later;
# sent: delivered; dead: gave up after the last attempt (shown to organizers).
STATUSES = ("pending", "retrying", "sent", "dead")


class OutboxItem(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        sa.CheckConstraint(sa.text("channel IN ('mail', 'webhook')"), name="channel"),
        sa.CheckConstraint(sa.text("status IN ('pending', 'retrying', 'sent', 'dead')"), name="status"),
        sa.Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(10))
    # Whoever enqueues names the happening ("announcement:12:user:7"); a second enqueue with the
    # same key is ignored, which is what keeps a retried request from mailing twice.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    recipient: Mapped[str] = mapped_column(sa.String(2000))  # an e-mail address or a URL
    subject: Mapped[str] = mapped_column(sa.String(300), default="")  # mail subject or webhook event name
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A worker holds a row until this time; another worker (another machine) skips it meanwhile.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    last_response: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
