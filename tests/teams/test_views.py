"""Team pages through real HTTP: teams, invitations, join requests, the submission and the project."""

from __future__ import annotations

import io
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import unquote
from uuid import uuid4

import pytest
import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import Event, JoinRequest, Submission, Team
from hackkit.services import events, submissions, teams
from tests import factories as f
from tests.conftest import csrf_token, post_form


def log_in_new(auth, role: str = "participant"):
    """A fresh account, logged in; its address never clashes with the factories' ones."""
    user = auth.create_user(role, email=f"web-{role}-{uuid4().hex[:8]}@example.org")
    assert auth.login(user.email).status_code == 302
    return user


def world(app, **event_overrides) -> SimpleNamespace:
    """A published event with a challenge, a team of two, and a registered outsider."""
    with app.app_context():
        session = db.session
        organizer = f.user(session, "organizer")
        for slug in ("trees", "heat-map"):  # catalogue entries the projects may credit
            f.catalogue_dataset(session, slug)
        ev = f.event(session, organizer, **event_overrides)
        challenge = events.add_challenge(session, organizer, ev, {"title": "Shade", "datasets": "trees"})
        captain = f.registered(session, ev)
        team = f.team(session, ev, captain=captain, name="Data Divers")
        mate = f.registered(session, ev)
        teams.join_team(session, mate, team, team.invite_code)
        outsider = f.registered(session, ev)
        return SimpleNamespace(
            slug=ev.slug,
            event_id=ev.id,
            challenge_id=challenge.id,
            organizer=organizer.email,
            captain=captain.email,
            captain_id=captain.id,
            mate=mate.email,
            mate_id=mate.id,
            outsider=outsider.email,
            outsider_id=outsider.id,
            team_id=team.id,
            code=team.invite_code,
        )


def member_ids(app, team_id) -> set[int]:
    with app.app_context():
        team = db.session.get(Team, team_id)
        return {m.user_id for m in team.memberships} if team else set()


# Teams -----------------------------------------------------------------------------------------


def test_registered_participant_creates_a_team_and_sees_its_invite(client, app, auth):
    data = world(app)
    auth.login(data.outsider)
    url = f"/events/{data.slug}/teams/new"
    response = post_form(client, url, {"name": "Bike Bunch", "description": "Counting bikes", "missing_skills": "GIS"})
    assert response.status_code == 302
    with app.app_context():
        team = db.session.scalar(sa.select(Team).where(Team.name == "Bike Bunch"))
        assert team.captain_id == data.outsider_id and team.missing_skills == ["GIS"]
        code, team_id = team.invite_code, team.id
    page = client.get(f"/teams/{team_id}").get_data(as_text=True)
    assert code in page and f"/join/{code}" in page and "captain" in page


def test_team_name_taken_in_the_event_is_refused(client, app, auth):
    data = world(app)
    auth.login(data.outsider)
    response = post_form(client, f"/events/{data.slug}/teams/new", {"name": "data divers"})
    assert response.status_code == 409
    assert "already exists" in response.get_data(as_text=True)


def test_unregistered_participant_cannot_create_a_team(client, app, auth):
    data = world(app)
    log_in_new(auth)
    response = post_form(client, f"/events/{data.slug}/teams/new", {"name": "Lone Wolves"})
    assert response.status_code == 403 and "Register for the event" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Team).where(Team.name == "Lone Wolves")) is None


def test_invite_code_is_shown_to_members_only(client, app, auth):
    data = world(app)
    assert data.code not in client.get(f"/teams/{data.team_id}").get_data(as_text=True)
    auth.login(data.outsider)
    page = client.get(f"/teams/{data.team_id}").get_data(as_text=True)
    assert data.code not in page and "Ask to join" in page
    auth.logout()
    auth.login(data.mate)
    assert data.code in client.get(f"/teams/{data.team_id}").get_data(as_text=True)


def test_team_page_shows_names_and_never_emails(client, app, auth):
    data = world(app)
    auth.login(data.outsider)
    page = client.get(f"/teams/{data.team_id}").get_data(as_text=True)
    assert "@example.org" not in page.replace(data.outsider, "")  # only the visitor's own address may appear
    assert data.captain not in page and data.mate not in page


