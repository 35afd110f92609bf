"""Webhooks of an event: organizers register addresses for chosen happenings; each happening
queues one signed delivery per subscribed webhook in the outbox (sent by the worker through
services.webhook_delivery.send_webhook, retried with back-off, logged with the answers).

`emit` adds to the caller's transaction and never sends: a request that creates a team does
not wait on a chat server, and a change that is rolled back announces nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from hackkit.models import Announcement, Event, OutboxItem, Submission, Team, User, Webhook
from hackkit.models.base import utcnow
from hackkit.models.webhook import WEBHOOK_EVENTS, WEBHOOK_FORMATS, WEBHOOK_LANGUAGES
from hackkit.permissions import require
from hackkit.services import outbox, webhook_targets
from hackkit.services import validation as v
from hackkit.services.errors import Invalid, NotFound

MAX_PER_EVENT = 20


def _key_prefix(webhook_id: int) -> str:
    # Every delivery of a webhook has a dedupe key starting with this: its log is one prefix query.
    return f"webhook:{webhook_id}:"


def list_webhooks(session: Session, actor: User, event: Event) -> list[Webhook]:
    require(actor, "events.manage")
    query = sa.select(Webhook).where(Webhook.event_id == event.id).order_by(Webhook.id)
    return list(session.scalars(query))


def get_webhook(session: Session, actor: User, event: Event, webhook_id: int) -> Webhook:
    require(actor, "events.manage")
    webhook = session.get(Webhook, webhook_id)
    if webhook is None or webhook.event_id != event.id:
        raise NotFound(_l("There is no such webhook for this event."))
    return webhook


def _events(data: Mapping) -> list[str]:
    chosen = data.get("events")
    if isinstance(chosen, str):
        chosen = [chosen]
    if not isinstance(chosen, list) or not chosen or any(name not in WEBHOOK_EVENTS for name in chosen):
        raise v.fail("events", _l("Choose one or more of: %(options)s.", options=", ".join(WEBHOOK_EVENTS)))
    return [name for name in WEBHOOK_EVENTS if name in chosen]  # in a fixed order, each once


def _url(data: Mapping, allow_private: bool) -> str:
    url = v.text(dict(data), "url", max_length=2000, required=True)
    webhook_targets.resolve(url, allow_private=allow_private)
    return url


def _active(data: Mapping) -> bool:
    value = data.get("active", True)
    if not isinstance(value, bool):
        raise v.fail("active", _l("Give true or false."))
    return value


def register(session: Session, actor: User, event: Event, data: Mapping, *, allow_private: bool) -> Webhook:
    """A new webhook with a fresh secret (shown to organizers; the receiver checks signatures with it)."""
    require(actor, "events.manage")
    if not isinstance(data, Mapping):
        raise Invalid(_l("The body must be a JSON object."))
    count = session.scalar(sa.select(sa.func.count(Webhook.id)).where(Webhook.event_id == event.id))
    if count >= MAX_PER_EVENT:
        raise Invalid(_l("An event can have at most %(n)d webhooks.", n=MAX_PER_EVENT))
    webhook = Webhook(
        event_id=event.id,
        events=_events(data),
        format=v.choice(dict(data), "format", WEBHOOK_FORMATS, "json"),
        language=v.choice(dict(data), "language", WEBHOOK_LANGUAGES, "en"),
        active=_active(data),
        secret=secrets.token_hex(32),
        created_by=actor.id,
    )
    webhook.url = _url(data, allow_private)  # last: a malformed body is a 400 before any DNS lookup
    session.add(webhook)
    session.commit()
    return webhook


def update(session: Session, actor: User, webhook: Webhook, data: Mapping, *, allow_private: bool) -> Webhook:
    """Change the fields given; `rotate_secret: true` makes a new secret (the old one stops working)."""
    require(actor, "events.manage")
    if "events" in data:
        webhook.events = _events(data)
    if "format" in data:
        webhook.format = v.choice(dict(data), "format", WEBHOOK_FORMATS, "json")
    if "language" in data:
        webhook.language = v.choice(dict(data), "language", WEBHOOK_LANGUAGES, "en")
    if "active" in data:
        webhook.active = _active(data)
    if data.get("rotate_secret") is True:
        webhook.secret = secrets.token_hex(32)
    if "url" in data:
        webhook.url = _url(data, allow_private)
    session.commit()
    return webhook


def delete(session: Session, actor: User, webhook: Webhook, *, confirm: bool) -> None:
    """Remove the webhook; deliveries still waiting for it are given up. Asks first."""
    require(actor, "events.manage")
    if not confirm:
        raise Invalid(
            _l("Deleting a webhook stops its deliveries for good; confirm to go on."),
            {"confirm": [_l("Confirm that the webhook is to be deleted.")]},
        )
    session.execute(
        sa.update(OutboxItem)
        .where(
            OutboxItem.channel == "webhook",
            OutboxItem.dedupe_key.startswith(_key_prefix(webhook.id), autoescape=True),
            OutboxItem.status.in_(("pending", "retrying")),
        )
        .values(status="dead", last_error="the webhook was deleted", claimed_until=None)
    )
    session.delete(webhook)
    session.commit()


def deliveries(session: Session, actor: User, webhook: Webhook, limit: int = 100) -> list[OutboxItem]:
    """The webhook's deliveries, newest first, with their answers (the delivery log)."""
    require(actor, "events.manage")
    query = (
        sa.select(OutboxItem)
        .where(
            OutboxItem.event_id == webhook.event_id,
            OutboxItem.channel == "webhook",
            OutboxItem.dedupe_key.startswith(_key_prefix(webhook.id), autoescape=True),
        )
        .order_by(OutboxItem.created_at.desc(), OutboxItem.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def replay(session: Session, actor: User, webhook: Webhook, delivery_id: int) -> OutboxItem:
    """Send a delivery again as a new one (a new delivery id; the body says which it replays),
    so the log keeps what the first one got."""
    require(actor, "events.manage")
    original = session.get(OutboxItem, delivery_id)
    prefix = _key_prefix(webhook.id)
    if original is None or original.channel != "webhook" or not (original.dedupe_key or "").startswith(prefix):
        raise NotFound(_l("There is no such delivery for this webhook."))
    body = {**original.payload["body"], "replay_of": original.id}
    copy = outbox.enqueue(
        session,
        "webhook",
        webhook.url,
        {"webhook_id": webhook.id, "body": body},
        subject=original.subject,
        dedupe_key=f"{prefix}replay:{original.id}:{secrets.token_hex(6)}",
        event_id=webhook.event_id,
        user_id=actor.id,
    )
    session.commit()
    return copy


# Happenings -----------------------------------------------------------------------------------


def emit(session: Session, event: Event, name: str, data: dict, *, happening: str, path: str) -> int:
    """Queue one delivery of `name` per active webhook of the event that subscribed to it.

    `happening` names this occurrence (e.g. "team:12:<created_at>"; the moment too, because
    SQLite may give a deleted row's id to the next one): with the webhook's id it is the
    delivery's dedupe key, so the same happening reaches a webhook once. The caller commits.
    """
    if name not in WEBHOOK_EVENTS:
        raise ValueError(f"unknown webhook event {name!r}")
    hooks = session.scalars(sa.select(Webhook).where(Webhook.event_id == event.id, Webhook.active.is_(True))).all()
    body = {
        "event": name,
        "hackathon": {"slug": event.slug, "name": event.name},
        "occurred_at": utcnow().isoformat(),
        "path": path,
        "data": data,
    }
    queued = 0
    for webhook in hooks:
        if name not in (webhook.events or []):
            continue
        item = outbox.enqueue(
            session,
            "webhook",
            webhook.url,
            {"webhook_id": webhook.id, "body": body},
            subject=name,
            dedupe_key=f"{_key_prefix(webhook.id)}{name}:{happening}",
            event_id=event.id,
        )
        queued += item is not None
    return queued


def team_created(session: Session, team: Team) -> None:
    session.flush()  # the team's id and time
    data = {"team": {"id": team.id, "name": team.name}}
    happening = f"team:{team.id}:{team.created_at.isoformat()}"
    emit(session, team.event, "team.created", data, happening=happening, path=f"/teams/{team.id}")


def submission_saved(session: Session, submission: Submission) -> None:
    """Called on every save; only the first submission of a project is a happening (the save
    that sets `submitted_at` sets `updated_at` to the same moment)."""
    if submission.status != "submitted" or submission.submitted_at != submission.updated_at:
        return
    team = session.get(Team, submission.team_id)
    data = {
        "submission": {"id": submission.id, "title": submission.title, "team_id": team.id, "team": team.name},
    }
    path = f"/teams/{team.id}/project"
    happening = f"submission:{submission.id}:{submission.submitted_at.isoformat()}"
    emit(session, team.event, "submission.submitted", data, happening=happening, path=path)


def announcement_published(session: Session, announcement: Announcement) -> None:
    session.flush()  # the announcement's id and time
    event = announcement.event
    data = {
        "announcement": {
            "id": announcement.id,
            "body": announcement.body,
            "created_at": announcement.created_at.isoformat(),
        }
    }
    path = f"/events/{event.slug}"
    happening = f"announcement:{announcement.id}:{announcement.created_at.isoformat()}"
    emit(session, event, "announcement.published", data, happening=happening, path=path)


def results_published(session: Session, event: Event, published_at: datetime) -> None:
    # Withdrawn and published again is a new happening: the moment names it.
    data = {"published_at": published_at.isoformat()}
    happening = f"results:{published_at.isoformat()}"
    emit(session, event, "results.published", data, happening=happening, path=f"/events/{event.slug}/results")
