"""/api/v1 teams, membership, join requests, submissions and their history."""

from __future__ import annotations

from flask import current_app, jsonify
from flask_babel import lazy_gettext as _l

from hackkit.api import bp
from hackkit.api.helpers import caller, json_body, writer
from hackkit.config import join_request_cooldown
from hackkit.event_json import project_dict, submission_dict, team_dict, version_dict
from hackkit.extensions import db
from hackkit.services import events, screenshots, submissions, teams, validation
from hackkit.services.errors import Forbidden, Invalid, NotFound

# Fields a GET returns that a PUT may send back unchanged (GET, edit, PUT is the usual script).
READ_ONLY_FIELDS = {
    "id",
    "team_id",
    "team",
    "event",
    "version",
    "submitted_at",
    "updated_at",
    "html_url",
    "screenshots",
}


def _team_json(team, actor) -> dict:
    return team_dict(team, show_invite=teams.sees_invite_code(team, actor))


@bp.get("/events/<slug>/teams")
def list_teams(slug: str):
    actor = caller()
    event = events.get_event(db.session, actor, slug)
    shown = teams.teams_of_event(db.session, event)
    teams.load_members(db.session, shown)
    return jsonify({"teams": [_team_json(t, actor) for t in shown]})


@bp.post("/events/<slug>/teams")
def create_team(slug: str):
    actor = writer()
    event = events.get_event(db.session, actor, slug)
    team = teams.create_team(db.session, actor, event, json_body())
    return jsonify(_team_json(team, actor)), 201


@bp.get("/teams/<int:team_id>")
def get_team(team_id: int):
    actor = caller()
    return jsonify(_team_json(teams.get_team(db.session, actor, team_id), actor))


@bp.patch("/teams/<int:team_id>")
def update_team(team_id: int):
    actor = writer()
    team = teams.get_team(db.session, actor, team_id)
    body = json_body()
    if "captain_id" in body:
        teams.transfer_captaincy(db.session, actor, team, body.pop("captain_id"))
    if body:
        teams.update_team(db.session, actor, team, body)
    return jsonify(_team_json(team, actor))


@bp.post("/teams/<int:team_id>/members")
def join_team(team_id: int):
    actor = writer()
    team = teams.get_team(db.session, actor, team_id)
    teams.join_team(db.session, actor, team, str(json_body().get("invite_code", "")))
    return jsonify(_team_json(team, actor)), 201


@bp.delete("/teams/<int:team_id>/members/<int:user_id>")
def remove_member(team_id: int, user_id: int):
    actor = writer()
    team = teams.get_team(db.session, actor, team_id)
    teams.remove_member(db.session, actor, team, user_id)
    return "", 204


@bp.post("/teams/<int:team_id>/join-requests")
def request_to_join(team_id: int):
    actor = writer()
    team = teams.get_team(db.session, actor, team_id)
    request = teams.request_to_join(
        db.session, actor, team, json_body().get("message", ""), cooldown=join_request_cooldown(current_app.config)
    )
    return jsonify({"id": request.id, "team_id": team.id, "status": request.status}), 201


@bp.get("/teams/<int:team_id>/join-requests")
def list_join_requests(team_id: int):
    actor = writer()
    team = teams.get_team(db.session, actor, team_id)
    if team.captain_id != actor.id:
        raise Forbidden(_l("Only the captain sees requests to join."))
    return jsonify(
        {
            "join_requests": [
                {
                    "id": r.id,
                    "user": r.user.display_name,
                    "user_id": r.user_id,
                    "message": r.message,
                    "created_at": r.created_at.isoformat(),
                }
                for r in teams.pending_requests(db.session, team)
            ]
        }
    )


@bp.post("/join-requests/<int:request_id>")
def decide_join_request(request_id: int):
    actor = writer()
    request = teams.get_join_request(db.session, request_id)
    decision = validation.choice(json_body(), "decision", ("accept", "decline"), default="")
    teams.decide_join_request(db.session, actor, request, accept=decision == "accept")
    return jsonify({"id": request.id, "status": request.status})


