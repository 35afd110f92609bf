"""The co-creation pages as a browser without JavaScript uses them: forms, redirects, text."""

from __future__ import annotations

import re

import pytest

from hackkit.extensions import db
from hackkit.models import Challenge, DataFeedback, Proposal
from tests import factories as f
from tests.cocreation import world as w
from tests.conftest import post_form


@pytest.fixture
def world(app):
    with app.app_context():
        organizer = f.user(db.session, "organizer")
        upcoming = w.upcoming_event(db.session, organizer)
        past = f.event(db.session, organizer)
        heat = w.challenge(db.session, past, organizer, "Cooler streets", ["trees"])
        w.project_using(db.session, past, "trees", how="shade per street", title="Shade map", challenge=heat)
        return {"upcoming": upcoming.slug, "past": past.slug, "organizer": organizer.email}


def count(app, model) -> int:
    with app.app_context():
        return db.session.query(model).count()


def test_dataset_page_lists_projects_and_feedback(client, auth, world):
    page = client.get("/datasets/trees").get_data(as_text=True)
    assert "Projects that used this dataset" in page and "Shade map" in page and "shade per street" in page
    assert "Cooler streets" in page and "Log in to report a problem" in page
    assert client.get("/datasets/trees/feedback/new").status_code == 302  # to the log-in page


def test_reporting_a_problem_is_public_sanitised_and_shows_no_email(app, client, auth, world):
    user = auth.create_user(email="rosa@example.net", name="Rosa Resident")
    auth.login(user.email)
    response = post_form(
        client,
        "/datasets/trees/feedback/new",
        {
            "kind": "broken_coordinates",
            "title": "Trees in the sea",
            "column": "lat",
            "row": "id = 17",
            "body": "Look <script>alert(1)</script> **here**",
        },
    )
    assert response.status_code == 303
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>here</strong>" in detail and "<script>alert" not in detail
    listing = client.get("/datasets/trees").get_data(as_text=True)
    assert "Trees in the sea" in listing and "Rosa Resident" in listing and "rosa@example.net" not in listing
    assert "rosa@example.net" not in client.get("/feedback").get_data(as_text=True)


def test_a_bad_report_is_sent_back_with_the_message_and_nothing_saved(app, client, auth, world):
    auth.login_as()
    response = post_form(client, "/datasets/trees/feedback/new", {"kind": "request", "title": "x"})
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)
    response = post_form(client, "/datasets/trees/feedback/new", {"kind": "other", "title": ""})
    assert response.status_code == 400 and 'aria-invalid="true"' in response.get_data(as_text=True)
    assert count(app, DataFeedback) == 0


def test_data_request_then_the_organizer_answers_and_the_filters_find_it(app, client, auth, world):
    auth.login_as()
    made = post_form(client, "/feedback/request", {"title": "Public toilets", "body": "With opening hours"})
    assert made.status_code == 303
    location = made.headers["Location"]
    # A participant cannot answer.
    assert post_form(client, location, {"answer": "x", "status": "fixed"}).status_code == 403
    auth.logout()
    auth.login(world["organizer"])
    page = client.get(location).get_data(as_text=True)
    assert "Answer and set the status" in page
    saved = post_form(client, location, {"answer": "Coming in **May**.", "status": "answered"})
    assert saved.status_code == 303
    assert "<strong>May</strong>" in client.get(location).get_data(as_text=True)
    answered = client.get("/feedback?status=answered&kind=request").get_data(as_text=True)
    assert "Public toilets" in answered
    assert "Public toilets" not in client.get("/feedback?status=fixed").get_data(as_text=True)
    assert client.get("/feedback?status=nonsense").status_code == 200  # an odd link never fails


def test_resident_proposes_votes_and_takes_the_vote_back(app, client, auth, world):
    slug = world["upcoming"]
    assert "Log in to propose a problem" in client.get(f"/events/{slug}/proposals").get_data(as_text=True)
    auth.login_as()
    made = post_form(
        client,
        f"/events/{slug}/proposals/new",
        {"title": "Dark bike path", "description": "No lights", "neighbourhood": "Linkeroever"},
    )
    assert made.status_code == 303
    with app.app_context():
        pid = db.session.query(Proposal).one().id
    page = f"/events/{slug}/proposals"
    voted = post_form(client, f"/events/{slug}/proposals/{pid}/vote", {"back": "list"}, page=page)
    assert voted.status_code == 303 and voted.headers["Location"].endswith(f"#proposal-{pid}")
    listing = client.get(page).get_data(as_text=True)
    assert "1 vote" in listing and "Take back my vote for Dark bike path" in listing
    post_form(client, f"/events/{slug}/proposals/{pid}/vote", {"undo": "1"}, page=page)
    assert "0 votes" in client.get(page).get_data(as_text=True)
    hide = post_form(client, f"/events/{slug}/proposals/{pid}/status", {"status": "hidden"}, page=page)
    assert hide.status_code == 403


