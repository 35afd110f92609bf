"""Security headers: a strict policy on hub pages, map pages keep their own, HSTS in production."""

from __future__ import annotations

import pytest

from hackkit.security import HSTS, HUB_POLICY
from tests.conftest import make_app

ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
}


@pytest.mark.parametrize(
    "url",
    ["/", "/events", "/datasets", "/auth/login", "/api/v1/events", "/api/v1/openapi.json", "/no-such-page", "/healthz"],
)
def test_hub_responses_carry_the_strict_policy_and_the_usual_headers(client, url):
    response = client.get(url)

    assert response.headers["Content-Security-Policy"] == HUB_POLICY
    for header, value in ALWAYS.items():
        assert response.headers[header] == value
    assert "Strict-Transport-Security" not in response.headers  # not in development


def test_the_hub_policy_allows_no_inline_script_and_no_other_server():
    directives = dict(part.strip().split(" ", 1) for part in HUB_POLICY.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'self'"
    assert "http" not in HUB_POLICY and "unsafe" not in HUB_POLICY


def test_map_pages_keep_their_own_policy(client):
    response = client.get("/maps/demo")

    policy = response.headers["Content-Security-Policy"]
    assert policy != HUB_POLICY and "'unsafe-inline'" in policy  # folium's inline map script, on this page only
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_production_adds_hsts_and_secure_cookies(tmp_path, database_url):
    app = make_app(tmp_path, database_url, HACKKIT_ENV="production")

    response = app.test_client().get("/")

    assert response.headers["Strict-Transport-Security"] == HSTS
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["REMEMBER_COOKIE_SECURE"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
