"""Small pieces every API view uses: the caller, the JSON body, CSV responses."""

from __future__ import annotations

from flask import Response, g, request
from flask_babel import gettext as _

from hackkit.api import bp
from hackkit.api.auth import require_api_user
from hackkit.errors import error_response
from hackkit.services.errors import Invalid

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@bp.before_request
def refuse_writes_with_read_only_tokens():
    """The one place a read token's scope is enforced: every write method, every route.

    Registered after api.auth.identify_caller (this module imports it), so g.api_token is set.
    """
    token = g.get("api_token")
    if token is not None and token.scope != "write" and request.method not in READ_METHODS:
        return error_response(
            403,
            _(
                "This token is read-only: it cannot %(method)s. Create a read-write token on your account page.",
                method=request.method,
            ),
        )
    return None


def caller():
    """The token's account, or None for an anonymous read."""
    return g.api_user


def writer():
    """The caller of a write (read-only tokens never get this far)."""
    return require_api_user()


def json_body() -> dict:
    body = request.get_json(silent=True)
    if body is None and request.content_length:
        raise Invalid(_("The body must be JSON."))
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise Invalid(_("The body must be a JSON object."))
    return body


def csv_response(text: str, filename: str) -> Response:
    # A BOM makes Excel open the file as UTF-8 instead of the local code page.
    return Response(
        "\ufeff" + text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
