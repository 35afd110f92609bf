"""An organizer in a real browser: adds a webhook for the city's chat, reads its secret, sees
a failed delivery with the receiver's answer, sends it again, and deletes the webhook only
after ticking the confirmation; an internal address is refused with a message by the field."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from hackkit.extensions import db
from hackkit.models import Event, User
from hackkit.services import events, outbox
from hackkit.services.webhook_delivery import send_webhook
from tests import factories as f
from tests.browser.test_event_flow import log_in
from tests.webhook_receiver import WebhookReceiver


@pytest.fixture
def receiver():
    server = WebhookReceiver()
    server.start()
    yield server
    server.stop()


def deliver(app) -> None:
    with app.app_context():
        outbox.deliver_due(db.session, {"webhook": send_webhook})


@pytest.mark.parametrize("app_settings", [{"HACKKIT_WEBHOOK_ALLOW_PRIVATE": True}])
def test_organizer_adds_a_webhook_sees_the_log_replays_and_deletes(page: Page, app, receiver):
    with app.app_context():
        organizer = f.user(db.session, "organizer")
        event = f.event(db.session, organizer, name="Antwerp Data Weekend")
        slug, event_id, email = event.slug, event.id, organizer.email

    log_in(page, email)
    page.goto(f"/events/{slug}/manage")
    page.get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks: Antwerp Data Weekend")
    page.get_by_label("Address (URL)").fill(receiver.url("/chat"))
    page.get_by_label("An announcement is posted").check()
    page.get_by_label("Chat message (Slack, Mattermost)").check()
    page.get_by_label("Language of chat messages").select_option("nl")
    page.get_by_role("button", name="Add webhook").click()
    expect(page.get_by_role("status")).to_contain_text("The webhook is added.")
    secret = page.get_by_label("Secret").input_value()
    assert len(secret) == 64

    with app.app_context():
        organizer_row = db.session.query(User).filter_by(email=email).one()
        events.post_announcement(db.session, organizer_row, db.session.get(Event, event_id), "Soep om 12:00")
    receiver.answer(500, b"chat server restarting")
    deliver(app)
    page.reload()
    deliveries = page.locator("#deliveries")
    expect(deliveries).to_contain_text("failed, will retry")
    expect(deliveries).to_contain_text("500 Internal Server Error: chat server restarting")

    page.get_by_role("button", name="Send delivery 1 again").click()
    expect(page.get_by_role("status")).to_contain_text("is queued to be sent again")
    deliver(app)
    page.reload()
    expect(page.locator("#deliveries")).to_contain_text("200 OK: ok")
    assert receiver.received[-1].body.decode().startswith('{"text":"Aankondiging in Antwerp Data Weekend:')

    # The browser would not submit without the box ticked; the server refuses as well.
    page.get_by_label("Yes, delete this webhook.", exact=False).evaluate("box => box.removeAttribute('required')")
    page.get_by_role("button", name="Delete webhook").click()
    expect(page.get_by_role("status")).to_contain_text("confirm to go on")
    page.get_by_label("Yes, delete this webhook.", exact=False).check()
    page.get_by_role("button", name="Delete webhook").click()
    expect(page.get_by_role("status")).to_contain_text("The webhook is deleted.")
    expect(page.get_by_text("No webhooks yet.")).to_be_visible()


def test_an_internal_address_is_refused_by_the_field(page: Page, app, browser_log):
    browser_log.allow_console_error(r"status of 422")  # the refusal's page answers 422 on purpose
    with app.app_context():
        organizer = f.user(db.session, "organizer")
        slug, email = f.event(db.session, organizer).slug, organizer.email
    log_in(page, email)
    page.goto(f"/events/{slug}/webhooks")
    page.get_by_label("Address (URL)").fill("http://169.254.169.254/latest/meta-data/")
    page.get_by_label("A team is created").check()
    page.get_by_role("button", name="Add webhook").click()
    expect(page.locator("#url-error")).to_contain_text("is a private, loopback or otherwise internal address")
    expect(page.get_by_label("Address (URL)")).to_have_attribute("aria-invalid", "true")
