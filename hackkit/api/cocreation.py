"""/api/v1 for the co-creation loop: dataset usage, data feedback, resident proposals, reports."""

from __future__ import annotations

from flask import jsonify, request, url_for

from hackkit import pagecache
from hackkit.api import bp
from hackkit.api.auth import require_api_user
from hackkit.api.helpers import caller, csv_response, json_body, writer
from hackkit.cocreation.limits import FEEDBACK_LIMIT, PROPOSAL_LIMIT, VOTE_LIMIT, per_account
from hackkit.event_json import challenge_dict, iso
from hackkit.extensions import db
from hackkit.services import datasets, events, feedback, proposals, usage


def feedback_dict(item) -> dict:
    """Public: the reporter by display name only, never the e-mail address."""
    return {
        "id": item.id,
        "dataset": item.dataset.slug if item.dataset else None,
        "kind": item.kind,
        "title": item.title,
        "body": item.body,
        "column": item.column_name,
        "row": item.row_ref,
        "status": item.status,
        "reporter": item.reporter.display_name if item.reporter else None,
        "answer": item.answer,
        "answered_at": iso(item.answered_at),
        "created_at": iso(item.created_at),
        "html_url": url_for("cocreation.feedback_detail", feedback_id=item.id, _external=True),
    }


def proposal_dict(listed) -> dict:
    proposal = listed.proposal
    return {
        "id": proposal.id,
        "event": proposal.event.slug,
        "title": proposal.title,
        "description": proposal.description,
        "neighbourhood": proposal.neighbourhood,
        "status": proposal.status,
        "author": proposal.author.display_name if proposal.author else None,
        "votes": listed.votes,
        "my_vote": listed.mine,
        "challenge_id": proposal.challenge_id,
        "created_at": iso(proposal.created_at),
        "html_url": url_for(
            "cocreation.proposal_detail", slug=proposal.event.slug, proposal_id=proposal.id, _external=True
        ),
    }


# Dataset usage -------------------------------------------------------------------------------


@bp.get("/datasets/<slug>/projects")
def dataset_projects(slug: str):
    actor = caller()
    dataset = datasets.get_dataset(db.session, actor, slug)
    pagecache.shows_every_event(db.session)  # the projects crediting it, of any event
    used = usage.dataset_usage(db.session, actor, dataset)
    return jsonify({"dataset": dataset.slug, "projects": [usage.project_dict(p) for p in used]})


# Data feedback -------------------------------------------------------------------------------


@bp.get("/feedback")
def list_feedback():
    actor = caller()
    dataset_slug = request.args.get("dataset", "").strip()
    dataset = datasets.get_dataset(db.session, actor, dataset_slug) if dataset_slug else None
    found = feedback.list_feedback(
        db.session,
        actor,
        dataset=dataset,
        status=request.args.get("status", "").strip() or None,
        kind=request.args.get("kind", "").strip() or None,
    )
    return jsonify({"feedback": [feedback_dict(item) for item in found]})


@bp.post("/feedback")
@per_account(FEEDBACK_LIMIT, "data-feedback")
def create_feedback():
    item = feedback.create_feedback(db.session, writer(), json_body())
    return jsonify(feedback_dict(item)), 201


@bp.get("/feedback/<int:feedback_id>")
def get_feedback(feedback_id: int):
    return jsonify(feedback_dict(feedback.get_feedback(db.session, caller(), feedback_id)))


@bp.patch("/feedback/<int:feedback_id>")
def answer_feedback(feedback_id: int):
    actor = writer()
    item = feedback.get_feedback(db.session, actor, feedback_id)
    return jsonify(feedback_dict(feedback.answer_feedback(db.session, actor, item, json_body())))


# Resident proposals --------------------------------------------------------------------------


@bp.get("/events/<slug>/proposals")
def list_proposals(slug: str):
    actor = caller()
    event = events.get_event(db.session, actor, slug)
    return jsonify(
        {
            "accepting": proposals.accepting(event),
            "proposals": [proposal_dict(p) for p in proposals.list_proposals(db.session, actor, event)],
        }
    )


@bp.post("/events/<slug>/proposals")
@per_account(PROPOSAL_LIMIT, "proposals")
def create_proposal(slug: str):
    actor = writer()
    event = events.get_event(db.session, actor, slug)
    proposal = proposals.propose(db.session, actor, event, json_body())
    return jsonify(proposal_dict(proposals.describe(db.session, actor, proposal))), 201


@bp.get("/proposals/<int:proposal_id>")
def get_proposal(proposal_id: int):
    actor = caller()
    proposal = proposals.get_proposal(db.session, actor, proposal_id)
    return jsonify(proposal_dict(proposals.describe(db.session, actor, proposal)))


@bp.patch("/proposals/<int:proposal_id>")
def moderate_proposal(proposal_id: int):
    actor = writer()
    proposal = proposals.get_proposal(db.session, actor, proposal_id)
    proposal = proposals.moderate(db.session, actor, proposal, json_body())
    return jsonify(proposal_dict(proposals.describe(db.session, actor, proposal)))


@bp.post("/proposals/<int:proposal_id>/vote")
@per_account(VOTE_LIMIT, "proposal-votes")
def vote_proposal(proposal_id: int):
    actor = writer()
    proposal = proposals.get_proposal(db.session, actor, proposal_id)
    proposals.vote(db.session, actor, proposal)
    return jsonify(proposal_dict(proposals.describe(db.session, actor, proposal))), 201


@bp.delete("/proposals/<int:proposal_id>/vote")
def unvote_proposal(proposal_id: int):
    actor = writer()
    proposal = proposals.get_proposal(db.session, actor, proposal_id)
    proposals.unvote(db.session, actor, proposal)
    return jsonify(proposal_dict(proposals.describe(db.session, actor, proposal)))


@bp.post("/proposals/<int:proposal_id>/challenge")
def adopt_proposal(proposal_id: int):
    actor = writer()
    proposal = proposals.get_proposal(db.session, actor, proposal_id)
    challenge = proposals.adopt(db.session, actor, proposal, json_body())
    return jsonify({**challenge_dict(challenge), "proposal_id": proposal.id}), 201


# Organizer reports ---------------------------------------------------------------------------


def _report_event(actor):
    slug = request.args.get("event", "").strip()
    return events.get_event(db.session, actor, slug) if slug else None


@bp.get("/reports/datasets")
def datasets_report():
    actor = require_api_user()
    return jsonify(usage.datasets_report_dict(usage.datasets_report(db.session, actor, _report_event(actor))))


@bp.get("/reports/datasets.csv")
def datasets_report_csv():
    actor = require_api_user()
    return csv_response(usage.datasets_report_csv(db.session, actor, _report_event(actor)), "dataset-usage.csv")


@bp.get("/reports/challenges")
def challenges_report():
    actor = require_api_user()
    return jsonify(usage.challenges_report_dict(usage.challenges_report(db.session, actor, _report_event(actor))))


@bp.get("/reports/challenges.csv")
def challenges_report_csv():
    actor = require_api_user()
    return csv_response(usage.challenges_report_csv(db.session, actor, _report_event(actor)), "challenge-usage.csv")
