"""Signed-in pages rendered once per role (hackkit/shared_pages.py): each viewer still gets
their own name, token, team and buttons; a participant never gets an organizer's page; a
writer sees their own change at once, others within the set time."""

from __future__ import annotations

import itertools
import re

import pytest
from flask import render_template_string

from hackkit import pagecache, shared_pages
from hackkit.extensions import db
from hackkit.services import events
from tests import factories
from tests.conftest import CSRF_RE, AuthActions, make_app, post_form

SECONDS = 1.0


@pytest.fixture
def app_settings():
    return {"HACKKIT_PUBLIC_CACHE_SECONDS": SECONDS}


@pytest.fixture
def event_slug(app):
    with app.app_context():
        return factories.event(db.session, name="Antwerp Data Weekend").slug


def served(app) -> int:
    return app.extensions["hackkit_shared_pages"].served


_people = itertools.count()


def signed_in(app, role: str = "participant", name: str | None = None):
    client = app.test_client()
    auth = AuthActions(app, client)
    user = auth.create_user(role, email=f"{role}-{next(_people)}@shared.example", name=name)
    answer = auth.login(user.email)
    assert answer.status_code == 302
    client.get(answer.headers["Location"])  # where "You are logged in" is shown
    return client, user


def register(app, slug: str, user) -> None:
    with app.app_context():
        events.register(db.session, db.session.merge(user), events.get_event(db.session, None, slug))


def tokens_in(page: str) -> set[str]:
    return set(CSRF_RE.findall(page))


def test_viewers_of_one_shared_page_each_get_their_own_name_token_team_and_buttons(app, event_slug):
    captain, captain_user = signed_in(app, name="Captain Carla")
    newcomer, newcomer_user = signed_in(app, name="Newcomer Nico")
    organizer, _ = signed_in(app, "organizer", name="Organizer Olga")
    register(app, event_slug, captain_user)
    post_form(captain, f"/events/{event_slug}/teams/new", {"name": "Bike Lanes"})
    captain.get(f"/events/{event_slug}")  # the team's creation was flashed: shown live here
    register(app, event_slug, newcomer_user)
    before = served(app)
    pages = {
        "captain": captain.get(f"/events/{event_slug}").get_data(as_text=True),
        "newcomer": newcomer.get(f"/events/{event_slug}").get_data(as_text=True),
        "organizer": organizer.get(f"/events/{event_slug}").get_data(as_text=True),
        "organizer again": organizer.get(f"/events/{event_slug}").get_data(as_text=True),
    }
    assert served(app) - before >= 2  # the newcomer's and the organizer's second: from kept renders
    assert "Your team: Bike Lanes" in pages["captain"] and "Create a team" not in pages["captain"]
    assert "Create a team" in pages["newcomer"] and "Bike Lanes</a>" not in pages["newcomer"].split("Your team")[0]
    assert "Your team" not in pages["newcomer"] and "Have an invite code" in pages["newcomer"]
    for who in ("captain", "newcomer"):
        assert "Organizer dashboard" not in pages[who] and "Edit event" not in pages[who]
    assert "Organizer dashboard" in pages["organizer"] and "Organizer dashboard" in pages["organizer again"]
    # Each page carries its own viewer's CSRF token, and no placeholder is left.
    assert all(tokens_in(page) for page in pages.values())
    assert tokens_in(pages["captain"]).isdisjoint(tokens_in(pages["newcomer"]) | tokens_in(pages["organizer"]))
    assert not any("\x00" in page for page in pages.values())
    # ...and it is the one that works for them: the log-out form of the kept page logs them out.
    token = CSRF_RE.search(pages["newcomer"]).group(1)
    assert newcomer.post("/logout", data={"csrf_token": token}).status_code == 302
    assert "Log in" in newcomer.get(f"/events/{event_slug}").get_data(as_text=True)
    assert "Your team: Bike Lanes" in captain.get(f"/events/{event_slug}").get_data(as_text=True)