def test_member_edits_the_team(client, app, auth):
    data = world(app)
    auth.login(data.mate)
    url = f"/teams/{data.team_id}/edit"
    assert 'value="Data Divers"' in client.get(url).get_data(as_text=True)
    response = post_form(client, url, {"name": "Data Divers", "description": "Deep", "missing_skills": "design, UX"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Team, data.team_id).missing_skills == ["design", "UX"]


def test_outsider_cannot_edit_the_team(client, app, auth):
    data = world(app)
    auth.login(data.outsider)
    assert client.get(f"/teams/{data.team_id}/edit").status_code == 403


# Invitations and requests ----------------------------------------------------------------------


def test_invite_link_asks_visitors_to_log_in_first(client, app):
    data = world(app)
    response = client.get(f"/join/{data.code}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert f"/join/{data.code}" in unquote(response.headers["Location"])


def test_invite_link_confirms_then_joins(client, app, auth):
    data = world(app)
    auth.login(data.outsider)
    page = client.get(f"/join/{data.code}")
    assert page.status_code == 200 and "Join Data Divers" in page.get_data(as_text=True)
    assert data.outsider_id not in member_ids(app, data.team_id)  # a GET changes nothing
    response = post_form(client, f"/join/{data.code}", {})
    assert response.status_code == 302 and response.headers["Location"] == f"/teams/{data.team_id}"
    assert data.outsider_id in member_ids(app, data.team_id)


def test_invite_link_to_a_full_team_says_so(client, app, auth):
    data = world(app)  # teams of at most 3; the team has 2
    with app.app_context():
        team = db.session.get(Team, data.team_id)
        third = f.registered(db.session, team.event)
        teams.join_team(db.session, third, team, team.invite_code)
    auth.login(data.outsider)
    response = post_form(client, f"/join/{data.code}", {})
    assert response.status_code == 409 and "This team is full" in response.get_data(as_text=True)
    assert data.outsider_id not in member_ids(app, data.team_id)


def test_unknown_invite_code_is_not_found(client, app, auth):
    world(app)
    log_in_new(auth)
    assert client.get("/join/not-a-code").status_code == 404


def test_join_request_accepted_by_the_captain(client, app, auth):
    data = world(app)
    auth.login(data.outsider)
    team_page = f"/teams/{data.team_id}"
    response = post_form(client, f"/teams/{data.team_id}/requests", {"message": "I do maps"}, page=team_page)
    assert response.status_code == 302
    assert "will answer" in client.get(team_page).get_data(as_text=True)
    auth.logout()
    auth.login(data.captain)
    page = client.get(team_page).get_data(as_text=True)
    assert "I do maps" in page
    with app.app_context():
        request_id = db.session.scalar(sa.select(JoinRequest.id))
    response = post_form(client, f"/join-requests/{request_id}", {"decision": "accept"}, page=team_page)
    assert response.status_code == 302
    assert data.outsider_id in member_ids(app, data.team_id)


def test_join_request_declined_adds_nobody_and_only_the_captain_decides(client, app, auth):
    data = world(app)
    with app.app_context():
        team = db.session.get(Team, data.team_id)
        outsider = db.session.get(type(team.memberships[0].user), data.outsider_id)
        request_id = teams.request_to_join(db.session, outsider, team, "please").id
    team_page = f"/teams/{data.team_id}"
    auth.login(data.mate)
    assert "please" not in client.get(team_page).get_data(as_text=True)  # only the captain sees requests
    response = post_form(client, f"/join-requests/{request_id}", {"decision": "accept"}, page=team_page)
    assert response.status_code == 403
    auth.logout()
    auth.login(data.captain)
    post_form(client, f"/join-requests/{request_id}", {"decision": "decline"}, page=team_page)
    assert data.outsider_id not in member_ids(app, data.team_id)
    with app.app_context():
        assert db.session.get(JoinRequest, request_id).status == "declined"


def test_member_leaves_the_team(client, app, auth):
    data = world(app)
    auth.login(data.mate)
    response = post_form(client, f"/teams/{data.team_id}/leave", {}, page=f"/teams/{data.team_id}")
    page = response.get_data(as_text=True)  # asked first: a page with a red button, nothing changed yet
    assert response.status_code == 200 and "Leave Data Divers?" in page and 'class="danger"' in page
    assert data.mate_id in member_ids(app, data.team_id)
    response = post_form(client, f"/teams/{data.team_id}/leave", {"confirm": "yes"}, page=f"/teams/{data.team_id}")
    assert response.status_code == 302 and response.headers["Location"] == f"/events/{data.slug}"
    assert member_ids(app, data.team_id) == {data.captain_id}


def test_captain_must_hand_over_before_leaving_then_can(client, app, auth):
    data = world(app)
    auth.login(data.captain)
    team_page = f"/teams/{data.team_id}"
    post_form(client, f"/teams/{data.team_id}/leave", {}, page=team_page)
    assert "Hand the captaincy" in client.get(team_page).get_data(as_text=True)
    assert data.captain_id in member_ids(app, data.team_id)
    response = post_form(client, f"/teams/{data.team_id}/captain", {"captain_id": data.mate_id}, page=team_page)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Team, data.team_id).captain_id == data.mate_id
    post_form(client, f"/teams/{data.team_id}/leave", {"confirm": "yes"}, page=team_page)
    assert member_ids(app, data.team_id) == {data.mate_id}


def test_captain_removes_a_member_and_others_cannot(client, app, auth):
    data = world(app)
    team_page = f"/teams/{data.team_id}"
    auth.login(data.mate)
    response = post_form(client, f"/teams/{data.team_id}/members/{data.captain_id}/remove", {}, page=team_page)
    assert response.status_code == 403
    auth.logout()
    auth.login(data.captain)
    response = post_form(client, f"/teams/{data.team_id}/members/{data.mate_id}/remove", {}, page=team_page)
    assert response.status_code == 200 and data.mate_id in member_ids(app, data.team_id)  # asked first
    response = post_form(
        client, f"/teams/{data.team_id}/members/{data.mate_id}/remove", {"confirm": "yes"}, page=team_page
    )
    assert response.status_code == 302
    assert member_ids(app, data.team_id) == {data.captain_id}


# The submission --------------------------------------------------------------------------------

SUBMISSION = {
    "title": "Shade map",
    "tagline": "Find a cool street",
    "description": "Uses **trees** <script>alert(1)</script>",
    "repo_url": "https://example.org/shade",
    "demo_url": "",
    "video_url": "",
    "datasets-0-slug": "trees",
    "datasets-0-how": "the canopy",
    "datasets-1-slug": "heat-map",
    "datasets-1-how": "",
    "template": "hello-map",
    "licence": "MIT",
}


def submission_of(app, team_id):
    with app.app_context():
        submission = db.session.scalar(sa.select(Submission).where(Submission.team_id == team_id))
        return submissions.snapshot(submission) if submission else None


def test_member_saves_a_draft_then_submits(client, app, auth):
    data = world(app)
    auth.login(data.mate)
    url = f"/teams/{data.team_id}/submission"
    page = client.get(url).get_data(as_text=True)
    assert "Save draft" in page and "MIT License (MIT)" in page and "Shade" in page
    form = {**SUBMISSION, "challenge_id": str(data.challenge_id), "credited_user_ids": [data.captain_id, data.mate_id]}
    response = post_form(client, url, {**form, "action": "draft"})
    assert response.status_code == 302
    saved = submission_of(app, data.team_id)
    assert saved["status"] == "draft" and saved["challenge_id"] == data.challenge_id
    assert saved["datasets"] == [{"slug": "trees", "how": "the canopy"}, {"slug": "heat-map", "how": ""}]
    assert saved["credited_user_ids"] == [data.captain_id, data.mate_id]
    page = client.get(url).get_data(as_text=True)  # each dataset is a row picked from the catalogue
    assert '<option selected value="trees">' in page and 'value="the canopy"' in page
    assert saved["template"] == "hello-map"
    response = post_form(client, url, {**form, "action": "submit"})
    assert response.status_code == 302
    assert submission_of(app, data.team_id)["status"] == "submitted"
    page = client.get(url).get_data(as_text=True)  # saving again keeps it submitted unless withdrawn
    assert "Save changes" in page and "Withdraw to draft" in page and "Save draft" not in page


def test_bad_submission_fields_show_messages_and_change_nothing(client, app, auth):
    data = world(app)
    auth.login(data.mate)
    url = f"/teams/{data.team_id}/submission"
    response = post_form(client, url, {**SUBMISSION, "repo_url": "javascript:alert(1)", "action": "draft"})
    assert response.status_code == 400 and "starting with https://" in response.get_data(as_text=True)
    response = post_form(client, url, {**SUBMISSION, "title": "", "action": "submit"})
    assert response.status_code == 400 and "title before you submit" in response.get_data(as_text=True)
    assert submission_of(app, data.team_id) is None


def test_outsider_cannot_open_the_submission_form(client, app, auth):
    data = world(app)
    auth.login(data.outsider)
    assert client.get(f"/teams/{data.team_id}/submission").status_code == 403
    response = post_form(client, f"/teams/{data.team_id}/submission", {"title": "Hijack"}, page="/")
    assert response.status_code == 403
    assert submission_of(app, data.team_id) is None


def close_after_submitting(app, data, title="Shade map"):
    """Submit ten minutes ago, then move the event's deadline to five minutes ago."""
    with app.app_context():
        team = db.session.get(Team, data.team_id)
        member = team.memberships[0].user
        ten_minutes_ago = f.now() - timedelta(minutes=10)
        submissions.save_submission(db.session, member, team, {"title": title}, status="submitted", now=ten_minutes_ago)
        organizer = f.user(db.session, "organizer")
        event = db.session.get(Event, data.event_id)
        deadline = (f.now() - timedelta(minutes=5)).isoformat()
        events.update_event(db.session, organizer, event, {"submission_deadline": deadline})


def test_edit_after_the_deadline_is_refused_with_409_and_changes_nothing(client, app, auth):
    data = world(app)
    auth.login(data.mate)
    url = f"/teams/{data.team_id}/submission"
    token = csrf_token(client, url)  # the form was loaded before the deadline passed
    close_after_submitting(app, data)
    before = submission_of(app, data.team_id)
    response = client.post(url, data={"csrf_token": token, **SUBMISSION, "title": "Too late", "action": "submit"})
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "The submission deadline has passed" in text
    assert "Frozen version: Shade map" in text and 'name="title"' not in text
    assert submission_of(app, data.team_id) == before


def test_after_the_deadline_the_form_shows_the_frozen_version_read_only(client, app, auth):
    data = world(app)
    close_after_submitting(app, data)
    auth.login(data.captain)
    page = client.get(f"/teams/{data.team_id}/submission").get_data(as_text=True)
    assert "Frozen version: Shade map" in page and "Save draft" not in page


def test_history_shows_who_when_and_what_to_team_and_organizers(client, app, auth):
    data = world(app)
    auth.login(data.mate)
    url = f"/teams/{data.team_id}/submission"
    post_form(client, url, {"title": "First", "action": "draft"})
    post_form(client, url, {"title": "First", "tagline": "Now with a tagline", "action": "submit"})
    history = client.get(f"/teams/{data.team_id}/submission/history")
    text = history.get_data(as_text=True)
    assert history.status_code == 200 and "tagline, status" in text and text.count("<tr>") == 3
    with app.app_context():
        mate_name = db.session.get(Team, data.team_id).memberships[1].user.display_name
    assert mate_name in text
    auth.logout()
    auth.login(data.organizer)
    assert client.get(f"/teams/{data.team_id}/submission/history").status_code == 200
    auth.logout()
    auth.login(data.outsider)
    assert client.get(f"/teams/{data.team_id}/submission/history").status_code == 403


# The project page ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["visitor", "outsider"])
def test_draft_project_is_not_public(client, app, auth, who):
    data = world(app)
    with app.app_context():
        team = db.session.get(Team, data.team_id)
        submissions.save_submission(db.session, team.memberships[0].user, team, {"title": "Secret"})
    if who == "outsider":
        auth.login(data.outsider)
    assert client.get(f"/teams/{data.team_id}/project").status_code == 404


def test_team_previews_its_draft_project(client, app, auth):
    data = world(app)
    with app.app_context():
        team = db.session.get(Team, data.team_id)
        submissions.save_submission(db.session, team.memberships[0].user, team, {"title": "Secret"})
    auth.login(data.mate)
    page = client.get(f"/teams/{data.team_id}/project").get_data(as_text=True)
    assert "Secret" in page and "not submitted yet" in page


def test_submitted_project_page_shows_sanitised_content_and_credits_by_name(client, app, auth):
    data = world(app)
    auth.login(data.mate)
    form = {**SUBMISSION, "challenge_id": str(data.challenge_id), "credited_user_ids": [data.mate_id]}
    post_form(client, f"/teams/{data.team_id}/submission", {**form, "action": "submit"})
    auth.logout()
    response = client.get(f"/teams/{data.team_id}/project")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>trees</strong>" in page and "<script>alert(1)" not in page
    assert "https://example.org/shade" in page and "the canopy" in page and "MIT" in page
    with app.app_context():
        names = {m.user_id: m.user.display_name for m in db.session.get(Team, data.team_id).memberships}
    assert names[data.mate_id] in page
    assert "@example.org" not in page
    gallery = client.get(f"/events/{data.slug}/projects").get_data(as_text=True)
    assert "Shade map" in gallery and f"/teams/{data.team_id}/project" in gallery


# Screenshots -----------------------------------------------------------------------------------


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(client, team_id, data: bytes, alt: str = "The shade map at noon", token: str | None = None):
    url = f"/teams/{team_id}/submission"
    token = token or csrf_token(client, url)
    return client.post(
        f"{url}/screenshots",
        data={"csrf_token": token, "screenshot": (io.BytesIO(data), "shot.png"), "alt_text": alt},
        content_type="multipart/form-data",
    )


def test_member_adds_a_screenshot_shown_with_its_description(client, app, auth):
    data = world(app)
    auth.login(data.mate)
    url = f"/teams/{data.team_id}/submission"
    post_form(client, url, {"title": "Shade map", "action": "submit"})
    response = upload(client, data.team_id, png_bytes())
    assert response.status_code == 302
    shot_ids = submission_of(app, data.team_id)["screenshot_ids"]
    assert len(shot_ids) == 1
    page = client.get(url).get_data(as_text=True)
    assert f"/screenshots/{shot_ids[0]}" in page and 'alt="The shade map at noon"' in page
    auth.logout()
    project = client.get(f"/teams/{data.team_id}/project").get_data(as_text=True)
    assert 'alt="The shade map at noon"' in project
    image = client.get(f"/screenshots/{shot_ids[0]}")
    assert image.status_code == 200 and image.mimetype == "image/png"


def test_a_file_that_is_not_an_image_is_refused(client, app, auth):
    data = world(app)
    auth.login(data.mate)
    post_form(client, f"/teams/{data.team_id}/submission", {"title": "Shade map", "action": "draft"})
    response = upload(client, data.team_id, b"<script>alert(1)</script>")
    assert response.status_code == 400 and "not an image we can read" in response.get_data(as_text=True)
    assert submission_of(app, data.team_id)["screenshot_ids"] == []


def test_screenshot_after_the_deadline_is_refused_with_409(client, app, auth):
    data = world(app)
    auth.login(data.mate)
    token = csrf_token(client, f"/teams/{data.team_id}/submission")
    close_after_submitting(app, data)
    response = upload(client, data.team_id, png_bytes(), token=token)
    assert response.status_code == 409 and "deadline has passed" in response.get_data(as_text=True)
    assert submission_of(app, data.team_id)["screenshot_ids"] == []


def test_template_and_district_are_picked_on_the_form_and_shown_on_the_project_page(client, app, auth):
    data = world(app)
    auth.login(data.mate)
    url = f"/teams/{data.team_id}/submission"
    page = client.get(url).get_data(as_text=True)
    assert '<option value="facility-finder">facility-finder</option>' in page  # every sample app is a choice

    form = {**SUBMISSION, "template": "facility-finder", "district": "Berchem", "action": "submit"}
    assert post_form(client, url, form).status_code == 302
    saved = submission_of(app, data.team_id)
    assert saved["template"] == "facility-finder" and saved["district"] == "Berchem"

    project = client.get(f"/teams/{data.team_id}/project").get_data(as_text=True)
    assert '<a href="/apps/facility-finder">facility-finder</a>' in project and "Berchem" in project

    refused = post_form(client, url, {**form, "template": "../../etc", "title": "Changed"})
    assert refused.status_code == 400 and "Choose one of the sample apps" in refused.get_data(as_text=True)
    assert submission_of(app, data.team_id)["title"] == "Shade map"


def test_adding_a_screenshot_saves_the_edits_typed_beside_it(client, app, auth):
    """The screenshot button belongs to the submission form: what was typed is saved with it."""
    data = world(app)
    auth.login(data.mate)
    url = f"/teams/{data.team_id}/submission"
    token = csrf_token(client, url)  # nothing saved yet: the first upload starts the draft
    response = client.post(
        f"{url}/screenshots",
        data={
            "csrf_token": token,
            "title": "Typed, never saved",
            "tagline": "Shade on the way home",
            "screenshot": (io.BytesIO(png_bytes()), "shot.png"),
            "alt_text": "The map",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    saved = submission_of(app, data.team_id)
    assert saved["title"] == "Typed, never saved" and saved["tagline"] == "Shade on the way home"
    assert saved["status"] == "draft" and len(saved["screenshot_ids"]) == 1


def test_a_screenshot_with_invalid_edits_keeps_the_typing_and_adds_nothing(client, app, auth):
    data = world(app)
    auth.login(data.mate)
    url = f"/teams/{data.team_id}/submission"
    post_form(client, url, {"title": "Shade map", "action": "draft"})
    response = client.post(
        f"{url}/screenshots",
        data={
            "csrf_token": csrf_token(client, url),
            "title": "Shade map 2",
            "repo_url": "not a web address",
            "demo_url": "also wrong",
            "screenshot": (io.BytesIO(png_bytes()), "shot.png"),
        },
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Shade map 2"' in page and 'value="also wrong"' in page  # nothing typed is lost
    assert 'href="#repo_url"' in page and 'href="#demo_url"' in page  # both problems at once
    saved = submission_of(app, data.team_id)
    assert saved["title"] == "Shade map" and saved["screenshot_ids"] == []


def test_a_screenshot_chosen_before_save_draft_is_added_not_dropped(client, app, auth):
    data = world(app)
    auth.login(data.mate)
    url = f"/teams/{data.team_id}/submission"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "title": "Shade map",
            "action": "draft",
            "screenshot": (io.BytesIO(png_bytes()), "shot.png"),
            "alt_text": "The map",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    saved = submission_of(app, data.team_id)
    assert saved["title"] == "Shade map" and len(saved["screenshot_ids"]) == 1


def test_removing_a_screenshot_asks_first_and_keeps_what_was_typed(client, app, auth):
    data = world(app)
    auth.login(data.mate)
    url = f"/teams/{data.team_id}/submission"
    post_form(client, url, {"title": "Shade map"})
    upload(client, data.team_id, png_bytes())
    [shot_id] = submission_of(app, data.team_id)["screenshot_ids"]
    remove = f"{url}/screenshots/{shot_id}/remove"

    asked = client.post(remove, data={"csrf_token": csrf_token(client, url), "title": "Shade map v2"})
    assert asked.status_code == 200 and "Remove this screenshot?" in asked.get_data(as_text=True)
    after = submission_of(app, data.team_id)
    assert after["screenshot_ids"] == [shot_id] and after["title"] == "Shade map v2"  # typed: saved; nothing removed

    done = client.post(remove, data={"csrf_token": csrf_token(client, url), "confirm": "yes"})
    assert done.status_code == 302
    after = submission_of(app, data.team_id)
    assert after["screenshot_ids"] == [] and after["title"] == "Shade map v2"