@bp.post("/teams/<int:team_id>/deadline-extensions")
def extend_deadline(team_id: int):
    actor = writer()
    team = teams.get_team(db.session, actor, team_id)
    body = json_body()
    new_deadline = validation.moment(body, "new_deadline", team.event.timezone, required=True)
    teams.extend_deadline(db.session, actor, team, new_deadline, body.get("reason", ""))
    return jsonify(_team_json(team, actor)), 201


@bp.get("/teams/<int:team_id>/submission")
def get_submission(team_id: int):
    actor = caller()
    team = teams.get_team(db.session, actor, team_id, project=True)
    submission = submissions.get_submission(db.session, team)
    if submission is None:
        raise NotFound(_l("This team has not started a submission yet."))
    if submissions.can_see_drafts(actor, team):
        content = submissions.snapshot(submission)
    else:
        content = submissions.public_view(db.session, submission)
        if content is None:
            raise NotFound(_l("This project is not submitted yet."))
    return jsonify(submission_dict(submission, content))


@bp.put("/teams/<int:team_id>/submission")
def save_submission(team_id: int):
    actor = writer()
    team = teams.get_team(db.session, actor, team_id, project=True)
    body = json_body()
    status = body.pop("status", None)
    unknown = set(body) - set(submissions.FIELDS) - READ_ONLY_FIELDS
    if unknown:
        raise Invalid(
            _l("Unknown fields: %(names)s.", names=", ".join(sorted(unknown))),
            {name: [_l("Unknown field.")] for name in unknown},
        )
    fields = {key: body[key] for key in submissions.FIELDS if key in body}
    current = submissions.get_submission(db.session, team)
    # The answer shows what was just written: no need to read the project, its team and their
    # members again after the commit (three statements of the busiest write of an event day).
    session = db.session()
    session.expire_on_commit = False
    try:
        submission = submissions.save_submission(db.session, actor, team, fields, status=status, current=current)
    finally:
        session.expire_on_commit = True
    return jsonify(submission_dict(submission, submissions.snapshot(submission))), 200 if current else 201


@bp.get("/teams/<int:team_id>/submission/history")
def submission_history(team_id: int):
    actor = writer()
    team = teams.get_team(db.session, actor, team_id)
    return jsonify({"versions": [version_dict(v) for v in submissions.history(db.session, actor, team)]})


@bp.get("/events/<slug>/projects")
def gallery(slug: str):
    """The public gallery: submitted projects, filtered by challenge, dataset or words."""
    from flask import request

    event = events.get_event(db.session, caller(), slug)
    found = submissions.gallery(
        db.session,
        event,
        challenge_id=request.args.get("challenge", type=int),
        dataset=request.args.get("dataset") or None,
        query=request.args.get("q") or None,
    )
    teams.load_members(db.session, [submission.team for submission, _content in found])  # their credits
    return jsonify({"projects": [project_dict(s, content) for s, content in found]})


@bp.post("/teams/<int:team_id>/submission/screenshots")
def add_screenshot(team_id: int):
    """Multipart upload: `screenshot` (PNG, JPEG or WebP, at most 5 MB) and `alt_text`."""
    from flask import request, url_for

    actor = writer()
    team = teams.get_team(db.session, actor, team_id)
    upload = request.files.get("screenshot")
    if upload is None:
        raise Invalid(
            _l("Send the image as the multipart field `screenshot`."), {"screenshot": [_l("This field is required.")]}
        )
    shot = screenshots.add_screenshot(
        db.session,
        actor,
        team,
        upload.read(screenshots.MAX_BYTES + 1),
        request.form.get("alt_text", ""),
    )
    return jsonify(
        {
            "id": shot.id,
            "url": url_for("main.screenshot", screenshot_id=shot.id, _external=True),
            "width": shot.width,
            "height": shot.height,
        }
    ), 201


@bp.delete("/teams/<int:team_id>/submission/screenshots/<int:screenshot_id>")
def remove_screenshot(team_id: int, screenshot_id: int):
    actor = writer()
    team = teams.get_team(db.session, actor, team_id)
    screenshots.remove_screenshot(db.session, actor, team, screenshot_id)
    return "", 204
