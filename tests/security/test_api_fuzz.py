"""Schemathesis against /api/v1/openapi.json: no input makes the API fail or break its own schema.

The hub is the demo one (curated datasets, an event, people, a team and its project) and
the requests carry an organizer's token, so the fuzzer reaches the write operations too.
Every operation gets generated valid and invalid requests; each answer must not be a
server error, must use a documented status code, and must match the documented schema.
"""

from __future__ import annotations

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hackkit.datasets.uploads import originals_dir
from hackkit.extensions import db
from hackkit.models import User
from hackkit.services import curated, demo, tokens

EXAMPLES = 6  # per operation and mode: about 800 requests in all
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def demo_hub(app):
    with app.app_context():
        curated.load_curated(db.session, originals_dir())
        demo.seed_demo(db.session)
        organizer = db.session.scalar(sa.select(User).where(User.role == "organizer"))
        app.config["FUZZ_TOKEN"] = tokens.issue_token(db.session, organizer, "fuzz")
        app.config["RATELIMIT_ENABLED"] = False
    return app


def fuzz_operation(operation, headers: dict, mode) -> list[str]:
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
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += fuzz_operation(operation, headers, mode)
    assert not failures, "\n\n".join(failures)
