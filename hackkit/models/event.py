"""Events: the hackathon itself, its schedule and its rules."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

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
