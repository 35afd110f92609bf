"""Prize pages as organizers and visitors use them, and the projector's JSON."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.models import Prize
from hackkit.services import ceremony, events, prizes, publication
from tests.conftest import post_form
from tests.prizes import world as pw
from tests.security.route_world import png


@pytest.fixture
def world(app, auth):
    with app.app_context():
        built = pw.build(db.session, datasets=None)
        ids = {
            "slug": built.event.slug,
            "organizer": built.organizer.email,
            "subs": {k: s.id for k, s in built.submissions.items()},
            "teams": {k: s.team_id for k, s in built.submissions.items()},
            "air": built.challenges["air"].id,
        }
    return built, ids


def _prize(app, world_, **data) -> int:
    built, _ids = world_
    with app.app_context():
        event = events.get_event(db.session, None, built.event.slug)
        organizer = db.session.merge(built.organizer)
        return prizes.create_prize(db.session, organizer, event, {"name": "Main prize", **data}).id


def test_an_organizer_adds_edits_and_deletes_a_prize_through_the_pages(app, client, auth, world):
    _built, ids = world
    auth.login(ids["organizer"])
    url = f"/events/{ids['slug']}/prizes"
    assert client.get(url).status_code == 200
    bad = post_form(
        client, url, {"name": "", "kind": "item", "scope": "challenge", "max_winners": "1", "position": "0"}
    )
    assert bad.status_code == 400
    added = post_form(
        client,
        url,
        {
            "name": "Pilot prize",
            "kind": "pilot",
            "value": "A six-month pilot",
            "sponsor_name": "Mobility department",
            "scope": "challenge",
            "challenge_id": str(ids["air"]),
            "max_winners": "1",
            "position": "0",
            "sponsor_logo": (io.BytesIO(png()), "logo.png"),
        },
        content_type="multipart/form-data",
    )
    assert added.status_code == 302, added.get_data(as_text=True)
    with app.app_context():
        prize = db.session.query(Prize).one()
        prize_id, logo = prize.id, prize.sponsor_logo
        assert (prize.scope, prize.challenge_id, prize.kind) == ("challenge", ids["air"], "pilot")
    assert logo.startswith(b"\x89PNG")
    assert client.get(f"/prizes/{prize_id}/logo.png").mimetype == "image/png"
    page = client.get(f"/events/{ids['slug']}").get_data(as_text=True)
    assert "Pilot prize" in page and "Mobility department" in page and "Cleaner air" in page

    edit_url = f"/events/{ids['slug']}/prizes/{prize_id}/edit"
    edited = post_form(
        client,
        edit_url,
        {
            "name": "Air pilot",
            "kind": "pilot",
            "scope": "challenge",
            "challenge_id": str(ids["air"]),
            "max_winners": "2",
            "position": "1",
        },
    )
    assert edited.status_code == 302
    delete_url = f"/events/{ids['slug']}/prizes/{prize_id}/delete"
    asked = client.get(delete_url).get_data(as_text=True)
    assert "Delete Air pilot?" in asked and 'class="danger"' in asked
    with app.app_context():
        assert db.session.get(Prize, prize_id) is not None  # asking deletes nothing
    assert post_form(client, delete_url, {}).status_code == 302
    with app.app_context():
        assert db.session.get(Prize, prize_id) is None


def test_a_sponsors_logo_shows_until_the_organizer_removes_it(app, client, auth, world):
    """Every page asks has_logo, not the logo's bytes: it must follow an upload, an edit that
    keeps the logo, and its removal, on the event page, the edit form and the API."""
    _built, ids = world
    auth.login(ids["organizer"])
    fields = {"name": "Logo prize", "kind": "item", "scope": "event", "max_winners": "1", "position": "0"}
    added = post_form(
        client,
        f"/events/{ids['slug']}/prizes",
        {**fields, "sponsor_logo": (io.BytesIO(png()), "logo.png")},
        content_type="multipart/form-data",
    )
    assert added.status_code == 302
    with app.app_context():
        prize_id = db.session.query(Prize.id).scalar()
    edit_url = f"/events/{ids['slug']}/prizes/{prize_id}/edit"
    logo_src = f'src="/prizes/{prize_id}/logo.png"'

    def shown() -> tuple[bool, bool, bool]:
        event_page = client.get(f"/events/{ids['slug']}").get_data(as_text=True)
        form = client.get(edit_url).get_data(as_text=True)
        answer = client.get(f"/api/v1/events/{ids['slug']}/prizes").get_json()["prizes"][0]
        return logo_src in event_page, logo_src in form, answer["sponsor"]["logo_url"] is not None

    assert shown() == (True, True, True)
    assert post_form(client, edit_url, {**fields, "name": "Logo prize, renamed"}).status_code == 302
    assert shown() == (True, True, True)  # an edit without a new file keeps the logo
    assert post_form(client, edit_url, {**fields, "remove_logo": "y"}).status_code == 302
    assert shown() == (False, False, False)


def test_the_winners_page_shows_ties_and_asks_a_reason_for_another_choice(app, client, auth, world):
    built, ids = world
    prize_id = _prize(app, world)
    auth.login(ids["organizer"])
    url = f"/events/{ids['slug']}/prizes/{prize_id}/winners"
    page = client.get(url).get_data(as_text=True)
    assert "Project A" in page and "proposed" in page
    refused = post_form(client, url, {"winner": str(ids["subs"]["D"])})
    assert refused.status_code == 400
    assert "Say why you chose Project D" in refused.get_data(as_text=True)
    done = post_form(client, url, {"winner": str(ids["subs"]["D"]), f"reason-{ids['subs']['D']}": "Most inclusive"})
    assert done.status_code == 302
    certificates = client.get(f"/events/{ids['slug']}/prizes/{prize_id}/certificates").get_data(as_text=True)
    with app.app_context():
        captain = db.session.merge(built.people["captain_D"])
        assert captain.display_name in certificates
    assert "Project D" in certificates and "Antwerp Data Weekend" in certificates


def test_winners_and_badges_appear_once_the_results_are_published(app, client, world):
    built, ids = world
    prize_id = _prize(app, world, name="Golden bench")
    with app.app_context():
        organizer = db.session.merge(built.organizer)
        prize = db.session.get(Prize, prize_id)
        prizes.confirm_winners(db.session, organizer, prize, {"winners": [{"submission_id": ids["subs"]["A"]}]})
    gallery_url, project_url = f"/events/{ids['slug']}/projects", f"/teams/{ids['teams']['A']}/project"
    for url in (gallery_url, project_url, f"/events/{ids['slug']}"):
        assert "Winner" not in client.get(url).get_data(as_text=True), url
    with app.app_context():
        event = events.get_event(db.session, None, ids["slug"])
        publication.publish_results(db.session, db.session.merge(built.organizer), event)
    assert "Winner: Golden bench" in client.get(gallery_url).get_data(as_text=True)
    assert "Winner: Golden bench" in client.get(project_url).get_data(as_text=True)
    assert "Winner" in client.get(f"/events/{ids['slug']}").get_data(as_text=True)


def test_the_projector_never_shows_a_winner_before_the_presenter_reveals_it(app, client, auth, world):
    built, ids = world
    prize_id = _prize(app, world, name="Golden bench")
    with app.app_context():
        prizes.confirm_winners(
            db.session,
            db.session.merge(built.organizer),
            db.session.get(Prize, prize_id),
            {"winners": [{"submission_id": ids["subs"]["A"], "reason": "Shade for all"}]},
        )
    live = client.get(f"/events/{ids['slug']}/live.json")
    assert live.headers["Cache-Control"] == "no-store"
    state = live.get_json()
    assert state["ceremony"] is None and state["teams"] == 4 and state["submitted"] == 4
    auth.login(ids["organizer"])
    step_url = f"/events/{ids['slug']}/live/step"
    page = f"/events/{ids['slug']}/live/presenter"
    assert post_form(client, step_url, {"action": "start"}, page=page).status_code == 302
    audience = client.get(f"/events/{ids['slug']}/live.json").get_json()
    assert audience["ceremony"]["prize"]["name"] == "Golden bench" and audience["ceremony"]["winners"] == []
    assert "Project A" not in client.get(f"/events/{ids['slug']}/live").get_data(as_text=True)
    presenter = client.get(f"/events/{ids['slug']}/live/presenter.json").get_json()
    assert [w["title"] for w in presenter["ceremony"]["winners"]] == ["Project A"]
    answer = post_form(client, step_url, {"action": "next"}, page=page, headers={"Accept": "application/json"})
    assert answer.get_json()["ceremony"]["revealed"] is True
    audience = client.get(f"/events/{ids['slug']}/live.json").get_json()
    assert audience["ceremony"]["winners"] == [{"title": "Project A", "team": "Team A", "reason": "Shade for all"}]
    assert "Project A" in client.get(f"/events/{ids['slug']}/live").get_data(as_text=True)


def test_the_live_state_counts_datasets_and_shows_the_next_milestone(app):
    with app.app_context():
        from tests import factories as f

        f.catalogue_dataset(db.session, "trees", "Street trees")
        built = pw.build(db.session, datasets={"A": ["trees"], "B": ["trees"]})
        an_hour_before_the_end = built.event.ends_at - timedelta(hours=1)
        state = ceremony.live_state(db.session, built.event, now=an_hour_before_the_end)
        assert state["datasets"] == [{"slug": "trees", "title": "Street trees", "projects": 2}]
        assert state["milestone"]["label"] == "Hacking ends"
        assert state["milestone"]["at"] == built.event.ends_at.isoformat()
        assert ceremony.live_state(db.session, built.event, now=built.event.ends_at)["milestone"] is None


def test_ceremony_steps_two_per_prize_and_only_organizers_drive_it(app):
    from hackkit.services.errors import Conflict, Forbidden

    with app.app_context():
        built = pw.build(db.session)
        with pytest.raises(Conflict):  # no prizes, no ceremony
            ceremony.step_ceremony(db.session, built.organizer, built.event, "start")
        for name in ("First", "Second"):
            pw.prize(db.session, built, name=name, max_winners=4)
        with pytest.raises(Forbidden):
            ceremony.step_ceremony(db.session, built.people["captain_A"], built.event, "start")
        with pytest.raises(Conflict):
            ceremony.step_ceremony(db.session, built.organizer, built.event, "next")
        seen = [ceremony.step_ceremony(db.session, built.organizer, built.event, "start")["ceremony"]]
        for _ in range(4):  # one more than there are steps: it stays on the last
            seen.append(ceremony.step_ceremony(db.session, built.organizer, built.event, "next")["ceremony"])
        assert [(c["prize"]["name"], c["revealed"]) for c in seen] == [
            ("First", False),
            ("First", True),
            ("Second", False),
            ("Second", True),
            ("Second", True),
        ]
        assert seen[1]["next"]["name"] == "Second" and seen[3]["next"] is None
        back = ceremony.step_ceremony(db.session, built.organizer, built.event, "previous")["ceremony"]
        assert (back["prize"]["name"], back["revealed"]) == ("Second", False)
        assert ceremony.step_ceremony(db.session, built.organizer, built.event, "stop")["ceremony"] is None
