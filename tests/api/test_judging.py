"""The judging API as a script uses it: criteria, judges, assignment, scores, results, votes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.models import Score
from hackkit.models.base import utcnow
from hackkit.services import judging, judging_setup
from tests.api.helpers import assert_error, send_json, simultaneously
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
            "judges": [built.people[f"judge{n}"].id for n in range(3)],
            "judge_emails": [built.people[f"judge{n}"].email for n in range(3)],
        }
    return headers, ids


def _assign(client, headers, ids, k=2):
    response = client.post(
        f"/api/v1/events/{ids['slug']}/assignments", json={"per_submission": k}, headers=headers["organizer"]
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _assigned_judge(client, headers, ids, letter="A"):
    """The name (in headers) of a judge assigned to submission `letter`."""
    items = client.get(f"/api/v1/events/{ids['slug']}/assignments", headers=headers["organizer"]).get_json()
    judge_ids = [a["judge_id"] for a in items["assignments"] if a["submission_id"] == ids["subs"][letter]]
    return f"judge{ids['judges'].index(judge_ids[0])}"


def test_criteria_are_added_by_organizers_and_listed_in_order(client, world):
    headers, ids = world
    response = client.post(
        f"/api/v1/events/{ids['slug']}/criteria",
        json={"name": "Presentation", "weight": 0.5, "scale_min": 0, "scale_max": 10},
        headers=headers["organizer"],
    )
    assert response.status_code == 201
    names = [c["name"] for c in client.get(f"/api/v1/events/{ids['slug']}/criteria").get_json()["criteria"]]
    assert names == ["Impact", "Use of data", "Presentation"]


def test_criterion_with_an_upside_down_scale_is_refused(client, world):
    headers, ids = world
    response = client.post(
        f"/api/v1/events/{ids['slug']}/criteria",
        json={"name": "Odd", "weight": 1, "scale_min": 5, "scale_max": 1},
        headers=headers["organizer"],
    )
    assert "scale_max" in assert_error(response, 400)["errors"]
    assert len(client.get(f"/api/v1/events/{ids['slug']}/criteria").get_json()["criteria"]) == 2


def test_judge_is_added_by_email_once(client, world, auth):
    headers, ids = world
    person = auth.create_user("participant")
    url = f"/api/v1/events/{ids['slug']}/judges"
    assert client.post(url, json={"email": person.email}, headers=headers["organizer"]).status_code == 201
    assert_error(client.post(url, json={"email": person.email}, headers=headers["organizer"]), 409)
    assert_error(client.post(url, json={"email": "nobody@example.org"}, headers=headers["organizer"]), 404)
    assert len(client.get(url, headers=headers["organizer"]).get_json()["judges"]) == 4


def test_balanced_assignment_gives_every_project_k_judges_and_even_loads(client, world):
    headers, ids = world
    plan = _assign(client, headers, ids, k=2)
    per_sub = {}
    for item in plan["items"]:
        per_sub[item["submission_id"]] = per_sub.get(item["submission_id"], 0) + 1
    assert sorted(per_sub) == sorted(ids["subs"].values()) and set(per_sub.values()) == {2}
    loads = list(plan["loads"].values())
    assert max(loads) - min(loads) <= 1


def test_judges_see_only_their_own_assignments(client, world):
    headers, ids = world
    _assign(client, headers, ids, k=1)
    mine = client.get(f"/api/v1/events/{ids['slug']}/assignments", headers=headers["judge0"]).get_json()
    assert {a["judge_id"] for a in mine["assignments"]} <= {ids["judges"][0]}


def test_assignment_never_gives_a_judge_a_conflicted_project(client, world):
    headers, ids = world
    sub_a = ids["subs"]["A"]
    response = client.post(
        f"/api/v1/submissions/{sub_a}/conflicts", json={"reason": "relation"}, headers=headers["judge0"]
    )
    assert response.status_code == 201 and response.get_json()["kind"] == "relation"
    plan = _assign(client, headers, ids, k=2)
    assert {"judge_id": ids["judges"][0], "submission_id": sub_a} not in [
        {"judge_id": a["judge_id"], "submission_id": a["submission_id"]} for a in plan["items"]
    ]


def test_impossible_assignment_is_a_409_naming_the_project(client, world):
    headers, ids = world
    client.post(
        f"/api/v1/submissions/{ids['subs']['B']}/conflicts", json={"reason": "organisation"}, headers=headers["judge1"]
    )
    response = client.post(
        f"/api/v1/events/{ids['slug']}/assignments", json={"per_submission": 3}, headers=headers["organizer"]
    )
    body = assert_error(response, 409)
    assert "Project B" in body["error"]
    assert (
        client.get(f"/api/v1/events/{ids['slug']}/assignments", headers=headers["organizer"]).get_json()["assignments"]
        == []
    )


def test_judge_who_is_a_team_member_is_conflicted_automatically(app, client, world):
    headers, ids = world
    # The captain of team A becomes a judge: they must never get project A.
    with app.app_context():
        from hackkit.models import Submission

        event = judging.get_judged_submission(db.session, ids["subs"]["A"]).team.event
        captain = db.session.get(Submission, ids["subs"]["A"]).team.memberships[0].user
        judging_setup.add_judge(db.session, event_organizer(app, ids), event, captain.email)
        token = w.bearer(db.session, captain)
        name = captain.display_name
    plan = _assign(client, headers, ids, k=2)
    assert not [a for a in plan["items"] if a["judge"] == name and a["submission_id"] == ids["subs"]["A"]]
    assert_error(client.get(f"/api/v1/submissions/{ids['subs']['A']}/judging", headers=token), 403)


def event_organizer(app, ids):
    from hackkit.models import User

    return db.session.query(User).filter_by(role="organizer").first()


def test_judge_scores_within_the_scale_and_can_change_them(client, world):
    headers, ids = world
    _assign(client, headers, ids)
    judge = _assigned_judge(client, headers, ids)
    impact, data = ids["criteria"]
    url = f"/api/v1/submissions/{ids['subs']['A']}/scores"
    body = {"scores": {str(impact): 4, str(data): 9}, "feedback": "Great map.", "private_note": "Best so far."}
    saved = client.put(url, json=body, headers=headers[judge])
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["scores"] == {str(impact): 4.0, str(data): 9.0}
    changed = client.put(url, json={"scores": {str(impact): 2}}, headers=headers[judge]).get_json()
    assert changed["scores"][str(impact)] == 2.0 and changed["feedback"] == "Great map."


def test_score_outside_the_scale_is_400_and_changes_nothing(app, client, world):
    headers, ids = world
    _assign(client, headers, ids)
    judge = _assigned_judge(client, headers, ids)
    impact, data = ids["criteria"]
    url = f"/api/v1/submissions/{ids['subs']['A']}/scores"
    body = assert_error(client.put(url, json={"scores": {str(impact): 3, str(data): 11}}, headers=headers[judge]), 400)
    assert str(data) in body["errors"]
    assert_error(client.put(url, json={"scores": {"999": 3}}, headers=headers[judge]), 400)
    assert_error(client.put(url, json={"scores": {str(impact): "lots"}}, headers=headers[judge]), 400)
    with app.app_context():
        assert db.session.query(Score).count() == 0


def test_scores_outside_the_judging_window_are_409(app, client, world):
    headers, ids = world
    _assign(client, headers, ids)
    judge = _assigned_judge(client, headers, ids)
    with app.app_context():
        event = judging.get_judged_submission(db.session, ids["subs"]["A"]).team.event
        settings = judging.settings_of(db.session, event)
        settings.closes_at = utcnow() - timedelta(minutes=1)
        settings.opens_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    url = f"/api/v1/submissions/{ids['subs']['A']}/scores"
    assert_error(client.put(url, json={"scores": {str(ids["criteria"][0]): 3}}, headers=headers[judge]), 409)


def test_unassigned_judge_cannot_score(client, world):
    headers, ids = world
    _assign(client, headers, ids, k=1)
    items = client.get(f"/api/v1/events/{ids['slug']}/assignments", headers=headers["organizer"]).get_json()
    assigned = {a["judge_id"] for a in items["assignments"] if a["submission_id"] == ids["subs"]["A"]}
    other = next(f"judge{n}" for n, j in enumerate(ids["judges"]) if j not in assigned)
    url = f"/api/v1/submissions/{ids['subs']['A']}/scores"
    assert_error(client.put(url, json={"scores": {str(ids["criteria"][0]): 3}}, headers=headers[other]), 403)


def test_judge_sees_the_frozen_version_not_later_changes(app, client, world):
    headers, ids = world
    _assign(client, headers, ids)
    judge = _assigned_judge(client, headers, ids)
    with app.app_context():
        from hackkit.models import Submission

        # The live row changes after the deadline (as an edit that slipped through would).
        db.session.get(Submission, ids["subs"]["A"]).title = "Changed after the deadline"
        db.session.commit()
    view = client.get(f"/api/v1/submissions/{ids['subs']['A']}/judging", headers=headers[judge]).get_json()
    assert view["submission"]["title"] == "Project A"
    assert [c["name"] for c in view["criteria"]] == ["Impact", "Use of data"]


def test_declaring_a_conflict_removes_the_assignment_and_hides_the_project(client, world):
    headers, ids = world
    _assign(client, headers, ids)
    judge = _assigned_judge(client, headers, ids)
    url = f"/api/v1/submissions/{ids['subs']['A']}"
    client.put(url + "/scores", json={"scores": {str(ids["criteria"][0]): 5}}, headers=headers[judge])
    client.post(url + "/conflicts", json={"kind": "other", "note": "My cousin"}, headers=headers[judge])
    assert_error(client.get(url + "/judging", headers=headers[judge]), 403)
    assert_error(client.put(url + "/scores", json={"scores": {}}, headers=headers[judge]), 403)
    mine = client.get(f"/api/v1/events/{ids['slug']}/assignments", headers=headers[judge]).get_json()["assignments"]
    assert ids["subs"]["A"] not in [a["submission_id"] for a in mine]


def test_conflict_of_kind_other_needs_a_note(client, world):
    headers, ids = world
    response = client.post(
        f"/api/v1/submissions/{ids['subs']['A']}/conflicts", json={"kind": "other"}, headers=headers["judge0"]
    )
    assert "note" in assert_error(response, 400)["errors"]


def _score_everything(client, headers, ids):
    values = {"A": (5, 9), "B": (3, 5), "C": (1, 2)}
    items = client.get(f"/api/v1/events/{ids['slug']}/assignments", headers=headers["organizer"]).get_json()
    for a in items["assignments"]:
        letter = next(k for k, v in ids["subs"].items() if v == a["submission_id"])
        judge = f"judge{ids['judges'].index(a['judge_id'])}"
        impact, data = values[letter]
        response = client.put(
            f"/api/v1/submissions/{a['submission_id']}/scores",
            json={
                "scores": {str(ids["criteria"][0]): impact, str(ids["criteria"][1]): data},
                "feedback": f"Feedback for {letter}",
                "private_note": f"SECRET note on {letter}",
            },
            headers=headers[judge],
        )
        assert response.status_code == 200, response.get_json()


def test_results_reach_organizers_before_publication_and_everyone_after(client, world):
    headers, ids = world
    _assign(client, headers, ids)
    _score_everything(client, headers, ids)
    url = f"/api/v1/events/{ids['slug']}/results"
    assert_error(client.get(url), 403)
    assert_error(client.get(url, headers=headers["captain_A"]), 403)
    early = client.get(url, headers=headers["organizer"]).get_json()
    assert early["method"] == "normalised" and early["published"] is False
    assert [r["submission_id"] for r in early["results"]] == [ids["subs"][k] for k in "ABC"]
    first = early["results"][0]
    assert first["rank"] == 1 and first["score"] > 0 and 0 <= first["raw_score"] <= 1
    assert set(first["criteria"]) == {str(c) for c in ids["criteria"]}
    assert "SECRET" not in str(early)

    published = client.post(f"/api/v1/events/{ids['slug']}/results/publish", headers=headers["organizer"])
    assert published.status_code == 200 and published.get_json()["published"] is True
    public = client.get(url).get_json()
    assert public["published"] is True and public["results"] == [
        {**r} for r in client.get(url, headers=headers["organizer"]).get_json()["results"]
    ]
    assert client.get(url + "?method=raw").get_json()["method"] == "raw"
    assert_error(client.get(url + "?method=magic"), 400)


def test_team_reads_feedback_after_publication_without_private_notes(client, world):
    headers, ids = world
    _assign(client, headers, ids)
    _score_everything(client, headers, ids)
    url = f"/api/v1/submissions/{ids['subs']['A']}/feedback"
    assert_error(client.get(url, headers=headers["member_A"]), 403)
    client.post(f"/api/v1/events/{ids['slug']}/results/publish", headers=headers["organizer"])
    body = client.get(url, headers=headers["member_A"]).get_json()
    assert body["feedback"] == ["Feedback for A", "Feedback for A"]
    assert body["result"]["rank"] == 1 and "SECRET" not in str(body)
    assert_error(client.get(url, headers=headers["member_B"]), 403)


def test_progress_lists_who_still_has_to_score_what(client, world):
    headers, ids = world
    _assign(client, headers, ids)
    judge = _assigned_judge(client, headers, ids)
    client.put(
        f"/api/v1/submissions/{ids['subs']['A']}/scores",
        json={"scores": {str(c): 3 for c in ids["criteria"]}},
        headers=headers[judge],
    )
    progress = client.get(f"/api/v1/events/{ids['slug']}/progress", headers=headers["organizer"]).get_json()
    sub_a = next(s for s in progress["submissions"] if s["submission_id"] == ids["subs"]["A"])
    assert sub_a["judges"] == 2 and sub_a["done"] == 1 and len(sub_a["missing_judges"]) == 1
    mine = client.get(f"/api/v1/events/{ids['slug']}/progress", headers=headers[judge]).get_json()
    assert len(mine["judges"]) == 1 and ids["subs"]["A"] not in mine["judges"][0]["missing"]


def _open_public_vote(app, ids, opens=-1, closes=60):
    with app.app_context():
        event = judging.get_judged_submission(db.session, ids["subs"]["A"]).team.event
        judging_setup.update_settings(
            db.session,
            event_organizer(app, ids),
            event,
            {
                "public_vote_opens": (utcnow() + timedelta(minutes=opens)).isoformat(),
                "public_vote_closes": (utcnow() + timedelta(minutes=closes)).isoformat(),
            },
        )


def test_public_vote_is_one_per_account_and_only_in_its_window(app, client, world):
    headers, ids = world
    url = f"/api/v1/events/{ids['slug']}/public-votes"
    assert_error(client.post(url, json={"submission_id": ids["subs"]["A"]}, headers=headers["member_B"]), 409)
    _open_public_vote(app, ids)
    assert_error(client.post(url, json={"submission_id": ids["subs"]["A"]}), 401)
    first = client.post(url, json={"submission_id": ids["subs"]["A"]}, headers=headers["member_B"])
    assert first.status_code == 201
    assert_error(client.post(url, json={"submission_id": ids["subs"]["C"]}, headers=headers["member_B"]), 409)
    state = client.get(url, headers=headers["member_B"]).get_json()
    assert state["open"] is True and state["my_vote"] == ids["subs"]["A"] and state["results"] is None
    tally = client.get(url, headers=headers["organizer"]).get_json()["results"]
    assert tally[0] == {"submission_id": ids["subs"]["A"], "title": "Project A", "team": "Team A", "votes": 1}


def test_public_vote_is_rate_limited(app, client, world):
    headers, ids = world
    _open_public_vote(app, ids)
    url = f"/api/v1/events/{ids['slug']}/public-votes"
    statuses = [
        client.post(url, json={"submission_id": ids["subs"]["A"]}, headers=headers["member_B"]).status_code
        for _ in range(12)
    ]
    assert statuses[0] == 201 and statuses[-1] == 429


def test_pairwise_mode_never_offers_a_conflicted_project_and_undo_is_exact(app, client, world):
    headers, ids = world
    client.patch(f"/api/v1/events/{ids['slug']}/judging", json={"mode": "pairwise"}, headers=headers["organizer"])
    client.post(
        f"/api/v1/submissions/{ids['subs']['C']}/conflicts", json={"reason": "relation"}, headers=headers["judge0"]
    )
    url = f"/api/v1/events/{ids['slug']}/pairwise"
    pair = client.get(url + "/next", headers=headers["judge0"]).get_json()
    shown = {pair["left"]["id"], pair["right"]["id"]}
    assert shown == {ids["subs"]["A"], ids["subs"]["B"]}
    vote = client.post(
        url + "/votes", json={"winner_id": ids["subs"]["A"], "loser_id": ids["subs"]["B"]}, headers=headers["judge0"]
    )
    assert vote.status_code == 201
    assert client.get(url + "/next", headers=headers["judge0"]).get_json()["done"] is True
    assert_error(
        client.post(
            url + "/votes",
            json={"winner_id": ids["subs"]["C"], "loser_id": ids["subs"]["B"]},
            headers=headers["judge0"],
        ),
        403,
    )
    results = client.get(f"/api/v1/events/{ids['slug']}/results", headers=headers["organizer"]).get_json()
    assert results["method"] == "pairwise" and results["results"][0]["submission_id"] == ids["subs"]["A"]
    assert client.post(url + "/undo", headers=headers["judge0"]).status_code == 200
    after = client.get(f"/api/v1/events/{ids['slug']}/results", headers=headers["organizer"]).get_json()
    assert {round(r["score"], 9) for r in after["results"]} == {0.0}
    assert_error(client.post(url + "/undo", headers=headers["judge0"]), 404)


def test_pairwise_routes_refuse_rubric_events_and_non_judges(client, world):
    headers, ids = world
    url = f"/api/v1/events/{ids['slug']}/pairwise/next"
    assert_error(client.get(url, headers=headers["judge0"]), 409)
    assert_error(client.get(url, headers=headers["member_A"]), 403)


def test_only_projects_with_a_frozen_submitted_version_are_judged(app, client, world):
    headers, ids = world
    with app.app_context():
        from hackkit.models import Submission, Team

        event = judging.get_judged_submission(db.session, ids["subs"]["A"]).team.event
        # A team that only ever saved a draft before the deadline.
        team = Team(event_id=event.id, name="Drafty", name_key="drafty", member_count=0)
        db.session.add(team)
        db.session.flush()
        draft = Submission(team_id=team.id, event_id=event.id, status="draft", title="Unfinished")
        db.session.add(draft)
        db.session.commit()
        draft_id = draft.id
    plan = _assign(client, headers, ids, k=1)
    assert draft_id not in {a["submission_id"] for a in plan["items"]}
    assert_error(client.get(f"/api/v1/submissions/{draft_id}/judging", headers=headers["organizer"]), 404)


def test_rerunning_the_assignment_keeps_work_already_done(client, world):
    headers, ids = world
    _assign(client, headers, ids, k=1)
    judge = _assigned_judge(client, headers, ids)
    client.put(
        f"/api/v1/submissions/{ids['subs']['A']}/scores",
        json={"scores": {str(ids["criteria"][0]): 4}},
        headers=headers[judge],
    )
    for seed in (1, 2, 3):
        client.post(
            f"/api/v1/events/{ids['slug']}/assignments",
            json={"per_submission": 1, "seed": seed},
            headers=headers["organizer"],
        )
        mine = client.get(f"/api/v1/events/{ids['slug']}/assignments", headers=headers[judge]).get_json()
        assert ids["subs"]["A"] in [a["submission_id"] for a in mine["assignments"]]


def test_simultaneous_score_saves_by_one_judge_never_mix_or_fail(app, client, world, live_server):
    """A judge double-clicks, or has two tabs open: every save is whole, one of them wins."""
    headers, ids = world
    _assign(client, headers, ids)
    judge = _assigned_judge(client, headers, ids)
    impact, data = ids["criteria"]
    url = f"{live_server}/api/v1/submissions/{ids['subs']['A']}/scores"
    bodies = [{"scores": {str(impact): n % 5 + 1, str(data): n % 5 + 1}, "feedback": f"take {n}"} for n in range(6)]
    statuses = simultaneously([lambda body=body: send_json("PUT", url, body, headers[judge]) for body in bodies])

    retry = (409, 503) if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else (409,)
    assert all(status in (200, *retry) for status in statuses), statuses
    assert 200 in statuses
    stored = client.get(f"/api/v1/submissions/{ids['subs']['A']}/judging", headers=headers[judge]).get_json()
    take = int(stored["feedback"].split()[-1])
    # Both criteria and the feedback come from the same save: never half of one and half of another.
    assert stored["scores"] == {str(impact): float(take % 5 + 1), str(data): float(take % 5 + 1)}
