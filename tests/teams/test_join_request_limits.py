"""Join requests: one open request per person per event, and after a decline a cool-down
before asking the same team again (HACKKIT_JOIN_REQUEST_COOLDOWN_HOURS)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.models import User
from hackkit.models.base import utcnow
from hackkit.services import teams
from hackkit.services.errors import Conflict
from tests import factories as f
from tests.api.helpers import token_for
from tests.conftest import make_app


@pytest.fixture
def world(app):
    """An event with two teams and a registered participant looking for one; tokens for all."""
    client = app.test_client()
    with app.app_context():
        ev = f.event(db.session)
        team_a, team_b = f.team(db.session, ev), f.team(db.session, ev)
        asker = f.registered(db.session, ev)
        ids = {"a": team_a.id, "b": team_b.id}
        asker_email, captain_email = asker.email, db.session.get(User, team_a.captain_id).email
    return client, ids, {"asker": token_for(client, asker_email), "captain_a": token_for(client, captain_email)}


def ask(client, team_id: int, headers: dict):
    return client.post(f"/api/v1/teams/{team_id}/join-requests", json={"message": "I map"}, headers=headers)


def test_one_open_request_per_person_per_event(world):
    client, ids, tokens = world
    assert ask(client, ids["a"], tokens["asker"]).status_code == 201
    second = ask(client, ids["b"], tokens["asker"])
    assert second.status_code == 409
    body = second.get_json()
    assert body["ok"] is False and body["status"] == 409
    assert "One request at a time" in body["error"] and "24 hours" in body["error"]
    again = ask(client, ids["a"], tokens["asker"])
    assert again.status_code == 409 and "already asked to join this team" in again.get_json()["error"]


def test_after_a_decline_the_same_team_only_after_the_cool_down(world):
    client, ids, tokens = world
    request_id = ask(client, ids["a"], tokens["asker"]).get_json()["id"]
    declined = client.post(
        f"/api/v1/join-requests/{request_id}", json={"decision": "decline"}, headers=tokens["captain_a"]
    )
    assert declined.get_json()["status"] == "declined"
    refused = ask(client, ids["a"], tokens["asker"])
    assert refused.status_code == 409
    assert "declined your request" in refused.get_json()["error"] and "24 hours" in refused.get_json()["error"]
    # Another team may be asked at once: the decline closed the only open request.
    assert ask(client, ids["b"], tokens["asker"]).status_code == 201


def test_the_cool_down_ends(app):
    with app.app_context():
        later = {"submission_deadline": f.now() + timedelta(days=3), "ends_at": f.now() + timedelta(days=4)}
        ev = f.event(db.session, **{key: moment.isoformat() for key, moment in later.items()})
        team = f.team(db.session, ev)
        asker = f.registered(db.session, ev)
        request = teams.request_to_join(db.session, asker, team, "")
        teams.decide_join_request(db.session, db.session.get(User, team.captain_id), request, accept=False)
        declined_at = request.decided_at
        with pytest.raises(Conflict):
            teams.request_to_join(db.session, asker, team, "", now=declined_at + timedelta(hours=23, minutes=59))
        assert teams.request_to_join(db.session, asker, team, "", now=declined_at + timedelta(hours=24)).id


def test_the_cool_down_is_a_setting(tmp_path, database_url):
    app = make_app(tmp_path, database_url, HACKKIT_JOIN_REQUEST_COOLDOWN_HOURS=2)
    client = app.test_client()
    with app.app_context():
        ev = f.event(db.session)
        team = f.team(db.session, ev)
        asker = f.registered(db.session, ev)
        request = teams.request_to_join(db.session, asker, team, "")
        teams.decide_join_request(db.session, db.session.get(User, team.captain_id), request, accept=False)
        team_id, email = team.id, asker.email
        assert utcnow() - request.decided_at < timedelta(hours=1)
    refused = ask(client, team_id, token_for(client, email))
    assert refused.status_code == 409 and "2 hours" in refused.get_json()["error"]
    with app.app_context():
        db.engine.dispose()


def test_an_unanswered_request_stops_blocking_other_teams_after_the_cool_down(app):
    with app.app_context():
        later = {"submission_deadline": f.now() + timedelta(days=3), "ends_at": f.now() + timedelta(days=4)}
        ev = f.event(db.session, **{key: moment.isoformat() for key, moment in later.items()})
        silent, other = f.team(db.session, ev), f.team(db.session, ev)
        asker = f.registered(db.session, ev)
        asked = teams.request_to_join(db.session, asker, silent, "")
        with pytest.raises(Conflict):
            teams.request_to_join(db.session, asker, other, "", now=asked.created_at + timedelta(hours=23))
        assert teams.request_to_join(db.session, asker, other, "", now=asked.created_at + timedelta(hours=24)).id
