"""/me, "My hackathons": one page with the person's events, teams, projects and feedback."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from hackkit.extensions import db
from hackkit.services import participation
from hackkit.teams import bp


@bp.route("/me")
@login_required
def my_hackathons():
    return render_template("teams/mine.html", rows=participation.my_hackathons(db.session, current_user))
