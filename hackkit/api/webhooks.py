"""/api/v1 webhooks of an event (organizers): register, change, delete, the delivery log, replay."""

from __future__ import annotations

from flask import current_app, jsonify

from hackkit import bodies
from hackkit.api import bp
from hackkit.api.helpers import json_body, writer
from hackkit.extensions import db
from hackkit.models import OutboxItem, Webhook
from hackkit.services import events, webhooks


def webhook_answer(webhook: Webhook) -> dict:
    return bodies.Webhook.answer(webhook)


def delivery_answer(item: OutboxItem) -> dict:
    waiting = item.status in ("pending", "retrying")
    return bodies.WebhookDelivery.answer(
        item,
        event=item.subject,
        url=item.recipient,
        next_attempt_at=item.next_attempt_at if waiting else None,
        replay_of=(item.payload.get("body") or {}).get("replay_of"),
    )


def _allow_private() -> bool:
    return current_app.config["HACKKIT_WEBHOOK_ALLOW_PRIVATE"]


def _webhook(slug: str, webhook_id: int):
    actor = writer()
    event = events.get_event(db.session, actor, slug)
    return actor, webhooks.get_webhook(db.session, actor, event, webhook_id)


@bp.get("/events/<slug>/webhooks")
def list_webhooks(slug: str):
    actor = writer()
    event = events.get_event(db.session, actor, slug)
    return jsonify({"webhooks": [webhook_answer(w) for w in webhooks.list_webhooks(db.session, actor, event)]})


@bp.post("/events/<slug>/webhooks")
def create_webhook(slug: str):
    actor = writer()
    event = events.get_event(db.session, actor, slug)
    webhook = webhooks.register(db.session, actor, event, json_body(), allow_private=_allow_private())
    return jsonify(webhook_answer(webhook)), 201


@bp.get("/events/<slug>/webhooks/<int:webhook_id>")
def get_webhook(slug: str, webhook_id: int):
    _actor, webhook = _webhook(slug, webhook_id)
    return jsonify(webhook_answer(webhook))


@bp.patch("/events/<slug>/webhooks/<int:webhook_id>")
def update_webhook(slug: str, webhook_id: int):
    actor, webhook = _webhook(slug, webhook_id)
    webhook = webhooks.update(db.session, actor, webhook, json_body(), allow_private=_allow_private())
    return jsonify(webhook_answer(webhook))


@bp.delete("/events/<slug>/webhooks/<int:webhook_id>")
def delete_webhook(slug: str, webhook_id: int):
    actor, webhook = _webhook(slug, webhook_id)
    webhooks.delete(db.session, actor, webhook, confirm=True)  # a DELETE request is its own confirmation
    return "", 204


@bp.get("/events/<slug>/webhooks/<int:webhook_id>/deliveries")
def list_deliveries(slug: str, webhook_id: int):
    actor, webhook = _webhook(slug, webhook_id)
    return jsonify({"deliveries": [delivery_answer(d) for d in webhooks.deliveries(db.session, actor, webhook)]})


@bp.post("/events/<slug>/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/replay")
def replay_delivery(slug: str, webhook_id: int, delivery_id: int):
    actor, webhook = _webhook(slug, webhook_id)
    return jsonify(delivery_answer(webhooks.replay(db.session, actor, webhook, delivery_id))), 201
