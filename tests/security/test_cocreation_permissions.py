"""Who gets what from the co-creation API: every action for every role, in one table.

Roles: anonymous, participant, judge, organizer (last: an organizer's change must not shape
what the others get). Each cell is the HTTP status that role gets.
"""

from __future__ import annotations

import pytest

from hackkit.extensions import db
from hackkit.services import feedback, proposals, tokens
from tests import factories as f
from tests.cocreation import world as w

ROLES = ("anonymous", "participant", "judge", "organizer")
EVERYONE = dict.fromkeys(ROLES, 200)


def signed_in(status: int) -> dict:
    return {"anonymous": 401, "participant": status, "judge": status, "organizer": status}


def organizer_only(status: int) -> dict:
    return {"anonymous": 401, "participant": 403, "judge": 403, "organizer": status}


# action: (method, path template, JSON body, {role: status})
MATRIX = {
    "dataset usage": ("GET", "/api/v1/datasets/trees/projects", None, EVERYONE),
    "list feedback": ("GET", "/api/v1/feedback", None, EVERYONE),
    "read feedback": ("GET", "/api/v1/feedback/{feedback}", None, EVERYONE),
    "report a problem": ("POST", "/api/v1/feedback", {"dataset": "trees", "title": "x"}, signed_in(201)),
    "request data": ("POST", "/api/v1/feedback", {"title": "Toilets"}, signed_in(201)),
    "answer feedback": ("PATCH", "/api/v1/feedback/{feedback}", {"answer": "ok"}, organizer_only(200)),
    "list proposals": ("GET", "/api/v1/events/{slug}/proposals", None, EVERYONE),
    "read proposal": ("GET", "/api/v1/proposals/{proposal}", None, EVERYONE),
    "propose": ("POST", "/api/v1/events/{slug}/proposals", {"title": "x"}, signed_in(201)),
    "vote": ("POST", "/api/v1/proposals/{proposal}/vote", None, signed_in(201)),
    "take a vote back": ("DELETE", "/api/v1/proposals/{voted}/vote", None, signed_in(200)),
    "moderate a proposal": ("PATCH", "/api/v1/proposals/{other}", {"status": "closed"}, organizer_only(200)),
    "turn a proposal into a challenge": ("POST", "/api/v1/proposals/{other}/challenge", {}, organizer_only(201)),
    "report per dataset": ("GET", "/api/v1/reports/datasets", None, organizer_only(200)),
    "report per dataset (CSV)": ("GET", "/api/v1/reports/datasets.csv", None, organizer_only(200)),
    "report per challenge": ("GET", "/api/v1/reports/challenges", None, organizer_only(200)),
    "report per challenge (CSV)": ("GET", "/api/v1/reports/challenges.csv", None, organizer_only(200)),
}

PAGES = {
    "usage report page": ("/admin/reports/usage", {"participant": 403, "judge": 403, "organizer": 200}),
    "usage report CSV": ("/admin/reports/challenges.csv", {"participant": 403, "judge": 403, "organizer": 200}),
    "feedback list": ("/feedback", {"participant": 200, "judge": 200, "organizer": 200}),
}


@pytest.fixture
def world(app):
    with app.app_context():
        session = db.session
        organizer = f.user(session, "organizer")
        event = w.upcoming_event(session, organizer)
        f.catalogue_dataset(session, "trees")
        people = {"participant": f.user(session), "judge": f.user(session, "judge"), "organizer": organizer}
        item = feedback.create_feedback(session, people["participant"], {"dataset": "trees", "title": "Typo"})
        proposal = proposals.propose(session, people["participant"], event, {"title": "Shade"})
        voted = proposals.propose(session, people["participant"], event, {"title": "Benches"})
        for person in people.values():
            proposals.vote(session, person, voted)
        other = proposals.propose(session, people["participant"], event, {"title": "Crossings"})
        headers = {role: {"Authorization": "Bearer " + tokens.issue_token(session, p)} for role, p in people.items()}
        headers["anonymous"] = {}
        ids = {"slug": event.slug, "feedback": item.id, "proposal": proposal.id, "voted": voted.id, "other": other.id}
        emails = {role: p.email for role, p in people.items()}
    return headers, ids, emails


def test_every_role_has_an_answer_for_every_action():
    for action, (_method, _path, _body, expected) in MATRIX.items():
        assert set(expected) == set(ROLES), action


@pytest.mark.parametrize("action", sorted(MATRIX))
def test_permission_matrix(app, world, action):
    headers, ids, _emails = world
    method, path, body, expected = MATRIX[action]
    got = {}
    for role in ROLES:
        response = app.test_client().open(path.format(**ids), method=method, json=body, headers=headers[role])
        got[role] = response.status_code
    assert got == expected


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_permissions(app, auth, world, page):
    _headers, _ids, emails = world
    path, expected = PAGES[page]
    got = {}
    for role in expected:
        client = app.test_client()
        auth.login(emails[role], client=client)
        got[role] = client.get(path).status_code
    assert got == expected
    assert app.test_client().get(path).status_code in (200, 302)  # anonymous: the page or the log-in form


def test_public_lists_never_carry_email_addresses(app, world):
    headers, ids, emails = world
    client = app.test_client()
    for path in ("/api/v1/feedback", f"/api/v1/events/{ids['slug']}/proposals", "/feedback", "/datasets/trees"):
        text = client.get(path).get_data(as_text=True)
        assert not any(email in text for email in emails.values()), path
