"""Who wants which e-mails: one switch per kind and person, and the signed unsubscribe link.

Every kind is on until the person turns it off (on the account page, or with the link in a
mail). The link is an itsdangerous signature (HACKKIT_SECRET_KEY, its own salt) over the
account id and the kind, without expiry: a mail read months later must still stop the next
one, and all a stolen link can do is turn that one kind of mail off.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from hackkit.i18n import LANGUAGES
from hackkit.models import NotificationSetting, User
from hackkit.models.base import utcnow
from hackkit.models.notification import NOTIFICATION_KINDS
from hackkit.services.errors import Invalid

SALT = "hackkit.unsubscribe"

LABELS = {
    "announcements": _l("Announcements of events I registered for"),
    "team_requests": _l("Requests to join my team (captains), and the answers to my requests"),
    "deadlines": _l("The submission deadline approaching (24 hours and 1 hour before) while my team has not submitted"),
    "results": _l("Results published, and the jury's feedback on my team's project"),
    "cocreation_answers": _l("Answers to my data feedback and to my proposals"),
    "judge_assignments": _l("Judges: the projects I am assigned to judge"),
    "judge_reminders": _l("Judges: the scores I still owe, a day before judging closes"),
    "organizer_messages": _l("Messages from the organizers of my events"),
    "outcome_reminders": _l("Organizers: projects whose status is due, 3 and 12 months after an event"),
}


# Built once: the account page asks on every visit.
_SETTINGS_OF = sa.select(NotificationSetting.kind, NotificationSetting.enabled).where(
    NotificationSetting.user_id == sa.bindparam("user_id")
)


def preferences_of(session: Session, user: User) -> dict[str, bool]:
    """Every kind with its switch, in the order of the account page."""
    turned = dict(session.execute(_SETTINGS_OF, {"user_id": user.id}).all())
    return {kind: turned.get(kind, True) for kind in NOTIFICATION_KINDS}


def switched_off(session: Session, user_ids: Iterable[int], kind: str) -> set[int]:
    """Of these people, those who turned `kind` off (one query for a whole mailing)."""
    ids = list(set(user_ids))
    if not ids:
        return set()
    return set(
        session.scalars(
            sa.select(NotificationSetting.user_id).where(
                NotificationSetting.kind == kind,
                NotificationSetting.enabled.is_(False),
                NotificationSetting.user_id.in_(ids),
            )
        )
    )


def _set(session: Session, user_id: int, kind: str, enabled: bool) -> None:
    row = session.scalar(
        sa.select(NotificationSetting).where(NotificationSetting.user_id == user_id, NotificationSetting.kind == kind)
    )
    if row is None:
        session.add(NotificationSetting(user_id=user_id, kind=kind, enabled=enabled, updated_at=utcnow()))
    elif row.enabled != enabled:
        row.enabled, row.updated_at = enabled, utcnow()


def update_preferences(
    session: Session, user: User, enabled: Mapping[str, object], locale: str | None = None
) -> dict[str, bool]:
    """Set every switch: a kind named with a true value is on, every other kind off (a form's
    unchecked box is simply absent). Unknown kinds are a 400, not silently dropped.
    `locale`: the language the person's e-mails are written in."""
    unknown = sorted(set(enabled) - set(NOTIFICATION_KINDS))
    if unknown:
        raise Invalid(_l("Unknown kind of e-mail: %(kinds)s.", kinds=", ".join(unknown)))
    if locale is not None:
        if locale not in LANGUAGES:
            raise Invalid(_l("Choose English or Dutch."), {"locale": [_l("Choose English or Dutch.")]})
        user.locale = locale
    for kind in NOTIFICATION_KINDS:
        _set(session, user.id, kind, bool(enabled.get(kind)))
    session.commit()
    return preferences_of(session, user)


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


def unsubscribe_token(user_id: int, kind: str, secret_key: str) -> str:
    return _serializer(secret_key).dumps([user_id, kind])


def link_target(session: Session, token: str, *, secret_key: str) -> tuple[User, str]:
    """The person and the kind of mail an unsubscribe link stops; Invalid for any other string."""
    broken = _l(
        "This unsubscribe link is not valid. Check that you copied all of it, or turn e-mails off on your account page."
    )
    try:
        payload = _serializer(secret_key).loads(token)
    except BadSignature as error:
        raise Invalid(broken) from error
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)):
        raise Invalid(broken)
    user = session.get(User, payload[0])
    if user is None or payload[1] not in NOTIFICATION_KINDS:
        raise Invalid(broken)
    return user, payload[1]


def unsubscribe(session: Session, token: str, *, secret_key: str) -> tuple[User, str]:
    """Turn off the kind of mail the link was sent with (again: no change); no log-in needed."""
    user, kind = link_target(session, token, secret_key=secret_key)
    _set(session, user.id, kind, False)
    session.commit()
    return user, kind
