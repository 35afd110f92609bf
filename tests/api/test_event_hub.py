"""The event hub through /api/v1, from an organizer's event to a submitted project."""

from datetime import UTC, datetime, timedelta

import pytest

from hackkit.extensions import db
from tests import factories as f
from tests.api.helpers import assert_error, token_for


def iso(moment: datetime) -> str:
    return moment.isoformat()


@pytest.fixture
def people(client, auth):
    """An organizer, three participants and a judge, each with a token."""
    accounts = {
        role: auth.create_user(role.rstrip("0123456789"))
        for role in ("organizer", "participant1", "participant2", "participant3", "judge")
    }
    return {role: (user, token_for(client, user.email)) for role, user in accounts.items()}


@pytest.fixture
def event(client, people):
    now = datetime.now(UTC)
    body = {
        "slug": "antwerp-2026",
        "name": "Antwerp Data Weekend",
        "timezone": "Europe/Brussels",
        "registration_opens": iso(now - timedelta(days=1)),
        "registration_closes": iso(now + timedelta(days=1)),
        "starts_at": iso(now - timedelta(hours=1)),
        "ends_at": iso(now + timedelta(days=2)),
        "submission_deadline": iso(now + timedelta(days=1)),
        "max_team_size": 2,
        "visibility": "published",
    }
    response = client.post("/api/v1/events", json=body, headers=people["organizer"][1])
    assert response.status_code == 201, response.get_json()
    with client.application.app_context():
        f.catalogue_dataset(db.session, "trees")
    return response.get_json()


def test_only_organizers_create_events(client, people, event):
    assert_error(client.post("/api/v1/events", json={**event, "slug": "x"}, headers=people["participant1"][1]), 403)
    assert_error(client.post("/api/v1/events", json={**event, "slug": "x"}), 401)
    body = assert_error(client.post("/api/v1/events", json={"slug": "Bad Slug"}, headers=people["organizer"][1]), 400)
    assert "slug" in body["errors"]


def test_event_read_and_patch(client, people, event):
    assert client.get("/api/v1/events/antwerp-2026").get_json()["name"] == "Antwerp Data Weekend"
    response = client.patch(
        "/api/v1/events/antwerp-2026", json={"tagline": "Build with open data"}, headers=people["organizer"][1]
    )
    assert response.status_code == 200 and response.get_json()["tagline"] == "Build with open data"
    assert_error(
        client.patch("/api/v1/events/antwerp-2026", json={"name": "Mine"}, headers=people["participant1"][1]), 403
    )
    assert_error(client.get("/api/v1/events/nope"), 404)


def test_read_only_tokens_cannot_write(client, people, event):
    user = people["participant1"][0]
    read_only = token_for(client, user.email, scope="read")
    assert_error(client.post("/api/v1/events/antwerp-2026/registrations", headers=read_only), 403)


def test_from_registration_to_submitted_project(client, people, event):
    captain, mate, outsider = people["participant1"][1], people["participant2"][1], people["participant3"][1]
    assert client.post("/api/v1/events/antwerp-2026/registrations", headers=captain).status_code == 201
    assert_error(client.post("/api/v1/events/antwerp-2026/registrations", headers=captain), 409)
    with client.application.app_context():
        f.catalogue_dataset(db.session, "heat")  # a challenge offers catalogue datasets only
    challenge = client.post(
        "/api/v1/events/antwerp-2026/challenges",
        headers=people["organizer"][1],
        json={"title": "Cooler streets", "department": "Environment", "datasets": ["trees", "heat"]},
    )
    assert challenge.status_code == 201, challenge.get_json()
    challenge = challenge.get_json()
    team = client.post("/api/v1/events/antwerp-2026/teams", json={"name": "Shade Seekers"}, headers=captain)
    assert team.status_code == 201
    team = team.get_json()
    assert team["invite_code"] and team["captain_id"] == people["participant1"][0].id

    public = client.get(f"/api/v1/teams/{team['id']}").get_json()
    assert "invite_code" not in public
    assert all("email" not in member for member in public["members"])

    assert_error(client.post(f"/api/v1/teams/{team['id']}/members", json={"invite_code": "nope"}, headers=mate), 403)
    joined = client.post(f"/api/v1/teams/{team['id']}/members", json={"invite_code": team["invite_code"]}, headers=mate)
    assert joined.status_code == 201 and joined.get_json()["member_count"] == 2
    full = client.post(
        f"/api/v1/teams/{team['id']}/members", json={"invite_code": team["invite_code"]}, headers=outsider
    )
    assert "full" in assert_error(full, 409)["error"]

    draft = client.put(
        f"/api/v1/teams/{team['id']}/submission",
        headers=captain,
        json={
            "title": "Shade map",
            "challenge_id": challenge["id"],
            "licence": "MIT",
            "datasets": [{"slug": "trees", "how": "tree canopy per street"}],
        },
    )
    assert draft.status_code == 201 and draft.get_json()["status"] == "draft"
    assert_error(client.get(f"/api/v1/teams/{team['id']}/submission"), 404)  # drafts are not public

    document = client.get(f"/api/v1/teams/{team['id']}/submission", headers=mate).get_json()
    document.update(status="submitted", tagline="Find the shade")
    submitted = client.put(f"/api/v1/teams/{team['id']}/submission", headers=mate, json=document)
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json()["status"] == "submitted" and submitted.get_json()["version"] == 2
    assert client.get(f"/api/v1/teams/{team['id']}/submission").get_json()["title"] == "Shade map"

    history = client.get(f"/api/v1/teams/{team['id']}/submission/history", headers=captain).get_json()["versions"]
    assert [v["number"] for v in history] == [2, 1] and "tagline" in history[0]["changed"]
    assert_error(client.get(f"/api/v1/teams/{team['id']}/submission/history", headers=outsider), 403)

    gallery = client.get("/api/v1/events/antwerp-2026/projects?dataset=trees").get_json()["projects"]
    assert [p["title"] for p in gallery] == ["Shade map"]
    assert client.get("/api/v1/events/antwerp-2026/projects?q=nothing-like-it").get_json()["projects"] == []


