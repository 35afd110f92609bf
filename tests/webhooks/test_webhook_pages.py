"""The organizer's webhook pages: add one (its secret shown), the refusal of an internal
address as a message beside the field, the delivery log with its answers, replay, and delete
only with the confirmation ticked."""

from __future__ import annotations

import pytest

from hackkit.extensions import db
from hackkit.models import Event, User, Webhook
from hackkit.services import events, outbox
from hackkit.services.webhook_delivery import send_webhook
from tests import factories as f
from tests.conftest import post_form
from tests.webhook_receiver import WebhookReceiver


@pytest.fixture
def receiver():
    server = WebhookReceiver()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def event_slug(app, auth):
    organizer = auth.login_as("organizer")
    with app.app_context():
        return f.event(db.session, db.session.merge(organizer)).slug


def add(client, slug, url, **extra):
    data = {"url": url, "events": ["announcement.published", "team.created"], "format": "json", "language": "nl"}
    data.update(extra)
    data["active"] = "y"
    return post_form(client, f"/events/{slug}/webhooks", data)


def test_an_internal_address_is_refused_with_a_message_on_the_page(client, event_slug):
    response = add(client, event_slug, "http://169.254.169.254/latest/meta-data/")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "169.254.169.254 is a private, loopback or otherwise internal address" in page
    assert 'aria-invalid="true"' in page


def test_others_cannot_reach_the_pages(app, client, auth, event_slug):
    auth.logout()
    auth.login_as("participant")
    assert client.get(f"/events/{event_slug}/webhooks").status_code == 403


@pytest.mark.parametrize("app_settings", [{"HACKKIT_WEBHOOK_ALLOW_PRIVATE": True}])
def test_add_see_the_secret_deliver_replay_and_delete(app, client, event_slug, receiver):
    response = add(client, event_slug, receiver.url())
    assert response.status_code == 302
    detail_url = response.headers["Location"]
    with app.app_context():
        webhook = db.session.query(Webhook).one()
        secret, event = webhook.secret, webhook.event_id
    page = client.get(detail_url).get_data(as_text=True)
    assert secret in page and "Nothing has been sent yet" in page
    with app.app_context():
        ev = db.session.get(Event, event)
        organizer = db.session.query(User).filter_by(role="organizer").one()
        events.post_announcement(db.session, organizer, ev, "Soup is served")
        receiver.answer(503, b"try later")
        outbox.deliver_due(db.session, {"webhook": send_webhook})
    page = client.get(detail_url).get_data(as_text=True)
    assert "failed, will retry" in page and "503 Service Unavailable: try later" in page

    with app.app_context():
        item_id = outbox.for_event(db.session, event, "webhook")[0].id
    replayed = post_form(client, f"{detail_url}/deliveries/{item_id}/replay", {}, page=detail_url)
    assert replayed.status_code == 302
    with app.app_context():
        assert len(outbox.deliver_due(db.session, {"webhook": send_webhook}).sent) == 1
    page = client.get(detail_url).get_data(as_text=True)
    assert f"replay of {item_id}" in page and "200 OK: ok" in page

    # Without the box ticked nothing is deleted; with it, the webhook goes.
    refused = post_form(client, f"{detail_url}/delete", {}, page=detail_url, follow_redirects=True)
    assert "confirm to go on" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Webhook).count() == 1
    deleted = post_form(client, f"{detail_url}/delete", {"confirm": "yes"}, page=detail_url)
    assert deleted.status_code == 302
    with app.app_context():
        assert db.session.query(Webhook).count() == 0
