"""Event pages through real HTTP: the event page, organizer forms, the dashboard, downloads, the gallery."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from uuid import uuid4

import pytest
import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import Announcement, Challenge, Event, Team
from hackkit.services import events, submissions
from tests import factories as f
from tests.conftest import post_form


def log_in_new(auth, role: str = "participant"):
    """A fresh account, logged in; its address never clashes with the factories' ones."""
    user = auth.create_user(role, email=f"web-{role}-{uuid4().hex[:8]}@example.org")
    response = auth.login(user.email)
    assert response.status_code == 302
    return user


EVENT_FORM = {
    "name": "Ghent Open Data Days",
    "slug": "ghent-2026",
    "tagline": "Build with the city",
    "description": "Bring **ideas**.",
    "venue": "De Krook",
    "city": "Ghent",
    "timezone": "Europe/Brussels",
    "registration_opens": "2026-04-01T09:00",
    "registration_closes": "2026-05-15T18:00",
    "starts_at": "2026-05-16T09:00",
    "ends_at": "2026-05-17T18:00",
    "submission_deadline": "2026-05-17T12:00",
    "max_team_size": "4",
    "code_of_conduct": "Be kind.",
    "visibility": "published",
}


def world(app, visibility: str = "published", **event_overrides) -> SimpleNamespace:
    """An organizer, a published event with a challenge, a team with a member, an outsider."""
    with app.app_context():
        session = db.session
        organizer = f.user(session, "organizer")
        for slug in ("trees", "heat-map"):  # catalogue entries the projects may credit
            f.catalogue_dataset(session, slug)
        ev = f.event(session, organizer, **event_overrides)
        challenge = events.add_challenge(
            session, organizer, ev, {"title": "Shade for everyone", "datasets": "trees, heat-map"}
        )
        captain = f.registered(session, ev)
        team = f.team(session, ev, captain=captain, name="Data Divers")
        outsider = f.registered(session, ev)
        if visibility != "published":  # people register while it is published, then it is hidden
            events.update_event(session, organizer, ev, {"visibility": visibility})
        return SimpleNamespace(
            slug=ev.slug,
            event_id=ev.id,
            challenge_id=challenge.id,
            organizer=organizer.email,
            captain=captain.email,
            captain_id=captain.id,
            team_id=team.id,
            outsider=outsider.email,
        )


def test_organizer_creates_event_with_times_in_its_zone(client, app, auth):
    log_in_new(auth, "organizer")
    response = post_form(client, "/events/new", EVENT_FORM)
    assert response.status_code == 302 and response.headers["Location"] == "/events/ghent-2026/manage"
    with app.app_context():
        event = db.session.scalar(sa.select(Event).where(Event.slug == "ghent-2026"))
        # 12:00 in Brussels in May (summer time) is 10:00 UTC.
        assert event.submission_deadline == datetime(2026, 5, 17, 10, 0, tzinfo=UTC)
        assert event.max_team_size == 4 and event.city == "Ghent" and event.visibility == "published"


