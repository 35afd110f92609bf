"""Schemathesis against /api/v1/openapi.json: no input makes the API fail or break its own schema.

The hub is the demo one (curated datasets, an event, people, a team and its project) and
the requests carry an organizer's token, so the fuzzer reaches the write operations too;
rate limits are off, so every case reaches its handler rather than the limiter.
Every operation gets generated valid and invalid requests; each answer must not be a
server error, must use a documented status code, and must match the documented schema.

A second run aims at what a schema cannot describe: the rows API, its CSV and GeoJSON
streams, CKAN's datastore_search and /datastore/dump, with numbers past 64 bits, forged
`_next` tokens and long filter lists; each must be answered (200 or a 400/409 with a
message), a stream in full.

HACKKIT_FUZZ_EXAMPLES sets the examples per operation and mode (6 by default, about 1,300
requests); run with -s to see how many cases ran.
"""

from __future__ import annotations

import base64
import json
import os

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hackkit.extensions import db
from hackkit.models import User
from hackkit.services import curated, demo, tokens

EXAMPLES = int(os.environ.get("HACKKIT_FUZZ_EXAMPLES", "6"))  # per operation and mode
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def app_settings():
    return {"RATELIMIT_ENABLED": False}  # read when the limiter starts: setting it later does nothing


@pytest.fixture
def demo_hub(app):
    with app.app_context():
        curated.load_curated(db.session)
        demo.seed_demo(db.session)
        organizer = db.session.scalar(sa.select(User).where(User.role == "organizer"))
        app.config["FUZZ_TOKEN"] = tokens.issue_token(db.session, organizer, "fuzz")
    return app


def fuzz_operation(operation, headers: dict, mode, cases: list) -> list[str]:
    """Run generated requests of one mode against one operation; returns the failures."""
    failures: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,  # the same requests every run: a failure here is reproducible
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        cases.append(1)
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as error:  # a failed check: collect it, go on with the others
            failures.append(f"{operation.label} ({mode.value}): {str(error)[:600]}")
            raise

    try:
        run()
    except (Exception, BaseExceptionGroup):  # noqa: S110  (hypothesis re-raises the failure recorded above)
        pass
    return failures[:1]


def test_api_answers_every_generated_request_within_its_contract(demo_hub):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo_hub)
    headers = {"Authorization": f"Bearer {demo_hub.config['FUZZ_TOKEN']}"}
    failures: list[str] = []
    cases: list = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += fuzz_operation(operation, headers, mode, cases)
    print(f"\nschemathesis: {len(cases)} cases over {len(operations)} operations, {len(failures)} failing")
    assert not failures, "\n\n".join(failures)


# -- numbers, tokens and lists against the rows readers -----------------------------------------

SLUG = "incidents"  # curated: integer id, date, datetime, text, number columns
COLUMNS = {"id": "integer", "date": "date", "datetime": "datetime", "category": "text", "lat": "number"}
HUGE = st.one_of(
    st.integers(min_value=2**63 - 2, max_value=10**40),
    st.integers(min_value=-(10**40), max_value=-(2**63) + 1),
    st.integers(min_value=-5, max_value=5),
)
NUMBER_TEXT = st.one_of(
    HUGE.map(str),
    st.sampled_from(["9" * 30, "-" + "9" * 30, "1e400", "-1e400", "nan", "inf", "1e308", "0x10", "1_000", " 1", ""]),
    st.floats().map(str),
)
SCALAR = st.one_of(st.none(), st.booleans(), HUGE, st.floats(), st.text(max_size=6))
TOKEN_PARTS = st.one_of(
    st.tuples(st.sampled_from([None, *COLUMNS]), st.one_of(st.booleans(), SCALAR), SCALAR, SCALAR, SCALAR),
    st.lists(SCALAR, max_size=6),
    st.just([None, False, None, True, 5]),
)
TOKEN = TOKEN_PARTS.map(lambda parts: base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("="))
FILTER_KEY = st.builds(lambda c, op: f"{c}__{op}" if op else c, st.sampled_from(list(COLUMNS)),
                       st.sampled_from(["", "gt", "gte", "lt", "lte", "not", "in"]))  # fmt: skip