def test_credited_datasets_must_be_in_the_catalogue(client, people, event):
    captain = people["participant1"][1]
    client.post("/api/v1/events/antwerp-2026/registrations", headers=captain)
    team = client.post("/api/v1/events/antwerp-2026/teams", json={"name": "T"}, headers=captain).get_json()
    body = assert_error(
        client.put(
            f"/api/v1/teams/{team['id']}/submission",
            headers=captain,
            json={"title": "x", "datasets": [{"slug": "tres", "how": "typo"}]},
        ),
        400,
    )
    assert "tres" in body["errors"]["datasets"][0]
    assert_error(client.get(f"/api/v1/teams/{team['id']}/submission", headers=captain), 404)  # nothing saved


def test_template_and_district_round_trip_and_an_unknown_template_is_refused(client, people, event):
    captain = people["participant1"][1]
    client.post("/api/v1/events/antwerp-2026/registrations", headers=captain)
    team = client.post("/api/v1/events/antwerp-2026/teams", json={"name": "T"}, headers=captain).get_json()
    url = f"/api/v1/teams/{team['id']}/submission"

    body = assert_error(client.put(url, headers=captain, json={"title": "x", "template": "tram-tracker"}), 400)
    assert "template" in body["errors"] and "hello-map" in body["errors"]["template"][0]
    assert_error(client.get(url, headers=captain), 404)  # nothing saved

    saved = client.put(
        url,
        headers=captain,
        json={"title": "Loo map", "template": "facility-finder", "district": " Berchem ", "status": "submitted"},
    )
    assert saved.status_code == 201, saved.get_json()
    assert saved.get_json()["template"] == "facility-finder" and saved.get_json()["district"] == "Berchem"
    project = client.get("/api/v1/events/antwerp-2026/projects").get_json()["projects"][0]
    assert project["template"] == "facility-finder" and project["district"] == "Berchem"
    cleared = client.put(url, headers=captain, json={"template": ""})
    assert cleared.status_code == 200 and cleared.get_json()["template"] == ""


def test_unknown_submission_fields_are_refused(client, people, event):
    captain = people["participant1"][1]
    client.post("/api/v1/events/antwerp-2026/registrations", headers=captain)
    team = client.post("/api/v1/events/antwerp-2026/teams", json={"name": "T"}, headers=captain).get_json()
    body = assert_error(
        client.put(f"/api/v1/teams/{team['id']}/submission", headers=captain, json={"title": "x", "score": 10}), 400
    )
    assert "score" in body["errors"]