def test_organizer_turns_a_proposal_into_a_challenge_with_links_both_ways(app, client, auth, world):
    slug = world["upcoming"]
    auth.login_as()
    post_form(client, f"/events/{slug}/proposals/new", {"title": "Dark bike path"})
    with app.app_context():
        pid = db.session.query(Proposal).one().id
    auth.logout()
    auth.login(world["organizer"])
    adopt_url = f"/events/{slug}/proposals/{pid}/challenge"
    assert 'value="Dark bike path"' in client.get(adopt_url).get_data(as_text=True)
    done = post_form(client, adopt_url, {"title": "Light the bike paths", "department": "Mobility", "datasets": ""})
    assert done.status_code == 303
    with app.app_context():
        challenge = db.session.query(Challenge).filter_by(title="Light the bike paths").one()
        cid = challenge.id
    event_page = client.get(f"/events/{slug}").get_data(as_text=True)
    assert "Proposed by residents:" in event_page and f"/events/{slug}/proposals/{pid}" in event_page
    proposal_page = client.get(f"/events/{slug}/proposals/{pid}").get_data(as_text=True)
    assert "Became the challenge" in proposal_page and f"#challenge-{cid}" in proposal_page
    again = post_form(client, adopt_url, {"title": "Again"}, page=f"/events/{slug}/proposals/{pid}")
    assert again.status_code == 403 or again.status_code == 303
    assert count(app, Challenge) == 2  # the past event's challenge and this one, nothing more


def test_usage_report_page_and_csv_for_organizers_only(app, client, auth, world):
    auth.login_as()
    assert client.get("/admin/reports/usage").status_code == 403
    assert client.get("/admin/reports/datasets.csv").status_code == 403
    auth.logout()
    auth.login(world["organizer"])
    page = client.get("/admin/reports/usage").get_data(as_text=True)
    totals, details = page.index("In numbers"), page.index("Per dataset")
    assert totals < details and "Shade map" in page and "Cooler streets" in page
    response = client.get(f"/admin/reports/datasets.csv?event={world['past']}")
    assert (
        response.mimetype == "text/csv"
        and f"{world['past']}-datasets-usage.csv" in response.headers["Content-Disposition"]
    )
    assert re.search(r"^trees,Trees,published,1,", response.get_data(as_text=True).lstrip("\ufeff"), re.M)


def test_pages_speak_dutch(client, world):
    dutch = {"Accept-Language": "nl"}
    assert "Voorstellen van bewoners" in client.get(f"/events/{world['upcoming']}/proposals", headers=dutch).get_data(
        as_text=True
    )
    assert "Feedback op deze data" in client.get("/datasets/trees", headers=dutch).get_data(as_text=True)


def test_every_new_page_has_one_heading_and_labelled_controls(app, client, auth, world):
    from tests.test_layout import parse

    slug = world["upcoming"]
    auth.login_as()
    post_form(client, f"/events/{slug}/proposals/new", {"title": "Dark bike path"})
    made = post_form(client, "/feedback/request", {"title": "Toilets"})
    with app.app_context():
        pid = db.session.query(Proposal).one().id
    auth.logout()
    auth.login(world["organizer"])
    urls = [
        "/feedback",
        "/feedback/request",
        made.headers["Location"],
        "/datasets/trees",
        "/datasets/trees/feedback/new",
        f"/events/{slug}/proposals",
        f"/events/{slug}/proposals/new",
        f"/events/{slug}/proposals/{pid}",
        f"/events/{slug}/proposals/{pid}/challenge",
        "/admin/reports/usage",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = parse(response.get_data(as_text=True))
        assert len(page.find("h1")) == 1, url
        labelled = {attrs.get("for") for attrs in page.find("label")}
        for tag in ("input", "select", "textarea"):
            for attrs in page.find(tag):
                if attrs.get("type") in {"hidden", "submit"}:
                    continue
                assert attrs.get("id") in labelled or attrs.get("aria-label"), f"{url}: unlabelled {attrs}"


def test_the_feedback_allowance_is_shared_by_the_form_and_the_api(app, client, auth, world):
    from tests.api.helpers import token_for

    user = auth.create_user(email="busy@example.net")
    headers = token_for(app.test_client(), user.email)
    for n in range(10):
        assert client.post("/api/v1/feedback", json={"title": f"Set {n}"}, headers=headers).status_code == 201
    auth.login(user.email)
    refused = post_form(client, "/feedback/request", {"title": "one more"})
    assert refused.status_code == 429 and "Too many attempts" in refused.get_data(as_text=True)
    assert count(app, DataFeedback) == 10
