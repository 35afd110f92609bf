"""OpenAPI paths of the co-creation loop: dataset usage, data feedback, proposals, reports."""

from __future__ import annotations

from hackkit.api.openapi_hub import DATETIME, TEXT, _json, _op, _path_param, _query, _ref, array, nullable, obj
from hackkit.models.cocreation import FEEDBACK_KINDS, FEEDBACK_STATUSES, PROPOSAL_STATUSES

INTEGER = {"type": "integer"}
NULLABLE_TEXT = {"type": ["string", "null"]}
SLUG = _path_param("slug")
FEEDBACK_ID = _path_param("feedback_id", "integer")
PROPOSAL_ID = _path_param("proposal_id", "integer")
EVENT_FILTER = {**_query("event"), "description": "Only this event (its slug)"}
CSV = {"description": "Spreadsheet-safe CSV", "content": {"text/csv": {"schema": TEXT}}}
CREDIT = {"type": "object", "properties": {"slug": TEXT, "how": TEXT}}
CHALLENGE_REF = obj({"id": INTEGER, "title": TEXT})

SCHEMAS = {
    "UsedBy": {
        "type": "object",
        "description": "A project as the public sees it (submitted, frozen after the deadline)",
        "properties": {
            "submission_id": INTEGER,
            "team_id": INTEGER,
            "title": TEXT,
            "team": TEXT,
            "event": TEXT,
            "challenge": {"type": ["object", "null"], "properties": {"id": INTEGER, "title": TEXT}},
            "datasets": {"type": "array", "items": CREDIT},
            "how": {"type": "string", "description": "how this project used the dataset (in per-dataset lists)"},
        },
    },
    "Feedback": {
        "type": "object",
        "required": ["id", "kind", "title", "status"],
        "properties": {
            "id": INTEGER,
            "dataset": {**NULLABLE_TEXT, "description": "slug; null for a data request"},
            "kind": {"type": "string", "enum": list(FEEDBACK_KINDS)},
            "title": TEXT,
            "body": {"type": "string", "description": "Markdown"},
            "column": TEXT,
            "row": TEXT,
            "status": {"type": "string", "enum": list(FEEDBACK_STATUSES)},
            "reporter": {**NULLABLE_TEXT, "description": "display name only"},
            "answer": TEXT,
            "answered_at": {"type": ["string", "null"], "format": "date-time"},
            "created_at": DATETIME,
            "html_url": TEXT,
        },
    },
    "FeedbackInput": {
        "type": "object",
        "required": ["title"],
        "properties": {
            "dataset": {**NULLABLE_TEXT, "description": "the dataset's slug; leave out to request missing data"},
            "kind": {
                "type": "string",
                "enum": list(FEEDBACK_KINDS),
                "description": "a problem kind with a dataset; `request` (the default) without one",
            },
            "title": TEXT,
            "body": {"type": "string", "description": "Markdown"},
            "column": TEXT,
            "row": TEXT,
        },
    },
    "FeedbackAnswer": {
        "type": "object",
        "properties": {"answer": TEXT, "status": {"type": "string", "enum": list(FEEDBACK_STATUSES)}},
    },
    "Proposal": {
        "type": "object",
        "required": ["id", "event", "title", "status", "votes"],
        "properties": {
            "id": INTEGER,
            "event": TEXT,
            "title": TEXT,
            "description": {"type": "string", "description": "Markdown"},
            "neighbourhood": TEXT,
            "status": {"type": "string", "enum": list(PROPOSAL_STATUSES)},
            "author": {**NULLABLE_TEXT, "description": "display name only"},
            "votes": INTEGER,
            "my_vote": {"type": "boolean"},
            "challenge_id": {"type": ["integer", "null"], "description": "the challenge it became"},
            "created_at": DATETIME,
            "html_url": TEXT,
        },
    },
    "ProposalInput": {
        "type": "object",
        "required": ["title"],
        "properties": {"title": TEXT, "description": TEXT, "neighbourhood": TEXT},
    },
}

_VOTE_ERRORS = (401, 403, 404, 409)
USED_BY_LIST = {"type": "array", "items": _ref("UsedBy")}