ROWS_ARGS = st.lists(
    st.one_of(
        st.tuples(FILTER_KEY, NUMBER_TEXT),
        st.tuples(st.just("id__in"), st.lists(NUMBER_TEXT, max_size=5).map(",".join)),
        st.tuples(st.just("id__in"), st.integers(0, 2500).map(lambda n: ",".join(["1"] * n))),
        st.tuples(st.just("_next"), TOKEN),
        st.tuples(st.sampled_from(["_sort", "_sort_desc"]), st.sampled_from(list(COLUMNS))),
        st.tuples(st.just("_size"), NUMBER_TEXT),
    ),
    max_size=5,
)
CKAN_ARGS = st.fixed_dictionaries(
    {},
    optional={
        "filters": st.dictionaries(
            st.sampled_from(["_id", *COLUMNS]),
            st.one_of(SCALAR, st.lists(SCALAR, max_size=4), st.integers(0, 70_000).map(lambda n: [1] * n)),
            max_size=3,
        ),
        "offset": st.one_of(HUGE, NUMBER_TEXT),
        "limit": st.one_of(HUGE, NUMBER_TEXT),
        "sort": st.sampled_from(["id desc", "lat", "_id asc, category"]),
    },
)


def _answered(response, allowed: tuple[int, ...]) -> str | None:
    """None when the answer is allowed and complete; a description of what went wrong if not."""
    try:
        body = response.get_data()  # a stream that breaks off raises here
    except Exception as error:  # noqa: BLE001  (any failure mid-stream is the finding)
        return f"{response.status_code}, broke off mid-stream: {error!r}"
    if response.status_code not in allowed:
        return f"{response.status_code}: {body[:300]!r}"
    if response.status_code != 200 and not body.startswith(b"{"):
        return f"{response.status_code} without a JSON error: {body[:300]!r}"
    return None


def test_rows_readers_answer_big_numbers_forged_tokens_and_long_lists(demo_hub):
    client = demo_hub.test_client()
    headers = {"Authorization": f"Bearer {demo_hub.config['FUZZ_TOKEN']}"}
    failures: list[str] = []
    cases: list = []

    def check(label: str, response, allowed: tuple[int, ...]) -> None:
        cases.append(1)
        problem = _answered(response, allowed)
        if problem:
            failures.append(f"{label}: {problem}")

    examples = settings(max_examples=EXAMPLES * 20, deadline=None, derandomize=True, database=None,
                        suppress_health_check=list(HealthCheck))  # fmt: skip

    @examples
    @given(args=ROWS_ARGS, suffix=st.sampled_from(["rows", "rows.csv", "rows.geojson"]))
    def rows(args, suffix):
        if suffix != "rows":
            args = [*args, ("id__lte", "50")]  # a stream of a few rows is enough to break off
        check(f"{suffix} {args}", client.get(f"/api/v1/datasets/{SLUG}/{suffix}", query_string=args, headers=headers),
              (200, 400))  # fmt: skip

    @examples
    @given(args=CKAN_ARGS)
    def datastore_search(args):
        response = client.post("/api/3/action/datastore_search", json={"resource_id": SLUG, **args}, headers=headers)
        check(f"datastore_search {str(args)[:300]}", response, (200, 409))

    @examples
    @given(args=CKAN_ARGS, form=st.sampled_from(["csv", "tsv", "json"]))
    def dump(args, form):
        query = {k: json.dumps(v) if k == "filters" else str(v) for k, v in args.items()}
        query.setdefault("limit", "50")
        response = client.get(f"/datastore/dump/{SLUG}", query_string={**query, "format": form}, headers=headers)
        check(f"dump {str(query)[:300]}", response, (200, 400))

    for run in (rows, datastore_search, dump):
        run()
    print(f"\nrows readers: {len(cases)} cases, {len(failures)} failing")
    assert not failures, "\n".join(failures[:20])
