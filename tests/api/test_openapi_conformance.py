"""/api/v1/openapi.json is a valid OpenAPI 3.1 document, and the API's real answers keep to it.

The answers come from the route matrix's world (tests/security/route_world.py: an event with
teams, projects, judges, scores, proposals, datasets): every GET route of /api/v1, asked by
every role, before and after the results are published. Each answer must have a documented
status and content type, and a JSON body must match the documented schema, read strictly: an
object may carry no field the document does not list (the document itself stays open, so
clients keep working when a field is added).
"""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import OpenAPIV31SpecValidator

from tests.security import route_harness as h
from tests.security.route_world import ROLES
from tests.security.test_route_matrix import ROUTES, url

OPERATIONS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="module")
def matrix(tmp_path_factory, postgres_databases, migrated_database):
    built = h.build_matrix(tmp_path_factory.mktemp("openapi-world"), postgres_databases, migrated_database)
    yield built
    built.close()


@pytest.fixture(scope="module")
def document(matrix) -> dict:
    response = matrix.app_for("read").test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def inline(schema, components: dict, seen: tuple = ()):
    """The schema with every `#/components/schemas/X` reference replaced by X itself."""
    if isinstance(schema, list):
        return [inline(item, components, seen) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        assert name not in seen, f"recursive schema {name}"
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        return inline({**components[name], **rest}, components, (*seen, name))
    return {key: inline(value, components, seen) for key, value in schema.items()}


def strict(schema):
    """No field beyond those listed: `unevaluatedProperties: false` on every object schema
    that lists properties (on the whole of an allOf, not on its parts)."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == "allOf":
            out[key] = [{k: strict(v) for k, v in part.items()} for part in value]
        elif key in ("properties", "patternProperties", "$defs"):
            out[key] = {name: strict(sub) for name, sub in value.items()}
        else:
            out[key] = strict(value)
    lists_fields = "properties" in schema or any("properties" in part for part in schema.get("allOf", []))
    if lists_fields and "additionalProperties" not in schema and "unevaluatedProperties" not in schema:
        out["unevaluatedProperties"] = False
    return out


def vague_parts(schema, where: str = "") -> list[str]:
    """Where a body is described only as `{type: object}` or `{type: array}`: an object must
    list its properties (or say what any property holds), an array what its items are."""
    if not isinstance(schema, dict):
        return []
    found = []
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds or []
    composed = any(key in schema for key in ("allOf", "anyOf", "oneOf", "const", "enum"))
    if "object" in kinds and not composed and not any(k in schema for k in ("properties", "additionalProperties")):
        found.append(where or "/")
    if "array" in kinds and "items" not in schema:
        found.append((where or "/") + "[]")
    for name, sub in (schema.get("properties") or {}).items():
        found += vague_parts(sub, f"{where}/{name}")
    for key in ("items", "additionalProperties"):
        found += vague_parts(schema.get(key), f"{where}/{key}")
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key) or []:
            found += vague_parts(part, where)
    return found


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1.")
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in OpenAPIV31SpecValidator(document).iter_errors()
    ]
    assert not errors, "\n".join(errors[:20])


def test_every_operation_describes_what_it_answers(document):
    components = document["components"]["schemas"]
    vague = []
    for path, item in document["paths"].items():
        for method in OPERATIONS:
            operation = item.get(method)
            if operation is None:
                continue
            for status, response in operation["responses"].items():
                content = response.get("content") or {}
                if status.startswith("2") and status != "204" and not content:
                    vague.append(f"{method.upper()} {path} {status}: no content")
                for media_type, media in content.items():
                    schema = inline(media.get("schema") or {}, components)
                    if "json" in media_type and (not schema or vague_parts(schema)):
                        vague.append(f"{method.upper()} {path} {status} {media_type}: {vague_parts(schema) or 'none'}")
    assert not vague, "\n".join(vague)


_PARAM = re.compile(r"<(?:[^<>]*:)?(\w+)>")


def documented_path(rule: str) -> str:
    return _PARAM.sub(r"{\1}", rule.removeprefix("/api/v1").split("?", 1)[0])


def media_type_of(response) -> str:
    return response.mimetype


def conformance_problems(document: dict, path: str, response) -> list[str]:
    operation = document["paths"][path]["get"]
    documented = operation["responses"].get(str(response.status_code)) or operation["responses"].get("default")
    if documented is None:
        return [f"status {response.status_code} is not documented"]
    content = documented.get("content") or {}
    if not content:
        return [] if not response.get_data() else ["a body where the document says none"]
    media_type = media_type_of(response)
    if media_type not in content:
        return [f"content type {media_type} is not one of {sorted(content)}"]
    if "json" not in media_type:
        return []
    schema = strict(inline(content[media_type].get("schema") or {}, document["components"]["schemas"]))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    body = response.get_json()
    return [
        f"/{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}"
        for e in sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.absolute_path)))
    ][:5]


API_READS = sorted(
    (rule, r.params, r.setup) for (method, rule), r in ROUTES.items() if method == "GET" and rule.startswith("/api/v1/")
)
# Answers the plain rows above do not reach: a second page, a search, an earlier version,
# another method, and the error shape of a bad parameter and of a missing thing.
EXTRA_READS = [
    ("/api/v1/datasets/<slug>/rows?_size=1", {}, None),
    ("/api/v1/datasets/<slug>/rows?_size=1&_sort_desc=name&name__contains=a", {}, None),
    ("/api/v1/datasets/<slug>/rows?nope__gt=1", {}, None),
    ("/api/v1/datasets/<slug>/rows?_size=1&name__contains=a&_total=capped", {}, None),
    ("/api/v1/datasets/<slug>/rows?_size=1&name__contains=a&_total=none", {}, None),
    ("/api/v1/datasets/<slug>/rows.geojson?_fields=name", {}, None),
    ("/api/v1/datasets/<slug>/points?nope__gt=1", {}, None),
    ("/api/v1/datasets/<slug>?_version=1", {}, None),
    ("/api/v1/datasets?q=park&format=csv", {}, None),
    ("/api/v1/events/<slug>/results?method=raw", {}, None),
    ("/api/v1/events/<slug>/results?method=nonsense", {}, None),
    ("/api/v1/events/<slug>/results", {}, "pairwise"),
    ("/api/v1/events/<slug>", {"slug": "no-such-event"}, None),
    ("/api/v1/teams/<int:team_id>", {"team_id": "999999"}, None),
]


@pytest.mark.parametrize("state", [None, "results_published"])
def test_every_get_answer_of_every_role_conforms_to_the_document(matrix, document, state):
    checked, problems, statuses = 0, [], {}
    for rule, params, setup in API_READS + EXTRA_READS:
        if rule == "/api/v1/openapi.json":
            continue
        wanted = setup or state
        app = matrix.write_app(wanted) if wanted else matrix.app_for("read")
        target = url(rule, params, matrix.ids)
        path = documented_path(rule)
        assert path in document["paths"], f"{rule} is not in the document"
        for role in ROLES:
            response = h.request(matrix, app, role, "GET", target)
            checked += 1
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            problems += [
                f"{role} GET {target} -> {response.status_code}: {p}"
                for p in conformance_problems(document, path, response)
            ]
    print(f"checked {checked} answers, by status: {statuses}")
    assert checked > 250
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
