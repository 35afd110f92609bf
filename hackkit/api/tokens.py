"""API tokens: get one for a password, list yours, revoke one."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from hackkit.api import bp
from hackkit.api.auth import require_api_user
from hackkit.api.helpers import writer
from hackkit.auth.limits import checked_password
from hackkit.errors import error_response
from hackkit.extensions import db
from hackkit.models import ApiToken
from hackkit.services import accounts
from hackkit.services import tokens as token_service
from hackkit.services.errors import Invalid, Unauthorized


def token_json(record: ApiToken, current: ApiToken | None = None) -> dict:
    """What a token's owner may see of it: everything but the secret and its hash."""

    def when(moment):
        return moment.isoformat() if moment else None

    return {
        "id": record.id,
        "name": record.name,
        "scope": record.scope,
        "created_at": when(record.created_at),
        "last_used_at": when(record.last_used_at),
        "revoked_at": when(record.revoked_at),
        "current": current is not None and record.id == current.id,
    }


def _basic_challenge(message: str):
    return error_response(401, message, headers={"WWW-Authenticate": 'Basic realm="hackkit"'})


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


@bp.route("/tokens", methods=["POST"])
def create_token():
    # The body first: an oversized one is a 413 before any password is looked at
    # (get_json(silent=True) alone would swallow the 413 and treat the body as empty).
    request.get_data(cache=True)
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    name = body.get("name") if body.get("name") is not None else "api"
    scope = body.get("scope") if body.get("scope") is not None else "write"
    if not isinstance(name, str):
        raise Invalid(_("The name must be a string."), {"name": [_("The name must be a string.")]})
    if not isinstance(scope, str):
        scope = ""  # the service explains what a scope may be
    credentials = request.authorization
    if credentials is None or credentials.type != "basic":
        return _basic_challenge(_("Send your e-mail address and password with HTTP Basic authentication."))
    try:
        email = credentials.username or ""
        user = checked_password(email, lambda: accounts.authenticate(db.session, email, credentials.password or ""))
    except Unauthorized as error:
        return _basic_challenge(str(error.message))
    record, secret = token_service.create_token(db.session, user, name=name, scope=scope)
    return jsonify({"token": secret, **token_json(record)}), 201


@bp.get("/tokens")
def list_tokens():
    user = require_api_user()
    listed = token_service.list_tokens(db.session, user)
    return jsonify({"tokens": [token_json(record, g.api_token) for record in listed]})


@bp.delete("/tokens/<int:token_id>")
def revoke_token(token_id: int):
    record = token_service.revoke_token(db.session, writer(), token_id)
    return jsonify(token_json(record))
