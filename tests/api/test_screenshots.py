"""Screenshots: real images only, re-encoded without EXIF, limited, frozen with the project."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from hackkit.extensions import db
from hackkit.services import events, submissions, tokens
from tests import factories as f
from tests import stored
from tests.api.helpers import assert_error


def image_bytes(kind: str = "PNG", size=(64, 48), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    buffer = io.BytesIO()
    if exif:
        info = Image.Exif()
        info[0x010F] = "PhoneMaker"  # Make
        info[0x8825] = {1: "N", 2: (51.0, 13.0, 0.0)}  # GPS position
        image.save(buffer, format=kind, exif=info)
    else:
        image.save(buffer, format=kind)
    return buffer.getvalue()


@pytest.fixture
def team_setup(app):
    with app.app_context():
        event = f.event(db.session)
        captain = f.registered(db.session, event)
        team = f.team(db.session, event, captain=captain)
        submissions.save_submission(db.session, captain, team, {"title": "Map"})
        organizer = f.user(db.session, "organizer")
        header = {"Authorization": "Bearer " + tokens.issue_token(db.session, captain)}
        return {
            "team_id": team.id,
            "headers": header,
            "slug": event.slug,
            "organizer": organizer,
            "emails": {"captain": captain.email, "organizer": organizer.email},
        }


def upload(client, setup, data: bytes, name="shot.png", alt="The map"):
    return client.post(
        f"/api/v1/teams/{setup['team_id']}/submission/screenshots",
        headers=setup["headers"],
        data={"screenshot": (io.BytesIO(data), name), "alt_text": alt},
        content_type="multipart/form-data",
    )


def test_upload_is_reencoded_without_exif_and_recorded_in_a_version(client, app, team_setup):
    response = upload(client, team_setup, image_bytes("JPEG", exif=True), name="../../etc/passwd.jpg")
    assert response.status_code == 201, response.get_json()
    shot = response.get_json()
    assert (shot["width"], shot["height"]) == (64, 48)
    files = stored.screenshots(app)
    assert len(files) == 1 and "passwd" not in files[0]
    image = Image.open(io.BytesIO(stored.stored_bytes(app, files[0])))
    assert image.format == "JPEG" and not image.getexif()
    document = client.get(f"/api/v1/teams/{team_setup['team_id']}/submission", headers=team_setup["headers"])
    assert document.get_json()["screenshots"] == [shot["url"]] and document.get_json()["version"] == 2


@pytest.mark.parametrize(
    "data, name", [(b"<script>alert(1)</script>", "x.png"), (b"", "empty.png"), (image_bytes("GIF")[:20], "cut.gif")]
)
def test_files_that_are_not_images_are_refused(client, app, team_setup, data, name):
    body = assert_error(upload(client, team_setup, data, name=name), 400)
    assert "screenshot" in body["errors"]
    assert stored.screenshots(app) == []


def test_oversized_and_too_many_screenshots_are_refused(client, team_setup):
    big = b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024 + 10)
    assert "5 MB" in assert_error(upload(client, team_setup, big), 400)["error"]
    for _ in range(6):
        assert upload(client, team_setup, image_bytes()).status_code == 201
    assert_error(upload(client, team_setup, image_bytes()), 400)


def test_a_decompression_bomb_is_refused(client, team_setup):
    assert_error(upload(client, team_setup, image_bytes("PNG", size=(8000, 6000))), 400)


def test_draft_screenshots_are_private_until_submitted(client, app, auth, team_setup):
    url = upload(client, team_setup, image_bytes()).get_json()["url"]
    path = url.split("localhost", 1)[1]
    assert client.get(path).status_code == 404
    client.put(
        f"/api/v1/teams/{team_setup['team_id']}/submission", headers=team_setup["headers"], json={"status": "submitted"}
    )
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_upload_after_the_deadline_is_409_and_stores_nothing(client, app, team_setup):
    with app.app_context():
        event = events.get_event(db.session, team_setup["organizer"], team_setup["slug"])
        organizer = db.session.merge(team_setup["organizer"])
        now = datetime.now(UTC)
        events.update_event(
            db.session,
            organizer,
            event,
            {"submission_deadline": now - timedelta(seconds=1), "starts_at": now - timedelta(hours=3)},
        )
    assert_error(upload(client, team_setup, image_bytes()), 409)
    assert stored.screenshots(app) == []


def submit(client, setup):
    response = client.put(
        f"/api/v1/teams/{setup['team_id']}/submission", headers=setup["headers"], json={"status": "submitted"}
    )
    assert response.status_code == 200, response.get_json()


def set_visibility(app, setup, visibility: str):
    with app.app_context():
        organizer = db.session.merge(setup["organizer"])
        event = events.get_event(db.session, organizer, setup["slug"])
        events.update_event(db.session, organizer, event, {"visibility": visibility})


def shot_path(client, setup) -> str:
    return upload(client, setup, image_bytes()).get_json()["url"].split("localhost", 1)[1]


def test_a_submitted_screenshot_of_a_published_event_may_be_cached_by_anyone(client, team_setup):
    path = shot_path(client, team_setup)
    submit(client, team_setup)
    response = client.get(path)
    assert response.status_code == 200 and "public" in response.headers["Cache-Control"]


def test_screenshots_of_an_unpublished_event_are_hidden_and_private(app, client, auth, team_setup):
    path = shot_path(client, team_setup)
    submit(client, team_setup)
    set_visibility(app, team_setup, "draft")
    assert client.get(path).status_code == 404  # as the project page itself
    assert client.get(f"/teams/{team_setup['team_id']}/project").status_code == 404
    auth.login(team_setup["emails"]["organizer"])
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("private") and "public" not in response.headers["Cache-Control"]
    set_visibility(app, team_setup, "published")
    assert "public" in client.get(path).headers["Cache-Control"]


def test_draft_screenshots_are_served_private_to_the_team_only(app, client, auth, team_setup):
    path = shot_path(client, team_setup)
    auth.login_as("participant")
    assert client.get(path).status_code == 404
    auth.logout()
    auth.login(team_setup["emails"]["captain"])
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Cache-Control"].startswith("private") and "public" not in response.headers["Cache-Control"]
    assert "Cookie" in response.headers["Vary"]
