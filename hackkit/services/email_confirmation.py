"""E-mail confirmation: a signed link mailed at sign-up; voting needs a confirmed address.

Why: the public vote is one vote per account, so an account must cost more than a form
post. The link is an itsdangerous signature (HACKKIT_SECRET_KEY, its own salt) over the
account id and the address it was sent to, so a link for an old address confirms nothing
after the address changes. Links are made the same way as password-reset links, sent
through the same SMTP settings, and point at HACKKIT_PUBLIC_URL, never the Host header.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from hackkit.models import User
from hackkit.models.base import utcnow
from hackkit.services import mail
from hackkit.services.errors import Invalid

SALT = "hackkit.email-confirmation"
LINK_DAYS = 7  # long enough for a mail read after the weekend; re-sending makes a fresh one
log = logging.getLogger(__name__)


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def make_token(user: User, secret_key: str) -> str:
    return _serializer(secret_key).dumps([user.id, user.email])


def account_for_link(session: Session, token: str, *, secret_key: str) -> User:
    """The account this link confirms; Invalid for a bad, old or expired link."""
    broken = _l("This confirmation link is not valid. Check that you copied all of it.")
    try:
        payload = _serializer(secret_key).loads(token, max_age=LINK_DAYS * 86400)
    except SignatureExpired as error:
        raise Invalid(_l("This confirmation link has expired. Log in and ask for a new one.")) from error
    except BadSignature as error:
        raise Invalid(broken) from error
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)):
        raise Invalid(broken)
    user = session.get(User, payload[0])
    if user is None or user.email != payload[1]:
        raise Invalid(broken)
    return user


def confirm(session: Session, token: str, *, secret_key: str) -> User:
    """Mark the address the link was sent to as confirmed (again: no change)."""
    user = account_for_link(session, token, secret_key=secret_key)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        session.commit()
    return user


def send_confirmation(user: User, base_url: str, path_for: Callable[[str], str], *, config: Mapping) -> bool:
    """Mail the confirmation link. `base_url` empty: no trustworthy address is known, so no
    link is sent (and the log says why), as for password resets. True when a mail was queued."""
    if user.email_confirmed_at is not None:
        return False
    if not base_url:
        log.error("not sending a confirmation e-mail to %s: set HACKKIT_PUBLIC_URL to the hub's address", user.email)
        return False
    link = base_url.rstrip("/") + path_for(make_token(user, config["SECRET_KEY"]))
    settings = mail.MailSettings.from_config(config)
    with force_locale(user.locale or "en"):
        subject = _("Confirm your e-mail address for hackkit")
        body = _(
            "Hello %(name)s,\n\n"
            "Open this link to confirm that %(email)s is yours:\n\n%(link)s\n\n"
            "You need a confirmed address to vote. The link works for %(days)d days. "
            "If you did not make a hackkit account, ignore this e-mail.\n",
            name=user.display_name,
            email=user.email,
            link=link,
            days=LINK_DAYS,
        )
    mail.send_later(settings, mail.compose(settings, user.email, subject, body))
    return True
