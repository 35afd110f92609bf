"""The failures a service can report. One error handler turns them into a page or JSON."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400

    def __init__(self, message, errors: dict[str, list] | None = None, details: dict | None = None):
        super().__init__(str(message))
        self.message = message  # may be a lazy translation; rendered in the request's language
        self.errors = errors or {}
        # Extra JSON-ready keys for the API's error body (e.g. what is missing before publishing).
        self.details = details or {}


class Invalid(ServiceError):
    status = 400


class Unauthorized(ServiceError):
    status = 401


class Forbidden(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class Unreadable(ServiceError):
    """An uploaded file the importer cannot read (HTTP 422)."""

    status = 422


class WrongPassword(Invalid):
    """A password check on a form failed (password change, account deletion): a 400 on the
    form, and counted by the log-in limits like a failed log-in."""


class Unprocessable(Invalid):
    """A well-formed request that breaks a rule of its content (HTTP 422): a prize winner
    chosen against the proposal without a reason, more winners than the prize has."""

    status = 422
