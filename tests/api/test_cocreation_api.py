"""The co-creation loop through /api/v1, the way a script uses it: tokens, JSON, CSV."""

from __future__ import annotations

import csv
import io

import pytest

from hackkit.extensions import db
from tests import factories as f
from tests.api.helpers import assert_error, token_for
from tests.cocreation import world as w


@pytest.fixture
def people(app, client, auth):
    organizer = auth.create_user("organizer", email="city@example.net")
    resident = auth.create_user("participant", email="rosa@example.net", name="Rosa Resident")
    neighbour = auth.create_user("participant", email="neighbour@example.net")
    with app.app_context():
        ev = w.upcoming_event(db.session, db.session.merge(organizer))
        past = f.event(db.session, db.session.merge(organizer))
        heat = w.challenge(db.session, past, db.session.merge(organizer), "Cooler streets", ["trees"])
        w.project_using(db.session, past, "trees", how="shade per street", title="Shade map", challenge=heat)
        slugs = {"upcoming": ev.slug, "past": past.slug}
    return {
        "organizer": token_for(client, organizer.email),
        "resident": token_for(client, resident.email),
        "neighbour": token_for(client, neighbour.email),
        "resident_email": resident.email,
        **slugs,
    }


def test_dataset_projects_lists_public_projects_and_how(client, people):
    body = client.get("/api/v1/datasets/trees/projects").get_json()
    assert body["dataset"] == "trees"
    [project] = body["projects"]
    assert project["title"] == "Shade map" and project["how"] == "shade per street"
    assert project["challenge"]["title"] == "Cooler streets" and project["event"] == people["past"]
    assert_error(client.get("/api/v1/datasets/nope/projects"), 404)


def test_feedback_is_created_listed_filtered_and_answered(client, people):
    created = client.post(
        "/api/v1/feedback",
        json={"dataset": "trees", "kind": "wrong_values", "title": "Height 900 m", "column": "height", "row": "id=4"},
        headers=people["resident"],
    )
    assert created.status_code == 201, created.get_json()
    item = created.get_json()
    assert item["reporter"] == "Rosa Resident" and item["status"] == "open" and item["dataset"] == "trees"
    request = client.post("/api/v1/feedback", json={"title": "Public toilets"}, headers=people["resident"]).get_json()
    assert request["kind"] == "request" and request["dataset"] is None

    public = client.get("/api/v1/feedback").get_data(as_text=True)
    assert people["resident_email"] not in public and "Rosa Resident" in public
    only_trees = client.get("/api/v1/feedback?dataset=trees").get_json()["feedback"]
    assert [i["id"] for i in only_trees] == [item["id"]]
    assert client.get("/api/v1/feedback?kind=request").get_json()["feedback"][0]["id"] == request["id"]
    assert "status" in assert_error(client.get("/api/v1/feedback?status=closed"), 400)["errors"]

    refused = client.patch(f"/api/v1/feedback/{item['id']}", json={"status": "fixed"}, headers=people["neighbour"])
    assert_error(refused, 403)
    answered = client.patch(
        f"/api/v1/feedback/{item['id']}",
        json={"answer": "Fixed in version 2.", "status": "fixed"},
        headers=people["organizer"],
    )
    assert answered.status_code == 200 and answered.get_json()["status"] == "fixed"
    assert client.get(f"/api/v1/feedback/{item['id']}").get_json()["answer"] == "Fixed in version 2."


def test_bad_feedback_gets_field_errors_and_changes_nothing(client, people):
    for body, field in (
        ({"dataset": "trees", "kind": "request", "title": "x"}, "kind"),
        ({"dataset": "nope", "title": "x"}, "dataset"),
        ({"dataset": "trees", "title": ""}, "title"),
        ({"dataset": 5, "title": "x"}, "dataset"),
        ({"title": ["x"]}, "title"),
    ):
        response = client.post("/api/v1/feedback", json=body, headers=people["resident"])
        assert field in assert_error(response, 400)["errors"], body
    assert_error(client.post("/api/v1/feedback", data="[1]", headers=people["resident"]), 400)
    assert client.get("/api/v1/feedback").get_json()["feedback"] == []
    assert_error(client.post("/api/v1/feedback", json={"title": "x"}), 401)


def test_feedback_creation_is_rate_limited_per_account(client, people):
    for n in range(10):
        response = client.post("/api/v1/feedback", json={"title": f"Dataset {n}"}, headers=people["resident"])
        assert response.status_code == 201
    assert_error(client.post("/api/v1/feedback", json={"title": "one more"}, headers=people["resident"]), 429)
    # Another account behind the same address is not slowed down.
    assert client.post("/api/v1/feedback", json={"title": "mine"}, headers=people["neighbour"]).status_code == 201


