"""Who calls the API: the bearer token of this request, looked up once.

The rate limiter asks first (its counter is per token), then the API's one security hook
(hackkit/api/auth.py). It lives outside the api package so the limiter can use it without
importing the API's blueprint.
"""

from __future__ import annotations

from flask import g, request

from hackkit.extensions import db
from hackkit.services import tokens

INVALID = "invalid"


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def current_bearer():
    """(user, ApiToken) for a live bearer token, None without one, INVALID for a bad one (cached on g)."""
    if "hk_bearer" not in g:
        token = _bearer()
        if token is None:
            g.hk_bearer = None
        else:
            g.hk_bearer = tokens.user_for_token(db.session, token) or INVALID
    return g.hk_bearer


def current_token():
    """The live token of this request, or None (anonymous, or a bad token that gets a 401)."""
    found = current_bearer()
    return found[1] if isinstance(found, tuple) else None