def test_edits_after_the_deadline_get_409_and_change_nothing(client, people, event):
    captain = people["participant1"][1]
    client.post("/api/v1/events/antwerp-2026/registrations", headers=captain)
    team = client.post("/api/v1/events/antwerp-2026/teams", json={"name": "Late"}, headers=captain).get_json()
    client.put(f"/api/v1/teams/{team['id']}/submission", headers=captain, json={"title": "Done", "status": "submitted"})
    past = datetime.now(UTC)  # after the save above, before the edit below
    client.patch(
        "/api/v1/events/antwerp-2026",
        headers=people["organizer"][1],
        json={"submission_deadline": iso(past), "starts_at": iso(past - timedelta(hours=5))},
    )
    body = assert_error(
        client.put(f"/api/v1/teams/{team['id']}/submission", headers=captain, json={"title": "Changed"}), 409
    )
    assert "deadline" in body["error"]
    assert client.get(f"/api/v1/teams/{team['id']}/submission").get_json()["title"] == "Done"

    extension = client.post(
        f"/api/v1/teams/{team['id']}/deadline-extensions",
        headers=people["organizer"][1],
        json={"new_deadline": iso(past + timedelta(hours=1)), "reason": "laptop died"},
    )
    assert extension.status_code == 201
    assert (
        client.put(f"/api/v1/teams/{team['id']}/submission", headers=captain, json={"title": "Changed"}).status_code
        == 200
    )


def test_join_request_flow_and_leaving(client, people, event):
    captain, asker = people["participant1"][1], people["participant2"][1]
    for headers in (captain, asker):
        client.post("/api/v1/events/antwerp-2026/registrations", headers=headers)
    team = client.post(
        "/api/v1/events/antwerp-2026/teams", json={"name": "Open", "missing_skills": ["design"]}, headers=captain
    ).get_json()
    looking = client.get("/api/v1/events/antwerp-2026/looking").get_json()
    assert [t["name"] for t in looking["teams"]] == ["Open"]
    request = client.post(
        f"/api/v1/teams/{team['id']}/join-requests", json={"message": "I design"}, headers=asker
    ).get_json()
    assert_error(client.post(f"/api/v1/join-requests/{request['id']}", json={"decision": "accept"}, headers=asker), 403)
    pending = client.get(f"/api/v1/teams/{team['id']}/join-requests", headers=captain).get_json()["join_requests"]
    assert [r["message"] for r in pending] == ["I design"]
    decided = client.post(f"/api/v1/join-requests/{request['id']}", json={"decision": "accept"}, headers=captain)
    assert decided.get_json()["status"] == "accepted"
    asker_id = people["participant2"][0].id
    assert client.delete(f"/api/v1/teams/{team['id']}/members/{asker_id}", headers=asker).status_code == 204
    assert client.get(f"/api/v1/teams/{team['id']}").get_json()["member_count"] == 1


def test_exports_are_for_organizers_and_spreadsheet_safe(client, people, event):
    captain = people["participant1"][1]
    client.post("/api/v1/events/antwerp-2026/registrations", headers=captain)
    client.post("/api/v1/events/antwerp-2026/teams", json={"name": '=HYPERLINK("http://evil")'}, headers=captain)
    for name in ("participants.csv", "teams.csv", "submissions.csv"):
        url = f"/api/v1/events/antwerp-2026/exports/{name}"
        assert_error(client.get(url, headers=captain), 403)
        assert_error(client.get(url), 401)
        response = client.get(url, headers=people["organizer"][1])
        assert response.status_code == 200 and response.mimetype == "text/csv"
    teams_csv = client.get("/api/v1/events/antwerp-2026/exports/teams.csv", headers=people["organizer"][1]).get_data(
        as_text=True
    )
    assert "'=HYPERLINK" in teams_csv and ",=HYPERLINK" not in teams_csv
    participants = client.get(
        "/api/v1/events/antwerp-2026/exports/participants.csv", headers=people["organizer"][1]
    ).get_data(as_text=True)
    assert people["participant1"][0].email in participants


def test_an_installed_hub_without_the_sample_apps_folder_still_knows_its_templates(
    client, people, event, monkeypatch, tmp_path
):
    # pip install hackkit puts no sample_apps/ beside the package: the registry it ships decides.
    from hackkit.apps import registry

    monkeypatch.setattr(registry, "SAMPLE_APPS_DIR", tmp_path / "no-sample-apps-here")
    captain = people["participant1"][1]
    client.post("/api/v1/events/antwerp-2026/registrations", headers=captain)
    team = client.post("/api/v1/events/antwerp-2026/teams", json={"name": "T"}, headers=captain).get_json()

    saved = client.put(
        f"/api/v1/teams/{team['id']}/submission", headers=captain, json={"title": "x", "template": "hello-map"}
    )
    assert saved.status_code == 201, saved.get_json()
    assert saved.get_json()["template"] == "hello-map"
