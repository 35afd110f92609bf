"""Bulk readers of the CKAN API under the real anonymous limit: `ckanapi dump datasets --all`
of a 500-dataset catalogue finishes, and past the limit the answer is CKAN-shaped with
Retry-After (which ckanapi reports as a CKAN error, not ServerIncompatibleError)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import ckanapi
import pytest

from hackkit.config import SETTINGS
from hackkit.extensions import db
from hackkit.models import Dataset
from tests.api.ckan.test_clients import run_ckanapi
from tests.api.ckan.test_replays import harvester_gather

DEFAULTS = {s.env: s.default for s in SETTINGS}
SIZE = 500


@pytest.fixture
def app_settings():
    # The shipped limits, not the test suite's raised ones: the dump must fit in them.
    return {key: DEFAULTS[key] for key in ("HACKKIT_RATELIMIT_API_ANONYMOUS", "HACKKIT_RATELIMIT_CKAN_ANONYMOUS")}


@pytest.fixture
def big_catalogue(app):
    """500 published datasets written straight to the database (metadata only: an import
    per dataset would take minutes and the dump reads package_show, not rows)."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with app.app_context():
        db.session.add_all(
            Dataset(
                slug=f"dataset-{n:03d}",
                title=f"Dataset {n}",
                description="Generated for the bulk test.",
                publisher=("City of Ghent", "Parks Department")[n % 2],
                themes=["TRAN"] if n % 5 == 0 else [],
                keywords=[],
                created_at=start + timedelta(minutes=n),
                updated_at=start + timedelta(minutes=n),
            )
            for n in range(SIZE)
        )
        db.session.commit()


def test_ckanapi_dump_of_500_datasets_fits_in_the_anonymous_limit(live_server, big_catalogue, tmp_path):
    out = tmp_path / "all.jsonl"
    began = time.monotonic()
    done = run_ckanapi("dump", "datasets", "--all", "-r", live_server, "-O", str(out), "-q")
    seconds = time.monotonic() - began
    assert done.returncode == 0, done.stderr[-2000:]
    names = [json.loads(line)["name"] for line in out.read_text().splitlines()]
    assert sorted(names) == [f"dataset-{n:03d}" for n in range(SIZE)]
    print(f"ckanapi dump datasets --all of {SIZE} datasets: {seconds:.1f} s")  # the figure for the report

    # ckanext-harvest's gather pages through all of them by id, 100 at a time.
    gathered, urls = harvester_gather(live_server, [])
    assert len({p["id"] for p in gathered}) == SIZE and len(urls) == SIZE // 100 + 1
    transport, _urls = harvester_gather(live_server, ["groups:tran", "-organization:parks-department"])
    assert sorted(p["name"] for p in transport) == [f"dataset-{n:03d}" for n in range(0, SIZE, 10)]


def test_past_the_limit_the_answer_is_ckan_shaped_with_retry_after(app, live_server):
    app.config["HACKKIT_RATELIMIT_CKAN_ANONYMOUS"] = "2 per minute"
    site = ckanapi.RemoteCKAN(live_server)
    site.action.site_read()
    site.action.package_list()
    with pytest.raises(ckanapi.CKANAPIError) as raised:
        site.action.package_list()
    assert not isinstance(raised.value, ckanapi.ServerIncompatibleError)
    client = app.test_client()
    response = client.get("/api/3/action/package_list")
    assert response.status_code == 429 and 1 <= int(response.headers["Retry-After"]) <= 60
    body = response.get_json()
    assert body["success"] is False and body["error"]["__type"] == "Too Many Requests"
    assert body["help"].endswith("/api/3/action/help_show?name=package_list")
    # The CKAN counter is its own: the native API still answers.
    assert client.get("/api/v1/datasets").status_code == 200
