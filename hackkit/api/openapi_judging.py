"""OpenAPI paths of judging: criteria, judges, conflicts, assignments, scores, results, votes."""

from __future__ import annotations

from hackkit import bodies
from hackkit.api.openapi_hub import DATETIME, TEXT, _json, _op, _path_param, _query, _ref, array, nullable, obj

SLUG = _path_param("slug")
SUBMISSION = _path_param("submission_id", "integer")
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
# What publishing lacks: an unranked project, or a judge's missing scores (services.publication).
MISSING = obj(
    {
        "kind": {"type": "string", "enum": ["unranked", "missing_scores"]},
        "submission_id": INTEGER,
        "title": TEXT,
        "text": TEXT,
        "judge_id": INTEGER,
        "judge": TEXT,
        "scored": INTEGER,
        "criteria": INTEGER,
    },
    required=["kind", "submission_id", "title", "text"],
)
WHEN = nullable(DATETIME)
PAIR_PROJECT = nullable(
    obj(
        {
            "id": INTEGER,
            "team": TEXT,
            **dict.fromkeys(("title", "tagline", "description", "repo_url", "demo_url"), nullable(TEXT)),
        }
    )
)

# One judge's scores and notes on a project; the judge's own form (PUT scores, GET judging) adds
# whether it is complete, the organizer's list of every judge (GET scores) does not.
JUDGE_SCORES = {
    "scores": {"type": "object", "description": "criterion id -> value", "additionalProperties": NUMBER},
    "feedback": TEXT,
    "private_note": TEXT,
}
# A criterion as the results show it (for all but organizers: as it was when they were published).
CRITERION_SUMMARY = obj({"id": INTEGER, "name": TEXT, "weight": NUMBER, "scale_min": NUMBER, "scale_max": NUMBER})

SCHEMAS = {
    **bodies.component_schemas(
        bodies.Criterion,
        bodies.JudgingSettings,
        bodies.Judge,
        bodies.JudgeContact,
        bodies.JudgeAdded,
        bodies.Conflict,
        bodies.Assignment,
    ),
    "CriterionInput": {
        "type": "object",
        "properties": {
            "name": TEXT,
            "description": TEXT,
            "weight": NUMBER,
            "scale_min": INTEGER,
            "scale_max": INTEGER,
            "position": INTEGER,
        },
    },
    "JudgingSettingsInput": {
        "type": "object",
        "properties": {
            "opens_at": WHEN,
            "closes_at": WHEN,
            "results_published": {"type": "boolean"},
            "published_at": WHEN,
            "per_submission": INTEGER,
            "mode": {"type": "string", "enum": ["rubric", "pairwise"]},
            "public_vote_opens": WHEN,
            "public_vote_closes": WHEN,
            "confirm_mode_change": {
                "type": "boolean",
                "writeOnly": True,
                "description": "required to switch the mode once scores or votes exist (409 without it)",
            },
        },
    },
    "ScoresInput": {
        "type": "object",
        "properties": {
            "scores": {
                "type": "object",
                "description": "criterion id -> value within the criterion's scale (null clears it)",
                "additionalProperties": {"type": ["number", "null"]},
            },
            "feedback": {"type": "string", "description": "for the team, shown after publication"},
            "private_note": {"type": "string", "description": "for the jury only"},
        },
    },
    "Scores": obj(
        {
            **JUDGE_SCORES,
            "complete": {"type": "boolean", "description": "every criterion has a score (the judge's own form)"},
            "missing_criteria": {**array(INTEGER), "description": "criteria the judge has not scored yet"},
        }
    ),
    "AssignmentPlan": obj(
        {
            "per_submission": INTEGER,
            "assignments": {"type": "integer", "description": "how many were made"},
            "loads": {"type": "object", "description": "judge id -> projects", "additionalProperties": INTEGER},
            "dropped": array(obj({"judge_id": INTEGER, "submission_id": INTEGER})),
            "items": array(_ref("Assignment")),
        }
    ),
    "Result": {
        "type": "object",
        "required": ["submission_id", "rank", "score", "raw_score", "criteria"],
        "properties": {
            "submission_id": INTEGER,
            "rank": {"type": ["integer", "null"]},
            "score": {"type": ["number", "null"], "description": "normalised (z units)"},
            "raw_score": {"type": ["number", "null"], "description": "weighted mean, 0..1"},
            "sigma": {"type": "number", "description": "pairwise mode: uncertainty of score"},
            "judges": INTEGER,
            "criteria": {
                "type": "object",
                "description": "criterion id -> {mean, raw, normalised, judges}",
                "additionalProperties": obj(
                    {
                        "mean": nullable(NUMBER),
                        "raw": nullable(NUMBER),
                        "normalised": nullable(NUMBER),
                        "judges": INTEGER,
                    }
                ),
            },
            "notes": {"type": "array", "items": TEXT},
            "title": TEXT,
            "team": TEXT,
        },
    },
    "Results": {
        "type": "object",
        "required": ["method", "published", "results"],
        "properties": {
            "method": {"type": "string", "enum": ["normalised", "raw", "pairwise"]},
            "published": {"type": "boolean"},
            "criteria": {
                "type": "array",
                "items": CRITERION_SUMMARY,
                "description": "as published, for all but organizers",
            },
            "results": {
                "type": "array",
                "items": _ref("Result"),
            },
        },
    },
}


