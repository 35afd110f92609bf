"""Teams, their members and requests to join."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hackkit.models.base import Base, UTCDateTime, utcnow

JOIN_REQUEST_STATES = ("pending", "accepted", "declined", "withdrawn")


def new_invite_code() -> str:
    return secrets.token_urlsafe(9)


class Team(Base):
    __tablename__ = "teams"
    __table_args__ = (
        # Names are unique per event whatever their case: "Data Divers" and "data divers" clash.
        sa.UniqueConstraint("event_id", "name_key", name="uq_teams_event_name_key"),
        sa.CheckConstraint(sa.text("member_count >= 0"), name="member_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    name_key: Mapped[str] = mapped_column(sa.String(80))
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    missing_skills: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    captain_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    invite_code: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_invite_code)
    # Kept in step with memberships by the services; the size limit is enforced with one
    # conditional UPDATE on this column, which the database serialises for concurrent joins.
    member_count: Mapped[int] = mapped_column(default=0)
    # A per-team deadline set by an organizer (logged in DeadlineExtension); None = the event's.
    deadline_override: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()  # noqa: F821
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="team", cascade="all, delete-orphan", order_by="Membership.joined_at"
    )
    # The team's project (at most one: submissions.team_id is unique), read with the team by
    # the pages and the save that need both (teams.get_team's `project`). Written only through
    # Submission.team_id: this side never writes.
    submission: Mapped[Submission | None] = relationship(viewonly=True, uselist=False)  # noqa: F821


class Membership(Base):
    __tablename__ = "memberships"
    # One team per person per event, held by the database itself.
    __table_args__ = (sa.UniqueConstraint("event_id", "user_id", name="uq_memberships_event_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()  # noqa: F821


class JoinRequest(Base):
    __tablename__ = "join_requests"
    __table_args__ = (
        sa.CheckConstraint(sa.text("status IN ('pending', 'accepted', 'declined', 'withdrawn')"), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(sa.String(1000), default="")
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    team: Mapped[Team] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])  # noqa: F821


class DeadlineExtension(Base):
    """The log of per-team deadline changes: who, when, until when and why."""

    __tablename__ = "deadline_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    organizer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    new_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(sa.String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
