"""Residents' proposals: problems worth solving, proposed and voted on before the event.

Proposing and voting are open while the event is published and has not started yet. One
vote per account per proposal (a unique constraint); an un-vote removes it. Organizers
close or hide proposals and turn one into a challenge of the event; the link is kept on
the proposal, so the challenge says where it came from and the proposal what it became.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm
from sqlalchemy.orm import Session

from hackkit.models import Challenge, Event, Proposal, ProposalVote, User
from hackkit.models.base import utcnow
from hackkit.models.cocreation import PROPOSAL_STATUSES
from hackkit.permissions import can, require
from hackkit.services import events, notifications
from hackkit.services import validation as v
from hackkit.services.errors import Conflict, NotFound
from hackkit.services.transactions import rolls_back
from hackkit.services.voting import require_confirmed_email

STATUS_LABELS = {"open": _l("Open for votes"), "closed": _l("Closed"), "hidden": _l("Hidden by the organizers")}


@dataclass
class Listed:
    proposal: Proposal
    votes: int
    mine: bool  # the viewer has voted for it


def accepting(event: Event, now: datetime | None = None) -> bool:
    """Proposals and votes are taken until the event starts."""
    return event.visibility == "published" and (now or utcnow()) < event.starts_at


def _require_accepting(event: Event, now: datetime | None) -> None:
    if not accepting(event, now):
        raise Conflict(_l("Proposals for this event closed when it started."))


def can_moderate(actor) -> bool:
    return can(actor, "proposals.moderate")


@rolls_back
def propose(session: Session, actor: User, event: Event, data: dict, now: datetime | None = None) -> Proposal:
    require(actor, "proposals.create")
    _require_accepting(event, now)
    proposal = Proposal(
        event_id=event.id,
        author_id=actor.id,
        title=v.text(data, "title", max_length=200, required=True),
        description=v.text(data, "description", max_length=5000),
        neighbourhood=v.text(data, "neighbourhood", max_length=120),
        status="open",
        created_at=now or utcnow(),
    )
    session.add(proposal)
    session.commit()
    return proposal


def _vote_counts(session: Session, proposal_ids: list[int]) -> dict[int, int]:
    if not proposal_ids:
        return {}
    rows = session.execute(
        sa.select(ProposalVote.proposal_id, sa.func.count(ProposalVote.id))
        .where(ProposalVote.proposal_id.in_(proposal_ids))
        .group_by(ProposalVote.proposal_id)
    )
    return dict(rows.all())


def _my_votes(session: Session, actor, proposal_ids: list[int]) -> set[int]:
    if not getattr(actor, "is_authenticated", False) or not proposal_ids:
        return set()
    query = sa.select(ProposalVote.proposal_id).where(
        ProposalVote.user_id == actor.id, ProposalVote.proposal_id.in_(proposal_ids)
    )
    return set(session.scalars(query))


def list_proposals(session: Session, actor, event: Event) -> list[Listed]:
    """Most votes first (oldest first among equals); hidden ones only for moderators. Each with
    its author and the challenge it became, which the list shows (read with it, not one by one)."""
    query = (
        sa.select(Proposal)
        .where(Proposal.event_id == event.id)
        .options(orm.joinedload(Proposal.author), orm.joinedload(Proposal.challenge))
    )
    if not can_moderate(actor):
        query = query.where(Proposal.status != "hidden")
    found = list(session.scalars(query))
    ids = [p.id for p in found]
    counts, mine = _vote_counts(session, ids), _my_votes(session, actor, ids)
    listed = [Listed(p, counts.get(p.id, 0), p.id in mine) for p in found]
    return sorted(listed, key=lambda item: (-item.votes, item.proposal.created_at, item.proposal.id))


def describe(session: Session, actor, proposal: Proposal) -> Listed:
    return Listed(
        proposal,
        _vote_counts(session, [proposal.id]).get(proposal.id, 0),
        bool(_my_votes(session, actor, [proposal.id])),
    )


def get_proposal(session: Session, actor, proposal_id: int) -> Proposal:
    proposal = session.get(Proposal, proposal_id)
    if (
        proposal is None
        or not events.is_visible(actor, proposal.event)
        or (proposal.status == "hidden" and not can_moderate(actor))
    ):
        raise NotFound(_l("There is no such proposal."))
    return proposal


def _require_votable(proposal: Proposal, now: datetime | None) -> None:
    _require_accepting(proposal.event, now)
    if proposal.status != "open" or proposal.challenge_id is not None:
        raise Conflict(_l("This proposal is closed for votes."))


@rolls_back
def vote(session: Session, actor: User, proposal: Proposal, now: datetime | None = None) -> ProposalVote:
    require(actor, "proposals.vote")
    require_confirmed_email(actor)
    _require_votable(proposal, now)
    if _my_votes(session, actor, [proposal.id]):
        raise Conflict(_l("You have already voted for this proposal."))
    ballot = ProposalVote(proposal_id=proposal.id, user_id=actor.id, created_at=now or utcnow())
    session.add(ballot)
    try:
        session.commit()
    except sa.exc.IntegrityError as error:  # a double click: the first vote counts
        session.rollback()
        raise Conflict(_l("You have already voted for this proposal.")) from error
    return ballot


@rolls_back
def unvote(session: Session, actor: User, proposal: Proposal, now: datetime | None = None) -> None:
    require(actor, "proposals.vote")
    _require_votable(proposal, now)
    ballot = session.scalar(
        sa.select(ProposalVote).where(ProposalVote.proposal_id == proposal.id, ProposalVote.user_id == actor.id)
    )
    if ballot is None:
        raise NotFound(_l("You have not voted for this proposal."))
    session.delete(ballot)
    session.commit()


@rolls_back
def moderate(session: Session, actor: User, proposal: Proposal, data: dict) -> Proposal:
    """Open, close (no more votes) or hide (gone from public view) a proposal."""
    require(actor, "proposals.moderate")
    status = v.choice(data, "status", PROPOSAL_STATUSES, default=proposal.status)
    if status == "open" and proposal.challenge_id is not None:
        raise Conflict(_l("This proposal became a challenge; it cannot take votes again."))
    proposal.status = status
    notifications.proposal_answered(session, proposal)
    session.commit()
    return proposal


@rolls_back
def adopt(session: Session, actor: User, proposal: Proposal, data: dict | None = None) -> Challenge:
    """Turn the proposal into a challenge of its event, through the challenge service.

    `data` may change the challenge's fields; by default it takes the proposal's title and
    description. The proposal is closed for votes and linked, in one commit with the challenge.
    """
    require(actor, "proposals.moderate")
    if proposal.challenge_id is not None:
        raise Conflict(_l("This proposal is already a challenge."))
    if proposal.status == "hidden":
        raise Conflict(_l("Show this proposal again before you turn it into a challenge."))
    values = {"title": proposal.title, "description": proposal.description}
    values.update({k: val for k, val in (data or {}).items() if val not in (None, "")})
    challenge = events.build_challenge(session, actor, proposal.event, values)
    proposal.challenge = challenge
    proposal.status = "closed"
    try:
        notifications.proposal_answered(session, proposal)
        session.commit()
    except sa.exc.IntegrityError as error:  # two organizers at the same moment: the first one won
        session.rollback()
        raise Conflict(_l("This proposal is already a challenge.")) from error
    return challenge


def proposal_of_challenge(session: Session, actor, challenge: Challenge) -> Proposal | None:
    """The visible proposal a challenge came from (None if there is none or it is hidden)."""
    proposal = challenge.proposal
    if proposal is None or (proposal.status == "hidden" and not can_moderate(actor)):
        return None
    return proposal
