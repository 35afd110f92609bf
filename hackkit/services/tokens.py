"""API tokens: issued for a password, presented as a bearer, stored as a hash."""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from hackkit.models import ApiToken, User
from hackkit.models.base import utcnow
from hackkit.services.errors import Invalid

TOKEN_PREFIX = "hk_"  # noqa: S105 (a prefix, not a secret) lets secret scanners and people recognise a leaked hackkit token


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, name: str = "api", scope: str = "write") -> str:
    """Create a token and return it in clear: the only time anyone sees it."""
    name = " ".join((name or "api").split())[:80] or "api"
    if scope not in ("read", "write"):
        raise Invalid(_l("Scope is read or write."), {"scope": [_l("Scope is read or write.")]})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user=user, name=name, scope=scope, token_hash=_digest(token)))
    session.commit()
    return token


def user_for_token(session: Session, token: str) -> tuple[User, ApiToken] | None:
    """The live token's owner, or None; records when the token was last used."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    record = session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == _digest(token), ApiToken.revoked_at.is_(None))
    )
    if record is None:
        return None
    now = utcnow()
    # Write at most once a minute per token: a busy script must not turn reads into writes.
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
        record.last_used_at = now
        session.commit()
    return record.user, record
