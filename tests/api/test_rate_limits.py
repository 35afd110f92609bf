"""API rate limits: per token with a valid bearer token, per address otherwise, one counter
across all API routes, the JSON 429 shape with Retry-After and X-RateLimit headers; counters
in memory by default and in Redis when HACKKIT_RATELIMIT_STORAGE_URI says so."""

import uuid

import pytest

from hackkit.config import SETTINGS
from hackkit.extensions import limiter
from tests.api.helpers import assert_error, token_for
from tests.conftest import make_app

ELSEWHERE = {"REMOTE_ADDR": "192.0.2.77"}  # a documentation address: another client, no traffic


def limited_app(tmp_path, database_url, per_token="100 per minute", anonymous="100 per minute", **overrides):
    return make_app(
        tmp_path,
        database_url,
        HACKKIT_RATELIMIT_API=per_token,
        HACKKIT_RATELIMIT_API_ANONYMOUS=anonymous,
        **overrides,
    )


def test_the_defaults_are_600_per_token_and_120_per_address_a_minute():
    defaults = {s.env: s.default for s in SETTINGS}
    assert defaults["HACKKIT_RATELIMIT_API"] == "600 per minute"
    assert defaults["HACKKIT_RATELIMIT_API_ANONYMOUS"] == "120 per minute"
    assert defaults["HACKKIT_RATELIMIT_STORAGE_URI"] == "memory://"


def test_an_address_without_a_token_gets_429_in_the_error_shape(tmp_path, database_url):
    client = limited_app(tmp_path, database_url, anonymous="3 per minute").test_client()
    for remaining in (2, 1, 0):
        response = client.get("/api/v1/events")
        assert response.status_code == 200
        assert response.headers["X-RateLimit-Limit"] == "3"
        assert response.headers["X-RateLimit-Remaining"] == str(remaining)
        assert int(response.headers["X-RateLimit-Reset"]) > 0
        assert "Retry-After" not in response.headers  # only an answer that asks to wait has one
    response = client.get("/api/v1/events")
    body = assert_error(response, 429)
    assert "3 per 1 minute" in body["error"]
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.headers["X-RateLimit-Remaining"] == "0"
    # Another address has its own allowance.
    assert client.get("/api/v1/events", environ_base=ELSEWHERE).status_code == 200


def test_the_counter_is_shared_by_every_api_route(tmp_path, database_url):
    client = limited_app(tmp_path, database_url, anonymous="2 per minute").test_client()
    assert client.get("/api/v1/events").status_code == 200
    assert client.get("/api/v1/datasets").status_code == 200
    assert_error(client.get("/api/v1/openapi.json"), 429)
    assert_error(client.get("/api/v1/no-such-route"), 404)  # unknown routes are not counted, nor served


def test_a_token_has_its_own_allowance_whatever_the_address(tmp_path, database_url):
    app = limited_app(tmp_path, database_url, per_token="2 per minute", anonymous="50 per minute")
    client = app.test_client()
    from tests.conftest import AuthActions

    people = AuthActions(app, client)
    first = token_for(client, people.create_user().email)
    second = token_for(client, people.create_user().email)
    assert client.get("/api/v1/me", headers=first).headers["X-RateLimit-Limit"] == "2"
    assert client.get("/api/v1/me", headers=first, environ_base=ELSEWHERE).status_code == 200
    assert_error(client.get("/api/v1/me", headers=first), 429)  # same token, any address
    assert client.get("/api/v1/me", headers=second).status_code == 200  # another token, same address
    anonymous = client.get("/api/v1/events")
    assert anonymous.status_code == 200 and anonymous.headers["X-RateLimit-Limit"] == "50"


def test_a_revoked_or_made_up_token_counts_against_the_address(tmp_path, database_url):
    client = limited_app(tmp_path, database_url, per_token="50 per minute", anonymous="2 per minute").test_client()
    fake = {"Authorization": "Bearer hk_made-up"}
    assert_error(client.get("/api/v1/me", headers=fake), 401)
    assert_error(client.get("/api/v1/me", headers=fake), 401)
    assert_error(client.get("/api/v1/me", headers=fake), 429)


def test_pages_are_not_counted_by_the_api_limit(tmp_path, database_url):
    client = limited_app(tmp_path, database_url, anonymous="1 per minute").test_client()
    for _ in range(3):
        assert client.get("/").status_code == 200
    assert client.get("/api/v1/events").status_code == 200


def test_cors_preflights_cost_nothing(tmp_path, database_url):
    client = limited_app(tmp_path, database_url, anonymous="1 per minute").test_client()
    preflight = {"Origin": "https://example.net", "Access-Control-Request-Method": "GET"}
    for _ in range(3):
        assert client.options("/api/v1/events", headers=preflight).status_code == 200
    assert client.get("/api/v1/events").status_code == 200


def test_turning_limits_off_serves_everything(tmp_path, database_url):
    client = limited_app(tmp_path, database_url, anonymous="1 per minute", RATELIMIT_ENABLED=False).test_client()
    assert all(client.get("/api/v1/events").status_code == 200 for _ in range(3))


# --- Redis ------------------------------------------------------------------------------


@pytest.fixture
def redis_prefix(redis_url):
    """A key prefix of its own for this run, and its keys removed afterwards."""
    import redis

    prefix = f"hackkit-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    server = redis.Redis.from_url(redis_url)
    keys = list(server.scan_iter(f"{prefix}:*"))
    if keys:
        server.delete(*keys)
    server.close()


def redis_app(tmp_path, database_url, redis_url, prefix, name):
    return limited_app(
        tmp_path / name,
        database_url,
        anonymous="3 per minute",
        RATELIMIT_STORAGE_URI=redis_url,
        RATELIMIT_STORAGE_OPTIONS={"key_prefix": prefix},
    )


def test_counters_in_redis_are_shared_by_every_worker(tmp_path, database_url, redis_url, redis_prefix):
    import redis

    worker_one = redis_app(tmp_path, database_url, redis_url, redis_prefix, "one").test_client()
    assert worker_one.get("/api/v1/events").status_code == 200
    assert worker_one.get("/api/v1/events").status_code == 200
    # A second worker process (a new app on the same Redis) sees the same count.
    worker_two = redis_app(tmp_path, database_url, redis_url, redis_prefix, "two").test_client()
    response = worker_two.get("/api/v1/events")
    assert response.status_code == 200 and response.headers["X-RateLimit-Remaining"] == "0"
    body = assert_error(worker_two.get("/api/v1/events"), 429)
    assert body["status"] == 429
    keys = [k.decode() for k in redis.Redis.from_url(redis_url).scan_iter(f"{redis_prefix}:*")]
    assert keys and all("api" in k for k in keys)


def test_memory_counters_are_per_process(tmp_path, database_url):
    """The contrast that makes Redis necessary with several workers."""
    one = limited_app(tmp_path / "one", database_url, anonymous="2 per minute").test_client()
    assert [one.get("/api/v1/events").status_code for _ in range(3)] == [200, 200, 429]
    two = limited_app(tmp_path / "two", database_url, anonymous="2 per minute").test_client()
    assert two.get("/api/v1/events").status_code == 200
    assert type(limiter.storage).__name__ == "MemoryStorage"


def test_an_unreachable_redis_falls_back_to_counting_in_memory(tmp_path, database_url):
    """Not a 500 on every request: the process counts on its own until Redis is back."""
    app = limited_app(tmp_path, database_url, anonymous="2 per minute", RATELIMIT_STORAGE_URI="redis://127.0.0.1:1")
    client = app.test_client()
    assert [client.get("/api/v1/events").status_code for _ in range(3)] == [200, 200, 429]
