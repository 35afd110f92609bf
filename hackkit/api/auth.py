"""Who the API thinks you are: the bearer token, looked up once per request."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from hackkit.api import bp
from hackkit.errors import error_response
from hackkit.extensions import db
from hackkit.services import tokens
from hackkit.services.errors import Unauthorized

_INVALID = "invalid"


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def current_bearer():
    """(user, ApiToken) for a live bearer token, None without one, "invalid" for a bad one.

    Cached on g: the rate limiter asks first (its key is the token id), then the API itself.
    """
    if "hk_bearer" not in g:
        token = _bearer()
        if token is None:
            g.hk_bearer = None
        else:
            g.hk_bearer = tokens.user_for_token(db.session, token) or _INVALID
    return g.hk_bearer


@bp.before_request
def identify_caller():
    """Set g.api_user from a bearer token; a bad or revoked token is an error, not anonymity."""
    g.api_user = None
    g.api_token = None
    found = current_bearer()
    if found == _INVALID:
        return error_response(
            401,
            _("This API token is not valid or has been revoked."),
            headers={"WWW-Authenticate": 'Bearer realm="hackkit"'},
        )
    if found is not None:
        g.api_user, g.api_token = found
    return None


def require_api_user():
    """The caller's account; 401 without a token. (Read-only tokens that write are refused
    before any view runs: api/helpers.py.)"""
    if g.api_user is None:
        raise Unauthorized(_("Send an API token: Authorization: Bearer <token>."))
    return g.api_user


@bp.route("/me")
def me():
    user = require_api_user()
    return jsonify(
        {
            "id": user.id,
            "display_name": user.display_name,
            "email": user.email,
            "role": user.role,
            "skills": user.skills,
            "languages": user.languages,
            "bio": user.bio,
            "looking_for_team": user.looking_for_team,
        }
    )
