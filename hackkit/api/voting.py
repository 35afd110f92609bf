"""/api/v1 pairwise judging (next pair, vote, undo) and the public vote."""

from __future__ import annotations

from flask import jsonify

from hackkit.api import bp
from hackkit.api.helpers import caller, json_body, writer
from hackkit.event_json import iso
from hackkit.extensions import db, limiter
from hackkit.services import events, submissions, voting


def _project(submission) -> dict | None:
    if submission is None:
        return None
    content = submissions.frozen_version(db.session, submission).data
    return {
        "id": submission.id,
        "team": submission.team.name,
        "title": content.get("title", ""),
        "tagline": content.get("tagline", ""),
        "description": content.get("description", ""),
        "repo_url": content.get("repo_url", ""),
        "demo_url": content.get("demo_url", ""),
    }


# Per address: one vote per account is the rule; this only slows scripted account farms.
PUBLIC_VOTE_LIMIT = "10 per minute"


@bp.get("/events/<slug>/pairwise/next")
def pairwise_next(slug: str):
    actor = writer()
    pair = voting.next_pair(db.session, actor, events.get_event(db.session, actor, slug))
    return jsonify(
        {"left": _project(pair["left"]), "right": _project(pair["right"]), "votes": pair["votes"], "done": pair["done"]}
    )


@bp.post("/events/<slug>/pairwise/votes")
def pairwise_vote(slug: str):
    actor = writer()
    vote = voting.vote_pair(db.session, actor, events.get_event(db.session, actor, slug), json_body())
    return jsonify(
        {"id": vote.id, "winner_id": vote.winner_id, "loser_id": vote.loser_id, "skipped": vote.skipped}
    ), 201


@bp.post("/events/<slug>/pairwise/undo")
def pairwise_undo(slug: str):
    actor = writer()
    vote = voting.undo_last(db.session, actor, events.get_event(db.session, actor, slug))
    return jsonify({"undone": vote.id, "winner_id": vote.winner_id, "loser_id": vote.loser_id})


@bp.post("/events/<slug>/public-votes")
@limiter.limit(PUBLIC_VOTE_LIMIT, methods=["POST"], scope="public-vote")
def public_vote(slug: str):
    actor = writer()
    vote = voting.cast_public_vote(db.session, actor, events.get_event(db.session, actor, slug), json_body())
    return jsonify({"submission_id": vote.submission_id, "created_at": iso(vote.created_at)}), 201


@bp.get("/events/<slug>/public-votes")
def public_vote_tally(slug: str):
    actor = caller()
    event = events.get_event(db.session, actor, slug)
    mine = voting.my_public_vote(db.session, event, actor)
    return jsonify(
        {
            "open": voting.public_vote_is_open(db.session, event),
            "my_vote": mine.submission_id if mine else None,
            # null until the vote has closed (organizers see it any time)
            "results": voting.public_vote_tally(db.session, actor, event)
            if voting.can_see_tally(db.session, actor, event)
            else None,
        }
    )
