"""API tokens: issued for a password, presented as a bearer, stored as a hash."""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm
from sqlalchemy.orm import Session

from hackkit.models import ApiToken, User
from hackkit.models.base import utcnow
from hackkit.services import account_cache
from hackkit.services.errors import Invalid, NotFound, Unauthorized

TOKEN_PREFIX = "hk_"  # noqa: S105 (a prefix, not a secret) lets secret scanners and people recognise a leaked hackkit token
SCOPES = ("read", "write")
# Write last_used_at at most this often per token: a busy script must not turn reads into writes.
LAST_USED_RESOLUTION_SECONDS = 60


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_account(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise Unauthorized(_l("Log in first."))


def create_token(session: Session, user: User, name: str = "api", scope: str = "write") -> tuple[ApiToken, str]:
    """Create a token; returns the record and the secret in clear (the only time anyone sees it)."""
    _require_account(user)
    name = " ".join((name or "").split())[:80] or "api"
    if scope not in SCOPES:
        raise Invalid(_l("Scope is read or write."), {"scope": [_l("Scope is read or write.")]})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(user=user, name=name, scope=scope, token_hash=_digest(token))
    session.add(record)
    session.commit()
    return record, token


def issue_token(session: Session, user: User, name: str = "api", scope: str = "write") -> str:
    """Create a token and return only its secret (for scripts and tests that need just that)."""
    return create_token(session, user, name=name, scope=scope)[1]


# Built once: the account page asks on every visit.
_TOKENS_OF = (
    sa.select(ApiToken)
    .where(ApiToken.user_id == sa.bindparam("user_id"))
    .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
)


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """The account's own tokens, live ones first, newest first."""
    _require_account(user)
    return list(session.scalars(_TOKENS_OF, {"user_id": user.id}))


def revoke_token(session: Session, user: User, token_id: int) -> ApiToken:
    """Revoke one of the account's own tokens; someone else's is 'not found', so ids leak nothing."""
    _require_account(user)
    record = session.get(ApiToken, token_id)
    if record is None or record.user_id != user.id:
        raise NotFound(_l("There is no such token on your account."))
    if record.revoked_at is None:  # revoking twice keeps the first time
        record.revoked_at = utcnow()
        session.commit()
    return record


def revoke_all_tokens(session: Session, user: User) -> int:
    """Revoke every live token of the account (a new password: whoever had the old one may
    have made tokens with it). Does not commit: the caller's password change does, with it."""
    return session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount


# Asked on every API call with a token (each save of an event day): built once, not per call.
_LIVE_TOKEN = (
    sa.select(ApiToken)
    .where(ApiToken.token_hash == sa.bindparam("token_hash"), ApiToken.revoked_at.is_(None))
    .options(orm.joinedload(ApiToken.user, innerjoin=True))  # one statement for both
)


def user_for_token(session: Session, token: str) -> tuple[User, ApiToken] | None:
    """The live token's owner, or None; records when the token was last used."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    digest = _digest(token)
    now = utcnow()
    cache = account_cache.current()  # at most HACKKIT_PUBLIC_CACHE_SECONDS old (a revoked token too)
    if cache is not None:
        kept = cache.get(session, account_cache.token_key(digest))
        if kept is not None and not _last_use_due(kept[1], now):
            user, record = kept
            orm.attributes.set_committed_value(record, "user", user)
            return user, record
        generation = cache.generation
    record = session.scalar(_LIVE_TOKEN, {"token_hash": digest})
    if record is None:
        return None
    if _last_use_due(record, now):
        record.last_used_at = now
        session.commit()  # kept from the next call on: the commit leaves the rows to be read again
    elif cache is not None:
        cache.put(account_cache.token_key(digest), (record.user, record), record.user_id, generation)
    return record.user, record


def _last_use_due(record: ApiToken, now) -> bool:
    return record.last_used_at is None or (now - record.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
