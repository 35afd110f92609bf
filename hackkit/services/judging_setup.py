"""Setting up a jury: judging settings, criteria, judges and conflicts of interest.

The facts these change are read through services.judging; assignments are in
services.assignments.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _n
from sqlalchemy.orm import Session

from hackkit.models import (
    Assignment,
    Criterion,
    Event,
    EventJudge,
    JudgeConflict,
    JudgingSettings,
    Membership,
    PairwiseVote,
    Score,
    Submission,
    Team,
    User,
)
from hackkit.models.judging import CONFLICT_KINDS, JUDGING_MODES
from hackkit.permissions import can, require
from hackkit.services import validation as v
from hackkit.services.errors import Conflict, Forbidden, NotFound
from hackkit.services.judging import criteria_of, is_judge, require_not_frozen, settings_of
from hackkit.services.transactions import rolls_back

# Settings ------------------------------------------------------------------------------------


SETTING_MOMENTS = ("opens_at", "closes_at", "public_vote_opens", "public_vote_closes")
# What moves the jury's ranking; the public vote window is apart from it and stays editable.
JURY_SETTINGS = ("opens_at", "closes_at", "per_submission", "mode")


def update_settings(session: Session, actor: User, event: Event, data: dict) -> JudgingSettings:
    """Change the judging window, mode and public vote window.

    A mode switch after scores or votes exist needs `confirm_mode_change: true`; the public
    vote may open without a closing time (open-ended) but never close without an opening.
    """
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
    if merged["public_vote_closes"] and not merged["public_vote_opens"]:
        raise v.fail(
            "public_vote_opens",
            _l(
                "Set when the public vote opens. A closing time alone opens nothing; an opening time "
                "alone keeps the vote open until you close it."
            ),
        )
    changed = {field for field, value in values.items() if value != getattr(settings, field)}
    if changed & set(JURY_SETTINGS):
        require_not_frozen(session, event)
    if "mode" in changed:
        _require_mode_change_confirmed(session, event, values["mode"], data)
    for field, value in values.items():
        setattr(settings, field, value)
    session.commit()
    return settings


def mode_change_consequences(session: Session, event: Event, new_mode: str) -> str | None:
    """What a switch to `new_mode` does to the work already done, or None when nothing is lost.

    Nothing is deleted: rubric scores and pairwise votes are kept, but only those of the
    current mode count in the results.
    """
    if new_mode == settings_of(session, event).mode:
        return None
    in_event = sa.select(Submission.id).where(Submission.event_id == event.id)
    if new_mode == "pairwise":
        n = session.scalar(sa.select(sa.func.count(Score.id)).where(Score.submission_id.in_(in_event))) or 0
        if n:
            return _n(
                "%(num)d rubric score has been given. Judged in pairs, it is kept but no longer counts: the "
                "ranking comes from pairwise votes only. Switching back to the rubric makes it count again.",
                "%(num)d rubric scores have been given. Judged in pairs, they are kept but no longer count: the "
                "ranking comes from pairwise votes only. Switching back to the rubric makes them count again.",
                n,
            )
    else:
        n = (
            session.scalar(
                sa.select(sa.func.count(PairwiseVote.id)).where(
                    PairwiseVote.event_id == event.id,
                    PairwiseVote.undone.is_(False),
                    PairwiseVote.skipped.is_(False),
                )
            )
            or 0
        )
        if n:
            return _n(
                "%(num)d pairwise vote has been cast. Judged with the rubric, it is kept but no longer counts: "
                "the ranking comes from rubric scores only. Switching back to pairs makes it count again.",
                "%(num)d pairwise votes have been cast. Judged with the rubric, they are kept but no longer "
                "count: the ranking comes from rubric scores only. Switching back to pairs makes them count again.",
                n,
            )
    return None


def _require_mode_change_confirmed(session: Session, event: Event, new_mode: str, data: dict) -> None:
    consequence = mode_change_consequences(session, event, new_mode)
    if consequence is not None and data.get("confirm_mode_change") is not True:
        raise Conflict(
            _l("%(what)s Confirm the switch to go ahead.", what=consequence),
            {"confirm_mode_change": [consequence]},
        )


# Criteria ------------------------------------------------------------------------------------


def _criterion_values(data: dict, current: Criterion | None) -> dict:
    creating = current is None
    values: dict = {}
    if creating or "name" in data:
        values["name"] = v.text(data, "name", max_length=120, required=True)
    if creating or "description" in data:
        values["description"] = v.text(data, "description", max_length=2000)
    if creating or "weight" in data:
        weight = v.number(data, "weight", default=1)
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


@rolls_back
def add_criterion(session: Session, actor: User, event: Event, data: dict) -> Criterion:
    require(actor, "judging.manage")
    require_not_frozen(session, event)
    values = _criterion_values(data, None)
    if "position" not in data:
        values["position"] = len(criteria_of(session, event))
    criterion = Criterion(event_id=event.id, **values)
    session.add(criterion)
    session.commit()
    return criterion


@rolls_back
def update_criterion(session: Session, actor: User, criterion: Criterion, data: dict) -> Criterion:
    require(actor, "judging.manage")
    require_not_frozen(session, session.get(Event, criterion.event_id))
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
    """Delete a criterion nobody has scored yet.

    Once judges have scored it, deleting it would silently throw their work away and
    change the results; the organizer lowers its weight or edits it instead.
    """
    require(actor, "judging.manage")
    require_not_frozen(session, session.get(Event, criterion.event_id))
    given = session.scalar(sa.select(sa.func.count(Score.id)).where(Score.criterion_id == criterion.id))
    if given:
        raise Conflict(
            _l(
                "Judges have already given %(n)d scores on %(name)s, so it cannot be deleted: "
                "their work would be lost. Edit the criterion or lower its weight instead.",
                n=given,
                name=criterion.name,
            )
        )
    session.delete(criterion)
    session.commit()


# Judges --------------------------------------------------------------------------------------


def add_judge(session: Session, actor: User, event: Event, email: str) -> EventJudge:
    """Add a judge; someone in a team of this event is added with a warning (see judge_teams)."""
    require(actor, "judging.manage")
    require_not_frozen(session, event)
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


def judge_teams(session: Session, event: Event) -> dict[int, str]:
    """The team each judge of this event belongs to in it, if any (one team per person per event).

    Such a judge is conflicted with their own team's project (services.judging computes it
    live) and competes with the others: the organizer sees it on the jury page.
    """
    rows = session.execute(
        sa.select(Membership.user_id, Team.name)
        .join(Team, Team.id == Membership.team_id)
        .join(EventJudge, (EventJudge.user_id == Membership.user_id) & (EventJudge.event_id == event.id))
        .where(Membership.event_id == event.id)
    )
    return {user_id: name for user_id, name in rows}


def competing_judge_warning(session: Session, event: Event, user_id: int) -> str | None:
    """What to tell the organizer who made a participant of a competing team a judge."""
    team = judge_teams(session, event).get(user_id)
    if team is None:
        return None
    return str(
        _l(
            "This judge is a member of team %(team)s in this event: they are conflicted with their own "
            "team's project and will never see or score it, but they do judge the teams they compete with.",
            team=team,
        )
    )


def remove_judge(session: Session, actor: User, event: Event, user_id: int) -> None:
    require(actor, "judging.manage")
    require_not_frozen(session, event)
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


# Conflicts of interest -----------------------------------------------------------------------


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
    require_not_frozen(session, event)
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
