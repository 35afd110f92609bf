"""Project submissions, one per team, with every saved version kept."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hackkit.models.base import Base, UTCDateTime, utcnow

SUBMISSION_STATES = ("draft", "submitted")


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (sa.CheckConstraint(sa.text("status IN ('draft', 'submitted')"), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"), unique=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    tagline: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown, sanitised on display
    repo_url: Mapped[str] = mapped_column(sa.String(500), default="")
    demo_url: Mapped[str] = mapped_column(sa.String(500), default="")
    video_url: Mapped[str] = mapped_column(sa.String(500), default="")
    challenge_id: Mapped[int | None] = mapped_column(sa.ForeignKey("challenges.id", ondelete="SET NULL"))
    # [{"slug": "...", "how": "one line on how it was used"}]
    datasets: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    # The hackkit sample app (sample_apps/<name>) the project started from, or "".
    template: Mapped[str] = mapped_column(sa.String(80), default="")
    # Where in the city the project is about (free text, public): the project-coverage map counts these.
    district: Mapped[str] = mapped_column(sa.String(120), default="")
    licence: Mapped[str] = mapped_column(sa.String(80), default="")  # an SPDX identifier
    credited_user_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    # Ids of SubmissionScreenshot rows in display order; part of every version's snapshot.
    screenshot_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    version: Mapped[int] = mapped_column(default=0)  # number of the newest SubmissionVersion
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship()  # noqa: F821
    challenge: Mapped[Challenge | None] = relationship()  # noqa: F821
    versions: Mapped[list[SubmissionVersion]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="SubmissionVersion.number"
    )


class SubmissionVersion(Base):
    """A snapshot of the submission after one save: who saved it, when, what changed."""

    __tablename__ = "submission_versions"
    __table_args__ = (sa.UniqueConstraint("submission_id", "number", name="uq_submission_versions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # names of the fields that changed
    data: Mapped[dict] = mapped_column(sa.JSON)  # every field as saved, status included

    submission: Mapped[Submission] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship()  # noqa: F821


class SubmissionScreenshot(Base):
    """An uploaded image, re-encoded by us and stored under the instance folder.

    Rows are never deleted with the list entry, so older versions still show theirs.
    """

    __tablename__ = "submission_screenshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)  # made by the server, never the user's
    content_type: Mapped[str] = mapped_column(sa.String(40))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    size: Mapped[int] = mapped_column()
    alt_text: Mapped[str] = mapped_column(sa.String(300), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
