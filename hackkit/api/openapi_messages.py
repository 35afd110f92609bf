"""OpenAPI paths of organizers' messages to a segment of an event."""

from __future__ import annotations

from hackkit import bodies
from hackkit.api.openapi_hub import _json, _op, _path_param, _ref, array, obj

SLUG = _path_param("slug")

_send = _op(
    "Write to a segment of the event (organizer): with `dry_run` only count the recipients (200); "
    "without, keep the message on the event and queue one e-mail per recipient (201)",
    _json(_ref("MessageOutcome"), "Dry run: nothing sent"),
    400,
    401,
    403,
    404,
    body=_ref("MessageInput"),
    params=[SLUG],
)
_send["responses"]["201"] = _json(_ref("MessageOutcome"), "Sent: the message is kept and its e-mails queued")

PATHS = {
    "/events/{slug}/messages": {
        "post": _send,
        "get": _op(
            "The messages sent to the event's people, newest first (organizer)",
            _json(obj({"messages": array(_ref("EventMessage"))})),
            401,
            403,
            404,
            params=[SLUG],
        ),
    },
}

SCHEMAS = bodies.component_schemas(bodies.MessageInput, bodies.EventMessage, bodies.MessageOutcome)
