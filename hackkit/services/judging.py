"""Running a jury, part one: settings, criteria, judges, conflicts and assignments.

Scores, reviews, progress and results are in services.scoring; pairwise and public votes
in services.voting. Every rule is checked here, so the pages and the API obey it alike.

Who is a judge: a user an organizer added to the event's jury (EventJudge), whatever their
account role. Conflicts: declared ones (JudgeConflict) plus, always, membership of the
judged team, which is computed live so that a judge who joins a team later is covered too.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from hackkit.judging.assignment import AssignmentImpossible, assign_judges
from hackkit.models import (
    Assignment,
    Criterion,
    Event,
    EventJudge,
    JudgeConflict,
    JudgingSettings,
    Membership,
    Score,
    Submission,
    User,
)
from hackkit.models.base import utcnow
from hackkit.models.judging import CONFLICT_KINDS, JUDGING_MODES
from hackkit.permissions import can, require
from hackkit.services import submissions as submission_service
from hackkit.services import validation as v
from hackkit.services.errors import Conflict, Forbidden, NotFound
from hackkit.services.teams import is_member

# Settings ------------------------------------------------------------------------------------


def settings_of(session: Session, event: Event) -> JudgingSettings:
    """The event's settings row, created with the defaults on first use (not committed)."""
    settings = session.scalar(sa.select(JudgingSettings).where(JudgingSettings.event_id == event.id))
    if settings is None:
        settings = JudgingSettings(event_id=event.id, results_published=False, per_submission=3, mode="rubric")
        session.add(settings)
        session.flush()
    return settings


SETTING_MOMENTS = ("opens_at", "closes_at", "public_vote_opens", "public_vote_closes")


def update_settings(session: Session, actor: User, event: Event, data: dict) -> JudgingSettings:
    require(actor, "judging.manage")
    settings = settings_of(session, event)
    values: dict = {}
    for field in SETTING_MOMENTS:
        if field in data:
            values[field] = v.moment(data, field, event.timezone)
    if "per_submission" in data:
        values["per_submission"] = v.integer(data, "per_submission", minimum=1, maximum=50)
    if "mode" in data:
        values["mode"] = v.choice(data, "mode", JUDGING_MODES, default="rubric")
    merged = {f: values.get(f, getattr(settings, f)) for f in SETTING_MOMENTS}
    for start, end in (("opens_at", "closes_at"), ("public_vote_opens", "public_vote_closes")):
        if merged[start] and merged[end] and merged[start] >= merged[end]:
            raise v.fail(end, _l("The window must close after it opens."))
    for field, value in values.items():
        setattr(settings, field, value)
    session.commit()
    return settings


def judging_is_open(session: Session, event: Event, now: datetime | None = None) -> bool:
    """Scoring is open from `opens_at` (default: the submission deadline) until `closes_at`.

    Without a closing time, judging ends when the results are published.
    """
    settings = settings_of(session, event)
    now = now or utcnow()
    opens = settings.opens_at or event.submission_deadline
    if now < opens:
        return False
    if settings.closes_at is not None:
        return now < settings.closes_at
    return not settings.results_published


def require_judging_open(session: Session, event: Event, now: datetime | None = None) -> None:
    if not judging_is_open(session, event, now):
        raise Conflict(_l("Judging is not open: scores and votes are accepted only inside the judging window."))


# Criteria ------------------------------------------------------------------------------------


def criteria_of(session: Session, event: Event) -> list[Criterion]:
    return list(
        session.scalars(
            sa.select(Criterion).where(Criterion.event_id == event.id).order_by(Criterion.position, Criterion.id)
        )
    )


def _number(data: dict, field: str, *, default: float | None = None) -> float:
    value = data.get(field, default)
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            raise v.fail(field, _l("Enter a number.")) from None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise v.fail(field, _l("Enter a number."))
    return float(value)


def _criterion_values(data: dict, current: Criterion | None) -> dict:
    creating = current is None
    values: dict = {}
    if creating or "name" in data:
        values["name"] = v.text(data, "name", max_length=120, required=True)
    if creating or "description" in data:
        values["description"] = v.text(data, "description", max_length=2000)
    if creating or "weight" in data:
        weight = _number(data, "weight", default=1)
        if not 0 < weight <= 100:
            raise v.fail("weight", _l("The weight must be more than 0 and at most 100."))
        values["weight"] = weight
    for field, default in (("scale_min", 1), ("scale_max", 5)):
        if creating or field in data:
            values[field] = v.integer(data, field, minimum=0, maximum=100, default=default)
    if creating or "position" in data:
        values["position"] = v.integer(data, "position", minimum=0, maximum=1000, default=0)
    low = values.get("scale_min", getattr(current, "scale_min", None))
    high = values.get("scale_max", getattr(current, "scale_max", None))
    if high <= low:
        raise v.fail("scale_max", _l("The top of the scale must be above its bottom."))
    return values


