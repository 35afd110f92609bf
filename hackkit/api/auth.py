"""Who the API thinks you are, and what your token lets you do: the API's one security hook.

`check_caller` is the only before_request of the API blueprint (hackkit/api/__init__.py
registers it; tests/api/test_security_order.py checks that nothing else does). It runs after
the rate limiter's check and before any view.
"""

from __future__ import annotations

from flask import g, request
from flask_babel import gettext as _

from hackkit.bearer import INVALID, current_bearer
from hackkit.errors import error_response
from hackkit.services.errors import Unauthorized

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def check_caller():
    """1. Set g.api_user/g.api_token from the bearer token; a bad or revoked token is an
    error, not anonymity. 2. Refuse every write of a read-only token: the one place a
    token's scope is enforced, for every write method on every route."""
    g.api_user = None
    g.api_token = None
    found = current_bearer()
    if found == INVALID:
        return error_response(
            401,
            _("This API token is not valid or has been revoked."),
            headers={"WWW-Authenticate": 'Bearer realm="hackkit"'},
        )
    if found is not None:
        g.api_user, g.api_token = found
    token = g.api_token
    if token is not None and token.scope != "write" and request.method not in READ_METHODS:
        return error_response(
            403,
            _(
                "This token is read-only: it cannot %(method)s. Create a read-write token on your account page.",
                method=request.method,
            ),
        )
    return None


def require_api_user():
    """The caller's account; 401 without a token. (Read-only tokens that write are refused
    before any view runs: check_caller.)"""
    if g.api_user is None:
        raise Unauthorized(_("Send an API token: Authorization: Bearer <token>."))
    return g.api_user
