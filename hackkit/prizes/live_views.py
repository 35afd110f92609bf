"""The projector view (/events/<slug>/live), its presenter, and the small JSON they poll.

The pages are drawn by the server and then kept current by static/js/live.js, which asks the
.json twin every few seconds; without the script the page shows the state when it was loaded.
"""

from __future__ import annotations

from flask import jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from hackkit.events.forms import ConfirmForm
from hackkit.extensions import db
from hackkit.permissions import require
from hackkit.prizes import bp
from hackkit.services import ceremony, events

POLL_SECONDS = 3


def _no_store(response):
    # The ceremony changes from one second to the next: no cache may keep an old step.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/events/<slug>/live")
def live(slug: str):
    event = events.get_event(db.session, current_user, slug)
    state = ceremony.live_state(db.session, event)
    return render_template("prizes/live.html", event=event, state=state, poll=POLL_SECONDS, presenter=False)


@bp.route("/events/<slug>/live.json")
def live_json(slug: str):
    event = events.get_event(db.session, current_user, slug)
    return _no_store(jsonify(ceremony.live_state(db.session, event)))


@bp.route("/events/<slug>/live/presenter")
@login_required
def presenter(slug: str):
    require(current_user, "events.manage")
    event = events.get_event(db.session, current_user, slug)
    state = ceremony.presenter_state(db.session, current_user, event)
    return render_template(
        "prizes/presenter.html", event=event, state=state, form=ConfirmForm(), poll=POLL_SECONDS, presenter=True
    )


@bp.route("/events/<slug>/live/presenter.json")
@login_required
def presenter_json(slug: str):
    require(current_user, "events.manage")
    event = events.get_event(db.session, current_user, slug)
    return _no_store(jsonify(ceremony.presenter_state(db.session, current_user, event)))


@bp.route("/events/<slug>/live/step", methods=["POST"])
@login_required
def step(slug: str):
    """start / next / previous / stop; a form post (buttons) or a fetch from the keyboard (JSON back).

    CSRFProtect checks the token of every POST (the fetch sends it in X-CSRFToken)."""
    require(current_user, "events.manage")
    event = events.get_event(db.session, current_user, slug)
    state = ceremony.step_ceremony(db.session, current_user, event, request.form.get("action", ""))
    if request.accept_mimetypes.best == "application/json":
        return _no_store(jsonify(state))
    return redirect(url_for("prizes.presenter", slug=event.slug))
