"""Where someone was going when the hub asked them to log in or sign up.

An invite link (/join/<code>) or an event page sends a logged-out visitor to the log-in page
with `next=`. The log-in and sign-up pages say what waits there ("Fatima invited you to the
team Shade Seekers"), and both carry `next` on, so the person lands where they were going.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from werkzeug.exceptions import HTTPException

from hackkit.extensions import db
from hackkit.services import events, teams
from hackkit.services.errors import ServiceError


@dataclass
class Destination:
    kind: str  # "team" (an invite) or "event" (registering)
    team: object | None = None
    event: object | None = None


def destination_of(target: str | None, actor) -> Destination | None:
    """The team invite or event behind a same-site `next` URL; None for anything else."""
    if not target:
        return None
    path = urlsplit(target).path
    try:
        endpoint, args = current_app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:  # no such page, or a redirect: nothing to describe
        return None
    try:
        if endpoint == "teams.invite":
            team = teams.team_by_invite_code(db.session, actor, args["code"])
            return Destination("team", team=team, event=team.event)
        if endpoint == "events.detail":
            return Destination("event", event=events.get_event(db.session, actor, args["slug"]))
    except ServiceError:  # a stale invite code or a hidden event: the page itself will say so
        return None
    return None
