"""Atom feeds and iCalendar files through real HTTP, read back by their own parsers
(feedparser for Atom, icalendar for iCalendar): what they list, and what they never do."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import feedparser
import icalendar
import pytest

from hackkit.datasets.commands import ShellActor
from hackkit.extensions import db
from hackkit.services import datasets, events, submissions, teams
from tests import factories as f
from tests.conftest import post_form

ORGANIZER_EMAIL = "feeds-organizer@example.org"


def _event_world(app, visibility: str = "published", **overrides):
    """An event with an announcement, one submitted and one draft project (made while it was
    published: a draft event takes no registrations), then put in `visibility`."""
    with app.app_context():
        session = db.session
        organizer = f.user(session, "organizer")
        organizer.email = ORGANIZER_EMAIL
        ev = f.event(session, organizer, tagline="Shade and water", **overrides)
        events.post_announcement(session, organizer, ev, "Doors open at **nine**.\n\nBring a laptop.")
        shown = f.team(session, ev, name="Team Shown")
        hidden = f.team(session, ev, name="Team Hidden")
        submissions.save_submission(
            session,
            shown.memberships[0].user,
            shown,
            {"title": "Cool Routes", "tagline": "Find shade"},
            status="submitted",
        )
        submissions.save_submission(session, hidden.memberships[0].user, hidden, {"title": "Secret Draft Idea"})
        if visibility != "published":
            events.update_event(session, organizer, ev, {"visibility": visibility})
        return {"slug": ev.slug, "shown": shown.id, "hidden": hidden.id, "organizer": organizer.email}


def _parse_atom(response):
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.get_data())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_announcements_feed_lists_the_events_announcements(app, client):
    world = _event_world(app)
    parsed = _parse_atom(client.get(f"/events/{world['slug']}/announcements.atom"))
    assert "Antwerp Data Weekend" in parsed.feed.title
    assert parsed.feed.links[0].href.endswith(f"/events/{world['slug']}")
    [entry] = parsed.entries
    assert entry.title == "Doors open at nine."  # plain text: a title is not Markdown
    assert "<strong>nine</strong>" in entry.content[0].value  # the page's Markdown, sanitised
    assert entry.link.endswith(f"/events/{world['slug']}#announcement-{entry.id.rsplit('-', 1)[1]}")
    assert world["organizer"] not in client.get(f"/events/{world['slug']}/announcements.atom").get_data(as_text=True)


def test_projects_feed_lists_only_public_projects(app, client):
    world = _event_world(app)
    response = client.get(f"/events/{world['slug']}/projects.atom")
    parsed = _parse_atom(response)
    assert [entry.title for entry in parsed.entries] == ["Cool Routes"]
    assert parsed.entries[0].link.endswith(f"/teams/{world['shown']}/project")
    assert "Secret Draft Idea" not in response.get_data(as_text=True)


def _import(app, tmp_path: Path, slug: str, title: str, draft: bool):
    source = tmp_path / f"{slug}.csv"
    source.write_text("name,lat,lon\nStadspark,51.2140,4.4130\n", encoding="utf-8")
    with app.app_context():
        datasets.import_dataset(db.session, ShellActor(), source, metadata={"slug": slug, "title": title}, draft=draft)


def test_datasets_feed_lists_published_datasets_only(app, client, tmp_path):
    _import(app, tmp_path, "parks", "City parks", draft=False)
    _import(app, tmp_path, "secret", "Unpublished benches", draft=True)
    response = client.get("/datasets.atom")
    parsed = _parse_atom(response)
    assert [entry.title for entry in parsed.entries] == ["City parks"]
    assert "Unpublished benches" not in response.get_data(as_text=True)
    # The catalogue page announces the feed to browsers and feed readers.
    page = client.get("/datasets/").get_data(as_text=True)
    assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="/datasets.atom"', page)


@pytest.mark.parametrize(
    "path",
    [
        "/events/{slug}/announcements.atom",
        "/events/{slug}/projects.atom",
        "/events/{slug}/schedule.ics",
        "/share/event/{slug}.png",
    ],
)
def test_a_draft_event_has_no_feeds_calendar_or_image_even_for_organizers(app, client, auth, path):
    world = _event_world(app, visibility="draft")
    assert client.get(path.format(slug=world["slug"])).status_code == 404
    auth.login_as("organizer")  # the organizer sees the draft page, but feeds are public documents
    assert client.get(f"/events/{world['slug']}").status_code == 200
    assert client.get(path.format(slug=world["slug"])).status_code == 404


def _calendar(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    body = response.get_data()
    calendar = icalendar.Calendar.from_ical(body)
    assert icalendar.Calendar.from_ical(calendar.to_ical()).to_ical() == calendar.to_ical()  # round trip
    return calendar


def test_event_schedule_is_a_subscribable_calendar_with_stable_uids_and_zones(app, client):
    world = _event_world(app, venue="De Krook", city="Ghent")
    calendar = _calendar(client.get(f"/events/{world['slug']}/schedule.ics"))
    entries = {str(e["uid"]).split("-")[-1].split("@")[0]: e for e in calendar.walk("VEVENT")}
    assert set(entries) == {"event", "registration", "opening", "deadline", "closing"}
    assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    deadline = entries["deadline"]
    assert deadline.decoded("dtstart").tzinfo.key == "Europe/Brussels"
    assert str(entries["event"]["location"]) == "De Krook, Ghent"
    # The organizer moves the deadline: the same entry moves (same UID), none is added.
    with app.app_context():
        ev = events.get_event(db.session, None, world["slug"])
        moved = ev.submission_deadline + timedelta(hours=3)
        events.update_event(db.session, ev_organizer(ev), ev, {"submission_deadline": moved.isoformat()})
    again = _calendar(client.get(f"/events/{world['slug']}/schedule.ics"))
    moved_entries = {str(e["uid"]): e for e in again.walk("VEVENT")}
    assert set(moved_entries) == {str(e["uid"]) for e in entries.values()}
    assert moved_entries[str(deadline["uid"])].decoded("dtstart") == deadline.decoded("dtstart") + timedelta(hours=3)


def ev_organizer(ev):
    from hackkit.models import User

    return db.session.query(User).filter_by(role="organizer").first()


def test_personal_calendar_lives_at_a_secret_address_that_can_be_reset(app, client, auth):
    world = _event_world(app)
    person = auth.login_as("participant")
    with app.app_context():
        ev = events.get_event(db.session, None, world["slug"])
        events.register(db.session, _user(person.id), ev)
        team = teams.create_team(db.session, _user(person.id), ev, {"name": "Night Owls"})
        organizer = ev_organizer(ev)
        later = ev.submission_deadline + timedelta(hours=5)
        teams.extend_deadline(db.session, organizer, team, later, "Power cut")
    account = client.get("/account").get_data(as_text=True)
    assert "Make my calendar address" in account
    first = post_form(client, "/account/calendar", {}, page="/account")
    assert first.status_code == 200
    address = re.search(r'id="calendar-address"[^>]*value="([^"]+)"', first.get_data(as_text=True)).group(1)
    path = address.removeprefix("http://localhost")
    outsider = app.test_client()  # a calendar app: no log-in
    response = outsider.get(path)
    assert "no-store" in response.headers["Cache-Control"]
    calendar = _calendar(response)
    summaries = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert "Antwerp Data Weekend" in summaries
    own_deadline = summaries["Submission deadline of Night Owls"]
    assert own_deadline.decoded("dtstart") == later  # the team's extended deadline, not the event's
    assert ORGANIZER_EMAIL not in response.get_data(as_text=True)
    # Resetting makes a new address and the old one stops working at once.
    second = post_form(client, "/account/calendar", {}, page="/account")
    new_address = re.search(r'id="calendar-address"[^>]*value="([^"]+)"', second.get_data(as_text=True)).group(1)
    assert new_address != address
    assert outsider.get(path).status_code == 404
    assert outsider.get(new_address.removeprefix("http://localhost")).status_code == 200
    assert outsider.get("/calendar/made-up-secret.ics").status_code == 404


def _user(user_id):
    from hackkit.models import User

    return db.session.get(User, user_id)


def test_the_calendar_reset_needs_the_forms_token(app, client, auth):
    person = auth.login_as("participant")
    assert client.post("/account/calendar").status_code == 400  # another site's form: nothing made
    with app.app_context():
        assert _user(person.id).calendar_token_hash is None


def test_feedback_feed_carries_answers_but_not_who_wrote_them(app, client, tmp_path):
    from hackkit.services import feedback

    _import(app, tmp_path, "parks", "City parks", draft=False)
    _import(app, tmp_path, "secret", "Unpublished benches", draft=True)
    with app.app_context():
        session = db.session
        resident = f.user(session, "participant")
        organizer = f.user(session, "organizer")
        item = feedback.create_feedback(session, resident, {"dataset": "parks", "title": "Wrong park name"})
        feedback.create_feedback(session, organizer, {"dataset": "secret", "title": "Bench count off"})
        feedback.answer_feedback(session, organizer, item, {"answer": "Fixed in the next version.", "status": "fixed"})
        emails = [resident.email, organizer.email]
    response = client.get("/feedback.atom")
    parsed = _parse_atom(response)
    [entry] = parsed.entries  # feedback on the draft dataset stays out
    assert entry.title == "City parks: Wrong park name"
    assert "Fixed in the next version." in entry.content[0].value
    body = response.get_data(as_text=True)
    assert not [email for email in emails if email in body]
    assert re.search(
        r'type="application/atom\+xml"[^>]*href="/feedback.atom"', client.get("/feedback").get_data(as_text=True)
    )


def test_proposals_feed_lists_the_residents_proposals_but_not_hidden_ones(app, client):
    from hackkit.services import proposals

    world = _event_world(app)
    with app.app_context():
        session = db.session
        ev = events.get_event(session, None, world["slug"])
        before = ev.starts_at - timedelta(days=1)
        resident = f.registered(session, ev)
        proposals.propose(session, resident, ev, {"title": "Drinking fountains"}, now=before)
        hidden = proposals.propose(session, resident, ev, {"title": "Spam offer"}, now=before)
        proposals.moderate(session, ev_organizer(ev), hidden, {"status": "hidden"})
    response = client.get(f"/events/{world['slug']}/proposals.atom")
    assert [entry.title for entry in _parse_atom(response).entries] == ["Drinking fountains"]
    page = client.get(f"/events/{world['slug']}/proposals").get_data(as_text=True)
    assert f'href="/events/{world["slug"]}/proposals.atom"' in page
