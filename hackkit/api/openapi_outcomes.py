"""OpenAPI paths of what became of the projects: outcomes, teams' updates, the impact report."""

from __future__ import annotations

from hackkit import bodies
from hackkit.api.openapi_hub import INTEGER, STRINGS, TEXT, _json, _op, _path_param, _ref, array, nullable, obj
from hackkit.models.outcome import OUTCOME_STATUSES

SLUG = _path_param("slug")
SUBMISSION = _path_param("submission_id", "integer")
CSV = {"description": "Spreadsheet-safe CSV, one row per public project", "content": {"text/csv": {"schema": TEXT}}}
IDS = {**array(INTEGER), "description": "submission ids of the projects (see `projects`)"}
STATUS_COUNTS = {
    **obj(dict.fromkeys((*OUTCOME_STATUSES, "none"), INTEGER)),
    "description": "projects per current status; `none`: nothing recorded yet",
}
IMPACT_PROJECT = obj(
    {
        "submission_id": INTEGER,
        "team_id": INTEGER,
        "title": TEXT,
        "team": TEXT,
        "event": {**TEXT, "description": "the event's slug"},
        "challenge_id": nullable(INTEGER),
        "department": {**TEXT, "description": "the newest outcome's department, else the challenge owner's"},
        "datasets": {**STRINGS, "description": "slugs of the datasets it credits"},
        "status": {"type": ["string", "null"], "enum": [*OUTCOME_STATUSES, None]},
        "status_date": {"type": ["string", "null"], "format": "date"},
        "url": {**TEXT, "description": "for a live project: where it runs"},
    }
)

SCHEMAS = {
    **bodies.component_schemas(bodies.Outcomes, bodies.ProjectUpdates, bodies.OutcomeInput, bodies.ProjectUpdateInput),
    "Impact": {
        **obj(
            {
                "events": {**STRINGS, "description": "slugs of the events counted"},
                "totals": obj({"projects": INTEGER, "statuses": STATUS_COUNTS}),
                "projects": array(IMPACT_PROJECT),
                "challenges": array(
                    obj(
                        {
                            "id": INTEGER,
                            "event": TEXT,
                            "title": TEXT,
                            "department": TEXT,
                            "statuses": STATUS_COUNTS,
                            "projects": IDS,
                        }
                    )
                ),
                "departments": array(obj({"department": TEXT, "statuses": STATUS_COUNTS, "projects": IDS})),
                "datasets": array(
                    obj(
                        {
                            "slug": TEXT,
                            "title": TEXT,
                            "projects": IDS,
                            "live": {**IDS, "description": "those of its projects that are live"},
                        }
                    )
                ),
                "proposals": array(
                    obj(
                        {
                            "id": INTEGER,
                            "event": TEXT,
                            "title": TEXT,
                            "challenge_id": INTEGER,
                            "challenge": TEXT,
                            "statuses": STATUS_COUNTS,
                            "projects": IDS,
                        }
                    )
                ),
            }
        ),
        "description": "What came of the public projects, per challenge, department, dataset and resident proposal",
    },
}

PATHS = {
    "/submissions/{submission_id}/outcomes": {
        "get": _op(
            "What became of the project after the event: its outcome history, newest first",
            _json(_ref("Outcomes")),
            404,
            auth=False,
            params=[SUBMISSION],
        ),
        "post": _op(
            "Record what happened next (organizers): `live` needs `url`, `stopped` needs `note`",
            _json(_ref("Outcome"), "Recorded"),
            400,
            401,
            403,
            404,
            409,
            body=_ref("OutcomeInput"),
            status="201",
            params=[SUBMISSION],
        ),
    },
    "/submissions/{submission_id}/updates": {
        "get": _op(
            "The team's progress posts on its project, newest first",
            _json(_ref("ProjectUpdates")),
            404,
            auth=False,
            params=[SUBMISSION],
        ),
        "post": _op(
            "Post an update on your own team's submitted project",
            _json(_ref("ProjectUpdate"), "Posted"),
            400,
            401,
            403,
            404,
            409,
            body=_ref("ProjectUpdateInput"),
            status="201",
            params=[SUBMISSION],
        ),
    },
    "/events/{slug}/impact": {
        "get": _op("What came of the event's projects", _json(_ref("Impact")), 404, auth=False, params=[SLUG])
    },
    "/events/{slug}/impact.csv": {
        "get": _op("The event's impact as CSV", CSV, 404, auth=False, params=[SLUG]),
    },
    "/impact": {"get": _op("What came of the projects of every public event", _json(_ref("Impact")), auth=False)},
    "/impact.csv": {"get": _op("The impact of every public event as CSV", CSV, auth=False)},
}
