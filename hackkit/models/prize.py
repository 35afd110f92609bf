"""Prizes of an event, their confirmed winners, and the prize ceremony's state.

A prize is public from the moment it is defined (the event page says what can be won and who
gives it); its winners are public once the event's results are published, or on the projector
as the presenter reveals them (services.ceremony).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from hackkit.models.base import Base, UTCDateTime, utcnow

PRIZE_KINDS = ("money", "pilot", "item")
# event: the overall ranking; challenge: the ranking among one challenge's projects;
# public_vote: the people's choice count; jury_choice: a special mention (no proposal).
PRIZE_SCOPES = ("event", "challenge", "public_vote", "jury_choice")


class Prize(Base):
    __tablename__ = "prizes"
    __table_args__ = (
        sa.CheckConstraint(sa.text("kind IN ('money', 'pilot', 'item')"), name="kind"),
        sa.CheckConstraint(sa.text("scope IN ('event', 'challenge', 'public_vote', 'jury_choice')"), name="scope"),
        sa.CheckConstraint(sa.text("max_winners >= 1"), name="max_winners"),
        # A challenge prize names its challenge; the others name none.
        sa.CheckConstraint(sa.text("(scope = 'challenge') = (challenge_id IS NOT NULL)"), name="challenge_scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    kind: Mapped[str] = mapped_column(sa.String(20), default="item")
    value: Mapped[str] = mapped_column(sa.String(200), default="")  # "€ 2,000", "a pilot of 6 months"
    sponsor_name: Mapped[str] = mapped_column(sa.String(200), default="")
    sponsor_url: Mapped[str] = mapped_column(sa.String(500), default="")
    # Re-encoded by us as PNG and served from this server (the projector works offline).
    sponsor_logo: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    # Whether there is a logo, read with the prize: the pages that show the logo link its own
    # route, so the bytes stay deferred (asking `sponsor_logo is not None` loaded them, in a
    # statement per prize, on every view of the event page).
    has_logo: Mapped[bool] = column_property(sponsor_logo.is_not(None))
    scope: Mapped[str] = mapped_column(sa.String(20), default="event")
    challenge_id: Mapped[int | None] = mapped_column(sa.ForeignKey("challenges.id", ondelete="CASCADE"))
    max_winners: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)  # order on the event page and at the ceremony
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    challenge: Mapped[Challenge | None] = relationship()  # noqa: F821
    winners: Mapped[list[PrizeWinner]] = relationship(
        back_populates="prize", cascade="all, delete-orphan", order_by="PrizeWinner.id"
    )


class PrizeWinner(Base):
    __tablename__ = "prize_winners"
    __table_args__ = (sa.UniqueConstraint("prize_id", "submission_id", name="uq_prize_winners_prize_submission"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prize_id: Mapped[int] = mapped_column(sa.ForeignKey("prizes.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    # Why this project, where it differs from the proposal; published with the result.
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    prize: Mapped[Prize] = relationship(back_populates="winners")
    submission: Mapped[Submission] = relationship()  # noqa: F821


class PrizeSettings(Base):
    """One row per event; absent means the defaults (services.prizes.settings_of)."""

    __tablename__ = "prize_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    # May one project win several prizes? Off by default: more teams go home with something.
    several_prizes_per_project: Mapped[bool] = mapped_column(default=False)
    # The ceremony on the projector: None when not running; else the step the presenter is on
    # (two per prize: the prize is shown, then its winners are revealed).
    ceremony_step: Mapped[int | None] = mapped_column()
    ceremony_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