def _body(properties: dict, required: list[str] | None = None) -> dict:
    schema: dict = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


PATHS = {
    "/events/{slug}/judging": {
        "get": _op(
            "Judging settings: windows, mode, k, publication",
            _json(_ref("JudgingSettings")),
            404,
            auth=False,
            params=[SLUG],
        ),
        "patch": _op(
            "Change judging settings (organizer); 409 while results are published, or for a mode switch "
            "after scores or votes without confirm_mode_change",
            _json(_ref("JudgingSettings")),
            400,
            401,
            403,
            404,
            409,
            body=_ref("JudgingSettingsInput"),
            params=[SLUG],
        ),
    },
    "/events/{slug}/criteria": {
        "get": _op(
            "The event's criteria, in order",
            _json(obj({"criteria": array(_ref("Criterion"))})),
            404,
            auth=False,
            params=[SLUG],
        ),
        "post": _op(
            "Add a criterion (organizer); 409 while the results are published",
            _json(_ref("Criterion"), "Created"),
            400,
            401,
            403,
            404,
            409,
            body=_ref("CriterionInput"),
            status="201",
            params=[SLUG],
        ),
    },
    "/criteria/{criterion_id}": {
        "patch": _op(
            "Change a criterion (organizer); 409 if given scores fall outside a new scale",
            _json(_ref("Criterion")),
            400,
            401,
            403,
            404,
            409,
            body=_ref("CriterionInput"),
            params=[_path_param("criterion_id", "integer")],
        ),
        "delete": _op(
            "Delete a criterion nobody has scored yet (organizer; 409 once scores exist)",
            {"description": "Done"},
            401,
            403,
            404,
            409,
            status="204",
            params=[_path_param("criterion_id", "integer")],
        ),
    },
    "/events/{slug}/judges": {
        "get": _op(
            "The jury (organizer)",
            _json(obj({"judges": array(_ref("JudgeContact"))})),
            401,
            403,
            404,
            params=[SLUG],
        ),
        "post": _op(
            "Make an existing account a judge of the event (organizer); `team` and `warning` say when they "
            "are a participant of a team of this event (conflicted with its project)",
            _json(_ref("JudgeAdded"), "Created"),
            400,
            401,
            403,
            404,
            409,
            body=_body({"email": TEXT}, ["email"]),
            status="201",
            params=[SLUG],
        ),
    },
    "/events/{slug}/judges/{user_id}": {
        "delete": _op(
            "Remove a judge and their assignments (organizer); 409 while the results are published",
            {"description": "Done"},
            401,
            403,
            404,
            409,
            status="204",
            params=[SLUG, _path_param("user_id", "integer")],
        ),
    },
    "/submissions/{submission_id}/conflicts": {
        "post": _op(
            "Declare a conflict of interest (judge; an organizer may pass judge_id); 409 while the results are "
            "published",
            _json(_ref("Conflict"), "Created"),
            400,
            401,
            403,
            404,
            409,
            body=_body(
                {
                    "reason": TEXT,
                    "kind": {"type": "string", "enum": ["member", "organisation", "relation", "other"]},
                    "note": TEXT,
                    "judge_id": INTEGER,
                }
            ),
            status="201",
            params=[SUBMISSION],
        ),
    },
    "/events/{slug}/conflicts": {
        "get": _op(
            "Declared conflicts (organizer: all; judge: own)",
            _json(obj({"conflicts": array(_ref("Conflict"))})),
            401,
            403,
            404,
            params=[SLUG],
        ),
    },
    "/events/{slug}/assignments": {
        "get": _op(
            "Assignments (organizer: all; judge: own)",
            _json(obj({"assignments": array(_ref("Assignment"))})),
            401,
            403,
            404,
            params=[SLUG],
        ),
        "post": _op(
            "Balanced assignment {per_submission: k} or one manual {judge_id, submission_id} (organizer); "
            "409 naming the projects when impossible",
            _json({"oneOf": [_ref("AssignmentPlan"), _ref("Assignment")]}, "Created: the plan, or the one assignment"),
            400,
            401,
            403,
            404,
            409,
            body=_body({"per_submission": INTEGER, "seed": INTEGER, "judge_id": INTEGER, "submission_id": INTEGER}),
            status="201",
            params=[SLUG],
        ),
    },
    "/assignments/{assignment_id}": {
        "delete": _op(
            "Remove one assignment (organizer); 409 while the results are published",
            {"description": "Done"},
            401,
            403,
            404,
            409,
            status="204",
            params=[_path_param("assignment_id", "integer")],
        ),
    },
    "/events/{slug}/progress": {
        "get": _op(
            "Who still has to score what, per judge and per project (organizer: all; judge: own)",
            _json(
                obj(
                    {
                        "criteria": {"type": "integer", "description": "how many criteria each project is scored on"},
                        "judges": array(
                            obj(
                                {
                                    "judge_id": INTEGER,
                                    "name": TEXT,
                                    "assigned": INTEGER,
                                    "done": INTEGER,
                                    "missing": {**array(INTEGER), "description": "projects still to score"},
                                    "partial": {
                                        **array(INTEGER),
                                        "description": "of those, the ones begun but not every criterion scored",
                                    },
                                }
                            )
                        ),
                        "submissions": array(
                            obj(
                                {
                                    "submission_id": INTEGER,
                                    "title": TEXT,
                                    "judges": INTEGER,
                                    "done": INTEGER,
                                    "missing_judges": array(INTEGER),
                                }
                            )
                        ),
                    }
                )
            ),
            401,
            403,
            404,
            params=[SLUG],
        ),
    },
    "/submissions/{submission_id}/judging": {
        "get": _op(
            "The project as frozen at the deadline, the criteria and your own scores (assigned judge, organizer); "
            "403 when you have a conflict of interest",
            _json(
                obj(
                    {
                        "submission": _ref("Submission"),
                        "criteria": array(_ref("Criterion")),
                        "judging_open": {"type": "boolean"},
                        **SCHEMAS["Scores"]["properties"],
                    }
                )
            ),
            401,
            403,
            404,
            params=[SUBMISSION],
        ),
    },
    "/submissions/{submission_id}/scores": {
        "put": _op(
            "Score a project (assigned judge): values within each criterion's scale (400), "
            "only inside the judging window (409), never with a conflict of interest (403)",
            _json(_ref("Scores")),
            400,
            401,
            403,
            404,
            409,
            body=_ref("ScoresInput"),
            params=[SUBMISSION],
        ),
        "get": _op(
            "Every judge's scores, feedback and private notes on a project (organizer)",
            _json(obj({"judges": array(obj({"judge_id": INTEGER, **JUDGE_SCORES}))})),
            401,
            403,
            404,
            params=[SUBMISSION],
        ),
    },
    "/submissions/{submission_id}/feedback": {
        "get": _op(
            "The jury's feedback and the project's result (team after publication; organizer)",
            _json(
                obj(
                    {
                        "submission_id": INTEGER,
                        "feedback": array(TEXT),
                        "method": TEXT,
                        "criteria": {
                            **array(CRITERION_SUMMARY),
                            "description": "the criteria the result is scored on (empty in pairwise mode)",
                        },
                        "result": {"oneOf": [_ref("Result"), {"type": "null"}]},
                    }
                )
            ),
            401,
            403,
            404,
            params=[SUBMISSION],
        ),
    },
    "/events/{slug}/results": {
        "get": _op(
            "Results (organizer any time; everyone after publication). `score` is the normalised score.",
            _json(_ref("Results")),
            400,
            403,
            404,
            auth=False,
            params=[SLUG, _query("method")],
        ),
    },
    "/events/{slug}/results/publish": {
        "post": _op(
            "Publish and freeze the results (organizer). Without {confirm: true}, when projects are unranked or "
            "scores are missing: 409 with `missing: [{kind, submission_id, title, judge_id, judge, scored, "
            "criteria, text}]`. {published: false} withdraws them (logged).",
            _json(obj({"published": {"type": "boolean"}, "published_at": WHEN, "missing": array(MISSING)})),
            400,
            401,
            403,
            404,
            409,
            body=_body({"published": {"type": "boolean"}, "confirm": {"type": "boolean"}}),
            params=[SLUG],
        ),
    },
    "/events/{slug}/pairwise/next": {
        "get": _op(
            "Pairwise mode: the next two projects to compare (judge); never a conflicted project",
            _json(
                obj(
                    {
                        "left": PAIR_PROJECT,
                        "right": PAIR_PROJECT,
                        "votes": {"type": "integer", "description": "your comparisons so far"},
                        "done": {"type": "boolean"},
                    }
                )
            ),
            401,
            403,
            404,
            409,
            params=[SLUG],
        ),
    },
    "/events/{slug}/pairwise/votes": {
        "post": _op(
            "Pairwise mode: record which of two projects is better, or skip the pair with no preference "
            "(judge, inside the judging window)",
            _json(
                obj(
                    {
                        "id": INTEGER,
                        "winner_id": INTEGER,
                        "loser_id": INTEGER,
                        "skipped": {"type": "boolean", "description": "a skip: no preference, not a comparison"},
                    }
                ),
                "Created",
            ),
            400,
            401,
            403,
            404,
            409,
            body=_body(
                {
                    "winner_id": INTEGER,
                    "loser_id": INTEGER,
                    "skip": {
                        "type": "boolean",
                        "description": "no preference between the two: the judge moves on, the ranking is not "
                        "changed (winner_id: the current project, loser_id: the one skipped)",
                    },
                },
                ["winner_id", "loser_id"],
            ),
            status="201",
            params=[SLUG],
        ),
    },
    "/events/{slug}/pairwise/undo": {
        "post": _op(
            "Pairwise mode: undo your last vote (judge)",
            _json(
                obj(
                    {
                        "undone": {"type": "integer", "description": "the vote's id"},
                        "winner_id": INTEGER,
                        "loser_id": INTEGER,
                    }
                )
            ),
            401,
            403,
            404,
            409,
            params=[SLUG],
        ),
    },
    "/events/{slug}/public-votes": {
        "get": _op(
            "The public vote: open or not, your vote, and the count once it has closed",
            _json(
                obj(
                    {
                        "open": {"type": "boolean"},
                        "my_vote": {**nullable(INTEGER), "description": "the project you voted for"},
                        "results": {
                            **nullable(
                                array(obj({"submission_id": INTEGER, "team": TEXT, "title": TEXT, "votes": INTEGER}))
                            ),
                            "description": "null until the vote has closed (organizers: any time)",
                        },
                    }
                )
            ),
            404,
            auth=False,
            params=[SLUG],
        ),
        "post": _op(
            "Vote for a project (one per account per event, inside the window, from an account whose "
            "e-mail address is confirmed, else 403; not for one's own team's project: 403; rate limited: 429)",
            _json(obj({"submission_id": INTEGER, "created_at": DATETIME}), "Created"),
            400,
            401,
            403,
            404,
            409,
            body=_body({"submission_id": INTEGER}, ["submission_id"]),
            status="201",
            params=[SLUG],
        ),
    },
}
