"""/api/v1 events, challenges, announcements, registrations and exports."""

from __future__ import annotations

from flask import Response, jsonify

from hackkit.api import bp
from hackkit.api.helpers import caller, csv_response, json_body, writer
from hackkit.event_json import announcement_dict, challenge_dict, event_dict, person_dict, registration_dict, team_dict
from hackkit.extensions import db
from hackkit.permissions import require
from hackkit.services import event_exports, events, teams


@bp.get("/events")
def list_events():
    return jsonify({"events": [event_dict(e) for e in events.list_events(db.session, caller())]})


@bp.post("/events")
def create_event():
    event = events.create_event(db.session, writer(), json_body())
    return jsonify(event_dict(event)), 201


@bp.get("/events/<slug>")
def get_event(slug: str):
    event = events.get_event(
        db.session, caller(), slug, showing=(events.ANNOUNCEMENTS, events.CHALLENGES_AND_PROPOSALS)
    )
    data = event_dict(event)
    data["challenges"] = [challenge_dict(c) for c in event.challenges]
    data["announcements"] = [announcement_dict(a) for a in event.announcements]
    return jsonify(data)


@bp.patch("/events/<slug>")
def update_event(slug: str):
    actor = writer()
    event = events.get_event(db.session, actor, slug)
    return jsonify(event_dict(events.update_event(db.session, actor, event, json_body())))


@bp.get("/events/<slug>/challenges")
def list_challenges(slug: str):
    event = events.get_event(db.session, caller(), slug, showing=(events.CHALLENGES_AND_PROPOSALS,))
    return jsonify({"challenges": [challenge_dict(c) for c in event.challenges]})


@bp.post("/events/<slug>/challenges")
def create_challenge(slug: str):
    actor = writer()
    event = events.get_event(db.session, actor, slug)
    return jsonify(challenge_dict(events.add_challenge(db.session, actor, event, json_body()))), 201


@bp.patch("/challenges/<int:challenge_id>")
def update_challenge(challenge_id: int):
    actor = writer()
    challenge = events.get_challenge(db.session, actor, challenge_id)
    return jsonify(challenge_dict(events.update_challenge(db.session, actor, challenge, json_body())))


@bp.post("/events/<slug>/announcements")
def create_announcement(slug: str):
    actor = writer()
    event = events.get_event(db.session, actor, slug)
    data = json_body()
    announcement = events.post_announcement(db.session, actor, event, data.get("body", ""), data.get("translations"))
    return jsonify(announcement_dict(announcement)), 201


@bp.patch("/events/<slug>/announcements/<int:announcement_id>")
def update_announcement(slug: str, announcement_id: int):
    actor = writer()
    require(actor, "events.manage")
    event = events.get_event(db.session, actor, slug)
    announcement = events.get_announcement(db.session, actor, event, announcement_id)
    return jsonify(announcement_dict(events.update_announcement(db.session, actor, announcement, json_body())))


@bp.delete("/events/<slug>/announcements/<int:announcement_id>")
def delete_announcement(slug: str, announcement_id: int):
    actor = writer()
    require(actor, "events.manage")
    event = events.get_event(db.session, actor, slug)
    events.delete_announcement(db.session, actor, events.get_announcement(db.session, actor, event, announcement_id))
    return "", 204


@bp.post("/events/<slug>/registrations")
def register(slug: str):
    actor = writer()
    event = events.get_event(db.session, actor, slug)
    registration = events.register(db.session, actor, event)
    return jsonify({"event": event.slug, "user_id": registration.user_id}), 201


@bp.get("/events/<slug>/registrations")
def list_registrations(slug: str):
    actor = writer()
    event = events.get_event(db.session, actor, slug)
    return jsonify({"registrations": [registration_dict(r) for r in events.registrations(db.session, actor, event)]})


@bp.get("/events/<slug>/looking")
def looking_for_each_other(slug: str):
    """Teams that miss skills, and people without a team who are looking for one."""
    event = events.get_event(db.session, caller(), slug)
    looking = teams.teams_looking_for_members(db.session, event)
    teams.load_members(db.session, looking)
    return jsonify(
        {
            "teams": [team_dict(t) for t in looking],
            "people": [person_dict(p) for p in teams.people_looking_for_team(db.session, event)],
        }
    )


EXPORTS = {
    "participants.csv": event_exports.participants_csv,
    "teams.csv": event_exports.teams_csv,
    "submissions.csv": event_exports.submissions_csv,
}


@bp.get("/events/<slug>/exports/<any('participants.csv', 'teams.csv', 'submissions.csv'):name>")
def export_csv(slug: str, name: str):
    actor = writer()
    event = events.get_event(db.session, actor, slug)
    return csv_response(EXPORTS[name](db.session, actor, event), f"{event.slug}-{name}")


@bp.get("/events/<slug>/archive.zip")
def archive(slug: str):
    """The public archive; `?personal=1` (organizers) adds personal data."""
    from flask import request

    personal = request.args.get("personal") in ("1", "true")
    actor = writer() if personal else caller()
    event = events.get_event(db.session, actor, slug)
    data = event_exports.archive_zip(db.session, actor, event, personal=personal)
    suffix = "organizer" if personal else "public"
    return Response(
        data,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{event.slug}-{suffix}.zip"'},
    )
