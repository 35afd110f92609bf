"""/api/v1 organizers' messages to a segment of an event."""

from __future__ import annotations

from flask import jsonify

from hackkit import bodies
from hackkit.api import bp
from hackkit.api.helpers import caller, json_body, writer
from hackkit.extensions import db
from hackkit.services import event_messages, events


@bp.post("/events/<slug>/messages")
def send_message(slug: str):
    actor = writer()
    event = events.get_event(db.session, actor, slug)
    outcome = event_messages.send_message(db.session, actor, event, json_body())
    sent = bodies.EventMessage.answer(outcome.message) if outcome.message else None
    answer = bodies.MessageOutcome.answer(outcome, message=sent)
    return jsonify(answer), 200 if outcome.dry_run else 201


@bp.get("/events/<slug>/messages")
def list_messages(slug: str):
    actor = caller()
    event = events.get_event(db.session, actor, slug)
    found = event_messages.messages_of(db.session, actor, event)
    return jsonify({"messages": [bodies.EventMessage.answer(m) for m in found]})
