"""CKAN's Action API envelope: reading an action's arguments, calling it, and answering
`{"help", "success", "result"}` or `{"help", "success": false, "error": {"__type", ...}}`
with CKAN's status codes, so CKAN clients (ckanapi, frictionless, harvesters) work unchanged.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, g, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import DataError, DBAPIError
from werkzeug.exceptions import HTTPException

from hackkit.errors import seconds_until_reset
from hackkit.extensions import db
from hackkit.services import tokens
from hackkit.services.errors import Forbidden, NotFound, ServiceError, Unauthorized

log = logging.getLogger(__name__)

Action = Callable[[dict[str, Any]], Any]
ACTIONS: dict[str, Action] = {}


def action(name: str) -> Callable[[Action], Action]:
    """Register a read-only action under its CKAN name (all of ours are side-effect free)."""

    def register(function: Action) -> Action:
        ACTIONS[name] = function
        return function

    return register


class CkanError(Exception):
    """An error in CKAN's own terms: its `__type`, HTTP status, message and field errors."""

    def __init__(self, kind: str, status: int, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.kind, self.status, self.message, self.fields = kind, status, message, fields or {}


def invalid(field: str, message: str) -> CkanError:
    """A bad parameter: CKAN's Validation Error (409) naming the field."""
    return CkanError("Validation Error", 409, message, {field: [message]})


def not_found(detail: str = "") -> CkanError:
    # CKAN's wording: "Not found" or "Not found: <detail>"; ckanapi keeps what follows ": ".
    return CkanError("Not Found Error", 404, _("Not found") + (": " + detail if detail else ""))


def _from_service(error: ServiceError) -> CkanError:
    message = str(error.message)
    if isinstance(error, NotFound):
        return not_found(message)
    if isinstance(error, (Forbidden, Unauthorized)):
        return CkanError("Authorization Error", 403, _("Access denied") + ": " + message)
    fields = {field: [str(m) for m in msgs] for field, msgs in error.errors.items()}
    return CkanError("Validation Error", 409, message, fields)


def _plain(values) -> dict[str, Any]:
    # A key given more than once becomes a list, as in CKAN.
    return {key: items[0] if len(items) == 1 else items for key, items in values.to_dict(flat=False).items()}


def _json_object(text: str | bytes) -> dict[str, Any]:
    try:
        body = json.loads(text)
    except ValueError:
        raise CkanError("Bad Request", 400, _("Bad request - JSON Error: the body is not valid JSON.")) from None
    if not isinstance(body, dict):
        raise CkanError("Bad Request", 400, _("Bad request - JSON Error: the body must be a JSON object."))
    return body


def _arguments() -> dict[str, Any]:
    """The action's arguments: the query string, then form fields or a JSON body (which win)."""
    data = _plain(request.args)
    form = request.form
    if len(form) == 1 and next(iter(form.values())) in ("", "1") and next(iter(form)).lstrip().startswith("{"):
        # `curl -d '{"id": "x"}'` sends JSON labelled as a form; CKAN reads it as JSON too.
        data.update(_json_object(next(iter(form))))
    elif form:
        data.update(_plain(form))
    elif request.data and request.mimetype != "multipart/form-data":
        data.update(_json_object(request.data))
    data.pop("callback", None)  # no JSONP: a page elsewhere could read what the caller may see
    return data


def caller():
    """The account of the API token, sent as CKAN clients do (`Authorization: <token>` or
    `X-CKAN-API-Key`) or as `Authorization: Bearer <token>`; anonymous without one."""
    raw = request.headers.get("Authorization") or request.headers.get("X-CKAN-API-Key") or ""
    scheme, _sep, rest = raw.strip().partition(" ")
    if scheme.lower() == "bearer":
        token = rest.strip()
    else:
        token = raw.strip() if not rest else ""  # another scheme (Basic, ...) is not ours to read
    if not token:
        return None
    found = tokens.user_for_token(db.session, token)
    if found is None:
        raise CkanError("Authorization Error", 403, _("Access denied") + ": " + _("this API token is not valid."))
    return found[0]


def help_url(name: str) -> str:
    return url_for("ckan.action", name="help_show", _external=True) + "?" + urlencode({"name": name})


def respond(body: dict[str, Any], status: int = 200) -> Response:
    # Key order kept (CKAN clients do not care, people reading the answer do).
    text = current_app.json.dumps(body, sort_keys=False)
    return current_app.response_class(text, status=status, mimetype="application/json")


def as_ckan_error(error: Exception, name: str) -> CkanError:
    """Any failure of a CKAN call in CKAN's terms; the database's own failures roll back.
    CKAN clients expect the envelope even for a server error: the app's handler would not give it."""
    if isinstance(error, CkanError):
        return error
    if isinstance(error, ServiceError):
        return _from_service(error)
    if isinstance(error, HTTPException):  # e.g. a body over the upload limit (413)
        return CkanError(error.name, error.code or 400, str(error.description or error.name))
    try:
        db.session.rollback()
    except Exception:  # the connection itself may be gone; the next call starts clean
        log.debug("rollback after a failed CKAN call also failed", exc_info=True)
    if isinstance(error, DataError):  # a value the database refuses (a NUL in PostgreSQL text): the caller's input
        message = _("A value in this request cannot be stored or looked up, such as a NUL character. Nothing changed.")
        return CkanError("Validation Error", 409, message)
    if isinstance(error, DBAPIError):
        log.warning("database error in CKAN call %s", name, exc_info=error)
        return CkanError("Service Unavailable", 503, _("The database cannot be reached."))
    log.error("unhandled error in CKAN call %s", name, exc_info=error)
    return CkanError("Internal Server Error", 500, _("Internal Server Error"))


def dispatch(name: str) -> Response:
    envelope: dict[str, Any] = {"help": help_url(name)}
    try:
        function = ACTIONS.get(name)
        if function is None:
            raise CkanError("Bad Request", 400, _("Bad request - Action name not known: %(name)s", name=name[:100]))
        g.ckan_user = caller()
        result = function(_arguments())
    except Exception as error:
        return failure(envelope, as_ckan_error(error, name))
    envelope.update({"success": True, "result": result})
    return respond(envelope)


def rate_limited(error: HTTPException) -> Response:
    """A 429 in CKAN's envelope, with Retry-After: ckanapi then raises CKANAPIError with the
    status instead of ServerIncompatibleError."""
    seconds = seconds_until_reset()
    name = request.view_args.get("name", "") if request.view_args else ""
    message = _(
        "Too many requests (limit: %(limit)s). Try again in %(seconds)d seconds.",
        limit=error.description,
        seconds=seconds,
    )
    response = failure({"help": help_url(name)}, CkanError("Too Many Requests", 429, message))
    response.headers["Retry-After"] = str(seconds)
    return response


def failure(envelope: dict[str, Any], error: CkanError) -> Response:
    detail: dict[str, Any] = {"__type": error.kind, "message": error.message}
    detail.update(error.fields)
    envelope.update({"success": False, "error": detail})
    response = respond(envelope, error.status)
    if error.status == 503:
        response.headers["Retry-After"] = "30"  # as the rest of the hub says while the database is away
    return response
