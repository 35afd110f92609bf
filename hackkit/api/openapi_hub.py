"""OpenAPI paths of the event hub (events, teams, submissions, exports)."""

from __future__ import annotations

from hackkit import bodies
from hackkit.services.submissions import FIELD_KINDS


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    text = {
        400: "Invalid input (see `errors`)",
        401: "No or bad token",
        403: "Not allowed",
        404: "Not found",
        409: "Conflict: deadline passed, team full, already registered",
    }
    return {
        str(code): {"description": text[code], "content": {"application/json": {"schema": _ref("Error")}}}
        for code in codes
    }


def _op(
    summary: str,
    ok: dict,
    *errors: int,
    body: dict | None = None,
    auth: bool = True,
    status: str = "200",
    params: list | None = None,
) -> dict:
    operation = {"summary": summary, "responses": {status: ok, **_errors(*errors)}}
    if auth:
        operation["security"] = [{"bearer": []}]
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if params:
        operation["parameters"] = params
    return operation


def _path_param(name: str, kind: str = "string") -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def _query(name: str, kind: str = "string") -> dict:
    return {"name": name, "in": "query", "required": False, "schema": {"type": kind}}


def nullable(schema: dict) -> dict:
    """The schema, or null (OpenAPI 3.1 / JSON Schema: a list of types)."""
    kind = schema["type"]
    return {**schema, "type": [*([kind] if isinstance(kind, str) else kind), "null"]}


def obj(properties: dict, required: list[str] | None = None, **extra) -> dict:
    """An object with the fields it has; `required` defaults to all of them (answers always carry every key)."""
    return {
        "type": "object",
        "required": list(properties) if required is None else required,
        "properties": properties,
        **extra,
    }


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


DATETIME = {"type": "string", "format": "date-time"}
TEXT = {"type": "string"}
URL = {"type": "string", "format": "uri"}
INTEGER = {"type": "integer"}
STRINGS = {"type": "array", "items": TEXT}

OPTIONAL_TEXT = nullable(TEXT)
# A team as its members see it (with the invitation) or as everyone else does.
TEAM = {"oneOf": [_ref("TeamForMembers"), _ref("Team")]}
DATASET_USES = array(obj({"slug": TEXT, "how": TEXT}))
# The editable fields of a submission, from their one list (services.submissions.FIELD_KINDS):
# as the API accepts them, and as it answers them (null where never set).
_FIELD_INPUT = {
    "text": TEXT,
    "id": {"type": ["integer", "null"]},
    "dataset_uses": {"type": "array", "items": {"type": "object", "properties": {"slug": TEXT, "how": TEXT}}},
    "ids": {"type": "array", "items": {"type": "integer"}},
}
_FIELD_ANSWER = {
    "text": OPTIONAL_TEXT,
    "id": nullable({"type": "integer"}),
    "dataset_uses": nullable(DATASET_USES),
    "ids": nullable(array({"type": "integer"})),
}
_FIELD_NOTES = {
    "template": "the sample app (a folder name listed at /apps) the project started from, or empty",
    "district": "where in the city the project is about (free text)",
}
SUBMISSION_STATUS = {"type": "string", "enum": ["draft", "submitted"]}
SUBMISSION_INPUT = {
    name: {**_FIELD_INPUT[kind], **({"description": _FIELD_NOTES[name]} if name in _FIELD_NOTES else {})}
    for name, kind in FIELD_KINDS.items()
} | {"status": SUBMISSION_STATUS}
SUBMISSION_CONTENT = {name: _FIELD_ANSWER[kind] for name, kind in FIELD_KINDS.items()} | {
    "status": SUBMISSION_STATUS,
    "screenshots": {**array(URL), "description": "addresses of the screenshots, in order"},
}

