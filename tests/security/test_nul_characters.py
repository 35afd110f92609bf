"""A NUL character is bad input wherever it comes: PostgreSQL refuses it in any text, also in a
lookup by slug, and that must read as the client's mistake (400), never as the database being
down (503) or a crash. Found by the API fuzzer on PostgreSQL (GET /api/v1/feedback?dataset=%00).
"""

from __future__ import annotations

import pytest

from hackkit.extensions import db
from hackkit.services import tokens
from tests import factories as f
from tests.conftest import DB_KIND

PROBES = [
    ("GET", "/api/v1/feedback?dataset=a%00b", None),
    ("GET", "/api/v1/events/a%00b", None),
    ("GET", "/api/v1/datasets/a%00b", None),
    ("GET", "/datasets/a%00b", None),
    ("GET", "/events/a%00b", None),
    ("GET", "/api/3/action/package_show?id=a%00b", None),
    ("POST", "/api/v1/feedback", {"title": "a\x00b"}),
    ("POST", "/api/v1/events/{slug}/challenges", {"title": "a\x00b"}),
    ("PATCH", "/api/v1/events/{slug}", {"name": "a\x00b"}),
]


@pytest.mark.parametrize("method, path, body", PROBES)
def test_a_nul_character_is_bad_input_not_an_outage(app, method, path, body):
    with app.app_context():
        organizer = f.user(db.session, "organizer")
        slug = f.event(db.session, organizer).slug
        headers = {"Authorization": "Bearer " + tokens.issue_token(db.session, organizer)}
    response = app.test_client().open(path.format(slug=slug), method=method, json=body, headers=headers)
    text = response.get_data(as_text=True)
    if DB_KIND == "postgresql":
        # CKAN's envelope says "Validation Error" with 409 for bad arguments; elsewhere it is 400.
        assert response.status_code == (409 if path.startswith("/api/3/") else 400), text
        assert "NUL character" in text
    else:  # SQLite stores a NUL like any character: the usual answers (404, 201...)
        assert response.status_code < 500, text
