"""The jury's fairness rules through the API: publishing with confirmation and freezing, the
mode switch, partial scores, competing judges, the public vote on one's own project."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.models.base import utcnow
from tests.api.helpers import assert_error
from tests.judging import world as w


@pytest.fixture
def world(app):
    with app.app_context():
        built = w.build(db.session)
        headers = {name: w.bearer(db.session, person) for name, person in built.people.items()}
        headers["organizer"] = w.bearer(db.session, built.organizer)
        ids = {
            "slug": built.event.slug,
            "subs": {k: s.id for k, s in built.submissions.items()},
            "criteria": [c.id for c in built.criteria],
            "member_b": (built.people["member_B"].id, built.people["member_B"].email),
        }
    return headers, ids


def _score_all(client, headers, ids):
    assert (
        client.post(
            f"/api/v1/events/{ids['slug']}/assignments", json={"per_submission": 3}, headers=headers["organizer"]
        ).status_code
        == 201
    )
    for n in range(3):
        for letter, value in (("A", 4), ("B", 3), ("C", 1)):
            scores = {str(c): value + n % 2 for c in ids["criteria"]}
            response = client.put(
                f"/api/v1/submissions/{ids['subs'][letter]}/scores",
                json={"scores": scores},
                headers=headers[f"judge{n}"],
            )
            assert response.status_code == 200, response.get_json()


def test_publish_without_confirm_lists_what_is_missing_and_publishes_nothing(client, world):
    headers, ids = world
    url = f"/api/v1/events/{ids['slug']}/results/publish"
    body = assert_error(client.post(url, json={}, headers=headers["organizer"]), 409)
    assert {m["submission_id"] for m in body["missing"] if m["kind"] == "unranked"} == set(ids["subs"].values())
    assert all(m["text"] for m in body["missing"]) and body["errors"]["confirm"]
    assert client.get(f"/api/v1/events/{ids['slug']}/results").status_code == 403  # still unpublished
    assert_error(client.post(url, json={"confirm": "yes"}, headers=headers["organizer"]), 400)
    done = client.post(url, json={"confirm": True}, headers=headers["organizer"])
    assert done.status_code == 200 and done.get_json()["published"] is True and len(done.get_json()["missing"]) == 3
    assert client.get(f"/api/v1/events/{ids['slug']}/results").status_code == 200


def test_after_publication_criteria_changes_get_409_and_the_public_ranking_is_unchanged(client, world):
    headers, ids = world
    _score_all(client, headers, ids)
    slug, organizer = ids["slug"], headers["organizer"]
    assert client.post(f"/api/v1/events/{slug}/results/publish", json={}, headers=organizer).status_code == 200
    before = client.get(f"/api/v1/events/{slug}/results").get_json()
    raw_before = client.get(f"/api/v1/events/{slug}/results?method=raw").get_json()
    assert before["published"] is True and [r["rank"] for r in before["results"]] == [1, 2, 3]
    assert before["criteria"] == [
        {"id": ids["criteria"][0], "name": "Impact", "weight": 2, "scale_min": 1, "scale_max": 5},
        {"id": ids["criteria"][1], "name": "Use of data", "weight": 1, "scale_min": 1, "scale_max": 10},
    ]
    refused = [
        client.post(f"/api/v1/events/{slug}/criteria", json={"name": "Design", "weight": 9}, headers=organizer),
        client.patch(f"/api/v1/criteria/{ids['criteria'][0]}", json={"weight": 0.1}, headers=organizer),
        client.delete(f"/api/v1/criteria/{ids['criteria'][1]}", headers=organizer),
        client.post(f"/api/v1/events/{slug}/assignments", json={"per_submission": 1}, headers=organizer),
        client.patch(
            f"/api/v1/events/{slug}/judging", json={"mode": "pairwise", "confirm_mode_change": True}, headers=organizer
        ),
        client.put(
            f"/api/v1/submissions/{ids['subs']['C']}/scores",
            json={"scores": {str(ids["criteria"][0]): 5}},
            headers=headers["judge0"],
        ),
    ]
    for response in refused:
        assert "results are published" in assert_error(response, 409)["error"]
    assert client.get(f"/api/v1/events/{slug}/results").get_json() == before
    assert client.get(f"/api/v1/events/{slug}/results?method=raw").get_json() == raw_before
    assert client.get(f"/api/v1/events/{slug}/judging").get_json()["frozen"] is True
    # Withdraw (logged), change, publish again: the new snapshot has the new criterion.
    withdrawn = client.post(f"/api/v1/events/{slug}/results/publish", json={"published": False}, headers=organizer)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["published"] is False
    assert client.get(f"/api/v1/events/{slug}/results").status_code == 403
    assert (
        client.patch(f"/api/v1/criteria/{ids['criteria'][0]}", json={"weight": 3}, headers=organizer).status_code == 200
    )


def test_switching_mode_with_scores_needs_confirm_mode_change(client, world):
    headers, ids = world
    _score_all(client, headers, ids)
    url = f"/api/v1/events/{ids['slug']}/judging"
    body = assert_error(client.patch(url, json={"mode": "pairwise"}, headers=headers["organizer"]), 409)
    assert "18 rubric scores have been given" in body["errors"]["confirm_mode_change"][0]
    assert client.get(url).get_json()["mode"] == "rubric"
    switched = client.patch(url, json={"mode": "pairwise", "confirm_mode_change": True}, headers=headers["organizer"])
    assert switched.status_code == 200 and switched.get_json()["mode"] == "pairwise"


def test_a_partial_score_answer_says_it_is_incomplete(client, world):
    headers, ids = world
    client.post(f"/api/v1/events/{ids['slug']}/assignments", json={"per_submission": 3}, headers=headers["organizer"])
    response = client.put(
        f"/api/v1/submissions/{ids['subs']['A']}/scores",
        json={"scores": {str(ids["criteria"][0]): 4}},
        headers=headers["judge0"],
    )
    assert response.status_code == 200
    assert response.get_json()["complete"] is False and response.get_json()["missing_criteria"] == [ids["criteria"][1]]


def test_adding_a_participant_as_judge_answers_with_a_warning_and_their_team(client, world):
    headers, ids = world
    user_id, email = ids["member_b"]
    response = client.post(f"/api/v1/events/{ids['slug']}/judges", json={"email": email}, headers=headers["organizer"])
    assert response.status_code == 201
    body = response.get_json()
    assert body["team"] == "Team B" and "member of team Team B" in body["warning"]
    judges = client.get(f"/api/v1/events/{ids['slug']}/judges", headers=headers["organizer"]).get_json()["judges"]
    assert {j["id"]: j["team"] for j in judges}[user_id] == "Team B"
    plain = [j for j in judges if j["id"] != user_id]
    assert plain and all(j["team"] is None for j in plain)


def test_an_open_ended_public_vote_refuses_a_vote_for_ones_own_team(client, world):
    headers, ids = world
    opens = (utcnow() - timedelta(minutes=1)).isoformat()
    settings = client.patch(
        f"/api/v1/events/{ids['slug']}/judging", json={"public_vote_opens": opens}, headers=headers["organizer"]
    )
    assert settings.status_code == 200 and settings.get_json()["public_vote_closes"] is None
    url = f"/api/v1/events/{ids['slug']}/public-votes"
    body = assert_error(client.post(url, json={"submission_id": ids["subs"]["B"]}, headers=headers["member_B"]), 403)
    assert "own team" in body["error"]
    assert client.post(url, json={"submission_id": ids["subs"]["A"]}, headers=headers["member_B"]).status_code == 201
