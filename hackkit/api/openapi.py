"""The OpenAPI description of /api/v1: the one source of truth for what the API offers."""

from __future__ import annotations

from flask import jsonify

from hackkit.api import bp
from hackkit.api.openapi_cocreation import PATHS as COCREATION_PATHS
from hackkit.api.openapi_cocreation import SCHEMAS as COCREATION_SCHEMAS
from hackkit.api.openapi_hub import PATHS as HUB_PATHS
from hackkit.api.openapi_hub import SCHEMAS as HUB_SCHEMAS
from hackkit.api.openapi_judging import PATHS as JUDGING_PATHS
from hackkit.api.openapi_judging import SCHEMAS as JUDGING_SCHEMAS
from hackkit.api.openapi_messages import PATHS as MESSAGE_PATHS
from hackkit.api.openapi_messages import SCHEMAS as MESSAGE_SCHEMAS
from hackkit.api.openapi_outcomes import PATHS as OUTCOME_PATHS
from hackkit.api.openapi_outcomes import SCHEMAS as OUTCOME_SCHEMAS
from hackkit.api.openapi_prizes import PATHS as PRIZE_PATHS
from hackkit.api.openapi_prizes import SCHEMAS as PRIZE_SCHEMAS
from hackkit.api.openapi_tokens import PATHS as TOKEN_PATHS
from hackkit.api.openapi_tokens import SCHEMAS as TOKEN_SCHEMAS
from hackkit.api.openapi_webhooks import PATHS as WEBHOOK_PATHS
from hackkit.api.openapi_webhooks import SCHEMAS as WEBHOOK_SCHEMAS

ERROR_SCHEMA = {
    "type": "object",
    "required": ["ok", "error", "status"],
    "properties": {
        "ok": {"type": "boolean", "const": False},
        "error": {"type": "string"},
        "status": {"type": "integer"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "hackkit API",
        "version": "1",
        "description": (
            "Events, teams, submissions, judging and city datasets of a hackkit hub. "
            "Requests are rate-limited per token (or per address without one); every response "
            "carries X-RateLimit-Limit/-Remaining/-Reset, and a 429 says in Retry-After when to "
            "try again. Reads answer cross-origin requests (Access-Control-Allow-Origin: *)."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "components": {
        "schemas": {
            "Error": ERROR_SCHEMA,
            **HUB_SCHEMAS,
            **JUDGING_SCHEMAS,
            **COCREATION_SCHEMAS,
            **TOKEN_SCHEMAS,
            **OUTCOME_SCHEMAS,
            **WEBHOOK_SCHEMAS,
            **PRIZE_SCHEMAS,
            **MESSAGE_SCHEMAS,
        },
        "securitySchemes": {
            "basic": {"type": "http", "scheme": "basic"},
            "bearer": {"type": "http", "scheme": "bearer"},
        },
    },
    "paths": {
        "/me": {
            "get": {
                "summary": "The account the token belongs to",
                "security": [{"bearer": []}],
                "responses": {
                    "200": {
                        "description": "The account",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["id", "display_name", "email", "role"],
                                    "properties": {
                                        "id": {"type": "integer"},
                                        "display_name": {"type": "string"},
                                        "email": {"type": "string"},
                                        "role": {"type": "string", "enum": ["participant", "judge", "organizer"]},
                                        "skills": {"type": "array", "items": {"type": "string"}},
                                        "languages": {"type": "array", "items": {"type": "string"}},
                                        "bio": {"type": "string"},
                                        "looking_for_team": {"type": "boolean"},
                                    },
                                }
                            }
                        },
                    },
                    "401": _error("No or bad token"),
                },
            }
        },
    },
}


OPENAPI["paths"].update(TOKEN_PATHS)
OPENAPI["paths"].update(HUB_PATHS)
OPENAPI["paths"].update(JUDGING_PATHS)
OPENAPI["paths"].update(COCREATION_PATHS)
OPENAPI["paths"].update(OUTCOME_PATHS)
OPENAPI["paths"].update(WEBHOOK_PATHS)
OPENAPI["paths"].update(PRIZE_PATHS)
OPENAPI["paths"].update(MESSAGE_PATHS)


# Answers any operation can give, whatever it does: a bad parameter, a bad or revoked token,
# too many requests, and (for a path naming something) nothing by that name.
COMMON_ERRORS = {
    "400": "A parameter or the body is not acceptable; `errors` says which",
    "401": "The bearer token is not valid (unknown or revoked)",
    "429": "Too many requests; wait and try again (Retry-After)",
}


def with_common_errors(document: dict) -> dict:
    """Each operation's own responses plus the common errors it does not describe itself."""
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status, description in COMMON_ERRORS.items():
                responses.setdefault(status, _error(description))
            if method in ("post", "put", "patch", "delete"):
                responses.setdefault("403", _error("Not allowed; a read-only token never may write"))
            if "{" in path:
                responses.setdefault("404", _error("Nothing by that name or number"))
    return document


@bp.route("/openapi.json")
def openapi_document():
    return jsonify(with_common_errors(OPENAPI))


def _add_dataset_paths() -> None:
    from hackkit.api.openapi_datasets import DATASET_PATHS

    OPENAPI["paths"].update(DATASET_PATHS)


_add_dataset_paths()
