"""Small pieces every API view uses: the caller, the JSON body, CSV responses."""

from __future__ import annotations

from flask import Response, g, request
from flask_babel import gettext as _

from hackkit.api.auth import require_api_user
from hackkit.services.errors import Invalid


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
