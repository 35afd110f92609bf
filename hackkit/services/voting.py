"""Pairwise judging (the expo walk) and the public vote (people's choice).

Pairwise: the model state is always replayed from the log of votes that are not undone
(hackkit.judging.pairwise), so an undo is exact. The judge's "current" project is the winner
of their last vote, the best they have seen so far; the next one is chosen by expected
information gain among projects they have not compared yet, never a conflicted one.

Public vote: one per signed-in account per event (a unique constraint), only inside the
window the organizer set; the routes that take it are rate limited.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from hackkit.judging import pairwise
from hackkit.models import Event, Membership, PairwiseVote, PublicVote, Submission, User
from hackkit.models.base import utcnow
from hackkit.permissions import can
from hackkit.services import judging, scoring
from hackkit.services import validation as v
from hackkit.services.errors import Conflict, Forbidden, NotFound, Unauthorized
from hackkit.services.teams import is_member


def _require_pairwise_judge(session: Session, actor, event: Event) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise Unauthorized(_l("Log in first."))
    if not judging.is_judge(session, event, actor):
        raise Forbidden(_l("Only judges of this event compare projects."))
    if judging.settings_of(session, event).mode != "pairwise":
        raise Conflict(_l("This event is judged with the rubric, not in pairs."))


def _own_votes(session: Session, event: Event, judge_id: int) -> list[PairwiseVote]:
    """The judge's votes and skips in order (an undo takes back the last of either)."""
    return [vote for vote in scoring.active_votes(session, event, with_skips=True) if vote.judge_id == judge_id]


def next_pair(session: Session, actor: User, event: Event) -> dict:
    """`{left, right}`: the judge's current project and the next one to compare it with."""
    _require_pairwise_judge(session, actor, event)
    subs = {s.id: s for s in judging.judged_submissions(session, event)}
    conflicts = {s for j, s in judging.all_conflicts(session, event) if j == actor.id}
    votes = scoring.active_votes(session, event)  # a skip teaches the model nothing: not replayed
    state = pairwise.replay(list(subs), [pairwise.Vote(x.judge_id, x.winner_id, x.loser_id) for x in votes])
    mine = _own_votes(session, event, actor.id)  # skips included: the skipped project is not offered again
    seen = {x.winner_id for x in mine} | {x.loser_id for x in mine}
    rng = scoring.seeded_rng(actor.id, len(mine))
    if mine and mine[-1].winner_id not in conflicts:
        current = mine[-1].winner_id
    else:
        current = pairwise.choose_first(state, subs, conflicts, rng, exclude=seen)
    following = pairwise.choose_next(state, actor.id, current, subs, conflicts, rng, exclude=seen) if current else None
    counted = sum(1 for x in mine if not x.skipped)
    if current is None or following is None:
        return {"left": None, "right": None, "votes": counted, "done": True}
    return {"left": subs[current], "right": subs[following], "votes": counted, "done": False}


def _submission_of(session: Session, event: Event, data: dict, field: str) -> Submission:
    submission_id = v.integer(data, field, minimum=1, maximum=2**31)
    submission = session.get(Submission, submission_id)
    if (
        submission is None
        or submission.event_id != event.id
        or submission not in judging.judged_submissions(session, event)
    ):
        raise v.fail(field, _l("There is no submitted project with this number in this event."))
    return submission


def vote_pair(session: Session, actor: User, event: Event, data: dict, now: datetime | None = None) -> PairwiseVote:
    _require_pairwise_judge(session, actor, event)
    judging.require_not_frozen(session, event)
    judging.require_judging_open(session, event, now)
    winner = _submission_of(session, event, data, "winner_id")
    loser = _submission_of(session, event, data, "loser_id")
    if winner.id == loser.id:
        raise v.fail("loser_id", _l("Compare two different projects."))
    for submission in (winner, loser):
        if judging.is_conflicted(session, actor, submission):
            raise Forbidden(_l("You have a conflict of interest with this project: you cannot see or score it."))
    # A skip: no preference between the two. Kept so the judge moves on (and can undo it), but
    # never replayed into the model, the results or "compared" counts (scoring.active_votes).
    skipped = data.get("skip") in (True, "1", "true", "yes")
    vote = PairwiseVote(
        event_id=event.id, judge_id=actor.id, winner_id=winner.id, loser_id=loser.id, undone=False, skipped=skipped
    )
    session.add(vote)
    session.commit()
    return vote


