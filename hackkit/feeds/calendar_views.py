"""The calendars: an event's schedule, a person's own at a secret address, and its reset."""

from __future__ import annotations

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackkit.extensions import db
from hackkit.feeds import bp
from hackkit.feeds.ical import build_calendar
from hackkit.services import calendars, feeds

ICS = "text/calendar; charset=utf-8"


def _calendar_response(body: bytes, filename: str, cache: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = ICS
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = cache
    return response


@bp.route("/events/<slug>/schedule.ics")
def event_schedule(slug: str):
    event = feeds.public_event(db.session, slug)
    body = build_calendar(event.name, calendars.event_schedule(event), request.host, event.timezone)
    return _calendar_response(body, f"{event.slug}.ics", "public, max-age=300")


@bp.route("/calendar/<secret>.ics")
def personal_calendar(secret: str):
    owner = calendars.owner_of_calendar(db.session, secret)
    body = build_calendar(_("My hackathons"), calendars.personal_schedule(db.session, owner), request.host)
    # The address is the password: no shared cache (nor the public page cache) may keep it.
    return _calendar_response(body, "hackkit.ics", "private, no-store")


@bp.route("/account/calendar", methods=["POST"])
@login_required
def reset_calendar():
    """A new secret address for the person's calendar; shown once, as API tokens are.
    (CSRFProtect checks the form's token before this runs.)"""
    secret = calendars.reset_calendar_secret(db.session, current_user)
    address = url_for("feeds.personal_calendar", secret=secret, _external=True)
    return render_template("feeds/calendar_address.html", address=address)