SCHEMAS = {
    **bodies.component_schemas(bodies.Event, bodies.EventDetail, bodies.Team, bodies.TeamForMembers),
    "EventInput": {
        "type": "object",
        "properties": {
            "slug": {**TEXT, "description": "the web address /events/<slug>; made from the name when omitted"},
            "name": TEXT,
            "tagline": TEXT,
            "description": TEXT,
            "venue": TEXT,
            "city": TEXT,
            "timezone": TEXT,
            "registration_opens": DATETIME,
            "registration_closes": DATETIME,
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "submission_deadline": DATETIME,
            "max_team_size": {"type": "integer"},
            "code_of_conduct": TEXT,
            "visibility": {"type": "string", "enum": ["draft", "published", "archived"]},
            "translations": {
                "type": "object",
                "description": 'name, tagline and description in another language (en, nl): {"nl": {"name": "..."}}; '
                "omitted texts show the main ones",
                "additionalProperties": {"type": "object", "additionalProperties": TEXT},
            },
        },
    },
    "AnnouncementInput": {
        "type": "object",
        "properties": {
            "body": {**TEXT, "description": "Markdown"},
            "translations": {
                "type": "object",
                "description": 'the body in another language (en, nl): {"nl": {"body": "..."}}',
                "additionalProperties": {"type": "object", "additionalProperties": TEXT},
            },
        },
    },
    "ChallengeInput": {
        "type": "object",
        "properties": {
            "title": TEXT,
            "department": TEXT,
            "description": TEXT,
            "success": TEXT,
            "datasets": STRINGS,
        },
    },
    "SubmissionInput": {"type": "object", "properties": SUBMISSION_INPUT},
    # What a saved submission or project answers: its fields as saved (null where never set).
    "Submission": obj(
        {
            "id": {"type": "integer"},
            "team_id": {"type": "integer"},
            "team": {"type": "string", "description": "the team's name"},
            "event": {"type": "string", "description": "the event's slug"},
            "version": {"type": "integer"},
            "submitted_at": nullable(DATETIME),
            "updated_at": nullable(DATETIME),
            **SUBMISSION_CONTENT,
            "html_url": URL,
        }
    ),
    "Project": obj(
        {
            "id": {"type": "integer"},
            "team_id": {"type": "integer"},
            "team": {"type": "string", "description": "the team's name"},
            **{k: v for k, v in SUBMISSION_CONTENT.items() if k != "credited_user_ids"},
            "credits": {**STRINGS, "description": "names of the members the team credits"},
            "html_url": URL,
        }
    ),
}

SLUG, TEAM_ID = _path_param("slug"), _path_param("team_id", "integer")

