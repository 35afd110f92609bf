"""After the event: the city records what became of each project, and teams post updates.

Rules:
- Only organizers ("the city") record an outcome; only members of the project's team post
  updates. Both need the project to be public (submitted; frozen after the deadline), so
  nothing is ever said about a draft.
- An outcome is a new row, never an edit: the history stays. The newest one (by the day it
  happened, then by when it was recorded) is the project's current status.
- "live" needs the address of the live service; "stopped" needs the reason (the note).
- The day cannot be in the future (in the event's time zone) nor before the event started.
- The department defaults to the one that owns the project's challenge.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, selectinload

from hackkit.models import OUTCOME_STATUSES, Event, ProjectOutcome, ProjectUpdate, Submission, Team
from hackkit.models.base import utcnow
from hackkit.permissions import can, require
from hackkit.services import events, submissions
from hackkit.services import validation as v
from hackkit.services.errors import Conflict, Forbidden, NotFound
from hackkit.services.teams import is_member

STATUS_LABELS = {
    "contacted": _l("Contacted by a department"),
    "pilot": _l("Pilot"),
    "adopted": _l("Adopted"),
    "live": _l("Live"),
    "stopped": _l("Stopped"),
}
assert tuple(STATUS_LABELS) == OUTCOME_STATUSES

# Newest first: the first row of this order is the current status.
NEWEST_FIRST = (ProjectOutcome.happened_on.desc(), ProjectOutcome.recorded_at.desc(), ProjectOutcome.id.desc())
# A project page's two lists, built once (building a statement costs more than running it).
_OUTCOMES_OF = (
    sa.select(ProjectOutcome)
    .where(ProjectOutcome.submission_id == sa.bindparam("submission_id"))
    .options(selectinload(ProjectOutcome.recorded_by))
    .order_by(*NEWEST_FIRST)
)
_UPDATES_OF = (
    sa.select(ProjectUpdate)
    .where(ProjectUpdate.submission_id == sa.bindparam("submission_id"))
    .options(selectinload(ProjectUpdate.author))
    .order_by(ProjectUpdate.created_at.desc(), ProjectUpdate.id.desc())
)


def get_visible_submission(session: Session, actor, submission_id: int) -> Submission:
    """The project, if `actor` may see it: public projects for everyone, drafts for their team
    and organizers (NotFound for the rest, as the project page does)."""
    submission = session.scalar(
        sa.select(Submission)
        .where(Submission.id == submission_id)
        .options(
            selectinload(Submission.team).selectinload(Team.memberships),
            selectinload(Submission.team).selectinload(Team.event),
        )
    )
    if submission is None or not events.is_visible(actor, submission.team.event):
        raise NotFound(_l("There is no such project."))
    if submissions.public_view(session, submission) is None and not submissions.can_see_drafts(actor, submission.team):
        raise NotFound(_l("There is no such project."))
    return submission


def _require_public(session: Session, submission: Submission, message) -> None:
    if submissions.public_view(session, submission) is None:
        raise Conflict(message)


def list_outcomes(session: Session, submission: Submission) -> list[ProjectOutcome]:
    """The project's outcome history, newest (the current status) first."""
    return list(session.scalars(_OUTCOMES_OF, {"submission_id": submission.id}))


def current_outcomes(session: Session, submission_ids) -> dict[int, ProjectOutcome]:
    """submission id -> its current outcome, for many projects in one query (absent: none yet)."""
    ids = list(submission_ids)
    if not ids:
        return {}
    current: dict[int, ProjectOutcome] = {}
    for outcome in session.scalars(
        sa.select(ProjectOutcome)
        .where(ProjectOutcome.submission_id.in_(ids))
        .order_by(ProjectOutcome.submission_id, *NEWEST_FIRST)
    ):
        current.setdefault(outcome.submission_id, outcome)  # the first per project is the newest
    return current


def _day(data: dict, event: Event, today: date) -> date:
    value = data.get("date")
    if value in (None, ""):
        return today
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise v.fail("date", _l("Use a date like 2027-03-15.")) from None
    if not isinstance(value, date):
        raise v.fail("date", _l("Use a date like 2027-03-15."))
    if value > today:
        raise v.fail("date", _l("The date cannot be in the future."))
    if value < event.starts_at.astimezone(ZoneInfo(event.timezone)).date():
        raise v.fail("date", _l("The date cannot be before the event started."))
    return value


