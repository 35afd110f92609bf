"""What a person wants to hear about, and the messages organizers sent to a part of an event."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hackkit.models.base import Base, UTCDateTime, utcnow

# One switch each on the account page; hackkit/services/notifications.py says what triggers them.
NOTIFICATION_KINDS = (
    "announcements",
    "team_requests",
    "deadlines",
    "results",
    "cocreation_answers",
    "judge_assignments",
    "judge_reminders",
    "organizer_messages",
    "outcome_reminders",
)
SEGMENTS = ("registered", "no_submission", "looking_for_team", "judges_missing_scores")


class NotificationSetting(Base):
    """A switch someone turned; no row means the default, which is on."""

    __tablename__ = "notification_settings"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind", name="uq_notification_settings_user_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    enabled: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EventMessage(Base):
    """An organizer's message to a segment of an event, kept on the event."""

    __tablename__ = "event_messages"
    __table_args__ = (
        sa.CheckConstraint(
            sa.text("segment IN ('registered', 'no_submission', 'looking_for_team', 'judges_missing_scores')"),
            name="segment",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    segment: Mapped[str] = mapped_column(sa.String(30))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    recipients: Mapped[int] = mapped_column(default=0)  # mails queued when it was sent
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()  # noqa: F821
