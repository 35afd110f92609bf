"""E-mail in a real browser: a participant turns a kind of mail off on the account page, and
an organizer previews a message to a segment (with the count) before sending it."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from hackkit.extensions import db
from hackkit.services import notification_settings
from tests import factories as f
from tests.browser.test_account_flow import log_in


def make_event(app) -> dict:
    with app.app_context():
        later = f.now() + timedelta(days=5)
        event = f.event(db.session, submission_deadline=later.isoformat(), ends_at=later.isoformat())
        people = [f.registered(db.session, event) for _ in range(3)]
        organizer = f.user(db.session, "organizer")
        return {"slug": event.slug, "emails": [p.email for p in people], "organizer": organizer.email}


def test_a_participant_turns_announcements_off_on_the_account_page(page: Page, live_server, app):
    world = make_event(app)
    log_in(page, live_server, world["emails"][0])
    page.goto("/account#notifications")
    switch = page.get_by_label("Announcements of events I registered for")
    expect(switch).to_be_checked()
    switch.uncheck()
    page.get_by_role("button", name="Save e-mail settings").click()
    expect(page.get_by_text("Your e-mail settings are saved.")).to_be_visible()
    expect(page.get_by_label("Announcements of events I registered for")).not_to_be_checked()
    expect(page.get_by_label("Messages from the organizers of my events")).to_be_checked()
    with app.app_context():
        from hackkit.services.accounts import find_by_email

        person = find_by_email(db.session, world["emails"][0])
        assert notification_settings.preferences_of(db.session, person)["announcements"] is False


def test_an_organizer_previews_a_message_with_its_count_then_sends_it(page: Page, live_server, app):
    world = make_event(app)
    log_in(page, live_server, world["organizer"])
    page.goto(f"/events/{world['slug']}/manage")
    page.get_by_role("link", name="Messages").click()
    page.get_by_label("Registered people without a team").check()
    page.get_by_label("Subject").fill("Find a team")
    page.get_by_role("textbox", name="Message").fill("Table 5 helps you find a team at 10:00.")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("3 people will get this e-mail.")).to_be_visible()
    expect(page.locator(".mail-preview").first).to_contain_text("Table 5 helps you find a team")
    page.get_by_role("button", name="Send to 3 people").click()
    expect(page.get_by_text(re.compile("on its way to 3 people"))).to_be_visible()
    expect(page.get_by_role("heading", name="Sent messages (1)")).to_be_visible()
    page.get_by_role("link", name="E-mail sent").first.click()
    expect(page.get_by_role("cell", name="Waiting")).to_have_count(3)