def add_criterion(session: Session, actor: User, event: Event, data: dict) -> Criterion:
    require(actor, "judging.manage")
    values = _criterion_values(data, None)
    if "position" not in data:
        values["position"] = len(criteria_of(session, event))
    criterion = Criterion(event_id=event.id, **values)
    session.add(criterion)
    session.commit()
    return criterion


def get_criterion(session: Session, criterion_id: int) -> Criterion:
    criterion = session.get(Criterion, criterion_id)
    if criterion is None:
        raise NotFound(_l("There is no such criterion."))
    return criterion


def update_criterion(session: Session, actor: User, criterion: Criterion, data: dict) -> Criterion:
    require(actor, "judging.manage")
    values = _criterion_values(data, criterion)
    if ("scale_min" in values or "scale_max" in values) and session.scalar(
        sa.select(Score.id).where(
            Score.criterion_id == criterion.id,
            (Score.value < values.get("scale_min", criterion.scale_min))
            | (Score.value > values.get("scale_max", criterion.scale_max)),
        )
    ):
        raise Conflict(_l("Some scores already given lie outside the new scale; keep the scale wide enough."))
    for field, value in values.items():
        setattr(criterion, field, value)
    session.commit()
    return criterion


def delete_criterion(session: Session, actor: User, criterion: Criterion) -> None:
    require(actor, "judging.manage")
    session.delete(criterion)  # its scores go with it (ON DELETE CASCADE)
    session.commit()


# Judges --------------------------------------------------------------------------------------


