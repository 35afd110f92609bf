"""A participant posting to an organizer's page gets 403 and the error page, as the API
answers, not a redirect with the refusal tucked into a flash message; nothing changes."""

from __future__ import annotations

import pytest

from hackkit.extensions import db
from hackkit.models import Criterion
from tests import factories
from tests.conftest import post_form

ORGANIZER_FORMS = {
    "/events/{slug}/jury/criteria": {"name": "Design", "weight": "1", "scale_min": "1", "scale_max": "5"},
    "/events/{slug}/jury/judges": {"email": "someone@example.org"},
    "/events/{slug}/jury/assign": {"per_submission": "1"},
    "/events/{slug}/jury/settings": {"mode": "rubric"},
    "/events/{slug}/jury/publish": {},
}


@pytest.fixture
def slug(app):
    with app.app_context():
        return factories.event(db.session).slug


@pytest.mark.parametrize("path", sorted(ORGANIZER_FORMS))
@pytest.mark.parametrize("filled", [True, False], ids=["filled-form", "empty-form"])
def test_a_participant_posting_to_an_organizer_page_gets_403(app, client, auth, slug, path, filled):
    auth.login_as("participant")
    url = path.format(slug=slug)
    response = post_form(client, url, ORGANIZER_FORMS[path] if filled else {}, page="/")
    assert response.status_code == 403
    assert "Location" not in response.headers
    assert "You do not have permission" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Criterion)) == 0
