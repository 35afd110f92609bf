"""Rate limits on what residents write: counted per account, so one person cannot flood the
public lists, while a whole venue behind one address can still take part."""

from __future__ import annotations

from flask import g
from flask_limiter.util import get_remote_address
from flask_login import current_user

from hackkit.extensions import limiter

FEEDBACK_LIMIT = "10 per hour"
PROPOSAL_LIMIT = "5 per hour"
VOTE_LIMIT = "60 per minute"


def _account_key() -> str:
    user = getattr(g, "api_user", None) or current_user
    if getattr(user, "is_authenticated", False):
        return f"account:{user.id}"
    return "address:" + get_remote_address()


def _succeeded(response) -> bool:
    # A form sent back with a mistake, or a refusal, does not use up the allowance.
    return response.status_code < 400


def per_account(limit: str, scope: str):
    """One allowance per account and scope, shared by the web form and the API route."""
    return limiter.shared_limit(limit, scope, key_func=_account_key, methods=["POST"], deduct_when=_succeeded)