def undo_last(session: Session, actor: User, event: Event, now: datetime | None = None) -> PairwiseVote:
    _require_pairwise_judge(session, actor, event)
    judging.require_not_frozen(session, event)
    judging.require_judging_open(session, event, now)
    mine = _own_votes(session, event, actor.id)
    if not mine:
        raise NotFound(_l("You have no vote to undo."))
    mine[-1].undone = True
    session.commit()
    return mine[-1]


# Public vote ---------------------------------------------------------------------------------


def public_vote_is_open(session: Session, event: Event, now: datetime | None = None) -> bool:
    """Open from its opening time until its closing time; with no closing time, open-ended.

    Without an opening time it is closed (services.judging_setup refuses a closing time alone).
    """
    settings = judging.settings_of(session, event)
    if settings.public_vote_opens is None:
        return False  # closed until the organizer opens it
    now = now or utcnow()
    if settings.public_vote_closes is not None and now >= settings.public_vote_closes:
        return False
    return settings.public_vote_opens <= now


def _require_not_own_project(actor, submission: Submission) -> None:
    """People's choice is for the others' work: a member cannot vote for their own team."""
    if is_member(submission.team, actor):
        raise Forbidden(
            _l("You cannot vote for your own team's project. Choose another project."),
            {"submission_id": [_l("This is your own team's project.")]},
        )


def own_team_submission_ids(session: Session, event: Event, user) -> set[int]:
    """The projects of the user's own team in this event: the ones they cannot vote for."""
    if not getattr(user, "is_authenticated", False):
        return set()
    query = (
        sa.select(Submission.id)
        .join(Membership, Membership.team_id == Submission.team_id)
        .where(Submission.event_id == event.id, Membership.user_id == user.id)
    )
    return set(session.scalars(query))


def my_public_vote(session: Session, event: Event, user) -> PublicVote | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return session.scalar(sa.select(PublicVote).where(PublicVote.event_id == event.id, PublicVote.user_id == user.id))


def require_confirmed_email(actor) -> None:
    """Votes come from confirmed addresses only: an account must cost more than a form post
    (vote stuffing). Used by the public vote and by the proposal votes."""
    if not getattr(actor, "email_confirmed", False):
        raise Forbidden(
            _l(
                "Confirm your e-mail address to vote: open the link we sent you, "
                "or ask for a new one on your account page."
            )
        )


def cast_public_vote(session: Session, actor, event: Event, data: dict, now: datetime | None = None) -> PublicVote:
    if not getattr(actor, "is_authenticated", False):
        raise Unauthorized(_l("Log in to vote."))
    require_confirmed_email(actor)
    if not public_vote_is_open(session, event, now):
        raise Conflict(_l("The public vote is not open."))
    submission = _submission_of(session, event, data, "submission_id")
    _require_not_own_project(actor, submission)
    if my_public_vote(session, event, actor) is not None:
        raise Conflict(_l("You have already voted in this event."))
    vote = PublicVote(event_id=event.id, user_id=actor.id, submission_id=submission.id)
    session.add(vote)
    try:
        session.commit()
    except sa.exc.IntegrityError as error:  # a double click: the first vote counts
        session.rollback()
        raise Conflict(_l("You have already voted in this event.")) from error
    return vote


def can_see_tally(session: Session, actor, event: Event, now: datetime | None = None) -> bool:
    """Organizers any time, everyone once the vote has closed (no bandwagon while it runs)."""
    settings = judging.settings_of(session, event)
    closed = settings.public_vote_closes is not None and (now or utcnow()) >= settings.public_vote_closes
    return closed or can(actor, "judging.manage")


def public_vote_tally(session: Session, actor, event: Event, now: datetime | None = None) -> list[dict]:
    """Votes per project, most first."""
    if not can_see_tally(session, actor, event, now):
        raise Forbidden(_l("The public vote count is shown when the vote has closed."))
    counts = dict(
        session.execute(
            sa.select(PublicVote.submission_id, sa.func.count(PublicVote.id))
            .where(PublicVote.event_id == event.id)
            .group_by(PublicVote.submission_id)
        ).all()
    )
    rows = [
        {
            "submission_id": s.id,
            "title": judging.frozen_title(session, s),
            "team": s.team.name,
            "votes": counts.get(s.id, 0),
        }
        for s in judging.judged_submissions(session, event)
    ]
    return sorted(rows, key=lambda r: (-r["votes"], r["submission_id"]))