def is_judge(session: Session, event: Event, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    query = sa.select(EventJudge.id).where(EventJudge.event_id == event.id, EventJudge.user_id == user.id)
    return session.scalar(query) is not None


def judges_of(session: Session, event: Event) -> list[User]:
    return list(
        session.scalars(
            sa.select(User).join(EventJudge).where(EventJudge.event_id == event.id).order_by(User.display_name, User.id)
        )
    )


def add_judge(session: Session, actor: User, event: Event, email: str) -> EventJudge:
    require(actor, "judging.manage")
    address = v.text({"email": email}, "email", max_length=254, required=True).lower()
    user = session.scalar(sa.select(User).where(User.email == address))
    if user is None:
        raise NotFound(
            _l("Nobody has an account with this e-mail address; ask them to sign up first."),
            {"email": [_l("No account with this address.")]},
        )
    if is_judge(session, event, user):
        raise Conflict(_l("%(name)s is already a judge of this event.", name=user.display_name))
    judge = EventJudge(event_id=event.id, user_id=user.id)
    session.add(judge)
    try:
        session.commit()
    except sa.exc.IntegrityError as error:
        session.rollback()
        raise Conflict(_l("%(name)s is already a judge of this event.", name=user.display_name)) from error
    return judge


def remove_judge(session: Session, actor: User, event: Event, user_id: int) -> None:
    require(actor, "judging.manage")
    judge = session.scalar(sa.select(EventJudge).where(EventJudge.event_id == event.id, EventJudge.user_id == user_id))
    if judge is None:
        raise NotFound(_l("This person is not a judge of this event."))
    session.execute(
        sa.delete(Assignment).where(
            Assignment.judge_id == user_id,
            Assignment.submission_id.in_(sa.select(Submission.id).where(Submission.event_id == event.id)),
        )
    )
    session.delete(judge)
    session.commit()


# Submissions under judgement -------------------------------------------------------------------


def judged_submissions(session: Session, event: Event) -> list[Submission]:
    """Submissions that have a frozen (submitted) version: only those are judged."""
    found = session.scalars(sa.select(Submission).where(Submission.event_id == event.id).order_by(Submission.id))
    return [s for s in found if submission_service.frozen_version(session, s) is not None]


def frozen_title(session: Session, submission: Submission) -> str:
    """The title as submitted before the deadline: what the jury and the public see."""
    version = submission_service.frozen_version(session, submission)
    return (version.data.get("title") if version else None) or submission.title


def get_judged_submission(session: Session, submission_id: int) -> Submission:
    submission = session.get(Submission, submission_id)
    if submission is None or submission_service.frozen_version(session, submission) is None:
        raise NotFound(_l("There is no submitted project with this number."))
    return submission


# Conflicts of interest -------------------------------------------------------------------------


def member_conflicts(session: Session, event: Event) -> set[tuple[int, int]]:
    """(judge, submission) pairs where the judge is in the submission's team."""
    rows = session.execute(
        sa.select(Membership.user_id, Submission.id)
        .join(Submission, Submission.team_id == Membership.team_id)
        .join(EventJudge, (EventJudge.user_id == Membership.user_id) & (EventJudge.event_id == event.id))
        .where(Submission.event_id == event.id)
    )
    return {(user_id, submission_id) for user_id, submission_id in rows}


def all_conflicts(session: Session, event: Event) -> set[tuple[int, int]]:
    declared = session.execute(
        sa.select(JudgeConflict.judge_id, JudgeConflict.submission_id)
        .join(Submission, Submission.id == JudgeConflict.submission_id)
        .where(Submission.event_id == event.id)
    )
    return {(j, s) for j, s in declared} | member_conflicts(session, event)


def is_conflicted(session: Session, user, submission: Submission) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if is_member(submission.team, user):
        return True
    query = sa.select(JudgeConflict.id).where(
        JudgeConflict.judge_id == user.id, JudgeConflict.submission_id == submission.id
    )
    return session.scalar(query) is not None


def declare_conflict(
    session: Session, actor: User, submission: Submission, data: dict, judge_id: int | None = None
) -> JudgeConflict:
    """A judge declares a conflict (or an organizer records one for a judge, with `judge_id`).

    `reason` may name a kind (member, organisation, relation, other) or be free text, which
    is kept as the note of an "other" conflict. The judge's assignment to it is removed.
    """
    event = submission.team.event
    if judge_id is not None and judge_id != getattr(actor, "id", None):
        require(actor, "judging.manage")
        judge = session.get(User, judge_id)
        if judge is None or not is_judge(session, event, judge):
            raise NotFound(_l("This person is not a judge of this event."))
    else:
        if not getattr(actor, "is_authenticated", False):
            require(actor, "judging.manage")  # raises Unauthorized
        if not is_judge(session, event, actor):
            raise Forbidden(_l("Only judges of this event declare conflicts of interest."))
        judge = actor
    reason = v.text(data, "reason", max_length=1000)
    kind = data.get("kind") or (reason if reason in CONFLICT_KINDS else "other")
    if kind not in CONFLICT_KINDS:
        raise v.fail("kind", _l("Choose one of: %(options)s.", options=", ".join(CONFLICT_KINDS)))
    note = v.text(data, "note", max_length=1000) or ("" if reason in CONFLICT_KINDS else reason)
    if kind == "other" and not note:
        raise v.fail("note", _l("Say in a few words what the conflict is."))
    existing = session.scalar(
        sa.select(JudgeConflict).where(JudgeConflict.judge_id == judge.id, JudgeConflict.submission_id == submission.id)
    )
    conflict = existing or JudgeConflict(judge_id=judge.id, submission_id=submission.id)
    conflict.kind, conflict.note = kind, note
    session.add(conflict)
    # A conflict outranks an assignment: the judge no longer scores this project.
    session.execute(
        sa.delete(Assignment).where(Assignment.judge_id == judge.id, Assignment.submission_id == submission.id)
    )
    session.commit()
    return conflict


def conflicts_of(session: Session, actor: User, event: Event) -> list[JudgeConflict]:
    """Organizers see every declared conflict; a judge sees their own."""
    query = (
        sa.select(JudgeConflict)
        .join(Submission, Submission.id == JudgeConflict.submission_id)
        .where(Submission.event_id == event.id)
    )
    if not can(actor, "judging.manage"):
        if not is_judge(session, event, actor):
            raise Forbidden(_l("Only judges and organizers see conflicts of interest."))
        query = query.where(JudgeConflict.judge_id == actor.id)
    return list(session.scalars(query.order_by(JudgeConflict.id)))


# Assignments ---------------------------------------------------------------------------------


def _event_assignments(session: Session, event: Event):
    return (
        sa.select(Assignment)
        .join(Submission, Submission.id == Assignment.submission_id)
        .where(Submission.event_id == event.id)
    )


def assignments_of(session: Session, actor: User, event: Event) -> list[Assignment]:
    """Organizers see every assignment; a judge sees their own."""
    query = _event_assignments(session, event)
    if not can(actor, "judging.manage"):
        if not is_judge(session, event, actor):
            raise Forbidden(_l("Only judges and organizers see assignments."))
        query = query.where(Assignment.judge_id == actor.id)
    return list(session.scalars(query.order_by(Assignment.submission_id, Assignment.judge_id)))


def is_assigned(session: Session, user, submission: Submission) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    query = sa.select(Assignment.id).where(Assignment.judge_id == user.id, Assignment.submission_id == submission.id)
    return session.scalar(query) is not None


def run_assignment(session: Session, actor: User, event: Event, per_submission: int, seed: int = 0) -> dict:
    """Balanced automatic assignment with `per_submission` judges per project.

    Kept as they are: manual assignments, and automatic ones a judge has already scored
    (their work is not thrown away). The rest is planned anew by assign_judges.
    """
    require(actor, "judging.manage")
    per_submission = v.integer({"per_submission": per_submission}, "per_submission", minimum=1, maximum=50)
    judges = [u.id for u in judges_of(session, event)]
    if not judges:
        raise Conflict(_l("Add judges to the event before assigning them."))
    subs = {s.id: s for s in judged_submissions(session, event)}
    conflicts = {(j, s) for j, s in all_conflicts(session, event) if s in subs and j in judges}
    current = list(session.scalars(_event_assignments(session, event)))
    scored = {
        (j, s)
        for j, s in session.execute(
            sa.select(Score.judge_id, Score.submission_id).where(Score.submission_id.in_(list(subs) or [0])).distinct()
        )
    }
    keep = {
        (a.judge_id, a.submission_id)
        for a in current
        if (a.manual or (a.judge_id, a.submission_id) in scored) and a.submission_id in subs and a.judge_id in judges
    }
    try:
        plan = assign_judges(judges, list(subs), per_submission, conflicts=conflicts, existing=keep, seed=seed)
    except AssignmentImpossible as error:
        names = ", ".join(f'"{frozen_title(session, subs[s])}" (#{s})' for s in error.submissions if s in subs)
        if names:
            message = _l(
                "Not every project can get %(k)d judges without a conflict of interest: %(names)s. "
                "Add judges or lower the number.",
                k=per_submission,
                names=names,
            )
        else:
            message = _l(
                "Judge workloads cannot be kept within one of each other because of conflicts of interest "
                "(judges %(ids)s). Remove such a judge or assign by hand.",
                ids=", ".join(f"#{j}" for j in error.judges),
            )
        raise Conflict(message) from error
    manual = {(a.judge_id, a.submission_id) for a in current if a.manual}
    for assignment in current:
        if (assignment.judge_id, assignment.submission_id) not in plan.assignments:
            session.delete(assignment)
    existing_pairs = {(a.judge_id, a.submission_id) for a in current}
    for judge_id, submission_id in sorted(plan.assignments - existing_pairs):
        session.add(Assignment(judge_id=judge_id, submission_id=submission_id, manual=False))
    settings = settings_of(session, event)
    settings.per_submission = per_submission
    session.commit()
    return {
        "per_submission": per_submission,
        "assignments": len(plan.assignments),
        "loads": {str(j): n for j, n in sorted(plan.loads.items())},
        "dropped": [{"judge_id": j, "submission_id": s} for j, s in sorted(plan.dropped & manual)],
    }


def assign_manually(session: Session, actor: User, event: Event, judge_id, submission_id) -> Assignment:
    require(actor, "judging.manage")
    judge_id = v.integer({"judge_id": judge_id}, "judge_id", minimum=1, maximum=2**31)
    submission_id = v.integer({"submission_id": submission_id}, "submission_id", minimum=1, maximum=2**31)
    judge = session.get(User, judge_id)
    if judge is None or not is_judge(session, event, judge):
        raise v.fail("judge_id", _l("This person is not a judge of this event."))
    submission = session.get(Submission, submission_id)
    if submission is None or submission.event_id != event.id or submission not in judged_submissions(session, event):
        raise v.fail("submission_id", _l("There is no submitted project with this number in this event."))
    if is_conflicted(session, judge, submission):
        raise Conflict(_l("This judge has a conflict of interest with this project."))
    if is_assigned(session, judge, submission):
        raise Conflict(_l("This judge is already assigned to this project."))
    assignment = Assignment(judge_id=judge.id, submission_id=submission.id, manual=True)
    session.add(assignment)
    session.commit()
    return assignment


def unassign(session: Session, actor: User, assignment_id: int) -> None:
    require(actor, "judging.manage")
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound(_l("There is no such assignment."))
    session.delete(assignment)
    session.commit()
