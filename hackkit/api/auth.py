"""Tokens for scripts, and who the API thinks you are."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from hackkit.api import bp
from hackkit.auth.limits import login_limits
from hackkit.errors import error_response
from hackkit.extensions import db
from hackkit.services import accounts, tokens
from hackkit.services.errors import Unauthorized


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


@bp.before_request
def identify_caller():
    """Set g.api_user from a bearer token; a bad token is an error, not anonymity."""
    g.api_user = None
    g.api_token = None
    token = _bearer()
    if token is None:
        return None
    found = tokens.user_for_token(db.session, token)
    if found is None:
        return error_response(
            401,
            _("This API token is not valid or has been revoked."),
            headers={"WWW-Authenticate": 'Bearer realm="hackkit"'},
        )
    g.api_user, g.api_token = found
    return None


def require_api_user(write: bool = False):
    """The caller's account; 401 without a token, 403 for a read-only token that writes."""
    if g.api_user is None:
        raise Unauthorized(_("Send an API token: Authorization: Bearer <token>."))
    if write and g.api_token.scope != "write":
        from hackkit.services.errors import Forbidden

        raise Forbidden(_("This token is read-only."))
    return g.api_user


@bp.route("/tokens", methods=["POST"])
@login_limits
def create_token():
    credentials = request.authorization
    if credentials is None or credentials.type != "basic":
        return error_response(
            401,
            _("Send your e-mail address and password with HTTP Basic authentication."),
            headers={"WWW-Authenticate": 'Basic realm="hackkit"'},
        )
    try:
        user = accounts.authenticate(db.session, credentials.username or "", credentials.password or "")
    except Unauthorized as error:
        return error_response(401, str(error.message), headers={"WWW-Authenticate": 'Basic realm="hackkit"'})
    body = request.get_json(silent=True) or {}
    if not isinstance(body, dict):
        body = {}
    name = body.get("name") if isinstance(body.get("name"), str) else "api"
    scope = body.get("scope") if isinstance(body.get("scope"), str) else "write"
    token = tokens.issue_token(db.session, user, name=name, scope=scope)
    return jsonify({"token": token, "name": name, "scope": scope}), 201


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
