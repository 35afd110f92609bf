"""Who judges what: balanced automatic assignment, manual changes, and who is assigned.

The plan itself (balance, conflicts, keeping work already done) is computed in
hackkit.judging.assignment; this module checks permissions and stores it.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from hackkit.judging.assignment import AssignmentImpossible, assign_judges
from hackkit.models import Assignment, Event, Score, Submission, User
from hackkit.permissions import can, require
from hackkit.services import judging, notifications
from hackkit.services import validation as v
from hackkit.services.errors import Conflict, Forbidden, NotFound
from hackkit.services.judging import (
    all_conflicts,
    frozen_title,
    is_conflicted,
    is_judge,
    judged_submissions,
    judges_of,
    require_not_frozen,
    settings_of,
)


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
    require_not_frozen(session, event)
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
    notifications.assignments_changed(session, event, judging.frozen_title)
    session.commit()
    return {
        "per_submission": per_submission,
        "assignments": len(plan.assignments),
        "loads": {str(j): n for j, n in sorted(plan.loads.items())},
        "dropped": [{"judge_id": j, "submission_id": s} for j, s in sorted(plan.dropped & manual)],
    }


def assign_manually(session: Session, actor: User, event: Event, judge_id, submission_id) -> Assignment:
    require(actor, "judging.manage")
    require_not_frozen(session, event)
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
    notifications.assignments_changed(session, event, judging.frozen_title)
    session.commit()
    return assignment


def unassign(session: Session, actor: User, assignment_id: int, event: Event | None = None) -> None:
    """Remove one assignment (of `event`, when given: a page names the event in its URL)."""
    require(actor, "judging.manage")
    assignment = session.get(Assignment, assignment_id)
    if assignment is None or (event is not None and assignment.submission.event_id != event.id):
        raise NotFound(_l("There is no such assignment."))
    require_not_frozen(session, assignment.submission.team.event)
    session.delete(assignment)
    session.commit()
