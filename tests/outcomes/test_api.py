"""Outcomes, updates and the impact report through /api/v1, the way a script uses them."""

from __future__ import annotations

import csv
import io

import pytest

from hackkit.extensions import db
from hackkit.services import events
from tests import factories as f
from tests.api.helpers import assert_error, token_for
from tests.outcomes.world import past_event, project


@pytest.fixture
def world(app, client, auth):
    organizer = auth.create_user("organizer", email="city@example.net")
    captain = auth.create_user("participant", email="captain@example.net", name="Cas Captain")
    stranger = auth.create_user("participant", email="stranger@example.net")
    with app.app_context():
        session = db.session
        boss = session.merge(organizer)
        event = past_event(session, boss, slug="winter")
        challenge = events.add_challenge(session, boss, event, {"title": "Benches", "department": "Green spaces"})
        f.catalogue_dataset(session, "benches", "Benches")
        submitted, _ = project(
            session,
            event,
            "Bench rater",
            data={"challenge_id": challenge.id, "datasets": ["benches"]},
            captain=session.merge(captain),
        )
        draft, _ = project(session, event, "Half done", status="draft")
        ids = {"submission": submitted.id, "draft": draft.id, "challenge": challenge.id}
    return {
        "organizer": token_for(client, organizer.email),
        "captain": token_for(client, captain.email),
        "stranger": token_for(client, stranger.email),
        **ids,
    }


def test_organizer_records_outcomes_and_everyone_reads_the_history(client, world):
    url = f"/api/v1/submissions/{world['submission']}/outcomes"
    assert client.get(url).get_json() == {"submission_id": world["submission"], "status": None, "outcomes": []}
    first = client.post(
        url, json={"status": "pilot", "date": "2025-03-01", "note": "Three parks"}, headers=world["organizer"]
    )
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["department"] == "Green spaces" and first.get_json()["current"] is True
    live = client.post(
        url, json={"status": "live", "date": "2025-06-01", "url": "https://banken.example"}, headers=world["organizer"]
    )
    assert live.status_code == 201
    body = client.get(url).get_json()
    assert body["status"] == "live"
    assert [(o["status"], o["date"], o["current"]) for o in body["outcomes"]] == [
        ("live", "2025-06-01", True),
        ("pilot", "2025-03-01", False),
    ]
    assert "recorded_by" not in body["outcomes"][0]  # nobody's name or address


def test_only_organizers_record_and_rules_give_field_errors(client, world):
    url = f"/api/v1/submissions/{world['submission']}/outcomes"
    assert_error(client.post(url, json={"status": "pilot"}), 401)
    assert_error(client.post(url, json={"status": "pilot"}, headers=world["captain"]), 403)
    body = assert_error(client.post(url, json={"status": "live"}, headers=world["organizer"]), 400)
    assert "url" in body["errors"]
    body = assert_error(client.post(url, json={"status": "stopped"}, headers=world["organizer"]), 400)
    assert "note" in body["errors"]
    assert_error(client.post(url, data="not json", content_type="application/json", headers=world["organizer"]), 400)
    assert client.get(url).get_json()["outcomes"] == []


def test_drafts_are_not_found_and_get_no_outcome(client, world):
    url = f"/api/v1/submissions/{world['draft']}/outcomes"
    assert_error(client.get(url), 404)
    assert_error(client.get(f"/api/v1/submissions/{world['draft']}/updates", headers=world["stranger"]), 404)
    assert_error(client.post(url, json={"status": "pilot"}, headers=world["organizer"]), 409)
    assert_error(client.get("/api/v1/submissions/999999/outcomes"), 404)


def test_team_posts_updates_others_may_not(client, world):
    url = f"/api/v1/submissions/{world['submission']}/updates"
    assert_error(client.post(url, json={"text": "Hi"}, headers=world["stranger"]), 403)
    assert_error(client.post(url, json={"text": "Hi"}, headers=world["organizer"]), 403)
    assert_error(client.post(url, json={"text": ""}, headers=world["captain"]), 400)
    posted = client.post(
        url,
        json={"text": "Met **Green spaces** <script>alert(1)</script>", "url": "https://log.example"},
        headers=world["captain"],
    )
    assert posted.status_code == 201, posted.get_json()
    update = posted.get_json()
    assert update["author"] == "Cas Captain" and "<strong>Green spaces</strong>" in update["html"]
    assert "<script" not in update["html"]
    [listed] = client.get(url).get_json()["updates"]
    assert listed["id"] == update["id"] and listed["url"] == "https://log.example"


def test_impact_json_and_csv(client, world):
    client.post(
        f"/api/v1/submissions/{world['submission']}/outcomes",
        json={"status": "live", "url": "https://banken.example", "note": "=cmd|' /C calc'!A0"},
        headers=world["organizer"],
    )
    body = client.get("/api/v1/events/winter/impact").get_json()
    assert body["totals"] == {
        "projects": 1,
        "statuses": {"contacted": 0, "pilot": 0, "adopted": 0, "live": 1, "stopped": 0, "none": 0},
    }
    [challenge] = body["challenges"]
    assert challenge["id"] == world["challenge"] and challenge["projects"] == [world["submission"]]
    assert body["datasets"] == [
        {"slug": "benches", "title": "Benches", "projects": [world["submission"]], "live": [world["submission"]]}
    ]
    assert client.get("/api/v1/impact").get_json()["totals"]["projects"] == 1
    for url in ("/api/v1/events/winter/impact.csv", "/api/v1/impact.csv", "/events/winter/impact.csv", "/impact.csv"):
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        [row] = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        assert row["project"] == "Bench rater" and row["status"] == "live" and row["note"].startswith("'=")
    assert_error(client.get("/api/v1/events/nope/impact"), 404)


def test_one_account_cannot_flood_a_project_with_updates(client, world):
    url = f"/api/v1/submissions/{world['submission']}/updates"
    for n in range(20):
        assert client.post(url, json={"text": f"Update {n}"}, headers=world["captain"]).status_code == 201
    assert_error(client.post(url, json={"text": "one more"}, headers=world["captain"]), 429)
    assert len(client.get(url).get_json()["updates"]) == 20


def test_the_public_archive_carries_outcomes_and_updates(client, world):
    import json
    import zipfile

    sid = world["submission"]
    client.post(
        f"/api/v1/submissions/{sid}/outcomes",
        json={"status": "pilot", "date": "2025-02-01"},
        headers=world["organizer"],
    )
    client.post(f"/api/v1/submissions/{sid}/updates", json={"text": "=1+1 pilot starts"}, headers=world["captain"])
    response = client.get("/api/v1/events/winter/archive.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    package = json.loads(archive.read("datapackage.json"))
    assert {"outcomes", "project_updates"} <= {r["name"] for r in package["resources"]}
    [outcome] = list(csv.DictReader(io.StringIO(archive.read("outcomes.csv").decode())))
    assert (outcome["submission_id"], outcome["status"], outcome["date"]) == (str(sid), "pilot", "2025-02-01")
    [update] = list(csv.DictReader(io.StringIO(archive.read("project_updates.csv").decode())))
    assert update["author"] == "Cas Captain" and update["text"] == "'=1+1 pilot starts"
    assert b"captain@example.net" not in response.data
