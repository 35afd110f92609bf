"""What the organizers see of the public vote so that stuffing shows: votes per hour, and
how many came from accounts made shortly before they voted."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hackkit.models import Event, PublicVote, User
from hackkit.permissions import require

NEW_ACCOUNT = timedelta(hours=24)


@dataclass
class VoteActivity:
    total: int
    per_hour: list[tuple[datetime, int]]  # (start of the hour, UTC; votes), oldest first
    from_new_accounts: int  # votes by accounts made less than NEW_ACCOUNT before they voted
    new_by_submission: dict[int, int]  # the same, per project
    new_account_hours: int = int(NEW_ACCOUNT.total_seconds() // 3600)


def public_vote_activity(session: Session, actor, event: Event) -> VoteActivity:
    require(actor, "judging.manage")
    rows = session.execute(
        sa.select(PublicVote.created_at, PublicVote.submission_id, User.created_at)
        .join(User, User.id == PublicVote.user_id)
        .where(PublicVote.event_id == event.id)
    ).all()
    hours = Counter(voted.replace(minute=0, second=0, microsecond=0) for voted, _sub, _made in rows)
    new = [submission for voted, submission, made in rows if voted - made < NEW_ACCOUNT]
    return VoteActivity(
        total=len(rows),
        per_hour=sorted(hours.items()),
        from_new_accounts=len(new),
        new_by_submission=dict(Counter(new)),
    )
