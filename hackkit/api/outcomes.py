"""/api/v1 for what became of the projects: outcomes, teams' updates and the impact report."""

from __future__ import annotations

from flask import jsonify

from hackkit import bodies
from hackkit.api import bp
from hackkit.api.helpers import caller, csv_response, json_body, writer
from hackkit.cocreation.limits import per_account
from hackkit.extensions import db
from hackkit.markup import render_markdown
from hackkit.outcomes.limits import UPDATE_LIMIT
from hackkit.services import events, impact, outcomes


def outcomes_answer(submission, history) -> dict:
    return bodies.Outcomes.answer(
        submission_id=submission.id,
        status=history[0].status if history else None,
        outcomes=[outcome_answer(o, current=i == 0) for i, o in enumerate(history)],
    )


def outcome_answer(outcome, current: bool) -> dict:
    return bodies.Outcome.answer(outcome, date=outcome.happened_on.isoformat(), current=current)


def update_answer(update) -> dict:
    return bodies.ProjectUpdate.answer(
        update, html=str(render_markdown(update.text)), author=update.author.display_name if update.author else None
    )


@bp.get("/submissions/<int:submission_id>/outcomes")
def list_outcomes(submission_id: int):
    submission = outcomes.get_visible_submission(db.session, caller(), submission_id)
    return jsonify(outcomes_answer(submission, outcomes.list_outcomes(db.session, submission)))


@bp.post("/submissions/<int:submission_id>/outcomes")
def record_outcome(submission_id: int):
    actor = writer()
    submission = outcomes.get_visible_submission(db.session, actor, submission_id)
    outcome = outcomes.record_outcome(db.session, actor, submission, json_body())
    history = outcomes.list_outcomes(db.session, submission)
    return jsonify(outcome_answer(outcome, current=history[0].id == outcome.id)), 201


@bp.get("/submissions/<int:submission_id>/updates")
def list_updates(submission_id: int):
    submission = outcomes.get_visible_submission(db.session, caller(), submission_id)
    found = outcomes.list_updates(db.session, submission)
    return jsonify(bodies.ProjectUpdates.answer(submission_id=submission.id, updates=[update_answer(u) for u in found]))


@bp.post("/submissions/<int:submission_id>/updates")
@per_account(UPDATE_LIMIT, "project-updates")
def post_update(submission_id: int):
    actor = writer()
    submission = outcomes.get_visible_submission(db.session, actor, submission_id)
    return jsonify(update_answer(outcomes.post_update(db.session, actor, submission, json_body()))), 201


@bp.get("/events/<slug>/impact")
def event_impact(slug: str):
    event = events.get_event(db.session, caller(), slug)
    return jsonify(impact.impact_dict(impact.impact_report(db.session, event)))


@bp.get("/events/<slug>/impact.csv")
def event_impact_csv(slug: str):
    event = events.get_event(db.session, caller(), slug)
    return csv_response(impact.impact_csv(impact.impact_report(db.session, event)), f"{event.slug}-impact.csv")


@bp.get("/impact")
def all_impact():
    return jsonify(impact.impact_dict(impact.impact_report(db.session)))


@bp.get("/impact.csv")
def all_impact_csv():
    return csv_response(impact.impact_csv(impact.impact_report(db.session)), "impact.csv")
