"""Every event-hub page, for each kind of visitor: one h1, labelled controls, unique ids,
no asset from another server, and no e-mail address outside the organizer's pages."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.models import Event
from hackkit.services import events, submissions, teams
from tests import factories as f
from tests.test_layout import parse


@pytest.fixture
def hub(app):
    with app.app_context():
        session = db.session
        organizer = f.user(session, "organizer")
        f.catalogue_dataset(session, "trees")
        ev = f.event(session, organizer, description="# Welcome\n\nHello")
        challenge = events.add_challenge(session, organizer, ev, {"title": "Shade", "datasets": "trees"})
        events.post_announcement(session, organizer, ev, "Doors open")
        captain = f.registered(session, ev)
        team = f.team(session, ev, captain=captain, name="Data Divers")
        mate = f.registered(session, ev)
        teams.join_team(session, mate, team, team.invite_code)
        outsider = f.registered(session, ev)
        # One open join request per person per event (issue 13): someone else asks the other team.
        teams.request_to_join(session, f.registered(session, ev), f.team(session, ev, name="Other Team"), "hello")
        teams.request_to_join(session, outsider, team, "me too")
        submissions.save_submission(
            session,
            captain,
            team,
            {"title": "Shade map", "challenge_id": challenge.id, "datasets": ["trees"]},
            status="submitted",
            now=f.now() - timedelta(minutes=1),
        )
        return {
            "slug": ev.slug,
            "event_id": ev.id,
            "team": team.id,
            "code": team.invite_code,
            "challenge": challenge.id,
            "organizer": organizer.email,
            "captain": captain.email,
            "outsider": outsider.email,
        }


def event_pages(h) -> list[str]:
    s = h["slug"]
    return [f"/events/{s}", f"/events/{s}/projects", f"/teams/{h['team']}", f"/teams/{h['team']}/project"]


def check(url: str, response, emails_allowed: bool = False) -> None:
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    page = parse(html)
    assert len(page.find("h1")) == 1, f"{url} should have exactly one h1"
    ids = Counter(attrs["id"] for _tag, attrs in page.tags if attrs.get("id"))
    assert not [i for i, n in ids.items() if n > 1], f"{url} repeats ids {ids}"
    labels = {attrs.get("for") for attrs in page.find("label")}
    for tag in ("input", "select", "textarea"):
        for attrs in page.find(tag):
            if attrs.get("type") in {"hidden", "submit"}:
                continue
            assert attrs.get("id") in labels or attrs.get("aria-label"), f"{url}: unlabelled {attrs}"
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
        for attrs in page.find(tag):
            assert not re.match(r"^(https?:)?//", attrs.get(attr) or ""), f"{url} loads {attrs}"
    assert "None" not in re.sub(r"<[^>]+>", "", html).split(), url
    if not emails_allowed:
        assert "@example.org" not in html, f"{url} shows an e-mail address"


def test_public_pages_for_a_visitor(client, hub):
    for url in event_pages(hub):
        check(url, client.get(url))


def test_pages_for_the_captain(client, auth, hub):
    auth.login(hub["captain"])
    team = hub["team"]
    urls = event_pages(hub) + [
        f"/teams/{team}/edit",
        f"/teams/{team}/submission",
        f"/teams/{team}/submission/history",
        f"/events/{hub['slug']}/teams/new",
    ]
    for url in urls:
        check(url, client.get(url))


def test_pages_for_an_outsider(client, auth, hub):
    auth.login(hub["outsider"])
    for url in event_pages(hub) + [f"/join/{hub['code']}"]:
        check(url, client.get(url))


def test_pages_for_the_organizer(client, auth, hub):
    auth.login(hub["organizer"])
    s = hub["slug"]
    for url in event_pages(hub) + [
        "/events/",
        "/events/new",
        f"/events/{s}/edit",
        f"/events/{s}/challenges/new",
        f"/events/{s}/challenges/{hub['challenge']}/edit",
    ]:
        check(url, client.get(url))
    check(f"/events/{s}/manage", client.get(f"/events/{s}/manage"), emails_allowed=True)


def test_submission_page_after_the_deadline(client, auth, app, hub):
    with app.app_context():
        event = db.session.get(Event, hub["event_id"])
        admin = f.user(db.session, "organizer")
        events.update_event(db.session, admin, event, {"submission_deadline": f.now().isoformat()})
    auth.login(hub["captain"])
    url = f"/teams/{hub['team']}/submission"
    response = client.get(url)
    check(url, response)
    assert "Frozen version: Shade map" in response.get_data(as_text=True)
