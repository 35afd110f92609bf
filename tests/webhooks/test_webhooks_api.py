"""Webhooks through /api/v1: organizers only, the secret only to them, the events enum,
422 for internal addresses without the operator's setting, PATCH, DELETE, the delivery log
and replays; deliveries reach a real receiver on localhost."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from hackkit.extensions import db
from hackkit.services import outbox
from hackkit.services.webhook_delivery import send_webhook
from tests import factories as f
from tests.api.helpers import assert_error, token_for
from tests.webhook_receiver import WebhookReceiver

ALL = ["team.created", "submission.submitted", "announcement.published", "results.published"]


@pytest.fixture
def receiver():
    server = WebhookReceiver()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def world(app, client):
    with app.app_context():
        organizer = f.user(db.session, "organizer")
        event = f.event(db.session, organizer)
        participant = f.registered(db.session, event)
        people = {"organizer": organizer.email, "participant": participant.email}
        slug = event.slug
    return {"slug": slug, **{role: token_for(client, email) for role, email in people.items()}}


def test_only_organizers_see_and_register_webhooks(client, world):
    base = f"/api/v1/events/{world['slug']}/webhooks"
    assert_error(client.get(base), 401)
    assert_error(client.get(base, headers=world["participant"]), 403)
    body = {"url": "https://93.184.215.14/hooks/x", "events": ["team.created"]}
    assert_error(client.post(base, json=body, headers=world["participant"]), 403)
    created = client.post(base, json=body, headers=world["organizer"])
    assert created.status_code == 201, created.get_json()
    webhook = created.get_json()
    assert webhook["url"] == body["url"] and webhook["events"] == ["team.created"]
    assert len(webhook["secret"]) == 64 and webhook["format"] == "json" and webhook["active"] is True
    listed = client.get(base, headers=world["organizer"]).get_json()["webhooks"]
    assert [w["secret"] for w in listed] == [webhook["secret"]]
    assert_error(client.get(f"{base}/{webhook['id']}", headers=world["participant"]), 403)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9/hook", "http://[::1]/hook", "http://169.254.169.254/latest/meta-data/", "http://localhost/"],
)
def test_internal_addresses_get_422_without_the_setting(client, world, url):
    base = f"/api/v1/events/{world['slug']}/webhooks"
    body = assert_error(client.post(base, json={"url": url, "events": ALL}, headers=world["organizer"]), 422)
    assert "url" in body["errors"] and "HACKKIT_WEBHOOK_ALLOW_PRIVATE" in body["errors"]["url"][0]


def test_unknown_happenings_and_bad_addresses_get_400(client, world):
    base = f"/api/v1/events/{world['slug']}/webhooks"
    body = assert_error(
        client.post(
            base, json={"url": "https://93.184.215.14/", "events": ["team.deleted"]}, headers=world["organizer"]
        ),
        400,
    )
    assert "events" in body["errors"]
    body = assert_error(client.post(base, json={"url": "gopher://x", "events": ALL}, headers=world["organizer"]), 400)
    assert "url" in body["errors"]


def test_the_document_lists_the_happenings_as_an_enum(client):
    document = client.get("/api/v1/openapi.json").get_json()
    schema = document["components"]["schemas"]["Webhook"]["properties"]["events"]
    assert schema["items"]["enum"] == ALL
    assert document["components"]["schemas"]["WebhookInput"]["properties"]["events"]["items"]["enum"] == ALL
    assert "422" in document["paths"]["/events/{slug}/webhooks"]["post"]["responses"]


@pytest.mark.parametrize("app_settings", [{"HACKKIT_WEBHOOK_ALLOW_PRIVATE": True}])
def test_a_local_receiver_gets_the_signed_delivery_and_a_replay(app, client, world, receiver):
    base = f"/api/v1/events/{world['slug']}/webhooks"
    webhook = client.post(base, json={"url": receiver.url(), "events": ALL}, headers=world["organizer"]).get_json()
    posted = client.post(
        f"/api/v1/events/{world['slug']}/announcements", json={"body": "Lunch"}, headers=world["organizer"]
    )
    assert posted.status_code == 201
    with app.app_context():
        assert len(outbox.deliver_due(db.session, {"webhook": send_webhook}).sent) == 1
    [received] = receiver.received
    expected = "sha256=" + hmac.new(webhook["secret"].encode(), received.body, hashlib.sha256).hexdigest()
    assert received.headers["X-Hackkit-Signature"] == expected
    assert json.loads(received.body)["data"]["announcement"]["body"] == "Lunch"

    deliveries = client.get(f"{base}/{webhook['id']}/deliveries", headers=world["organizer"]).get_json()["deliveries"]
    [delivery] = deliveries
    assert delivery["status"] == "sent" and delivery["last_response"] == "200 OK: ok"
    assert delivery["event"] == "announcement.published" and delivery["id"] == int(
        received.headers["X-Hackkit-Delivery"]
    )
    replayed = client.post(f"{base}/{webhook['id']}/deliveries/{delivery['id']}/replay", headers=world["organizer"])
    assert replayed.status_code == 201 and replayed.get_json()["replay_of"] == delivery["id"]
    with app.app_context():
        assert len(outbox.deliver_due(db.session, {"webhook": send_webhook}).sent) == 1
    assert len(receiver.received) == 2


def test_patch_and_delete(client, world):
    base = f"/api/v1/events/{world['slug']}/webhooks"
    body = {"url": "https://93.184.215.14/a", "events": ALL}
    webhook = client.post(base, json=body, headers=world["organizer"]).get_json()
    changed = client.patch(
        f"{base}/{webhook['id']}",
        json={"events": ["results.published"], "format": "slack", "active": False, "rotate_secret": True},
        headers=world["organizer"],
    )
    assert changed.status_code == 200
    after = changed.get_json()
    assert (after["events"], after["format"], after["active"]) == (["results.published"], "slack", False)
    assert after["secret"] != webhook["secret"]
    assert_error(
        client.patch(f"{base}/{webhook['id']}", json={"url": "http://10.0.0.8/"}, headers=world["organizer"]), 422
    )
    assert_error(client.delete(f"{base}/{webhook['id']}", headers=world["participant"]), 403)
    assert client.delete(f"{base}/{webhook['id']}", headers=world["organizer"]).status_code == 204
    assert_error(client.get(f"{base}/{webhook['id']}", headers=world["organizer"]), 404)
