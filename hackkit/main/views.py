"""The home page, the language switch and the health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from hackkit import i18n
from hackkit.auth.redirects import safe_next
from hackkit.extensions import db
from hackkit.models import Event

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    events = db.session.scalars(sa.select(Event).where(Event.visibility == "published").order_by(Event.starts_at)).all()
    return render_template("main/index.html", events=events)


@bp.route("/language", methods=["POST"])
def set_language():
    i18n.remember_choice(request.form.get("lang", ""))
    return redirect(safe_next(request.form.get("next"), url_for("main.index")))


@bp.route("/healthz")
def healthz():
    # A real round trip: a hub that cannot reach its database is not healthy.
    # Errors propagate to the 503 handler, which answers in the same JSON shape.
    db.session.execute(sa.text("SELECT 1"))
    return jsonify({"ok": True})