PATHS: dict = {
    "/events": {
        "get": _op(
            "List events (drafts only for organizers)", _json(obj({"events": array(_ref("Event"))})), auth=False
        ),
        "post": _op(
            "Create an event (organizer)",
            _json(_ref("Event"), "Created"),
            400,
            401,
            403,
            409,
            body=_ref("EventInput"),
            status="201",
        ),
    },
    "/events/{slug}": {
        "get": _op(
            "An event with its challenges and announcements", _json(_ref("EventDetail")), 404, auth=False, params=[SLUG]
        ),
        "patch": _op(
            "Change any field of an event (organizer)",
            _json(_ref("Event")),
            400,
            401,
            403,
            404,
            409,
            body=_ref("EventInput"),
            params=[SLUG],
        ),
    },
    "/events/{slug}/challenges": {
        "get": _op(
            "Challenges of an event",
            _json(obj({"challenges": array(_ref("Challenge"))})),
            404,
            auth=False,
            params=[SLUG],
        ),
        "post": _op(
            "Add a challenge (organizer)",
            _json(_ref("Challenge"), "Created"),
            400,
            401,
            403,
            404,
            body=_ref("ChallengeInput"),
            status="201",
            params=[SLUG],
        ),
    },
    "/challenges/{challenge_id}": {
        "patch": _op(
            "Change a challenge (organizer)",
            _json(_ref("Challenge")),
            400,
            401,
            403,
            404,
            body=_ref("ChallengeInput"),
            params=[_path_param("challenge_id", "integer")],
        ),
    },
    "/events/{slug}/announcements": {
        "post": _op(
            "Post an announcement (organizer)",
            _json(_ref("Announcement"), "Created"),
            400,
            401,
            403,
            404,
            body=_ref("AnnouncementInput"),
            status="201",
            params=[SLUG],
        ),
    },
    "/events/{slug}/announcements/{announcement_id}": {
        "patch": _op(
            "Correct an announcement (organizer); it is marked as edited",
            _json(_ref("Announcement")),
            400,
            401,
            403,
            404,
            body=_ref("AnnouncementInput"),
            params=[SLUG, _path_param("announcement_id", "integer")],
        ),
        "delete": _op(
            "Delete an announcement (organizer)",
            {"description": "Deleted"},
            401,
            403,
            404,
            status="204",
            params=[SLUG, _path_param("announcement_id", "integer")],
        ),
    },
    "/events/{slug}/registrations": {
        "post": _op(
            "Register yourself",
            _json(obj({"event": {"type": "string", "description": "the event's slug"}, "user_id": INTEGER}), "Created"),
            401,
            403,
            404,
            409,
            status="201",
            params=[SLUG],
        ),
        "get": _op(
            "Registered people with e-mail (organizer)",
            _json(
                obj(
                    {
                        "registrations": array(
                            obj({"user_id": INTEGER, "display_name": TEXT, "email": TEXT, "registered_at": DATETIME})
                        )
                    }
                )
            ),
            401,
            403,
            404,
            params=[SLUG],
        ),
    },
    "/events/{slug}/looking": {
        "get": _op(
            "Teams missing skills and people looking for a team",
            _json(obj({"teams": array(TEAM), "people": array(_ref("Person"))})),
            404,
            auth=False,
            params=[SLUG],
        ),
    },
    "/events/{slug}/teams": {
        "get": _op("Teams of an event", _json(obj({"teams": array(TEAM)})), 404, auth=False, params=[SLUG]),
        "post": _op(
            "Create a team (registered participant)",
            _json(TEAM, "Created"),
            400,
            401,
            403,
            404,
            409,
            body={"type": "object", "properties": {"name": TEXT, "description": TEXT, "missing_skills": STRINGS}},
            status="201",
            params=[SLUG],
        ),
    },
    "/events/{slug}/projects": {
        "get": _op(
            "The project gallery",
            _json(obj({"projects": array(_ref("Project"))})),
            404,
            auth=False,
            params=[SLUG, _query("challenge", "integer"), _query("dataset"), _query("q")],
        ),
    },
    "/events/{slug}/exports/{name}": {
        "get": _op(
            "Spreadsheet-safe CSV export (organizer)",
            {"description": "CSV", "content": {"text/csv": {"schema": TEXT}}},
            401,
            403,
            404,
            params=[
                SLUG,
                {
                    "name": "name",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "enum": ["participants.csv", "teams.csv", "submissions.csv"]},
                },
            ],
        ),
    },
    "/events/{slug}/archive.zip": {
        "get": _op(
            "The event as a Frictionless Data Package; personal=1 adds personal data (organizer)",
            {"description": "zip", "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}},
            401,
            403,
            404,
            auth=False,
            params=[SLUG, _query("personal")],
        ),
    },
    "/teams/{team_id}": {
        "get": _op("A team (invite code for members only)", _json(TEAM), 404, auth=False, params=[TEAM_ID]),
        "patch": _op(
            "Change name, description, missing skills; captain_id hands over captaincy",
            _json(TEAM),
            400,
            401,
            403,
            404,
            409,
            body={
                "type": "object",
                "properties": {
                    "name": TEXT,
                    "description": TEXT,
                    "missing_skills": STRINGS,
                    "captain_id": {"type": "integer", "description": "hand captaincy to this member"},
                },
            },
            params=[TEAM_ID],
        ),
    },
    "/teams/{team_id}/members": {
        "post": _op(
            "Join with the invite code",
            _json(TEAM, "Joined"),
            401,
            403,
            404,
            409,
            body={"type": "object", "properties": {"invite_code": TEXT}},
            status="201",
            params=[TEAM_ID],
        ),
    },
    "/teams/{team_id}/members/{user_id}": {
        "delete": _op(
            "Leave (yourself) or remove a member (captain)",
            {"description": "Done"},
            401,
            403,
            404,
            409,
            status="204",
            params=[TEAM_ID, _path_param("user_id", "integer")],
        ),
    },
    "/teams/{team_id}/join-requests": {
        "post": _op(
            "Ask to join, with a message",
            _json(obj({"id": INTEGER, "team_id": INTEGER, "status": TEXT}), "Created"),
            401,
            403,
            404,
            409,
            body={"type": "object", "properties": {"message": TEXT}},
            status="201",
            params=[TEAM_ID],
        ),
        "get": _op(
            "Pending requests (captain)",
            _json(
                obj(
                    {
                        "join_requests": array(
                            obj(
                                {
                                    "id": INTEGER,
                                    "user": TEXT,
                                    "user_id": INTEGER,
                                    "message": TEXT,
                                    "created_at": DATETIME,
                                }
                            )
                        )
                    }
                )
            ),
            401,
            403,
            404,
            params=[TEAM_ID],
        ),
    },
    "/join-requests/{request_id}": {
        "post": _op(
            "Accept or decline (captain)",
            _json(obj({"id": INTEGER, "status": {"type": "string", "enum": ["accepted", "declined"]}})),
            400,
            401,
            403,
            404,
            409,
            body={"type": "object", "properties": {"decision": {"type": "string", "enum": ["accept", "decline"]}}},
            params=[_path_param("request_id", "integer")],
        ),
    },
    "/teams/{team_id}/deadline-extensions": {
        "post": _op(
            "Extend one team's deadline, with a reason (organizer)",
            _json(TEAM, "Created"),
            400,
            401,
            403,
            404,
            body={"type": "object", "properties": {"new_deadline": DATETIME, "reason": TEXT}},
            status="201",
            params=[TEAM_ID],
        ),
    },
    "/teams/{team_id}/submission": {
        "get": _op(
            "The submission (team: current; others: submitted, frozen after the deadline)",
            _json(_ref("Submission")),
            404,
            auth=False,
            params=[TEAM_ID],
        ),
        "put": _op(
            "Save the submission (team): 200 when it existed, 201 when this created it; 409 after the deadline",
            _json(_ref("Submission")),
            400,
            401,
            403,
            404,
            409,
            body=_ref("SubmissionInput"),
            params=[TEAM_ID],
        ),
    },
    "/teams/{team_id}/submission/screenshots": {
        "post": {
            "summary": "Add a screenshot (PNG, JPEG or WebP, at most 5 MB; re-encoded without EXIF)",
            "security": [{"bearer": []}],
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["screenshot"],
                            "properties": {"screenshot": {"type": "string", "format": "binary"}, "alt_text": TEXT},
                        }
                    }
                },
            },
            "parameters": [TEAM_ID],
            "responses": {
                "201": _json(obj({"id": INTEGER, "url": URL, "width": INTEGER, "height": INTEGER}), "Created"),
                **_errors(400, 401, 403, 404, 409),
            },
        },
    },
    "/teams/{team_id}/submission/screenshots/{screenshot_id}": {
        "delete": _op(
            "Remove a screenshot from the project (older versions keep it)",
            {"description": "Done"},
            401,
            403,
            404,
            409,
            status="204",
            params=[TEAM_ID, _path_param("screenshot_id", "integer")],
        ),
    },
    "/teams/{team_id}/submission/history": {
        "get": _op(
            "Every saved version: who, when, what changed (team, organizers)",
            _json(
                obj(
                    {
                        "versions": array(
                            obj(
                                {
                                    "number": INTEGER,
                                    "author_id": nullable(INTEGER),
                                    "author": nullable(TEXT),
                                    "created_at": DATETIME,
                                    "changed": {**STRINGS, "description": "the fields this version changed"},
                                    "data": {
                                        "type": "object",
                                        "description": "the submission's fields as saved in this version",
                                        "properties": {
                                            **{k: v for k, v in SUBMISSION_CONTENT.items() if k != "screenshots"},
                                            "screenshot_ids": nullable(array(INTEGER)),
                                        },
                                    },
                                }
                            )
                        )
                    }
                )
            ),
            401,
            403,
            404,
            params=[TEAM_ID],
        ),
    },
}

# The first save of a submission creates it: the same body with 201.
PATHS["/teams/{team_id}/submission"]["put"]["responses"]["201"] = _json(_ref("Submission"), "Created")