def test_the_gallery_is_shared_and_still_personal_where_it_must_be(app, event_slug):
    first, _ = signed_in(app)
    second, _ = signed_in(app)
    one = first.get(f"/events/{event_slug}/projects").get_data(as_text=True)
    before = served(app)
    other = second.get(f"/events/{event_slug}/projects").get_data(as_text=True)
    assert served(app) == before + 1
    assert tokens_in(one) and tokens_in(other) and tokens_in(one) != tokens_in(other)
    assert re.sub(CSRF_RE, "", one) == re.sub(CSRF_RE, "", other)


def test_the_home_page_a_log_in_lands_on_is_shared_per_role(app, event_slug):
    first, _ = signed_in(app)
    second, _ = signed_in(app)
    organizer, _ = signed_in(app, "organizer")
    one = first.get("/").get_data(as_text=True)
    before = served(app)
    other = second.get("/").get_data(as_text=True)
    assert served(app) == before + 1
    assert re.sub(CSRF_RE, "", one) == re.sub(CSRF_RE, "", other)
    assert "Antwerp Data Weekend" in one and "New event" not in one
    assert "New event" in organizer.get("/").get_data(as_text=True)  # an organizer's page is their role's


def test_a_writer_sees_their_own_change_at_once_on_another_hub_others_within_the_set_time(
    app, event_slug, clock, tmp_path, database_url
):
    # Two hub instances on one database, as behind a proxy: one secret, so one log-in cookie.
    secret = app.config["SECRET_KEY"]
    other_hub = make_app(tmp_path / "other", database_url, HACKKIT_PUBLIC_CACHE_SECONDS=SECONDS, SECRET_KEY=secret)
    writer, writer_user = signed_in(app, name="Pia")
    register(app, event_slug, writer_user)
    third_hub = make_app(tmp_path / "third", database_url, HACKKIT_PUBLIC_CACHE_SECONDS=SECONDS, SECRET_KEY=secret)
    reader, _ = signed_in(other_hub)
    reader.get(f"/events/{event_slug}")  # the other hub keeps the page and knows the versions now
    third_reader, _ = signed_in(third_hub)
    third_reader.get(f"/events/{event_slug}")  # so does a third
    answer = post_form(writer, "/account", {"display_name": "Pia Looking", "looking_for_team": "y"}, page="/account")
    assert answer.status_code == 302
    writer.get("/account")  # where "saved" is shown
    # The proxy sends the writer's next request to the other hub.
    writer_there = other_hub.test_client()
    cookie = app.config["SESSION_COOKIE_NAME"]
    writer_there.set_cookie(cookie, writer.get_cookie(cookie).value)
    assert "Pia Looking" not in reader.get(f"/events/{event_slug}").get_data(as_text=True)  # within the set time
    assert "Pia Looking" in writer_there.get(f"/events/{event_slug}").get_data(as_text=True)
    # ...and the one after to a third hub, which kept the page from before the change: having
    # caught up on the second hub does not make the third one's old page good for the writer.
    writer_third = third_hub.test_client()
    writer_third.set_cookie(cookie, writer_there.get_cookie(cookie).value)
    assert "Pia Looking" in writer_third.get(f"/events/{event_slug}").get_data(as_text=True)
    clock.now += SECONDS
    assert "Pia Looking" in reader.get(f"/events/{event_slug}").get_data(as_text=True)
    for hub in (other_hub, third_hub):
        with hub.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_shared_render_that_asks_who_the_viewer_is_is_refused_then_rendered_live(app):
    @app.route("/whoami")
    @shared_pages.shared_for_signed_in
    def whoami():
        return render_template_string("{{ current_user.display_name }}")

    first, _ = signed_in(app, name="First Person")
    second, _ = signed_in(app, name="Second Person")
    # In the tests such a page is an error, so the mistake is found...
    refused = first.get("/whoami")
    assert refused.status_code == 500 and b"Person" not in refused.data
    # ...and in production each viewer gets their own page, rendered live, never a shared one.
    app.testing = False
    assert first.get("/whoami").get_data(as_text=True) == "First Person"
    assert second.get("/whoami").get_data(as_text=True) == "Second Person"
    assert served(app) == 0