def test_proposals_votes_and_adoption_through_the_api(client, people):
    slug = people["upcoming"]
    made = client.post(
        f"/api/v1/events/{slug}/proposals",
        json={"title": "Flooded underpass", "description": "After every storm", "neighbourhood": "Zuid"},
        headers=people["resident"],
    )
    assert made.status_code == 201, made.get_json()
    proposal = made.get_json()
    assert proposal["author"] == "Rosa Resident" and proposal["votes"] == 0
    pid = proposal["id"]

    voted = client.post(f"/api/v1/proposals/{pid}/vote", headers=people["neighbour"])
    assert voted.status_code == 201 and voted.get_json()["votes"] == 1 and voted.get_json()["my_vote"] is True
    assert_error(client.post(f"/api/v1/proposals/{pid}/vote", headers=people["neighbour"]), 409)
    undone = client.delete(f"/api/v1/proposals/{pid}/vote", headers=people["neighbour"])
    assert undone.status_code == 200 and undone.get_json()["votes"] == 0
    assert_error(client.delete(f"/api/v1/proposals/{pid}/vote", headers=people["neighbour"]), 404)
    client.post(f"/api/v1/proposals/{pid}/vote", headers=people["resident"])

    listing = client.get(f"/api/v1/events/{slug}/proposals").get_json()
    assert listing["accepting"] is True and [p["votes"] for p in listing["proposals"]] == [1]

    assert_error(client.post(f"/api/v1/proposals/{pid}/challenge", json={}, headers=people["resident"]), 403)
    adopted = client.post(
        f"/api/v1/proposals/{pid}/challenge", json={"department": "Water"}, headers=people["organizer"]
    )
    assert adopted.status_code == 201, adopted.get_json()
    challenge = adopted.get_json()
    assert challenge["title"] == "Flooded underpass" and challenge["proposal_id"] == pid
    event = client.get(f"/api/v1/events/{slug}").get_json()
    assert event["challenges"][0]["proposal_id"] == pid
    after = client.get(f"/api/v1/proposals/{pid}").get_json()
    assert after["challenge_id"] == challenge["id"] and after["status"] == "closed"
    assert_error(client.post(f"/api/v1/proposals/{pid}/vote", headers=people["neighbour"]), 409)
    assert_error(client.post(f"/api/v1/proposals/{pid}/challenge", json={}, headers=people["organizer"]), 409)


def test_moderation_hides_a_proposal_from_the_public(client, people):
    slug = people["upcoming"]
    pid = client.post(
        f"/api/v1/events/{slug}/proposals", json={"title": "Spam"}, headers=people["resident"]
    ).get_json()["id"]
    assert_error(client.patch(f"/api/v1/proposals/{pid}", json={"status": "hidden"}, headers=people["resident"]), 403)
    hidden = client.patch(f"/api/v1/proposals/{pid}", json={"status": "hidden"}, headers=people["organizer"])
    assert hidden.status_code == 200 and hidden.get_json()["status"] == "hidden"
    assert_error(client.get(f"/api/v1/proposals/{pid}"), 404)
    assert client.get(f"/api/v1/events/{slug}/proposals").get_json()["proposals"] == []
    assert len(client.get(f"/api/v1/events/{slug}/proposals", headers=people["organizer"]).get_json()["proposals"]) == 1


def test_proposals_close_once_the_event_has_started(client, people):
    late = client.post(f"/api/v1/events/{people['past']}/proposals", json={"title": "x"}, headers=people["resident"])
    assert_error(late, 409)
    assert client.get(f"/api/v1/events/{people['past']}/proposals").get_json()["accepting"] is False


def test_reports_for_organizers_as_json_and_csv(client, people):
    assert_error(client.get("/api/v1/reports/datasets", headers=people["resident"]), 403)
    assert_error(client.get("/api/v1/reports/challenges.csv"), 401)
    report = client.get("/api/v1/reports/datasets", headers=people["organizer"]).get_json()
    assert report["totals"]["datasets_used"] == 1
    trees = report["datasets"][0]
    assert trees["slug"] == "trees" and trees["projects_count"] == 1 and trees["challenges"][0]["title"]
    by_challenge = client.get(f"/api/v1/reports/challenges?event={people['past']}", headers=people["organizer"])
    assert by_challenge.get_json()["challenges"][0]["datasets_used"] == ["trees"]
    response = client.get("/api/v1/reports/challenges.csv", headers=people["organizer"])
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["challenge"] == "Cooler streets" and rows[0]["datasets"] == "trees: shade per street"
    assert_error(client.get("/api/v1/reports/datasets?event=nope", headers=people["organizer"]), 404)
