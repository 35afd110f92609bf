"""The outcome pages: forms on the project page, the impact pages, the dashboard reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.services import events, outcomes
from tests.conftest import counted_queries, post_form
from tests.outcomes.world import ENDED, past_event, project


@pytest.fixture
def world(app, auth):
    organizer = auth.create_user("organizer", email="city@example.net")
    captain = auth.create_user("participant", email="captain@example.net", name="Cas Captain")
    with app.app_context():
        session = db.session
        boss = session.merge(organizer)
        event = past_event(session, boss, slug="winter")
        challenge = events.add_challenge(session, boss, event, {"title": "Benches", "department": "Green spaces"})
        submission, _ = project(
            session, event, "Bench rater", data={"challenge_id": challenge.id}, captain=session.merge(captain)
        )
        return {"organizer": organizer, "captain": captain, "team": submission.team_id, "submission": submission.id}


def test_organizer_records_an_outcome_from_the_project_page(client, auth, world):
    auth.login(world["organizer"].email)
    page = f"/teams/{world['team']}/project"
    form = client.get(page).get_data(as_text=True)
    assert "Record what happened next" in form
    assert '<option value="Green spaces">' in form  # the challenge owners, offered as departments
    refused = post_form(client, f"/teams/{world['team']}/project/outcomes", {"status": "live"}, page=page)
    assert refused.status_code == 303
    assert "A live project needs the address where it runs." in client.get(page).get_data(as_text=True)
    done = post_form(
        client,
        f"/teams/{world['team']}/project/outcomes",
        {"status": "live", "date": "2025-05-02", "url": "https://banken.example", "note": "Open to all"},
        page=page,
    )
    assert done.status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert "https://banken.example" in html and "current status" in html and "Green spaces" in html


def test_team_posts_an_update_and_sees_no_outcome_form(client, auth, world):
    auth.login(world["captain"].email)
    page = f"/teams/{world['team']}/project"
    html = client.get(page).get_data(as_text=True)
    assert "Post an update" in html and "Record what happened next" not in html
    done = post_form(client, f"/teams/{world['team']}/project/updates", {"text": "Pilot in *Berchem*"}, page=page)
    assert done.status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert "Pilot in <em>Berchem</em>" in html and "Cas Captain" in html


def test_visitors_see_the_impact_page_in_dutch(client, app, world):
    with app.app_context():
        organizer = db.session.merge(world["organizer"])
        submission = outcomes.get_visible_submission(db.session, organizer, world["submission"])
        outcomes.record_outcome(db.session, organizer, submission, {"status": "pilot"}, now=ENDED + timedelta(days=5))
    html = client.get("/events/winter/impact").get_data(as_text=True)
    assert "Bench rater" in html and "Per challenge" in html and "/events/winter/impact.csv" in html
    assert "captain@example.net" not in html and "city@example.net" not in html
    client.post("/language", data={"lang": "nl", "next": "/impact"})
    dutch = client.get("/impact").get_data(as_text=True)
    assert "Per uitdaging" in dutch and "Proef" in dutch
    assert "/impact" in client.get("/events/winter").get_data(as_text=True)


def test_dashboard_lists_projects_due_for_an_outcome(client, auth, world):
    auth.login(world["organizer"].email)
    html = client.get("/events/winter/manage").get_data(as_text=True)
    assert "What became of the projects?" in html and "Bench rater" in html  # ended in 2025: long due


FOLLOW_UP_TABLES = ("project_outcomes", "project_updates", "judging_settings")


def test_a_visitor_sees_outcomes_and_updates_and_a_project_without_them_asks_nothing_more(app, client, world):
    page = f"/teams/{world['team']}/project"
    with counted_queries(app) as statements:
        html = client.get(page).get_data(as_text=True)
    # Whether the results are published and whether the project has outcomes or updates
    # come with the read of the team: no statement of their own.
    later = [sql for sql in statements[1:] if any(t in sql for t in FOLLOW_UP_TABLES)]
    assert later == [] and all(table in statements[0] for table in FOLLOW_UP_TABLES)
    assert "Nothing is recorded yet about what happened after the event." in html
    with app.app_context():  # an update alone is something to follow up on
        session = db.session
        submission = outcomes.get_visible_submission(session, None, world["submission"])
        outcomes.post_update(session, session.merge(world["captain"]), submission, {"text": "Pilot in Berchem"})
    assert "Pilot in Berchem" in client.get(page).get_data(as_text=True)
    with app.app_context():
        session = db.session
        submission = outcomes.get_visible_submission(session, None, world["submission"])
        outcomes.record_outcome(
            session, session.merge(world["organizer"]), submission, {"status": "live", "url": "https://banken.example"}
        )
    html = client.get(page).get_data(as_text=True)
    assert "https://banken.example" in html and "Pilot in Berchem" in html