def test_a_token_written_into_the_page_by_its_first_viewer_stays_text_for_the_others(
    app, event_slug, monkeypatch, clock
):
    # Tokens made in one second are equal; freeze that second so the first viewer can write
    # the very token their own render would carry into text the shared page shows.
    from itsdangerous.timed import TimestampSigner

    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: 1_800_000_000)
    writer, _ = signed_in(app, "organizer")
    other, _ = signed_in(app, "organizer")
    own = CSRF_RE.search(writer.get("/account").get_data(as_text=True)).group(1)
    with app.app_context():
        event = events.get_event(db.session, None, event_slug)
        event.description = f"Bring this along: {own}"
        db.session.commit()
    writer.get(f"/events/{event_slug}")  # the shared render, by the writer
    before = served(app)
    page = other.get(f"/events/{event_slug}").get_data(as_text=True)
    assert served(app) == before + 1
    assert f"Bring this along: {own}" in page  # the text as written, not the reader's token
    theirs = CSRF_RE.search(page).group(1)
    assert theirs != own and f"Bring this along: {theirs}" not in page


def test_a_head_request_does_not_become_the_page_others_get(app, event_slug):
    # A HEAD render differs (the language form sends people back to "/"): it is never kept.
    first, _ = signed_in(app)
    second, _ = signed_in(app)
    assert first.head(f"/events/{event_slug}").status_code == 200
    page = second.get(f"/events/{event_slug}").get_data(as_text=True)
    assert f'name="next" value="/events/{event_slug}?' in page  # back to this page, not "/"


def test_written_versions_the_database_no_longer_reaches_are_forgotten(app, event_slug):
    # After a restore the counters may be lower than a person's last write: rather than read
    # the versions again on each of their requests, the hub forgets what it cannot reach.
    client, _ = signed_in(app)
    with client.session_transaction() as session:
        session[shared_pages.WRITTEN] = {pagecache.GLOBAL: 10**9}
    assert client.get(f"/events/{event_slug}").status_code == 200
    with client.session_transaction() as session:
        assert pagecache.GLOBAL not in (session.get(shared_pages.WRITTEN) or {})


def test_a_save_with_an_api_token_leaves_the_browser_session_alone(app, event_slug):
    """A script's call is stateless even when the person's cookie rides along: no cookie is set,
    and their pages do not make the hub read versions again on each request."""
    from hackkit.services import submissions, teams, tokens

    client, user = signed_in(app)
    register(app, event_slug, user)
    with app.app_context():
        person = db.session.merge(user)
        event = events.get_event(db.session, None, event_slug)
        team = teams.create_team(db.session, person, event, {"name": "Benches"})
        submissions.save_submission(db.session, person, team, {"title": "Bench finder"})
        token = tokens.issue_token(db.session, person, "script")
        team_id = team.id
    answer = client.put(
        f"/api/v1/teams/{team_id}/submission",
        json={"title": "Bench finder 2"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert "Set-Cookie" not in answer.headers
    with client.session_transaction() as session:
        assert shared_pages.WRITTEN not in session


@pytest.mark.parametrize("header", ["Authorization", "X-CKAN-API-Key"])
def test_a_request_with_an_api_token_is_answered_live(app, event_slug, header):
    """Either way a client sends its token: a script's call never gets the shared page."""
    first, _ = signed_in(app)
    second, _ = signed_in(app)
    first.get(f"/events/{event_slug}")  # the page is kept now
    before = served(app)
    assert second.get(f"/events/{event_slug}", headers={header: "some-token"}).status_code == 200
    assert served(app) == before
    assert second.get(f"/events/{event_slug}").status_code == 200
    assert served(app) == before + 1
