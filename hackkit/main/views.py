"""The home page, the language switch and the health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from hackkit import i18n
from hackkit.auth.redirects import safe_next
from hackkit.extensions import csrf, db
from hackkit.models import Event
from hackkit.services import screenshots
from hackkit.shared_pages import shared_for_signed_in
from hackkit.stored_files import send_stored

bp = Blueprint("main", __name__)


@bp.route("/")
@shared_for_signed_in  # where a log-in lands: rendered once per role, as visitors' copy is
def index():
    events = db.session.scalars(sa.select(Event).where(Event.visibility == "published").order_by(Event.starts_at)).all()
    return render_template("main/index.html", events=events)


@bp.route("/language", methods=["POST"])
@csrf.exempt
def set_language():
    # Visitors who are not signed in get pages without a CSRF token, so that those pages are
    # the same for all of them and can be served from the public page cache (hackkit.pagecache);
    # another site switching such a visitor's language changes one cookie. A signed-in choice
    # is saved on the account, so there the token is required.
    if current_user.is_authenticated:
        csrf.protect()
    i18n.remember_choice(request.form.get("lang", ""))
    return redirect(safe_next(request.form.get("next"), url_for("main.index")))


@bp.route("/screenshots/<int:screenshot_id>")
def screenshot(screenshot_id: int):
    stored, content_type, for_everyone = screenshots.visible_screenshot(db.session, current_user, screenshot_id)
    response = send_stored(stored, mimetype=content_type, max_age=3600)
    if not for_everyone:  # a draft, or an unpublished event's: no shared cache may keep it
        response.headers["Cache-Control"] = "private, max-age=0, must-revalidate"
        response.vary.add("Cookie")
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/healthz")
def healthz():
    # A real round trip: a hub that cannot reach its database is not healthy.
    # Errors propagate to the 503 handler, which answers in the same JSON shape.
    db.session.execute(sa.text("SELECT 1"))
    return jsonify({"ok": True})
