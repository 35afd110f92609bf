"""The co-creation loop: feedback on the city's data, and residents' proposals for challenges.

The database holds what it can by itself: a data request has no dataset and a problem
report has one; one vote per account per proposal; a proposal becomes at most one challenge.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hackkit.models.base import Base, UTCDateTime, utcnow

# Problems with a dataset, and "request": data that is not in the catalogue yet.
FEEDBACK_KINDS = ("wrong_values", "missing_fields", "broken_coordinates", "other", "request")
FEEDBACK_STATUSES = ("open", "answered", "fixed")
# hidden: moderated away from the public; closed: visible, no more votes.
PROPOSAL_STATUSES = ("open", "closed", "hidden")


class DataFeedback(Base):
    __tablename__ = "data_feedback"
    __table_args__ = (
        sa.CheckConstraint(
            sa.text("kind IN ('wrong_values', 'missing_fields', 'broken_coordinates', 'other', 'request')"),
            name="kind",
        ),
        sa.CheckConstraint(sa.text("status IN ('open', 'answered', 'fixed')"), name="status"),
        sa.CheckConstraint(
            sa.text("(kind = 'request') = (dataset_id IS NULL)"),
            name="request_has_no_dataset",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int | None] = mapped_column(sa.ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown, sanitised on display
    column_name: Mapped[str] = mapped_column(sa.String(120), default="")
    row_ref: Mapped[str] = mapped_column(sa.String(120), default="")
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="open", index=True)
    answer: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dataset: Mapped[Dataset | None] = relationship()  # noqa: F821
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])  # noqa: F821
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])  # noqa: F821


class Proposal(Base):
    __tablename__ = "proposals"
    __table_args__ = (sa.CheckConstraint(sa.text("status IN ('open', 'closed', 'hidden')"), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    neighbourhood: Mapped[str] = mapped_column(sa.String(120), default="")
    status: Mapped[str] = mapped_column(sa.String(20), default="open")
    # The challenge it became; unique, so a proposal becomes one challenge at most.
    challenge_id: Mapped[int | None] = mapped_column(sa.ForeignKey("challenges.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()  # noqa: F821
    author: Mapped[User | None] = relationship()  # noqa: F821
    challenge: Mapped[Challenge | None] = relationship(back_populates="proposal")  # noqa: F821


class ProposalVote(Base):
    __tablename__ = "proposal_votes"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "user_id", name="uq_proposal_votes_proposal_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
