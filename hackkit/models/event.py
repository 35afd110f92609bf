"""Events: the hackathon itself, its schedule, challenges, announcements and registrations."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hackkit.models.base import Base, UTCDateTime, utcnow

VISIBILITIES = ("draft", "published", "archived")


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        sa.CheckConstraint(sa.text("visibility IN ('draft', 'published', 'archived')"), name="visibility"),
        sa.CheckConstraint(sa.text("max_team_size >= 1"), name="max_team_size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    tagline: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    city: Mapped[str] = mapped_column(sa.String(100), default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Brussels")
    registration_opens: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes: Mapped[datetime | None] = mapped_column(UTCDateTime)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submission_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    max_team_size: Mapped[int] = mapped_column(default=5)
    code_of_conduct: Mapped[str] = mapped_column(sa.Text, default="")
    visibility: Mapped[str] = mapped_column(sa.String(20), default="draft")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The texts in another language, shown to visitors who read it: {"nl": {"name": ..., ...}}.
    translations: Mapped[dict] = mapped_column(sa.JSON, default=dict, server_default="{}")

    challenges: Mapped[list[Challenge]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Challenge.id"
    )
    announcements: Mapped[list[Announcement]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Announcement.created_at.desc()"
    )


class Challenge(Base):
    __tablename__ = "challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    department: Mapped[str] = mapped_column(sa.String(200), default="")  # the city department that owns it
    description: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown: the problem
    success: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown: what success looks like
    # Slugs of catalogue datasets the challenge offers (the catalogue links them by slug).
    datasets: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship(back_populates="challenges")
    # The resident proposal this challenge came from, if any (the link lives on the proposal).
    proposal: Mapped[Proposal | None] = relationship(back_populates="challenge", uselist=False)  # noqa: F821


class Announcement(Base):
    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)  # Markdown
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last edited, if ever
    translations: Mapped[dict] = mapped_column(sa.JSON, default=dict, server_default="{}")  # {"nl": {"body": ...}}

    event: Mapped[Event] = relationship(back_populates="announcements")


class Registration(Base):
    __tablename__ = "registrations"
    __table_args__ = (sa.UniqueConstraint("event_id", "user_id", name="uq_registrations_event_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()  # noqa: F821
