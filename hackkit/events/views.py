"""Event pages: the event itself, its challenges, announcements and organizer tools."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from hackkit.extensions import db
from hackkit.services import events

bp = Blueprint("events", __name__, url_prefix="/events")


@bp.route("/<slug>")
def detail(slug: str):
    event = events.get_event(db.session, current_user, slug)
    return render_template("events/detail.html", event=event)
