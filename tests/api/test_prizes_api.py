"""The prizes API as a script uses it: define prizes, read proposals, confirm winners."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from hackkit.extensions import db
from tests.api.helpers import assert_error
from tests.judging.world import bearer
from tests.prizes import world as pw


@pytest.fixture
def world(app):
    with app.app_context():
        built = pw.build(db.session, scores={"A": 6, "B": 6, "C": 3, "D": 2})
        headers = {
            "organizer": bearer(db.session, built.organizer),
            "member": bearer(db.session, built.people["captain_A"]),
        }
        ids = {
            "slug": built.event.slug,
            "subs": {k: s.id for k, s in built.submissions.items()},
            "air": built.challenges["air"].id,
        }
    return headers, ids


def _add(client, headers, ids, **data):
    response = client.post(f"/api/v1/events/{ids['slug']}/prizes", json={"name": "Main prize", **data}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_an_organizer_defines_a_prize_and_everyone_reads_it(client, world):
    headers, ids = world
    made = _add(
        client,
        headers["organizer"],
        ids,
        description="For the best project.",
        kind="money",
        value="€ 2,000",
        sponsor_name="Port of Antwerp",
        sponsor_url="https://example.org",
        max_winners=1,
    )
    assert made["sponsor"] == {"name": "Port of Antwerp", "url": "https://example.org", "logo_url": None}
    assert (made["scope"], made["challenge_id"], made["kind"]) == ("event", None, "money")
    listed = client.get(f"/api/v1/events/{ids['slug']}/prizes").get_json()
    assert [p["name"] for p in listed["prizes"]] == ["Main prize"]
    # Before publication the public sees what can be won, not who is proposed or has won.
    assert listed["winners_visible"] is False
    assert listed["prizes"][0]["proposed"] == [] and listed["prizes"][0]["winners"] == []
    assert client.get(f"/api/v1/prizes/{made['id']}").get_json()["name"] == "Main prize"


def test_only_organizers_write_prizes(client, world):
    headers, ids = world
    assert_error(client.post(f"/api/v1/events/{ids['slug']}/prizes", json={"name": "x"}), 401)
    assert_error(
        client.post(f"/api/v1/events/{ids['slug']}/prizes", json={"name": "x"}, headers=headers["member"]), 403
    )
    made = _add(client, headers["organizer"], ids)
    assert_error(client.patch(f"/api/v1/prizes/{made['id']}", json={"name": "y"}, headers=headers["member"]), 403)
    assert_error(
        client.put(f"/api/v1/prizes/{made['id']}/winners", json={"winners": []}, headers=headers["member"]), 403
    )
    assert_error(client.delete(f"/api/v1/prizes/{made['id']}", headers=headers["member"]), 403)


def test_bad_input_gets_field_errors(client, world):
    headers, ids = world
    body = assert_error(
        client.post(
            f"/api/v1/events/{ids['slug']}/prizes",
            json={"name": "x", "scope": "challenge"},
            headers=headers["organizer"],
        ),
        400,
    )
    assert "challenge_id" in body["errors"]
    body = assert_error(
        client.post(f"/api/v1/events/{ids['slug']}/prizes", json={"max_winners": "many"}, headers=headers["organizer"]),
        400,
    )
    assert "name" in body["errors"] or "max_winners" in body["errors"]


def test_proposal_shows_ties_and_a_choice_outside_it_needs_a_reason(client, world):
    headers, ids = world
    made = _add(client, headers["organizer"], ids, max_winners=1)
    listed = client.get(f"/api/v1/events/{ids['slug']}/prizes", headers=headers["organizer"]).get_json()
    assert listed["prizes"][0]["proposed"] == [
        {"submission_id": ids["subs"]["A"], "rank": 1},
        {"submission_id": ids["subs"]["B"], "rank": 1},
    ]
    url = f"/api/v1/prizes/{made['id']}/winners"
    body = assert_error(
        client.put(url, json={"winners": [{"submission_id": ids["subs"]["D"]}]}, headers=headers["organizer"]), 422
    )
    assert "winners.0.reason" in body["errors"]
    body = assert_error(
        client.put(
            url,
            json={"winners": [{"submission_id": ids["subs"]["A"]}, {"submission_id": ids["subs"]["B"]}]},
            headers=headers["organizer"],
        ),
        422,
    )
    assert "winners" in body["errors"]
    done = client.put(
        url,
        json={"winners": [{"submission_id": ids["subs"]["D"], "reason": "Best for residents"}]},
        headers=headers["organizer"],
    )
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["winners"] == [{"submission_id": ids["subs"]["D"], "reason": "Best for residents"}]


def test_winners_become_public_with_the_results(client, world):
    headers, ids = world
    made = _add(client, headers["organizer"], ids)
    client.put(
        f"/api/v1/prizes/{made['id']}/winners",
        json={"winners": [{"submission_id": ids["subs"]["A"], "reason": "Shade"}]},
        headers=headers["organizer"],
    )
    assert client.get(f"/api/v1/prizes/{made['id']}").get_json()["winners"] == []
    published = client.post(
        f"/api/v1/events/{ids['slug']}/results/publish", json={"confirm": True}, headers=headers["organizer"]
    )
    assert published.status_code == 200, published.get_json()
    public = client.get(f"/api/v1/events/{ids['slug']}/prizes").get_json()
    assert public["winners_visible"] is True
    assert public["prizes"][0]["winners"] == [{"submission_id": ids["subs"]["A"], "reason": "Shade"}]


def test_one_prize_per_project_is_a_setting(client, world):
    headers, ids = world
    first, second = _add(client, headers["organizer"], ids), _add(client, headers["organizer"], ids, name="Second")
    a = {"winners": [{"submission_id": ids["subs"]["A"], "reason": "Wins the tie with B"}]}
    assert client.put(f"/api/v1/prizes/{first['id']}/winners", json=a, headers=headers["organizer"]).status_code == 200
    assert_error(client.put(f"/api/v1/prizes/{second['id']}/winners", json=a, headers=headers["organizer"]), 409)
    url = f"/api/v1/events/{ids['slug']}/prize-settings"
    listing = f"/api/v1/events/{ids['slug']}/prizes"
    assert client.get(listing, headers=headers["organizer"]).get_json()["several_prizes_per_project"] is False
    assert_error(client.put(url, json={"several_prizes_per_project": "yes"}, headers=headers["organizer"]), 400)
    changed = client.put(url, json={"several_prizes_per_project": True}, headers=headers["organizer"])
    assert changed.get_json() == {"several_prizes_per_project": True}
    assert client.get(listing, headers=headers["organizer"]).get_json()["several_prizes_per_project"] is True
    assert client.put(f"/api/v1/prizes/{second['id']}/winners", json=a, headers=headers["organizer"]).status_code == 200


def test_editing_and_deleting(client, world):
    headers, ids = world
    made = _add(client, headers["organizer"], ids)
    changed = client.patch(
        f"/api/v1/prizes/{made['id']}",
        json={"scope": "challenge", "challenge_id": ids["air"], "max_winners": 2},
        headers=headers["organizer"],
    ).get_json()
    assert (changed["scope"], changed["challenge_id"], changed["max_winners"], changed["name"]) == (
        "challenge",
        ids["air"],
        2,
        "Main prize",
    )
    assert changed["proposed"] == [
        {"submission_id": ids["subs"]["C"], "rank": 1},
        {"submission_id": ids["subs"]["D"], "rank": 2},
    ]
    assert client.delete(f"/api/v1/prizes/{made['id']}", headers=headers["organizer"]).status_code == 204
    assert_error(client.get(f"/api/v1/prizes/{made['id']}"), 404)


def test_the_archive_holds_prizes_and_published_winners(client, world, auth):
    headers, ids = world
    made = _add(client, headers["organizer"], ids, name="Archived prize")
    client.put(
        f"/api/v1/prizes/{made['id']}/winners",
        json={"winners": [{"submission_id": ids["subs"]["A"], "reason": "Shade"}]},
        headers=headers["organizer"],
    )
    auth.login_as("organizer")

    def tables():
        data = client.get(f"/events/{ids['slug']}/archive-public.zip")
        assert data.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(data.data))
        package = json.loads(archive.read("datapackage.json"))
        names = {r["name"] for r in package["resources"]}
        winners = archive.read("prize_winners.csv").decode("utf-8-sig") if "prize_winners" in names else None
        return archive.read("prizes.csv").decode("utf-8-sig"), winners

    prizes_csv, winners_csv = tables()
    assert "Archived prize" in prizes_csv
    assert winners_csv is None  # the public archive waits for publication
    client.post(f"/api/v1/events/{ids['slug']}/results/publish", json={"confirm": True}, headers=headers["organizer"])
    _prizes_csv, winners_csv = tables()
    assert winners_csv.splitlines()[1].startswith(f"{made['id']},{ids['subs']['A']},")
