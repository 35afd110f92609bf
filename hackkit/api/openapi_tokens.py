"""OpenAPI paths of API tokens: get one for a password, list yours, revoke one."""

from __future__ import annotations


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _nullable_time() -> dict:
    return {"type": ["string", "null"], "format": "date-time"}


SCHEMAS = {
    "ApiToken": {
        "type": "object",
        "description": "A token as its owner sees it: never the secret, never its hash.",
        "required": ["id", "name", "scope", "created_at", "last_used_at", "revoked_at"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "scope": {"type": "string", "enum": ["read", "write"]},
            "created_at": {"type": "string", "format": "date-time"},
            "last_used_at": {**_nullable_time(), "description": "Updated at most once a minute"},
            "revoked_at": _nullable_time(),
            "current": {"type": "boolean", "description": "The token this request was made with"},
        },
    },
}

_TOKEN = {"$ref": "#/components/schemas/ApiToken"}
_TEXT = {"type": "string"}

PATHS = {
    "/tokens": {
        "post": {
            "summary": "Exchange an e-mail address and password for an API token",
            "description": "A `read` token gets 403 on every POST, PUT, PATCH and DELETE of the API.",
            "security": [{"basic": []}],
            "requestBody": {
                "required": False,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "name": {"type": "string", "maxLength": 80, "default": "api"},
                                "scope": {"type": "string", "enum": ["read", "write"], "default": "write"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": {
                    "description": "The token; the secret `token` is shown only this once",
                    "content": {
                        "application/json": {
                            "schema": {
                                "allOf": [
                                    _TOKEN,
                                    {
                                        "type": "object",
                                        "required": ["token"],
                                        "properties": {"token": {"type": "string"}},
                                    },
                                ]
                            }
                        }
                    },
                },
                "400": _error("Bad name or scope"),
                "401": _error("Wrong or missing credentials"),
                "429": _error("Too many failed attempts"),
            },
        },
        "get": {
            "summary": "Your own tokens, revoked ones included",
            "security": [{"bearer": []}],
            "responses": {
                "200": {
                    "description": "The tokens of the account the bearer token belongs to",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["tokens"],
                                "properties": {"tokens": {"type": "array", "items": _TOKEN}},
                            }
                        }
                    },
                },
                "401": _error("No, bad or revoked token"),
            },
        },
    },
    "/tokens/{token_id}": {
        "delete": {
            "summary": "Revoke one of your tokens (it gets 401 from then on)",
            "security": [{"bearer": []}],
            "parameters": [{"name": "token_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {
                "200": {"description": "The revoked token", "content": {"application/json": {"schema": _TOKEN}}},
                "401": _error("No, bad or revoked token"),
                "403": _error("A read-only token cannot revoke"),
                "404": _error("No such token on your account"),
            },
        },
    },
}
