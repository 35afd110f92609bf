"""Dutch and English: the browser's language by default, a switch, nothing left untranslated."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from hackkit.extensions import db
from hackkit.models import User
from tests.conftest import post_form

ROOT = Path(__file__).resolve().parent.parent


def test_browser_language_is_the_default(client):
    dutch = client.get("/login", headers={"Accept-Language": "nl-BE,nl;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="nl">' in dutch and "Inloggen" in dutch
    english = client.get("/login", headers={"Accept-Language": "fr,en;q=0.8"}).get_data(as_text=True)
    assert '<html lang="en">' in english and "Log in" in english


def test_language_switch_sticks_for_the_session_and_returns_to_the_page(client):
    response = post_form(client, "/language", {"lang": "nl", "next": "/signup"}, page="/signup")
    assert response.status_code == 302 and response.headers["Location"] == "/signup"
    page = client.get("/signup", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="nl">' in page


def vary(response) -> set[str]:
    return {field.strip().lower() for field in response.headers.get("Vary", "").split(",") if field.strip()}


def test_a_page_in_the_browsers_language_says_it_varies_on_accept_language(client):
    # A proxy or CDN in front of the hub keeps one copy per language, not the first one it saw.
    page = client.get("/datasets/", headers={"Accept-Language": "nl"})
    assert page.status_code == 200 and '<html lang="nl">' in page.get_data(as_text=True)
    assert "accept-language" in vary(page)


def test_a_picked_language_varies_on_the_session_cookie_not_the_header(client):
    client.post("/language", data={"lang": "nl", "next": "/datasets/"})  # a visitor's switch needs no token
    page = client.get("/datasets/", headers={"Accept-Language": "en"})
    assert '<html lang="nl">' in page.get_data(as_text=True)
    assert "cookie" in vary(page) and "accept-language" not in vary(page)


def test_an_answer_that_never_asked_for_the_language_does_not_vary_on_it(client):
    # The same stylesheet for every language: a proxy keeps one copy.
    answer = client.get("/static/css/hackkit.css", headers={"Accept-Language": "nl"})
    assert answer.status_code == 200
    assert "accept-language" not in vary(answer)


def test_language_switch_ignores_unknown_languages_and_off_site_next(client):
    response = client.post("/language", data={"lang": "xx", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_visitors_not_signed_in_switch_without_a_token_so_their_pages_carry_none(client):
    # Their pages are shared through the public page cache: a CSRF token in them would be
    # one visitor's token handed to the next.
    home = client.get("/").get_data(as_text=True)
    assert "csrf_token" not in home and 'action="/language"' in home
    assert client.post("/language", data={"lang": "nl", "next": "/"}).status_code == 302
    assert '<html lang="nl">' in client.get("/").get_data(as_text=True)


def test_signed_in_switch_needs_the_token_because_it_changes_the_account(client, app, auth):
    user = auth.login_as()
    assert "csrf_token" in client.get("/").get_data(as_text=True)
    refused = client.post("/language", data={"lang": "nl"})
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.get(User, user.id).locale != "nl"
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_signed_in_choice_is_remembered_on_the_account(client, app, auth):
    user = auth.login_as()
    post_form(client, "/language", {"lang": "nl"}, page="/")
    with app.app_context():
        assert db.session.get(User, user.id).locale == "nl"
    other_browser = app.test_client()
    auth.login(user.email, client=other_browser)
    assert '<html lang="nl">' in other_browser.get("/account", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_service_messages_are_translated(client):
    page = post_form(
        client,
        "/signup",
        {"email": "ada@example.org", "display_name": "Ada", "password": "short", "confirm": "short"},
        headers={"Accept-Language": "nl"},
    )
    text = page.get_data(as_text=True)
    assert "Use at least" not in text and "10" in text


def test_every_user_facing_string_has_a_dutch_translation(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "N_",  # the importer's messages (hackkit/ingest/errors.py), translated on the pages
            "-o",
            str(template),
            "--no-location",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    wanted = {m.id for m in read_po(template.open("rb")) if m.id}
    with (ROOT / "hackkit/translations/nl/LC_MESSAGES/messages.po").open("rb") as handle:
        dutch = {m.id: m.string for m in read_po(handle) if m.id}
    missing = sorted(str(m) for m in wanted if not dutch.get(m))
    assert not missing, f"untranslated (run `make messages` and translate): {missing}"


def test_event_times_are_shown_to_the_minute_in_each_language(app):
    from datetime import UTC, datetime

    from hackkit.i18n import format_datetime_in

    moment = datetime(2026, 5, 17, 10, 0, 59, tzinfo=UTC)  # 12:00 in Brussels (summer time)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        shown = format_datetime_in(moment, "Europe/Brussels")
        assert shown.startswith("May 17, 2026, 12:00") and ":59" not in shown and shown.endswith("(Europe/Brussels)")
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        assert format_datetime_in(moment, "Europe/Brussels") == "17 mei 2026, 12:00 (Europe/Brussels)"
        # Each answer is kept (hackkit.i18n._formatted_in): the zone and the language choose it.
        assert format_datetime_in(moment, "America/New_York") == "17 mei 2026, 06:00 (America/New_York)"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert format_datetime_in(moment, "Europe/Brussels") == shown


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", ["1 day, 1 hour, 1 minute and 1 second left", "2 days, 2 hours, 2 minutes and 2 seconds left"]),
        ("nl", ["Nog 1 dag, 1 uur, 1 minuut en 1 seconde", "Nog 2 dagen, 2 uur, 2 minuten en 2 seconden"]),
    ],
)
def test_the_countdown_says_one_day_and_two_days(app, language, expected):
    from datetime import UTC, datetime, timedelta

    from flask import render_template_string

    now = datetime(2026, 5, 17, 10, 0, tzinfo=UTC)
    page = (
        '{% from "events/_macros.html" import countdown with context %}'
        '{{ countdown(deadline, "Europe/Brussels", now) }}'
    )
    with app.test_request_context(headers={"Accept-Language": language}):
        for count, sentence in zip((1, 2), expected, strict=True):
            deadline = now + timedelta(days=count, hours=count, minutes=count, seconds=count)
            assert sentence in render_template_string(page, deadline=deadline, now=now)


@pytest.mark.parametrize(
    "language, expected", [("en", "3 hours, 1 minute and 5 seconds left"), ("nl", "Nog 3 uur, 1 minuut en 5 seconden")]
)
def test_under_a_day_the_countdown_leaves_out_zero_days(app, language, expected):
    from datetime import UTC, datetime, timedelta

    from flask import render_template_string

    now = datetime(2026, 5, 17, 10, 0, tzinfo=UTC)
    page = (
        '{% from "events/_macros.html" import countdown with context %}'
        '{{ countdown(deadline, "Europe/Brussels", now) }}'
    )
    with app.test_request_context(headers={"Accept-Language": language}):
        shown = render_template_string(page, deadline=now + timedelta(hours=3, minutes=1, seconds=5), now=now)
    assert expected in shown and "0 day" not in shown and "0 dagen" not in shown
