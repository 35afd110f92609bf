"""One place that turns failures into an HTML page or the JSON error shape of DESIGN.md."""

from __future__ import annotations

import logging
import time

from flask import Flask, Request, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.formparser import FormDataParser

from hackkit.services import account_cache
from hackkit.services.errors import ServiceError

log = logging.getLogger(__name__)


class CutOffUpload(BadRequest):
    """A multipart body that ends before its closing boundary: a dropped connection, or a
    Content-Length smaller than what was sent. Werkzeug would quietly hand the view an empty
    form, which then complains about a missing file or an expired form; say what happened."""


class _FormParser(FormDataParser):
    def parse(self, stream, mimetype, content_length, options=None):
        if mimetype != "multipart/form-data":
            return super().parse(stream, mimetype, content_length, options)
        try:
            return self._parse_multipart(stream, mimetype, content_length, options or {})
        except ValueError as error:
            raise CutOffUpload(_("The upload was cut off or garbled on its way. Send it again.")) from error


class HubRequest(Request):
    form_data_parser_class = _FormParser


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(
    status: int, message: str, errors: dict | None = None, headers: dict | None = None, details: dict | None = None
):
    if wants_json():
        body = {**(details or {}), "ok": False, "error": str(message), "status": status}
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
        return error_response(error.status, error.message, error.errors, details=error.details)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return error_response(
            400, _("This form has expired or was not sent from this site. Go back, reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.response is not None and error.code == 429:
            return error.response  # a limit that answers on its own page (the sign-up form)
        status = error.code or 500
        headers = {}
        if status == 429:
            # The log-in limits know their own window; Flask-Limiter's are asked otherwise.
            seconds = getattr(error, "retry_after", None) or seconds_until_reset()
            headers["Retry-After"] = str(seconds)
        if status == 405 and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        if status == 413:
            mb = app.config["HACKKIT_MAX_UPLOAD_MB"]
            message = _("The upload is too large: the limit is %(mb)d MB.", mb=mb)
        elif status == 429 and wants_json():
            message = _(
                "Too many requests (limit: %(limit)s). Try again in %(seconds)d seconds.",
                limit=error.description,
                seconds=seconds,
            )
        elif isinstance(error, CutOffUpload):
            message = error.description
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

    @app.errorhandler(StaleDataError)
    @app.errorhandler(ObjectDeletedError)
    def row_gone_underneath(error):
        # A row this request held was changed or deleted by someone else first. So far only a
        # kept account can be that old (hackkit/services/account_cache.py): the person's account
        # was deleted on another worker. Forget what this worker keeps and ask who this is again.
        _rollback_quietly()
        account_cache.forget_everything()
        g.pop("_login_user", None)  # Flask-Login reads the account again (gone: signed out)
        log.warning("a row changed underneath %s %s: %s", request.method, request.path, error)
        return error_response(409, _("Something changed at the same moment. Reload the page and try again."))

    @app.errorhandler(DataError)
    def value_the_database_refuses(error):
        # A value no column can hold or be compared with (a NUL character in PostgreSQL text,
        # a number out of range) is bad input that got past a service check: a 400, not
        # "the database is down". Services check what they expect; this is the safety net.
        _rollback_quietly()
        log.warning("value refused by the database on %s %s: %s", request.method, request.path, error.orig)
        return error_response(
            400, _("A value in this request cannot be stored or looked up, such as a NUL character. Nothing changed.")
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


def seconds_until_reset() -> int:
    """When the breached limit's window ends (at least a second); a minute if unknown."""
    from hackkit.extensions import limiter

    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()))


def _rollback_quietly() -> None:
    from hackkit.extensions import db

    try:
        db.session.rollback()
    except Exception:  # the connection itself may be gone; the next request starts clean
        log.debug("rollback after a failed request also failed", exc_info=True)
