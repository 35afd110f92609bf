"""Several machines behind one proxy: two real hub processes (gunicorn, each with its own
instance folder, as two machines would have) on one database and one Redis.

What a visitor relies on when the proxy sends each request to either of them: a log-in on
one holds on the other, rate limits count across both, a change made through one shows on
the other's public pages within the page-cache time, and an upload made through one is
served by the other (docs/deploy.md, "Several machines").
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from PIL import Image

from hackkit.extensions import db
from hackkit.services import submissions, tokens
from tests import factories as f
from tests.conftest import TEST_PASSWORD, make_app
from tests.test_read_timeout import _wait_for_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CACHE_SECONDS = 2.0  # the default HACKKIT_PUBLIC_CACHE_SECONDS
PATIENCE = 30.0  # bound on every wait below; each returns as soon as its condition holds


def _start(name: str, database_url: str, redis_url: str, prefix: str, instance: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HACKKIT_", "FLASK_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
        HOST="127.0.0.1",
        PORT="0",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="2",
        HACKKIT_DATABASE_URL=database_url,
        HACKKIT_INSTANCE_PATH=str(instance),
        HACKKIT_SECRET_KEY="the-same-on-every-instance",
        HACKKIT_RATELIMIT_STORAGE_URI=redis_url,
        HACKKIT_RATELIMIT_KEY_PREFIX=prefix,
        HACKKIT_RATELIMIT_API_ANONYMOUS="30 per minute",
        HACKKIT_LOGIN_LIMIT_ACCOUNT="2 per hour",
        HACKKIT_PUBLIC_CACHE_SECONDS=str(CACHE_SECONDS),
        HACKKIT_MAIL_WORKER="off",
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "-c", str(ROOT / "gunicorn.conf.py"), "--name", name, "hackkit:create_app()"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _until(condition, what: str):
    """Poll `condition` until it returns something true; fail after PATIENCE seconds."""
    deadline = time.monotonic() + PATIENCE
    while True:
        result = condition()
        if result:
            return result
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.05)  # a poll interval, not a wait for something to happen


def _healthy(base: str) -> bool:
    try:
        return requests.get(base + "/healthz", timeout=5).status_code == 200
    except requests.ConnectionError:
        return False


@pytest.fixture
def hubs(tmp_path, database_url, redis_url):
    prefix = f"two-instances-{uuid.uuid4().hex[:8]}"
    processes = [_start(name, database_url, redis_url, prefix, tmp_path / f"machine-{name}") for name in ("a", "b")]
    try:
        bases = [f"http://127.0.0.1:{_wait_for_port(process)}" for process in processes]
        for base in bases:
            _until(lambda base=base: _healthy(base), f"{base}/healthz")
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        import redis

        server = redis.Redis.from_url(redis_url)
        for key in server.scan_iter(f"{prefix}*"):
            server.delete(key)


@pytest.fixture
def people(tmp_path, database_url):
    """An organizer, and a team with a saved project in a published event (written straight
    into the shared database, as an earlier request to either machine would have)."""
    app = make_app(tmp_path / "setup", database_url)
    with app.app_context():
        event = f.event(db.session)
        captain = f.registered(db.session, event)
        team = f.team(db.session, event, captain=captain)
        submissions.save_submission(db.session, captain, team, {"title": "Route map"})
        organizer = f.user(db.session, "organizer")
        found = {
            "organizer": organizer.email,
            "organizer_token": tokens.issue_token(db.session, organizer),
            "captain_token": tokens.issue_token(db.session, captain),
            "team_id": team.id,
            "stranger": f.user(db.session).email,
        }
        db.engine.dispose()
    return found


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (20, 120, 60)).save(buffer, "PNG")
    return buffer.getvalue()


def _csrf(page: requests.Response) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)


def test_two_machines_on_one_database_and_redis_act_as_one_hub(hubs, people):
    a, b = hubs

    # A log-in on one machine is valid on the other (signed cookies, one secret key).
    browser = requests.Session()
    form = browser.get(a + "/login", timeout=10)
    logged_in = browser.post(
        a + "/login",
        data={"csrf_token": _csrf(form), "email": people["organizer"], "password": TEST_PASSWORD},
        timeout=10,
        allow_redirects=False,
    )
    assert logged_in.status_code == 302, logged_in.text[:500]
    account = browser.get(b + "/account", timeout=10, allow_redirects=False)
    assert account.status_code == 200 and people["organizer"] in account.text
    # And an API token made through one works on the other (tokens live in the database).
    made = requests.post(a + "/api/v1/tokens", auth=(people["organizer"], TEST_PASSWORD), timeout=10)
    assert made.status_code in (200, 201), made.text
    me = requests.get(b + "/api/v1/me", headers={"Authorization": "Bearer " + made.json()["token"]}, timeout=10)
    assert me.status_code == 200 and me.json()["email"] == people["organizer"]

    # A change made through one shows on the other's public pages within the cache time.
    assert "Bike counters" not in requests.get(b + "/datasets", timeout=10).text  # now in b's page cache
    organizer = {"Authorization": "Bearer " + people["organizer_token"]}
    csv = b"station;count\nMeir;12\nGroenplaats;7\n" * 1000
    uploaded = requests.post(
        a + "/api/v1/datasets",
        headers=organizer,
        data={"slug": "bike-counters", "title": "Bike counters"},
        files={"file": ("counters.csv", csv, "text/csv")},
        timeout=60,
    )
    assert uploaded.status_code == 201, uploaded.text
    written = time.monotonic()
    _until(lambda: "Bike counters" in requests.get(b + "/datasets", timeout=10).text, "the new dataset on b")
    # Generous against a slow machine, but a change must not wait for more than the cache time.
    assert time.monotonic() - written < CACHE_SECONDS + 10

    # An upload made through one machine is served by the other: the dataset's original ...
    original = requests.get(b + "/datasets/bike-counters/original", timeout=30)
    assert original.status_code == 200 and original.content == csv
    assert "counters.csv" in original.headers["Content-Disposition"]
    # ... and a project's screenshot.
    captain = {"Authorization": "Bearer " + people["captain_token"]}
    team = f"/api/v1/teams/{people['team_id']}/submission"
    shot = requests.post(
        a + team + "/screenshots",
        headers=captain,
        files={"screenshot": ("map.png", _png(), "image/png")},
        data={"alt_text": "The route map"},
        timeout=30,
    )
    assert shot.status_code == 201, shot.text
    assert requests.put(b + team, headers=captain, json={"status": "submitted"}, timeout=30).status_code == 200
    path = "/" + shot.json()["url"].split("/", 3)[3]
    on_a, on_b = requests.get(a + path, timeout=10), requests.get(b + path, timeout=10)
    assert on_b.status_code == 200 and on_b.headers["Content-Type"] == "image/png"
    assert on_b.content == on_a.content and Image.open(io.BytesIO(on_b.content)).size == (32, 24)
    # Both machines name it by the same ETag, so a browser's copy from one is still good on the other.
    again = requests.get(b + path, headers={"If-None-Match": on_a.headers["ETag"]}, timeout=10)
    assert again.status_code == 304 and not again.content

    # Rate limits count across both machines (Redis): the API's anonymous allowance ...
    remaining = []
    for base in (a, b, a, b):
        answer = requests.get(base + "/api/v1/datasets", timeout=10)
        remaining.append(int(answer.headers["X-RateLimit-Remaining"]))
    assert remaining == [remaining[0] - i for i in range(4)], remaining
    # ... and failed log-ins: two wrong passwords, one on each machine, spend the account's two.
    stranger = people["stranger"]
    for base in (a, b):
        assert requests.post(base + "/api/v1/tokens", auth=(stranger, "wrong"), timeout=10).status_code == 401
    throttled = requests.post(a + "/api/v1/tokens", auth=(stranger, TEST_PASSWORD), timeout=10)
    assert throttled.status_code == 429, throttled.text