def record_outcome(
    session: Session, actor, submission: Submission, data: dict, now: datetime | None = None
) -> ProjectOutcome:
    """Add what happened next to the project's history (organizers only)."""
    require(actor, "outcomes.record")
    _require_public(session, submission, _l("Only a submitted project can have an outcome."))
    now = now or utcnow()
    event = submission.team.event
    today = now.astimezone(ZoneInfo(event.timezone)).date()
    problems = v.Problems()
    status = problems.check(v.choice, data, "status", OUTCOME_STATUSES, default="")
    day = problems.check(_day, data, event, today)
    note = problems.check(v.text, data, "note", max_length=2000)
    url = problems.check(v.web_url, data, "url")
    department = problems.check(v.text, data, "department", max_length=200)
    if status == "live" and url == "":
        problems.add(v.fail("url", _l("A live project needs the address where it runs.")))
    if status == "stopped" and note == "":
        problems.add(v.fail("note", _l("Say why the project stopped.")))
    problems.raise_if_any()
    if not department and submission.challenge_id is not None:
        department = submission.challenge.department if submission.challenge else ""
    outcome = ProjectOutcome(
        submission_id=submission.id,
        status=status,
        happened_on=day,
        note=note,
        url=url,
        department=department,
        recorded_by_id=actor.id,
        recorded_at=now,
    )
    session.add(outcome)
    session.commit()
    return outcome


def list_updates(session: Session, submission: Submission) -> list[ProjectUpdate]:
    """The team's progress posts, newest first."""
    return list(session.scalars(_UPDATES_OF, {"submission_id": submission.id}))


def can_post_update(actor, submission: Submission) -> bool:
    return is_member(submission.team, actor)


def post_update(
    session: Session, actor, submission: Submission, data: dict, now: datetime | None = None
) -> ProjectUpdate:
    """A team member's progress post on their own submitted project."""
    require(actor, "events.register")  # signed in; the rule that matters is the next one
    if not can_post_update(actor, submission):
        raise Forbidden(_l("Only members of the team can post updates on its project."))
    _require_public(session, submission, _l("Submit the project before you post updates on it."))
    problems = v.Problems()
    text = problems.check(v.text, data, "text", max_length=5000, required=True)
    url = problems.check(v.web_url, data, "url")
    problems.raise_if_any()
    update = ProjectUpdate(
        submission_id=submission.id, author_id=actor.id, text=text, url=url, created_at=now or utcnow()
    )
    session.add(update)
    session.commit()
    return update


def project_after(session: Session, actor, submission: Submission | None) -> dict | None:
    """What the project page shows below the project: outcome history, updates, and which
    form this person gets. None when there is nothing public to follow up on."""
    if submission is None or submissions.public_view(session, submission) is None:
        return None
    # Read with the project on its page (teams.get_team): most projects have neither.
    none_yet = submission.__dict__.get("has_follow_up") is False
    return {
        "submission": submission,
        "outcomes": [] if none_yet else list_outcomes(session, submission),
        "updates": [] if none_yet else list_updates(session, submission),
        "can_record": can(actor, "outcomes.record"),
        "can_post": can_post_update(actor, submission),
    }


def archive_tables(session: Session, event: Event) -> dict[str, tuple[list[str], list[list]]]:
    """The event's outcomes and the teams' updates as tables for its Data Package archive.

    Only public projects ever get either, so the public archive may carry both; authors by
    display name only, as on the project page."""
    in_event = sa.select(Submission.id).where(Submission.event_id == event.id)
    recorded = session.scalars(
        sa.select(ProjectOutcome)
        .where(ProjectOutcome.submission_id.in_(in_event))
        .order_by(
            ProjectOutcome.submission_id, ProjectOutcome.happened_on, ProjectOutcome.recorded_at, ProjectOutcome.id
        )
    )
    posted = session.scalars(
        sa.select(ProjectUpdate)
        .where(ProjectUpdate.submission_id.in_(in_event))
        .options(selectinload(ProjectUpdate.author))
        .order_by(ProjectUpdate.submission_id, ProjectUpdate.created_at, ProjectUpdate.id)
    )
    return {
        "outcomes": (
            ["outcome_id", "submission_id", "status", "date", "note", "url", "department", "recorded_at"],
            [
                [
                    o.id,
                    o.submission_id,
                    o.status,
                    o.happened_on.isoformat(),
                    o.note,
                    o.url,
                    o.department,
                    o.recorded_at.isoformat(),
                ]
                for o in recorded
            ],
        ),
        "project_updates": (
            ["update_id", "submission_id", "text", "url", "author", "created_at"],
            [
                [
                    u.id,
                    u.submission_id,
                    u.text,
                    u.url,
                    u.author.display_name if u.author else "",
                    u.created_at.isoformat(),
                ]
                for u in posted
            ],
        ),
    }
