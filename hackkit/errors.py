"""One place that turns failures into an HTML page or the JSON error shape of DESIGN.md."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from hackkit.services.errors import ServiceError

log = logging.getLogger(__name__)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, message: str, errors: dict | None = None, headers: dict | None = None):
    if wants_json():
        body = {"ok": False, "error": str(message), "status": status}
        if errors:
            body["errors"] = {field: [str(m) for m in msgs] for field, msgs in errors.items()}
        response = jsonify(body)
    else:
        # The 503 page leaves out the account menu: drawing it would query the dead database.
        response = make_response(
            render_template("errors/error.html", status=status, message=str(message), minimal=status == 503)
        )
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _message_for(status: int, default: str) -> str:
    messages = {
        400: _("The request could not be understood."),
        401: _("Log in first."),
        403: _("You do not have permission to see this."),
        404: _("This page does not exist."),
        405: _("This address does not accept that kind of request."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Wait a minute and try again."),
        500: _("Something went wrong on our side. It has been logged."),
        503: _("The database cannot be reached right now. Try again in a minute."),
    }
    return messages.get(status, default)


def init_app(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        return error_response(error.status, error.message, error.errors)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return error_response(
            400, _("This form has expired or was not sent from this site. Go back, reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        headers = {}
        if status == 429:
            headers["Retry-After"] = "60"
        if status == 405 and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        if status == 413:
            mb = app.config["HACKKIT_MAX_UPLOAD_MB"]
            message = _("The upload is too large: the limit is %(mb)d MB.", mb=mb)
        else:
            message = _message_for(status, error.description or "")
        return error_response(status, message, headers=headers)

    @app.errorhandler(IntegrityError)
    def changed_at_the_same_moment(error):
        # Services turn the races they expect into a Conflict with their own words; this is
        # the safety net for any other: the database refused the write, nothing was saved.
        _rollback_quietly()
        log.warning("write refused by a database constraint on %s %s: %s", request.method, request.path, error.orig)
        return error_response(409, _("Something changed at the same moment. Reload the page and try again."))

    @app.errorhandler(DataError)
    def value_the_database_refuses(error):
        # Bad input that only the database notices, e.g. a NUL byte in any text (PostgreSQL
        # refuses it in every string, also in a lookup by slug): the client's mistake, not an
        # outage, and the statement was rolled back, so nothing was saved.
        _rollback_quietly()
        log.warning("value refused by the database on %s %s: %s", request.method, request.path, error.orig)
        return error_response(
            400, _("The request holds a value the database cannot store, such as a NUL character. Nothing was saved.")
        )

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_down(error):
        if "database is locked" in str(error.orig):  # SQLite: another write is still going on
            _rollback_quietly()
            return error_response(503, _("The hub is busy. Try again in a moment."), headers={"Retry-After": "2"})
        _rollback_quietly()
        log.warning("database unavailable: %s", error.__class__.__name__)
        return error_response(503, _message_for(503, ""), headers={"Retry-After": "30"})

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        _rollback_quietly()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, _message_for(500, ""))


def _rollback_quietly() -> None:
    from hackkit.extensions import db

    try:
        db.session.rollback()
    except Exception:  # the connection itself may be gone; the next request starts clean
        log.debug("rollback after a failed request also failed", exc_info=True)
