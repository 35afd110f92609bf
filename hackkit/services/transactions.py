"""Services roll back their own failures.

A service that changes the session is decorated with `rolls_back`: when it fails (a refusal
such as Invalid or Conflict, or anything else), the changes it began are rolled back before
the error reaches its caller, so a page that shows the refusal, the API and the command line
never clean up after it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.orm import Session

P = ParamSpec("P")
R = TypeVar("R")


def rolls_back(service: Callable[P, R]) -> Callable[P, R]:
    """The service's first argument is the session it works in."""

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        session: Session = args[0] if args else kwargs["session"]  # a Session or Flask-SQLAlchemy's scoped one
        try:
            return service(*args, **kwargs)
        except BaseException:
            session.rollback()
            raise

    return run
