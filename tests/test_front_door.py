"""The page cache's front door (hackkit/front_door.py): a kept answer reaches a visitor without
Flask, the same bytes and headers Flask would send, and only to someone Flask would have
given it to."""

from __future__ import annotations

import pytest
from flask import request_started

from hackkit.extensions import db
from tests import factories, test_pagecache
from tests.conftest import AuthActions, make_app

# The page cache's own fixtures: the cache on for SECONDS, and an event.
SECONDS = test_pagecache.SECONDS
app_settings = test_pagecache.app_settings
event_slug = test_pagecache.event_slug


@pytest.fixture
def flask_requests(app):
    """The paths of the requests Flask itself handled (the front door's answers never start one)."""
    seen: list[str] = []

    def note(sender, **extra):
        from flask import request

        seen.append(request.path)

    request_started.connect(note, app)
    yield seen
    request_started.disconnect(note, app)


def without_age(response) -> dict:
    return {name: value for name, value in response.headers.items() if name != "Age"}


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/events/{slug}", {}),
        ("/events/{slug}/projects", {"Accept-Language": "nl-BE,nl;q=0.9"}),
        ("/datasets/", {}),
        ("/catalog", {"Accept": "text/turtle"}),  # negotiated: the kept answer varies on Accept
    ],
)
def test_a_kept_answer_is_the_one_flask_sent_without_flask(app, event_slug, flask_requests, clock, path, headers):
    path = path.format(slug=event_slug)
    made = app.test_client().get(path, headers=headers)
    assert made.status_code == 200 and flask_requests == [path]
    clock.now += SECONDS / 2
    kept = app.test_client().get(path, headers=headers)
    assert flask_requests == [path], "the second visitor's answer went through Flask"
    assert kept.status_code == 200 and kept.data == made.data
    assert without_age(kept) == without_age(made)
    assert kept.headers["Age"] == "0"


def test_the_language_a_browser_asks_for_is_part_of_the_key(app, event_slug, flask_requests):
    english = app.test_client().get(f"/events/{event_slug}", headers={"Accept-Language": "en"})
    dutch = app.test_client().get(f"/events/{event_slug}", headers={"Accept-Language": "nl"})
    assert len(flask_requests) == 2 and english.data != dutch.data
    again = app.test_client().get(f"/events/{event_slug}", headers={"Accept-Language": "nl-NL,nl;q=0.8"})
    assert len(flask_requests) == 2 and again.data == dutch.data
    assert 'lang="nl"' in again.get_data(as_text=True)


def test_someone_flask_could_sign_in_or_who_picked_a_language_goes_to_flask(app, event_slug, flask_requests):
    visitor = app.test_client()
    visitor.get(f"/events/{event_slug}")
    member = app.test_client()
    AuthActions(app, member).login_as()
    flask_requests.clear()
    page = member.get(f"/events/{event_slug}")
    assert flask_requests == [f"/events/{event_slug}"] and "Log out" in page.get_data(as_text=True)

    flask_requests.clear()
    remembered = app.test_client()
    remembered.set_cookie("remember_token", "1|whatever")
    remembered.get(f"/events/{event_slug}")
    scripted = app.test_client().get(f"/events/{event_slug}", headers={"Authorization": "Bearer not-a-token"})
    assert len(flask_requests) == 2 and "Age" not in scripted.headers

    chooser = app.test_client()
    chooser.post("/language", data={"lang": "nl"})
    flask_requests.clear()
    chosen = chooser.get(f"/events/{event_slug}")  # a session cookie holding the choice
    assert flask_requests == [f"/events/{event_slug}"] and 'lang="nl"' in chosen.get_data(as_text=True)


def vary(response) -> set[str]:
    return {field.strip().lower() for field in response.headers.get("Vary", "").split(",") if field.strip()}


