"""/api/v1 judging: criteria, judges, conflicts, assignments, scores, progress, results.

Pairwise and public votes are in api/voting.py. Each view parses, calls one service, serialises.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import lazy_gettext as _l

from hackkit import bodies
from hackkit.api import bp
from hackkit.api.helpers import caller, json_body, writer
from hackkit.event_json import iso, submission_dict
from hackkit.extensions import db
from hackkit.permissions import require
from hackkit.services import assignments, events, judging, judging_setup, publication, scoring, validation
from hackkit.services.errors import Invalid


def criterion_dict(criterion) -> dict:
    return bodies.Criterion.answer(criterion)


def settings_dict(settings) -> dict:
    return bodies.JudgingSettings.answer(settings, frozen=settings.results_published)


def assignment_dict(assignment) -> dict:
    # Titles as frozen at the deadline, like everything else the jury sees.
    return bodies.Assignment.answer(
        assignment,
        judge=assignment.judge.display_name,
        title=judging.frozen_title(db.session, assignment.submission),
    )


def _event(slug: str, actor):
    return events.get_event(db.session, actor, slug)


# Settings and criteria -------------------------------------------------------------------------


@bp.get("/events/<slug>/judging")
def get_judging_settings(slug: str):
    event = _event(slug, caller())
    return jsonify(settings_dict(judging.settings_of(db.session, event)))


@bp.patch("/events/<slug>/judging")
def update_judging_settings(slug: str):
    actor = writer()
    event = _event(slug, actor)
    return jsonify(settings_dict(judging_setup.update_settings(db.session, actor, event, json_body())))


@bp.get("/events/<slug>/criteria")
def list_criteria(slug: str):
    event = _event(slug, caller())
    return jsonify({"criteria": [criterion_dict(c) for c in judging.criteria_of(db.session, event)]})


@bp.post("/events/<slug>/criteria")
def add_criterion(slug: str):
    actor = writer()
    event = _event(slug, actor)
    return jsonify(criterion_dict(judging_setup.add_criterion(db.session, actor, event, json_body()))), 201


@bp.patch("/criteria/<int:criterion_id>")
def update_criterion(criterion_id: int):
    actor = writer()
    criterion = judging.get_criterion(db.session, criterion_id)
    return jsonify(criterion_dict(judging_setup.update_criterion(db.session, actor, criterion, json_body())))


@bp.delete("/criteria/<int:criterion_id>")
def delete_criterion(criterion_id: int):
    actor = writer()
    judging_setup.delete_criterion(db.session, actor, judging.get_criterion(db.session, criterion_id))
    return "", 204


# Judges and conflicts --------------------------------------------------------------------------


@bp.get("/events/<slug>/judges")
def list_judges(slug: str):
    actor = writer()
    event = _event(slug, actor)
    require(actor, "judging.manage")
    people = judging.judges_of(db.session, event)
    teams = judging_setup.judge_teams(db.session, event)
    return jsonify({"judges": [bodies.JudgeContact.answer(u, team=teams.get(u.id)) for u in people]})


@bp.post("/events/<slug>/judges")
def add_judge(slug: str):
    actor = writer()
    event = _event(slug, actor)
    judge = judging_setup.add_judge(db.session, actor, event, json_body().get("email", ""))
    # A participant of a competing team may judge, but the organizer is told (`warning`, `team`).
    answer = bodies.JudgeAdded.answer(
        id=judge.user_id,
        display_name=judge.user.display_name,
        team=judging_setup.judge_teams(db.session, event).get(judge.user_id),
        warning=judging_setup.competing_judge_warning(db.session, event, judge.user_id),
    )
    return jsonify(answer), 201


@bp.delete("/events/<slug>/judges/<int:user_id>")
def remove_judge(slug: str, user_id: int):
    actor = writer()
    judging_setup.remove_judge(db.session, actor, _event(slug, actor), user_id)
    return "", 204


@bp.post("/submissions/<int:submission_id>/conflicts")
def declare_conflict(submission_id: int):
    actor = writer()
    submission = judging.get_judged_submission(db.session, submission_id)
    body = json_body()
    judge_id = body.get("judge_id")
    if judge_id is not None:
        judge_id = validation.integer(body, "judge_id", minimum=1, maximum=2**31)
    conflict = judging_setup.declare_conflict(db.session, actor, submission, body, judge_id=judge_id)
    return jsonify(bodies.Conflict.answer(conflict)), 201


@bp.get("/events/<slug>/conflicts")
def list_conflicts(slug: str):
    actor = writer()
    found = judging_setup.conflicts_of(db.session, actor, _event(slug, actor))
    return jsonify({"conflicts": [bodies.Conflict.answer(c) for c in found]})


# Assignments -----------------------------------------------------------------------------------


@bp.post("/events/<slug>/assignments")
def create_assignments(slug: str):
    """`{per_submission: k}` runs the balanced assignment; `{judge_id, submission_id}` adds one by hand."""
    actor = writer()
    event = _event(slug, actor)
    body = json_body()
    if "judge_id" in body or "submission_id" in body:
        assignment = assignments.assign_manually(
            db.session, actor, event, body.get("judge_id"), body.get("submission_id")
        )
        return jsonify(assignment_dict(assignment)), 201
    if "per_submission" not in body:
        raise Invalid(
            _l("Send per_submission (judges per project)."), {"per_submission": [_l("This field is required.")]}
        )
    seed = validation.integer(body, "seed", minimum=0, maximum=2**31, default=0)
    plan = assignments.run_assignment(db.session, actor, event, body["per_submission"], seed=seed)
    plan["items"] = [assignment_dict(a) for a in assignments.assignments_of(db.session, actor, event)]
    return jsonify(plan), 201


@bp.get("/events/<slug>/assignments")
def list_assignments(slug: str):
    actor = writer()
    found = assignments.assignments_of(db.session, actor, _event(slug, actor))
    return jsonify({"assignments": [assignment_dict(a) for a in found]})


@bp.delete("/assignments/<int:assignment_id>")
def delete_assignment(assignment_id: int):
    assignments.unassign(db.session, writer(), assignment_id)
    return "", 204


@bp.get("/events/<slug>/progress")
def judging_progress(slug: str):
    actor = writer()
    return jsonify(scoring.progress(db.session, actor, _event(slug, actor)))


# Judging a submission --------------------------------------------------------------------------


def _scores_json(found: dict) -> dict:
    data = {
        "scores": {str(k): value for k, value in found["scores"].items()},
        "feedback": found["feedback"],
        "private_note": found["private_note"],
    }
    if "complete" in found:  # the judge's own form: is every criterion scored?
        data["complete"] = found["complete"]
        data["missing_criteria"] = found["missing_criteria"]
    return data


@bp.get("/submissions/<int:submission_id>/judging")
def judge_submission(submission_id: int):
    """The judge's view: the frozen version, the criteria and the judge's own scores."""
    actor = writer()
    submission = judging.get_judged_submission(db.session, submission_id)
    view = scoring.judge_view(db.session, actor, submission)
    data = submission_dict(submission, view["content"])
    data["version"] = view["version"]
    return jsonify(
        {
            "submission": data,
            "criteria": [criterion_dict(c) for c in view["criteria"]],
            "judging_open": view["judging_open"],
            **_scores_json(view),
        }
    )


@bp.put("/submissions/<int:submission_id>/scores")
def save_scores(submission_id: int):
    actor = writer()
    submission = judging.get_judged_submission(db.session, submission_id)
    return jsonify(_scores_json(scoring.save_scores(db.session, actor, submission, json_body())))


@bp.get("/submissions/<int:submission_id>/scores")
def all_scores(submission_id: int):
    """Every judge's scores and notes on the project (organizers)."""
    actor = writer()
    submission = judging.get_judged_submission(db.session, submission_id)
    found = scoring.submission_scores(db.session, actor, submission)
    return jsonify({"judges": [{"judge_id": judge_id, **_scores_json(data)} for judge_id, data in found.items()]})


@bp.get("/submissions/<int:submission_id>/feedback")
def team_feedback(submission_id: int):
    actor = writer()
    submission = judging.get_judged_submission(db.session, submission_id)
    return jsonify(scoring.team_feedback(db.session, actor, submission))


# Results ---------------------------------------------------------------------------------------


@bp.get("/events/<slug>/results")
def results(slug: str):
    actor = caller()
    event = _event(slug, actor)
    return jsonify(scoring.results(db.session, actor, event, request.args.get("method", "normalised")))


@bp.post("/events/<slug>/results/publish")
def publish_results(slug: str):
    actor = writer()
    event = _event(slug, actor)
    body = json_body()
    published, confirm = body.get("published", True), body.get("confirm", False)
    for name, value in (("published", published), ("confirm", confirm)):
        if not isinstance(value, bool):
            raise Invalid(_l("%(name)s must be true or false.", name=name), {name: [_l("Enter true or false.")]})
    if published:
        done = publication.publish_results(db.session, actor, event, confirm=confirm)
    else:
        done = publication.unpublish_results(db.session, actor, event)
    return jsonify(
        {"published": done["published"], "published_at": iso(done["published_at"]), "missing": done["missing"]}
    )
