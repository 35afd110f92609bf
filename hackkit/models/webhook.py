"""Webhooks: addresses an event's organizers register to hear about its happenings.

Deliveries are outbox rows (channel "webhook"); this table only says where, for what, how
(plain JSON or a Slack/Mattermost message) and with which secret the body is signed.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hackkit.models.base import Base, UTCDateTime, utcnow

# The happenings a webhook can subscribe to (DESIGN.md; an enum in the OpenAPI document).
WEBHOOK_EVENTS = ("team.created", "submission.submitted", "announcement.published", "results.published")
# json: our signed JSON body; slack: a Slack- and Mattermost-compatible {"text": ...} message.
WEBHOOK_FORMATS = ("json", "slack")
WEBHOOK_LANGUAGES = ("en", "nl")


class Webhook(Base):
    __tablename__ = "webhooks"
    __table_args__ = (
        sa.CheckConstraint(sa.text("format IN ('json', 'slack')"), name="format"),
        sa.CheckConstraint(sa.text("language IN ('en', 'nl')"), name="language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(sa.String(2000))
    events: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # Kept as it is (not hashed): the hub needs it to sign every delivery with HMAC-SHA256.
    secret: Mapped[str] = mapped_column(sa.String(100))
    format: Mapped[str] = mapped_column(sa.String(10), default="json")
    language: Mapped[str] = mapped_column(sa.String(5), default="en")  # of the Slack message text
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
