"""Password reset by e-mail: a signed link that works once and expires.

Why signed tokens and not a table of hashed tokens: the link is an itsdangerous
signature (HACKKIT_SECRET_KEY, its own salt) over the account id and a fingerprint of
the account's current password hash, stamped with the time it was made. Setting a
password writes a new argon2 hash (a fresh random salt, even for the same password),
so the fingerprint of every link sent before stops matching: using one link, a
password change, or an administrator's reset voids all outstanding links at once.
Single use also holds under concurrency: the new password is written with
`UPDATE ... WHERE password_hash = <the hash the link was made for>`, so of two requests
racing with one link exactly one changes a row, and the other is refused. Expiry is
itsdangerous' max_age. No table, no migration, nothing to clean up.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from hackkit.models import User
from hackkit.models.base import utcnow
from hackkit.models.user import new_session_token
from hackkit.services import accounts, mail, passwords, tokens
from hackkit.services.errors import Invalid, ServiceError

SALT = "hackkit.password-reset"
log = logging.getLogger(__name__)


class LinkNotValid(ServiceError):
    """The reset link is expired, already used, or not one this hub made."""

    status = 400

    def __init__(self, reason: str):
        messages = {
            "expired": _l("This password-reset link has expired."),
            "used": _l(
                "This password-reset link has already been used, or the password was changed since it was sent."
            ),
            "broken": _l("This password-reset link is not valid. Check that you copied all of it."),
        }
        super().__init__(messages[reason])
        self.reason = reason


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.id}:{user.email}:{user.password_hash}".encode()).hexdigest()[:24]


def _serializer(secret_key: str, now: datetime | None) -> URLSafeTimedSerializer:
    class Signer(TimestampSigner):
        # The clock is a parameter so the tests can make a link "an hour ago".
        def get_timestamp(self) -> int:
            return int((now or utcnow()).timestamp())

    return URLSafeTimedSerializer(secret_key, salt=SALT, signer=Signer)


def make_token(user: User, secret_key: str, now: datetime | None = None) -> str:
    return _serializer(secret_key, now).dumps([user.id, _fingerprint(user)])


def check_token(session: Session, token: str, *, secret_key: str, minutes: int, now: datetime | None = None) -> User:
    """The account this link may set a password for; LinkNotValid otherwise."""
    try:
        payload = _serializer(secret_key, now).loads(token, max_age=minutes * 60)
    except SignatureExpired as error:
        raise LinkNotValid("expired") from error
    except BadSignature as error:
        raise LinkNotValid("broken") from error
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)):
        raise LinkNotValid("broken")
    user = session.get(User, payload[0])
    if user is None or _fingerprint(user) != payload[1]:
        raise LinkNotValid("used")
    return user


def request_reset(
    session: Session,
    email: str,
    base_url: str,
    path_for: Callable[[str], str],
    *,
    config: Mapping,
    now: datetime | None = None,
) -> None:
    """Mail a reset link if an account has this address; the caller cannot tell whether one does.

    `base_url` is the hub's public address; empty means none is known for certain, and then
    nothing is sent rather than a link whose host a stranger may have chosen.
    """
    address = accounts.normalise_email(email or "")  # Invalid for a malformed address only
    user = accounts.find_by_email(session, address)
    if user is None:
        return
    if not base_url:
        log.error("not sending a password-reset e-mail to %s: set HACKKIT_PUBLIC_URL to the hub's address", user.email)
        return
    minutes = config["HACKKIT_PASSWORD_RESET_MINUTES"]
    link = base_url.rstrip("/") + path_for(make_token(user, config["SECRET_KEY"], now))
    settings = mail.MailSettings.from_config(config)
    with force_locale(user.locale or "en"):
        subject = _("Choose a new hackkit password")
        body = _(
            "Hello %(name)s,\n\n"
            "Someone, hopefully you, asked to reset the password of the hackkit account "
            "for %(email)s. Open this link to choose a new password:\n\n%(link)s\n\n"
            "The link works once, for %(minutes)d minutes. If you did not ask for this, "
            "ignore this e-mail: your password stays as it is.\n",
            name=user.display_name,
            email=user.email,
            link=link,
            minutes=minutes,
        )
    mail.send_later(settings, mail.compose(settings, user.email, subject, body))


def reset_password(
    session: Session, token: str, new_password: str, *, secret_key: str, minutes: int, now: datetime | None = None
) -> User:
    """Set the password this link was sent for and sign the account out everywhere."""
    user = check_token(session, token, secret_key=secret_key, minutes=minutes, now=now)
    problems = passwords.password_problems(new_password or "", user.email, user.display_name)
    if problems:
        raise Invalid(problems[0], {"password": problems})
    new_hash = passwords.hash_password(new_password)
    changed = session.execute(
        sa.update(User)
        .where(User.id == user.id, User.password_hash == user.password_hash)
        .values(password_hash=new_hash, session_token=new_session_token())
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:  # another request used this link (or changed the password) a moment ago
        session.rollback()
        raise LinkNotValid("used")
    tokens.revoke_all_tokens(session, user)  # in the same transaction as the new password
    session.commit()
    session.refresh(user)
    return user
