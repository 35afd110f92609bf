"""OpenAPI paths of an event's webhooks (organizers)."""

from __future__ import annotations

from hackkit import bodies
from hackkit.api.openapi_hub import TEXT, _json, _op, _path_param, _ref, array, obj
from hackkit.models.webhook import WEBHOOK_EVENTS

SLUG = _path_param("slug")
WEBHOOK = _path_param("webhook_id", "integer")
DELIVERY = _path_param("delivery_id", "integer")
EVENT_NAMES = {"type": "array", "items": {"type": "string", "enum": list(WEBHOOK_EVENTS)}}
REFUSED = {
    "description": (
        "The address is private, loopback, link-local or otherwise internal, or its host cannot be found "
        "(allowed only with HACKKIT_WEBHOOK_ALLOW_PRIVATE=1)"
    ),
    "content": {"application/json": {"schema": _ref("Error")}},
}

SCHEMAS = {
    **bodies.component_schemas(bodies.Webhook, bodies.WebhookDelivery),
    "WebhookInput": {
        "type": "object",
        "properties": {
            "url": {**TEXT, "description": "http:// or https:// address of the receiver"},
            "events": {**EVENT_NAMES, "description": "the happenings to send (one or more)"},
            "format": {"type": "string", "enum": ["json", "slack"]},
            "language": {"type": "string", "enum": ["en", "nl"]},
            "active": {"type": "boolean"},
            "rotate_secret": {"type": "boolean", "description": "PATCH only: true makes a new secret"},
        },
    },
}


def _with_refusal(operation: dict) -> dict:
    operation["responses"]["422"] = REFUSED
    return operation


PATHS: dict = {
    "/events/{slug}/webhooks": {
        "get": _op(
            "The event's webhooks with their secrets (organizer)",
            _json(obj({"webhooks": array(_ref("Webhook"))})),
            401,
            403,
            404,
            params=[SLUG],
        ),
        "post": _with_refusal(
            _op(
                "Register a webhook (organizer); deliveries are signed "
                "`X-Hackkit-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>`",
                _json(_ref("Webhook"), "Created"),
                400,
                401,
                403,
                404,
                body=_ref("WebhookInput"),
                status="201",
                params=[SLUG],
            )
        ),
    },
    "/events/{slug}/webhooks/{webhook_id}": {
        "get": _op("One webhook (organizer)", _json(_ref("Webhook")), 401, 403, 404, params=[SLUG, WEBHOOK]),
        "patch": _with_refusal(
            _op(
                "Change a webhook's fields (organizer)",
                _json(_ref("Webhook")),
                400,
                401,
                403,
                404,
                body=_ref("WebhookInput"),
                params=[SLUG, WEBHOOK],
            )
        ),
        "delete": _op(
            "Delete a webhook; deliveries still waiting are given up (organizer)",
            {"description": "Deleted"},
            401,
            403,
            404,
            status="204",
            params=[SLUG, WEBHOOK],
        ),
    },
    "/events/{slug}/webhooks/{webhook_id}/deliveries": {
        "get": _op(
            "The webhook's deliveries, newest first, with the receivers' answers (organizer)",
            _json(obj({"deliveries": array(_ref("WebhookDelivery"))})),
            401,
            403,
            404,
            params=[SLUG, WEBHOOK],
        ),
    },
    "/events/{slug}/webhooks/{webhook_id}/deliveries/{delivery_id}/replay": {
        "post": _op(
            "Send a delivery again, as a new delivery (organizer)",
            _json(_ref("WebhookDelivery"), "Queued"),
            401,
            403,
            404,
            status="201",
            params=[SLUG, WEBHOOK, DELIVERY],
        ),
    },
}