PATHS = {
    "/datasets/{slug}/projects": {
        "get": _op(
            "Public projects that credited this dataset, and how they used it",
            _json({"type": "object", "properties": {"dataset": TEXT, "projects": USED_BY_LIST}}),
            404,
            auth=False,
            params=[SLUG],
        )
    },
    "/feedback": {
        "get": _op(
            "Public list of data feedback, newest first",
            _json({"type": "object", "properties": {"feedback": {"type": "array", "items": _ref("Feedback")}}}),
            400,
            404,
            auth=False,
            params=[_query("dataset"), _query("status"), _query("kind")],
        ),
        "post": _op(
            "Report a problem with a dataset, or request data that is not there (10 per hour per account)",
            _json(_ref("Feedback"), "Created"),
            400,
            401,
            403,
            body=_ref("FeedbackInput"),
            status="201",
        ),
    },
    "/feedback/{feedback_id}": {
        "get": _op("One feedback item", _json(_ref("Feedback")), 404, auth=False, params=[FEEDBACK_ID]),
        "patch": _op(
            "Answer and set the status (the publisher side: organizers)",
            _json(_ref("Feedback")),
            400,
            401,
            403,
            404,
            body=_ref("FeedbackAnswer"),
            params=[FEEDBACK_ID],
        ),
    },
    "/events/{slug}/proposals": {
        "get": _op(
            "Resident proposals, most votes first (`accepting`: proposals and votes are open)",
            _json(
                {
                    "type": "object",
                    "properties": {
                        "accepting": {"type": "boolean"},
                        "proposals": {"type": "array", "items": _ref("Proposal")},
                    },
                }
            ),
            404,
            auth=False,
            params=[SLUG],
        ),
        "post": _op(
            "Propose a problem worth solving, before the event starts (5 per hour per account)",
            _json(_ref("Proposal"), "Created"),
            400,
            401,
            403,
            404,
            409,
            body=_ref("ProposalInput"),
            status="201",
            params=[SLUG],
        ),
    },
    "/proposals/{proposal_id}": {
        "get": _op("One proposal with its vote count", _json(_ref("Proposal")), 404, auth=False, params=[PROPOSAL_ID]),
        "patch": _op(
            "Moderate: open, close (no more votes) or hide (organizers)",
            _json(_ref("Proposal")),
            400,
            401,
            403,
            404,
            409,
            body={"type": "object", "properties": {"status": {"type": "string", "enum": list(PROPOSAL_STATUSES)}}},
            params=[PROPOSAL_ID],
        ),
    },
    "/proposals/{proposal_id}/vote": {
        "post": _op(
            "Vote for a proposal (one vote per account; 409 when already voted or closed)",
            _json(_ref("Proposal"), "Counted"),
            *_VOTE_ERRORS,
            status="201",
            params=[PROPOSAL_ID],
        ),
        "delete": _op(
            "Take your vote back",
            _json(_ref("Proposal")),
            *_VOTE_ERRORS,
            params=[PROPOSAL_ID],
        ),
    },
    "/proposals/{proposal_id}/challenge": {
        "post": _op(
            "Turn the proposal into a challenge of its event (organizers); fields default to the proposal's",
            _json(_ref("Challenge"), "The new challenge, with proposal_id"),
            400,
            401,
            403,
            404,
            409,
            body=_ref("ChallengeInput"),
            status="201",
            params=[PROPOSAL_ID],
        )
    },
    "/reports/datasets": {
        "get": _op(
            "Organizer report per dataset: totals, projects, challenges, events, feedback counts",
            _json(
                obj(
                    {
                        "totals": obj(
                            dict.fromkeys(
                                (
                                    "datasets",
                                    "datasets_used",
                                    "projects",
                                    "projects_using_data",
                                    "feedback_open",
                                    "feedback_total",
                                    "requests_open",
                                    "requests_total",
                                ),
                                INTEGER,
                            )
                        ),
                        "datasets": array(
                            obj(
                                {
                                    "slug": TEXT,
                                    "title": TEXT,
                                    "status": TEXT,
                                    "projects_count": INTEGER,
                                    "events": {**array(TEXT), "description": "names of the events of its projects"},
                                    "challenges": array(CHALLENGE_REF),
                                    "offered_by_challenges": array(CHALLENGE_REF),
                                    "feedback": obj(dict.fromkeys(("open", "answered", "fixed", "total"), INTEGER)),
                                    "projects": array(_ref("UsedBy")),
                                }
                            )
                        ),
                    }
                )
            ),
            401,
            403,
            404,
            params=[EVENT_FILTER],
        )
    },
    "/reports/datasets.csv": {"get": _op("The per-dataset report as CSV", CSV, 401, 403, 404, params=[EVENT_FILTER])},
    "/reports/challenges": {
        "get": _op(
            "Organizer report per challenge: totals, projects and the datasets each used",
            _json(
                obj(
                    {
                        "totals": obj(
                            dict.fromkeys(
                                (
                                    "challenges",
                                    "challenges_with_projects",
                                    "from_residents",
                                    "projects",
                                    "projects_without_challenge",
                                ),
                                INTEGER,
                            )
                        ),
                        "challenges": array(
                            obj(
                                {
                                    "id": INTEGER,
                                    "title": TEXT,
                                    "event": TEXT,
                                    "department": TEXT,
                                    "proposal_id": nullable(INTEGER),
                                    "projects_count": INTEGER,
                                    "datasets_used": {**array(TEXT), "description": "slugs"},
                                    "projects": array(_ref("UsedBy")),
                                }
                            )
                        ),
                        "without_challenge": array(_ref("UsedBy")),
                    }
                )
            ),
            401,
            403,
            404,
            params=[EVENT_FILTER],
        )
    },
    "/reports/challenges.csv": {
        "get": _op("The per-challenge report as CSV, one row per project", CSV, 401, 403, 404, params=[EVENT_FILTER])
    },
}
