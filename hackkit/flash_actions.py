"""Run one service call from a page and tell the person how it went on the next page."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash

from hackkit.services.errors import ServiceError


def attempt(action: Callable[[], object], success: str | None = None) -> bool:
    """Run `action`; flash its refusal (with each field's message) or `success`.

    Someone who may not do this at all gets the 401/403 page, as the API answers, not a
    redirect that hides the refusal in a flash message."""
    try:
        action()
    except ServiceError as error:
        if error.status in (401, 403):
            raise
        flash(str(error.message), "error")
        for messages in error.errors.values():
            for message in messages:
                flash(str(message), "error")
        return False
    if success:
        flash(success, "success")
    return True
