"""After the event: what became of each project (the city's record) and the team's own updates.

An outcome is never edited: each one is a new row, so the project keeps its history and the
newest one (by its date, then by when it was recorded) is the project's current status.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from hackkit.models.base import Base, UTCDateTime, utcnow
from hackkit.models.submission import Submission

# In the order a project usually goes through them; "stopped" can come at any point.
OUTCOME_STATUSES = ("contacted", "pilot", "adopted", "live", "stopped")


class ProjectOutcome(Base):
    __tablename__ = "project_outcomes"
    __table_args__ = (
        sa.CheckConstraint(
            sa.text("status IN ('contacted', 'pilot', 'adopted', 'live', 'stopped')"),
            name="status",
        ),
        # A live service has an address, and a stop has a reason: the database holds both rules.
        sa.CheckConstraint(sa.text("status != 'live' OR url != ''"), name="live_has_url"),
        sa.CheckConstraint(sa.text("status != 'stopped' OR note != ''"), name="stopped_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20))
    happened_on: Mapped[date] = mapped_column(sa.Date)  # the day it happened, not the day it was typed in
    note: Mapped[str] = mapped_column(sa.Text, default="")  # plain text; for "stopped": why
    url: Mapped[str] = mapped_column(sa.String(500), default="")  # for "live": where the service runs
    department: Mapped[str] = mapped_column(sa.String(200), default="")  # the city department involved
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[User | None] = relationship()  # noqa: F821


class ProjectUpdate(Base):
    """A team's progress post about its own project: a short text (Markdown) and a link."""

    __tablename__ = "project_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.Text)  # Markdown, sanitised on display
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()  # noqa: F821


# Whether the project has anything to follow up on: an outcome or an update. Deferred: the
# project page asks for it with the project (teams.get_team), so that a project with neither
# (every project during the event, most after it) costs no statement to show that.
Submission.has_follow_up = column_property(
    sa.or_(
        sa.exists().where(ProjectOutcome.submission_id == Submission.id),
        sa.exists().where(ProjectUpdate.submission_id == Submission.id),
    ),
    deferred=True,
)