def test_the_address_hint_shows_its_placeholder_as_text_in_both_languages(client, auth):
    # A hint is text: "<address>" in a (translated, lazy) description is shown, not read as a
    # tag that swallows the end of the sentence (the field macro turns it into text itself).
    log_in_new(auth, "organizer")
    english = client.get("/events/new").get_data(as_text=True)
    dutch = client.get("/events/new", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "The page will be /events/&lt;address&gt;." in english
    assert "/events/&lt;adres&gt;." in dutch and "<adres>" not in dutch


def test_event_form_lists_every_problem_at_once_and_keeps_what_was_typed(client, app, auth):
    log_in_new(auth, "organizer")
    typed = {**EVENT_FORM, "name": "", "slug": "Not A Slug!", "timezone": "Mars/Olympus", "max_team_size": "99"}
    response = post_form(client, "/events/new", typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    # The empty name (the form's own check) and the service's problems, in one answer.
    for field in ("name", "slug", "timezone", "max_team_size"):
        assert f'href="#{field}"' in page, field
    assert 'value="Not A Slug!"' in page and 'value="Mars/Olympus"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0


def test_event_form_with_end_before_start_shows_message_and_creates_nothing(client, app, auth):
    log_in_new(auth, "organizer")
    response = post_form(client, "/events/new", {**EVENT_FORM, "ends_at": "2026-05-15T09:00"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    # Every field out of order is named: the end before the start, the deadline after the end.
    assert "“hacking ends” (ends_at) must come after “hacking starts” (starts_at)." in page
    assert "“submission deadline” (submission_deadline) must be at or before “hacking ends” (ends_at)." in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0


def test_event_form_with_taken_slug_says_so(client, app, auth):
    data = world(app)
    log_in_new(auth, "organizer")
    response = post_form(client, "/events/new", {**EVENT_FORM, "slug": data.slug})
    assert response.status_code == 400 and "This address is taken by another event" in response.get_data(as_text=True)


def test_a_taken_address_and_dates_out_of_order_are_reported_together(client, app, auth):
    data = world(app)
    log_in_new(auth, "organizer")
    form = {**EVENT_FORM, "slug": data.slug, "ends_at": "2026-05-15T09:00", "max_team_size": "0"}
    page = post_form(client, "/events/new", form).get_data(as_text=True)
    assert "This address is taken by another event" in page  # one submit shows every problem
    assert "“hacking ends” (ends_at) must come after “hacking starts” (starts_at)." in page
    for field in ("slug", "ends_at", "max_team_size"):
        assert f'href="#{field}"' in page, field


def test_an_event_without_an_address_gets_one_made_from_its_name(client, app, auth):
    log_in_new(auth, "organizer")
    response = post_form(client, "/events/new", {**EVENT_FORM, "name": "Gent fietst 2026!", "slug": ""})
    assert response.status_code == 302 and response.headers["Location"].endswith("/events/gent-fietst-2026/manage")


def test_organizer_gives_the_event_texts_in_dutch_shown_to_dutch_readers(client, app, auth):
    log_in_new(auth, "organizer")
    form = {**EVENT_FORM, "visibility": "published", "name_nl": "Gent 2026 (NL)", "tagline_nl": "Hack de stad"}
    assert post_form(client, "/events/new", form).status_code == 302
    post_form(client, "/language", {"lang": "nl"}, page="/account")
    page = client.get("/events/ghent-2026").get_data(as_text=True)
    assert "<h1>Gent 2026 (NL)</h1>" in page and "Hack de stad" in page
    post_form(client, "/language", {"lang": "en"}, page="/account")
    page = client.get("/events/ghent-2026").get_data(as_text=True)  # no English text given: the main one
    assert f"<h1>{EVENT_FORM['name']}</h1>" in page


def test_edit_form_shows_local_times_and_saves_changes(client, app, auth):
    log_in_new(auth, "organizer")
    post_form(client, "/events/new", EVENT_FORM)
    page = client.get("/events/ghent-2026/edit").get_data(as_text=True)
    assert 'value="2026-05-17T12:00"' in page and 'type="datetime-local"' in page
    response = post_form(client, "/events/ghent-2026/edit", {**EVENT_FORM, "submission_deadline": "2026-05-17T13:30"})
    assert response.status_code == 302
    with app.app_context():
        event = db.session.scalar(sa.select(Event).where(Event.slug == "ghent-2026"))
        assert event.submission_deadline == datetime(2026, 5, 17, 11, 30, tzinfo=UTC)


def organizer_pages(data) -> list[str]:
    return [
        "/events/new",
        f"/events/{data.slug}/edit",
        f"/events/{data.slug}/manage",
        f"/events/{data.slug}/challenges/new",
        f"/events/{data.slug}/challenges/{data.challenge_id}/edit",
        f"/events/{data.slug}/exports/participants.csv",
        f"/events/{data.slug}/exports/teams.csv",
        f"/events/{data.slug}/exports/submissions.csv",
        f"/events/{data.slug}/archive-organizer.zip",
        f"/events/{data.slug}/archive-public.zip",
    ]


@pytest.mark.parametrize("role", ["participant", "judge"])
def test_organizer_pages_are_refused_to_other_roles(client, app, auth, role):
    data = world(app)
    log_in_new(auth, role)
    for url in organizer_pages(data):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "@example.org" not in response.get_data(as_text=True), url


def test_organizer_pages_send_visitors_to_log_in(client, app):
    data = world(app)
    for url in organizer_pages(data):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), url


def test_organizer_posts_are_refused_to_participants(client, app, auth):
    data = world(app)
    log_in_new(auth)
    page = f"/events/{data.slug}"
    assert post_form(client, f"/events/{data.slug}/announcements", {"body": "Hi"}, page=page).status_code == 403
    response = post_form(
        client,
        f"/events/{data.slug}/teams/{data.team_id}/deadline",
        {"new_deadline": "2030-01-01T12:00", "reason": "please"},
        page=page,
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Announcement.id))) == 0
        assert db.session.get(Team, data.team_id).deadline_override is None


def test_draft_event_is_hidden_from_participants_and_visitors(client, app, auth):
    data = world(app, visibility="draft")
    assert client.get(f"/events/{data.slug}").status_code == 404
    assert client.get(f"/events/{data.slug}/projects").status_code == 404
    assert client.get(f"/teams/{data.team_id}").status_code == 404
    log_in_new(auth)
    assert client.get(f"/events/{data.slug}").status_code == 404
    assert data.slug not in client.get("/events/").get_data(as_text=True)
    auth.logout()
    auth.login(data.organizer)
    page = client.get(f"/events/{data.slug}")
    assert page.status_code == 200 and "only organizers see this event" in page.get_data(as_text=True)
    assert data.slug in client.get("/events/").get_data(as_text=True)


def test_event_page_shows_schedule_countdown_challenges_and_announcements(client, app):
    data = world(app)
    with app.app_context():
        event = db.session.get(Event, data.event_id)
        admin = f.user(db.session, "organizer")
        events.update_event(
            db.session, admin, event, {"description": "Hello **city** <script>alert(1)</script>", "venue": "Het Steen"}
        )
        events.post_announcement(db.session, admin, event, "Pizza at *seven*")
        deadline = event.submission_deadline
    page = client.get(f"/events/{data.slug}").get_data(as_text=True)
    assert "<strong>city</strong>" in page and "<script>alert(1)" not in page
    assert "Het Steen" in page and "Europe/Brussels" in page
    assert f'data-countdown="{deadline.isoformat()}"' in page and re.search(r"\d+ seconds? left", page)
    assert "/static/js/countdown.js" in page
    assert "Shade for everyone" in page and "heat-map" in page
    assert "<em>seven</em>" in page
    assert "Log in to register" in page


def test_event_page_lists_people_looking_for_a_team_without_their_email(client, app):
    data = world(app)
    with app.app_context():
        from hackkit.services import accounts

        seeker = f.registered(db.session, db.session.get(Event, data.event_id))
        accounts.update_profile(
            db.session,
            seeker,
            display_name="Sam Seeker",
            skills="GIS, design",
            languages="",
            bio="",
            looking_for_team=True,
        )
        team = db.session.get(Team, data.team_id)
        from hackkit.services import teams

        teams.update_team(db.session, team.memberships[0].user, team, {"missing_skills": "frontend"})
        seeker_email = seeker.email
    page = client.get(f"/events/{data.slug}").get_data(as_text=True)
    assert "Sam Seeker" in page and "GIS, design" in page
    assert "Data Divers" in page and "frontend" in page
    assert seeker_email not in page and "@example.org" not in page


def test_register_button_registers_the_participant(client, app, auth):
    data = world(app)
    user = log_in_new(auth)
    page = client.get(f"/events/{data.slug}").get_data(as_text=True)
    assert ">Register<" in page
    response = post_form(client, f"/events/{data.slug}/register", {}, page=f"/events/{data.slug}")
    assert response.status_code == 302
    page = client.get(f"/events/{data.slug}").get_data(as_text=True)
    assert "You are registered" in page and "Create a team" in page
    with app.app_context():
        assert events.is_registered(db.session, db.session.get(Event, data.event_id), user)


def test_register_after_registration_closed_says_so(client, app, auth):
    past = f.now() - timedelta(days=3)
    data = world(app)
    with app.app_context():
        event = db.session.get(Event, data.event_id)
        admin = f.user(db.session, "organizer")
        events.update_event(
            db.session,
            admin,
            event,
            {"registration_opens": past.isoformat(), "registration_closes": (past + timedelta(days=1)).isoformat()},
        )
    user = log_in_new(auth)
    page = client.get(f"/events/{data.slug}").get_data(as_text=True)
    assert "Registration is closed." in page
    response = post_form(client, f"/events/{data.slug}/register", {}, page=f"/events/{data.slug}")
    assert response.status_code == 302
    assert "Registration for this event is closed." in client.get(f"/events/{data.slug}").get_data(as_text=True)
    with app.app_context():
        assert not events.is_registered(db.session, db.session.get(Event, data.event_id), user)


def test_member_sees_your_team_link_on_the_event_page(client, app, auth):
    data = world(app)
    auth.login(data.captain)
    page = client.get(f"/events/{data.slug}").get_data(as_text=True)
    assert "Your team: Data Divers" in page and f"/teams/{data.team_id}" in page


def test_organizer_adds_and_edits_a_challenge(client, app, auth):
    data = world(app)
    with app.app_context():
        for slug in ("noise", "traffic-counts"):
            f.catalogue_dataset(db.session, slug)
    auth.login(data.organizer)
    form_page = client.get(f"/events/{data.slug}/challenges/new").get_data(as_text=True)
    # Datasets are picked from the catalogue, not typed.
    assert 'id="datasets" multiple name="datasets"' in form_page and 'value="traffic-counts"' in form_page
    response = post_form(
        client,
        f"/events/{data.slug}/challenges/new",
        {
            "title": "Quiet streets",
            "department": "Mobility",
            "description": "Noise",
            "success": "Less noise",
            "datasets": ["noise", "traffic-counts"],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        challenge = db.session.scalar(sa.select(Challenge).where(Challenge.title == "Quiet streets"))
        assert challenge.datasets == ["noise", "traffic-counts"] and challenge.department == "Mobility"
        challenge_id = challenge.id
    url = f"/events/{data.slug}/challenges/{challenge_id}/edit"
    edit_page = client.get(url).get_data(as_text=True)
    assert 'selected value="noise"' in edit_page and 'selected value="traffic-counts"' in edit_page
    response = post_form(client, url, {"title": "", "datasets": "noise"})
    assert response.status_code == 400
    response = post_form(client, url, {"title": "Quieter streets", "datasets": "noise"})
    assert response.status_code == 302
    with app.app_context():
        challenge = db.session.get(Challenge, challenge_id)
        assert challenge.title == "Quieter streets" and challenge.datasets == ["noise"]


def test_a_challenge_offers_only_datasets_of_the_catalogue(client, app, auth):
    data = world(app)
    auth.login(data.organizer)
    url = f"/events/{data.slug}/challenges/new"
    response = post_form(client, url, {"title": "Quiet streets", "datasets": ["trees", "no-such-data"]})
    assert response.status_code == 400
    assert "Not in the data catalogue: no-such-data" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Challenge).where(Challenge.title == "Quiet streets")) is None


def test_organizer_posts_an_announcement_shown_on_the_event_page(client, app, auth):
    data = world(app)
    auth.login(data.organizer)
    manage = f"/events/{data.slug}/manage"
    assert post_form(client, f"/events/{data.slug}/announcements", {"body": ""}, page=manage).status_code == 400
    response = post_form(client, f"/events/{data.slug}/announcements", {"body": "Lunch is served"}, page=manage)
    assert response.status_code == 302
    assert "Lunch is served" in client.get(f"/events/{data.slug}").get_data(as_text=True)


def test_dashboard_lists_registrations_with_emails_and_teams(client, app, auth):
    data = world(app)
    auth.login(data.organizer)
    page = client.get(f"/events/{data.slug}/manage").get_data(as_text=True)
    assert data.captain in page and data.outsider in page
    assert "Data Divers" in page
    assert "participants.csv" in page and "archive-organizer.zip" in page and "archive-public.zip" in page


def test_organizer_downloads_spreadsheet_safe_csv_and_archives(client, app, auth):
    data = world(app)
    with app.app_context():
        team = db.session.get(Team, data.team_id)
        submissions.save_submission(db.session, team.memberships[0].user, team, {"title": "=HYPERLINK(1)"})
    auth.login(data.organizer)
    response = client.get(f"/events/{data.slug}/exports/participants.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert data.captain in response.get_data(as_text=True)
    assert "'=HYPERLINK(1)" in client.get(f"/events/{data.slug}/exports/submissions.csv").get_data(as_text=True)
    personal = zipfile.ZipFile(io.BytesIO(client.get(f"/events/{data.slug}/archive-organizer.zip").data))
    assert "participants.csv" in personal.namelist()
    public = zipfile.ZipFile(io.BytesIO(client.get(f"/events/{data.slug}/archive-public.zip").data))
    assert "participants.csv" not in public.namelist()
    assert all("@example.org" not in public.read(name).decode() for name in public.namelist())


def test_organizer_extends_one_teams_deadline_with_a_reason(client, app, auth):
    data = world(app)
    auth.login(data.organizer)
    manage = f"/events/{data.slug}/manage"
    url = f"/events/{data.slug}/teams/{data.team_id}/deadline"
    field = f"team-{data.team_id}-"
    token_name = field + "csrf_token"
    from tests.conftest import csrf_token

    token = csrf_token(client, manage)
    response = client.post(
        url, data={token_name: token, field + "new_deadline": "2030-01-01T12:00", field + "reason": ""}
    )
    assert response.status_code == 400 and "This field is required." in response.get_data(as_text=True)
    response = client.post(
        url, data={token_name: token, field + "new_deadline": "nonsense", field + "reason": "Power cut"}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Team, data.team_id).deadline_override is None
    response = client.post(
        url, data={token_name: token, field + "new_deadline": "2030-01-01T12:00", field + "reason": "Power cut"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Team, data.team_id).deadline_override == datetime(2030, 1, 1, 11, 0, tzinfo=UTC)
    assert "extended" in client.get(manage).get_data(as_text=True)


def submit_project(app, data, **fields):
    with app.app_context():
        team = db.session.get(Team, data.team_id)
        member = team.memberships[0].user
        return submissions.save_submission(db.session, member, team, fields, status="submitted").id


def test_gallery_filters_by_challenge_dataset_and_words(client, app):
    data = world(app)
    submit_project(
        app, data, title="Shade map", challenge_id=data.challenge_id, datasets=[{"slug": "trees", "how": "shade"}]
    )
    with app.app_context():
        event = db.session.get(Event, data.event_id)
        other = f.team(db.session, event, name="Bike Bunch")
        member = other.memberships[0].user
        submissions.save_submission(db.session, member, other, {"title": "Bike counter"}, status="submitted")
        drafting = f.team(db.session, event, name="Still Drafting")
        submissions.save_submission(db.session, drafting.memberships[0].user, drafting, {"title": "Secret draft"})
    url = f"/events/{data.slug}/projects"
    page = client.get(url).get_data(as_text=True)
    assert "Shade map" in page and "Bike counter" in page and "Secret draft" not in page
    page = client.get(url, query_string={"challenge": data.challenge_id}).get_data(as_text=True)
    assert "Shade map" in page and "Bike counter" not in page
    page = client.get(url, query_string={"dataset": "trees"}).get_data(as_text=True)
    assert "Shade map" in page and "Bike counter" not in page
    page = client.get(url, query_string={"q": "bike"}).get_data(as_text=True)
    assert "Shade map" not in page and "Bike counter" in page
    assert client.get(url, query_string={"challenge": "abc"}).status_code == 200


def test_event_page_says_one_person_not_one_people(client, app):
    with app.app_context():
        slug = f.event(db.session, max_team_size=1).slug
    assert "Teams of at most 1 person." in client.get(f"/events/{slug}").get_data(as_text=True)
    client.post("/language", data={"lang": "nl", "next": f"/events/{slug}"})
    assert "Teams van maximaal 1 persoon." in client.get(f"/events/{slug}").get_data(as_text=True)


def test_organizer_edits_an_announcement_and_deletes_it_after_being_asked(client, app, auth):
    log_in_new(auth, "organizer")
    post_form(client, "/events/new", EVENT_FORM)
    post_form(
        client,
        "/events/ghent-2026/announcements",
        {"body": "Doors at 9", "body_nl": "Deuren om 9"},
        page="/events/ghent-2026/manage",
    )
    with app.app_context():
        announcement_id = db.session.scalar(sa.select(Announcement.id))
    edit = f"/events/ghent-2026/announcements/{announcement_id}/edit"
    assert "Deuren om 9</textarea>" in client.get(edit).get_data(as_text=True)
    response = post_form(client, edit, {"body": "", "body_nl": "Deuren om 10"})
    assert response.status_code == 400 and 'href="#body"' in response.get_data(as_text=True)
    assert post_form(client, edit, {"body": "Doors at 10", "body_nl": "Deuren om 10"}).status_code == 302
    page = client.get("/events/ghent-2026").get_data(as_text=True)
    assert "Doors at 10" in page and "edited" in page
    delete = f"/events/ghent-2026/announcements/{announcement_id}/delete"
    asked = post_form(client, delete, {}, page="/events/ghent-2026/manage")
    assert asked.status_code == 200 and "Delete this announcement?" in asked.get_data(as_text=True)
    assert "Doors at 10" in client.get("/events/ghent-2026").get_data(as_text=True)  # not yet
    response = post_form(client, delete, {"confirm": "yes"}, page="/events/ghent-2026/manage")
    assert response.status_code == 302
    assert "Doors at 10" not in client.get("/events/ghent-2026").get_data(as_text=True)
