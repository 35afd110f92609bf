"""The jury of an event: criteria, judges, conflicts, assignments, scores and votes.

The database holds the rules it can hold by itself: one score per judge, submission and
criterion; one assignment and one conflict per judge and submission; one public vote per
account per event. Everything else (windows, scales, who may see what) is in
hackkit/services/ (judging, judging_setup, assignments, scoring, voting).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from hackkit.models.base import Base, UTCDateTime, utcnow
from hackkit.models.event import Event

CONFLICT_KINDS = ("member", "organisation", "relation", "other")
JUDGING_MODES = ("rubric", "pairwise")


class Criterion(Base):
    __tablename__ = "criteria"
    __table_args__ = (
        sa.CheckConstraint(sa.text("weight > 0"), name="weight"),
        sa.CheckConstraint(sa.text("scale_max > scale_min"), name="scale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    weight: Mapped[float] = mapped_column(sa.Float, default=1.0)
    scale_min: Mapped[int] = mapped_column(default=1)
    scale_max: Mapped[int] = mapped_column(default=5)
    position: Mapped[int] = mapped_column(default=0)


class EventJudge(Base):
    __tablename__ = "event_judges"
    __table_args__ = (sa.UniqueConstraint("event_id", "user_id", name="uq_event_judges_event_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()  # noqa: F821


class JudgeConflict(Base):
    """A declared conflict of interest. Team membership is a conflict too, computed live."""

    __tablename__ = "judge_conflicts"
    __table_args__ = (
        sa.UniqueConstraint("judge_id", "submission_id", name="uq_judge_conflicts_judge_submission"),
        sa.CheckConstraint(sa.text("kind IN ('member', 'organisation', 'relation', 'other')"), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default="other")
    note: Mapped[str] = mapped_column(sa.String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Assignment(Base):
    __tablename__ = "judge_assignments"
    __table_args__ = (sa.UniqueConstraint("judge_id", "submission_id", name="uq_judge_assignments_judge_submission"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    manual: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    judge: Mapped[User] = relationship()  # noqa: F821
    submission: Mapped[Submission] = relationship()  # noqa: F821


class Score(Base):
    __tablename__ = "scores"
    __table_args__ = (
        sa.UniqueConstraint("judge_id", "submission_id", "criterion_id", name="uq_scores_judge_submission_criterion"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("criteria.id", ondelete="CASCADE"), index=True)
    value: Mapped[float] = mapped_column(sa.Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Review(Base):
    """A judge's words on one submission: feedback the team reads, a note only the jury reads."""

    __tablename__ = "reviews"
    __table_args__ = (sa.UniqueConstraint("judge_id", "submission_id", name="uq_reviews_judge_submission"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    feedback: Mapped[str] = mapped_column(sa.Text, default="")
    private_note: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JudgingSettings(Base):
    """One row per event; absent means the defaults (see services.judging.settings_of)."""

    __tablename__ = "judging_settings"
    __table_args__ = (
        sa.CheckConstraint(sa.text("mode IN ('rubric', 'pairwise')"), name="mode"),
        sa.CheckConstraint(sa.text("per_submission >= 1"), name="per_submission"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: at the submission deadline
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: until results are published
    results_published: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    per_submission: Mapped[int] = mapped_column(default=3)
    mode: Mapped[str] = mapped_column(sa.String(20), default="rubric")
    public_vote_opens: Mapped[datetime | None] = mapped_column(UTCDateTime)
    public_vote_closes: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: open-ended
    # The results as published (ranking, both scores, criteria, method): what everyone but
    # organizers reads, so that nothing changed afterwards moves the public ranking.
    results_snapshot: Mapped[dict | None] = mapped_column(sa.JSON)


class PairwiseVote(Base):
    """One comparison in the pairwise log; an undo marks it instead of deleting (audit trail)."""

    __tablename__ = "pairwise_votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    winner_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id", ondelete="CASCADE"))
    loser_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    undone: Mapped[bool] = mapped_column(default=False)
    # "No preference" between the two (winner_id is the judge's current project, loser_id the one
    # skipped): it moves the judge on but is no comparison, so the model never sees it.
    skipped: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class PublicVote(Base):
    __tablename__ = "public_votes"
    # One vote per account per event, held by the database even for two clicks at once.
    __table_args__ = (sa.UniqueConstraint("event_id", "user_id", name="uq_public_votes_event_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ResultsPublication(Base):
    """Who published or withdrew an event's results, and when (kept when results change)."""

    __tablename__ = "results_publications"
    __table_args__ = (sa.CheckConstraint(sa.text("action IN ('published', 'unpublished')"), name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(20))
    # What was missing when it was published anyway (unranked projects, missing scores).
    missing: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()  # noqa: F821


# Whether the event's results are published: deferred, read with the team where a team's page
# needs it (teams.get_team), so prize badges and feedback cost no statement of their own.
# judging.results_are_published is the one rule that reads it.
Event.judging_results_published = column_property(
    sa.func.coalesce(
        sa.select(JudgingSettings.results_published)
        .where(JudgingSettings.event_id == Event.id)
        .correlate_except(JudgingSettings)
        .scalar_subquery(),
        sa.false(),
    ),
    deferred=True,
)
