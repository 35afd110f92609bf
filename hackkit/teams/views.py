"""Team pages (being built): the endpoints the API links to."""

from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("teams", __name__)


@bp.route("/teams/<int:team_id>")
def detail(team_id: int):
    abort(404)


@bp.route("/join/<code>")
def invite(code: str):
    abort(404)


@bp.route("/teams/<int:team_id>/project")
def project(team_id: int):
    abort(404)
