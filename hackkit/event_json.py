"""The event hub's models (events, challenges, teams, submissions, people) as JSON-ready dicts:
one shape reused by the JSON API, the CSV exports and the archive. Datasets have their own:
hackkit/datasets/dataset_json.py."""

from __future__ import annotations

from datetime import datetime

from flask import url_for

from hackkit import bodies
from hackkit.models import Announcement, Challenge, Event, Registration, Submission, SubmissionVersion, Team, User
from hackkit.services.submissions import FIELDS as SUBMISSION_FIELDS


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def event_dict(event: Event) -> dict:
    return bodies.Event.answer(event, html_url=url_for("events.detail", slug=event.slug, _external=True))


def challenge_dict(challenge: Challenge) -> dict:
    # The resident proposal it came from (hidden proposals are not pointed at).
    proposal = challenge.proposal
    return bodies.Challenge.answer(
        challenge,
        event=challenge.event.slug,
        proposal_id=proposal.id if proposal is not None and proposal.status != "hidden" else None,
    )


def announcement_dict(announcement: Announcement) -> dict:
    return bodies.Announcement.answer(announcement)


def person_dict(user: User) -> dict:
    """What other participants may see of someone: never the e-mail address."""
    return bodies.Person.answer(user)


def team_dict(team: Team, *, show_invite: bool = False) -> dict:
    shown = {
        "event": team.event.slug,
        "members": [person_dict(m.user) for m in team.memberships],
        "max_team_size": team.event.max_team_size,
        "deadline": team.deadline_override or team.event.submission_deadline,
        "html_url": url_for("teams.detail", team_id=team.id, _external=True),
    }
    if show_invite:
        invite_url = url_for("teams.invite", code=team.invite_code, _external=True)
        return bodies.TeamForMembers.answer(team, **shown, invite_url=invite_url)
    return bodies.Team.answer(team, **shown)


def submission_fields(data: dict) -> dict:
    """The editable fields of a submission or of one of its saved versions."""
    fields = {key: data.get(key) for key in (*SUBMISSION_FIELDS, "status")}
    fields["screenshots"] = [
        url_for("main.screenshot", screenshot_id=i, _external=True) for i in data.get("screenshot_ids") or []
    ]
    return fields


def submission_dict(submission: Submission, content: dict) -> dict:
    return {
        "id": submission.id,
        "team_id": submission.team_id,
        "team": submission.team.name,
        "event": submission.team.event.slug,
        "version": submission.version,
        "submitted_at": iso(submission.submitted_at),
        "updated_at": iso(submission.updated_at),
        **submission_fields(content),
        "html_url": url_for("teams.project", team_id=submission.team_id, _external=True),
    }


def version_dict(version: SubmissionVersion) -> dict:
    return {
        "number": version.number,
        "author_id": version.author_id,
        "author": version.author.display_name if version.author else None,
        "created_at": iso(version.created_at),
        "changed": version.changed,
        "data": version.data,
    }


def registration_dict(registration: Registration) -> dict:
    user = registration.user
    return {
        "user_id": user.id,
        "display_name": user.display_name,
        "email": user.email,
        "registered_at": iso(registration.created_at),
    }


def project_dict(submission: Submission, content: dict) -> dict:
    """A project as the public gallery shows it: the submitted content and credited names."""
    names = {m.user_id: m.user.display_name for m in submission.team.memberships}
    return {
        "id": submission.id,
        "team_id": submission.team_id,
        "team": submission.team.name,
        **{k: v for k, v in submission_fields(content).items() if k != "credited_user_ids"},
        "credits": [names[i] for i in content.get("credited_user_ids") or [] if i in names],
        "html_url": url_for("teams.project", team_id=submission.team_id, _external=True),
    }
