"""Accounts: people who sign up, their role and their profile."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hackkit.models.base import Base, UTCDateTime, utcnow
from hackkit.roles import ROLES  # noqa: E402,F401  (re-exported)


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (sa.CheckConstraint(sa.text("role IN ('participant', 'judge', 'organizer')"), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # stored lower-cased
    display_name: Mapped[str] = mapped_column(sa.String(80))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20), default="participant")
    skills: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    bio: Mapped[str] = mapped_column(sa.String(500), default="")
    looking_for_team: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    # Part of the login cookie: changing it signs out every session of this account.
    session_token: Mapped[str] = mapped_column(sa.String(32), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the owner opened the link mailed at sign-up; voting needs it (vote stuffing).
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # SHA-256 of the secret in the person's calendar address (hackkit/services/calendars.py):
    # a stolen database does not give away anyone's calendar link.
    calendar_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    tokens: Mapped[list[ApiToken]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    # Flask-Login protocol
    is_active = True
    is_anonymous = False
    is_authenticated = True

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def is_organizer(self) -> bool:
        return self.role == "organizer"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