def test_a_page_in_a_picked_language_is_not_handed_to_a_browser_that_asks_for_it(app, event_slug, flask_requests):
    """The same Dutch page, two sources of the language: a proxy in front of the hub must learn
    from the browser visitor's answer that it varies on Accept-Language (else it hands that
    copy to English browsers), so the chooser's copy, which does not say so, is not theirs."""
    chooser = app.test_client()
    chooser.post("/language", data={"lang": "nl"})
    chosen = chooser.get(f"/events/{event_slug}")
    assert 'lang="nl"' in chosen.get_data(as_text=True) and "accept-language" not in vary(chosen)
    flask_requests.clear()
    dutch = {"Accept-Language": "nl"}
    browser = app.test_client().get(f"/events/{event_slug}", headers=dutch)
    assert flask_requests == [f"/events/{event_slug}"], "the chooser's copy was handed out"
    assert 'lang="nl"' in browser.get_data(as_text=True) and "accept-language" in vary(browser)
    kept = app.test_client().get(f"/events/{event_slug}", headers=dutch)  # the front door's answer
    assert len(flask_requests) == 1 and kept.headers["Vary"] == browser.headers["Vary"]
    again = app.test_client().get(f"/events/{event_slug}", headers={**dutch, "If-None-Match": kept.headers["ETag"]})
    assert again.status_code == 304 and "accept-language" in vary(again)


def test_a_conditional_request_or_a_head_is_answered_by_flask(app, event_slug, flask_requests):
    first = app.test_client().get(f"/events/{event_slug}")
    flask_requests.clear()
    unchanged = app.test_client().get(f"/events/{event_slug}", headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and flask_requests == [f"/events/{event_slug}"]
    assert app.test_client().head(f"/events/{event_slug}").status_code == 200
    assert len(flask_requests) == 2


def test_when_the_versions_are_due_for_a_read_flask_reads_them_and_a_change_shows(
    app, event_slug, flask_requests, clock
):
    app.test_client().get(f"/events/{event_slug}")
    with app.app_context():
        organizer = factories.user(db.session, "organizer")
        from hackkit.services import events

        events.update_event(db.session, organizer, events.get_event(db.session, None, event_slug), {"name": "Renamed"})
    assert "Renamed" not in app.test_client().get(f"/events/{event_slug}").get_data(as_text=True)
    assert len(flask_requests) == 1
    clock.now += SECONDS
    assert "Renamed" in app.test_client().get(f"/events/{event_slug}").get_data(as_text=True)
    assert len(flask_requests) == 2


def test_an_answer_a_rate_limit_counted_is_counted_on_every_request(tmp_path, database_url):
    app = make_app(
        tmp_path, database_url, HACKKIT_PUBLIC_CACHE_SECONDS=SECONDS, HACKKIT_RATELIMIT_API_ANONYMOUS="3 per minute"
    )
    client = app.test_client()
    answers = [client.get("/api/v1/events") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert [answer.headers.get("X-RateLimit-Remaining") for answer in answers[:3]] == ["2", "1", "0"]
    assert "Age" in answers[1].headers  # kept, and still counted


def test_with_rate_limits_off_a_kept_api_answer_goes_through_the_front_door_too(tmp_path, database_url):
    # A city whose proxy does the limiting turns the hub's off: nothing then counts the calls.
    app = make_app(tmp_path, database_url, HACKKIT_PUBLIC_CACHE_SECONDS=SECONDS, RATELIMIT_ENABLED=False)
    client = app.test_client()
    made = client.get("/api/v1/events")
    seen: list[str] = []
    request_started.connect(lambda sender, **extra: seen.append("flask"), app, weak=False)
    kept = client.get("/api/v1/events")
    assert seen == [] and kept.data == made.data and kept.headers["Access-Control-Allow-Origin"] == "*"


def test_behind_a_proxy_the_key_holds_the_address_the_visitor_used(tmp_path, database_url, clock):
    app = make_app(tmp_path, database_url, HACKKIT_PUBLIC_CACHE_SECONDS=SECONDS, HACKKIT_PROXY_COUNT=1)
    with app.app_context():
        slug = factories.event(db.session).slug
    secure = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "hack.example.org"}
    first = app.test_client().get(f"/events/{slug}", headers=secure)
    kept = app.test_client().get(f"/events/{slug}", headers=secure)
    assert "Age" not in first.headers and kept.headers["Age"] == "0"
    other = app.test_client().get(f"/events/{slug}", headers={**secure, "X-Forwarded-Host": "elsewhere.example"})
    assert "Age" not in other.headers  # made anew for that address, not the other's copy
