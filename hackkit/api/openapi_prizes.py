"""OpenAPI paths of prizes: definitions, proposals and confirmed winners."""

from __future__ import annotations

from hackkit import bodies
from hackkit.api.openapi_hub import TEXT, _json, _op, _path_param, _ref, array, obj
from hackkit.models.prize import PRIZE_KINDS, PRIZE_SCOPES

INTEGER = {"type": "integer"}
SLUG = _path_param("slug")
PRIZE_ID = _path_param("prize_id", "integer")

SCHEMAS = {
    **bodies.component_schemas(bodies.Prize, bodies.PrizeList),
    "PrizeInput": {
        "type": "object",
        "properties": {
            "name": TEXT,
            "description": {"type": "string", "description": "Markdown"},
            "kind": {"type": "string", "enum": list(PRIZE_KINDS)},
            "value": TEXT,
            "sponsor_name": TEXT,
            "sponsor_url": {"type": "string", "description": "https://... or empty"},
            "scope": {"type": "string", "enum": list(PRIZE_SCOPES)},
            "challenge_id": {"type": ["integer", "null"], "description": "required when scope is challenge"},
            "max_winners": INTEGER,
            "position": INTEGER,
        },
    },
    "WinnersInput": obj(
        {
            "winners": array(
                obj(
                    {
                        "submission_id": INTEGER,
                        "reason": {
                            "type": "string",
                            "description": "required where the project is not in the proposal",
                        },
                    },
                    required=["submission_id"],
                )
            )
        }
    ),
    "PrizeSettings": obj({"several_prizes_per_project": {"type": "boolean"}}),
}

UNPROCESSABLE = {
    "description": "The request breaks a rule of its content (see `errors`)",
    "content": {"application/json": {"schema": _ref("Error")}},
}

PATHS = {
    "/events/{slug}/prizes": {
        "get": _op(
            "The event's prizes; proposed and confirmed winners are shown to organizers, and to everyone "
            "once the results are published",
            _json(_ref("PrizeList")),
            404,
            auth=False,
            params=[SLUG],
        ),
        "post": _op(
            "Add a prize (organizer)",
            _json(_ref("Prize"), "Created"),
            400,
            401,
            403,
            404,
            body=_ref("PrizeInput"),
            status="201",
            params=[SLUG],
        ),
    },
    "/events/{slug}/prize-settings": {
        "put": _op(
            "Whether one project may win several prizes (organizer); 409 when switching it off while one does",
            _json(_ref("PrizeSettings")),
            400,
            401,
            403,
            404,
            409,
            body=_ref("PrizeSettings"),
            params=[SLUG],
        ),
    },
    "/prizes/{prize_id}": {
        "get": _op("One prize", _json(_ref("Prize")), 404, auth=False, params=[PRIZE_ID]),
        "patch": _op(
            "Change a prize (organizer); fields left out keep their value; 409 when changing the scope "
            "of a prize that has winners",
            _json(_ref("Prize")),
            400,
            401,
            403,
            404,
            409,
            body=_ref("PrizeInput"),
            params=[PRIZE_ID],
        ),
        "delete": _op(
            "Delete a prize and its winners (organizer)",
            {"description": "Done"},
            401,
            403,
            404,
            status="204",
            params=[PRIZE_ID],
        ),
    },
    "/prizes/{prize_id}/winners": {
        "put": _op(
            "Confirm the prize's winners (organizer), replacing any before; an empty list withdraws them. "
            "422 (with `errors`) when a winner outside the proposal has no reason, when there are more "
            "winners than the prize has, or a project is not a submitted project of the event; 409 when a "
            "project already won another prize and the event allows one each",
            _json(_ref("Prize")),
            400,
            401,
            403,
            404,
            409,
            body=_ref("WinnersInput"),
            params=[PRIZE_ID],
        ),
    },
}

PATHS["/prizes/{prize_id}/winners"]["put"]["responses"]["422"] = UNPROCESSABLE
