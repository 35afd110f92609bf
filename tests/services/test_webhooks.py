"""Webhooks end to end against a real HTTP receiver on localhost: the four happenings, the
signature, retries with back-off, the Slack format, replays, and the addresses refused."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.models import OutboxItem
from hackkit.models.base import utcnow
from hackkit.services import events, outbox, publication, submissions, webhooks
from hackkit.services.webhook_delivery import send_webhook
from hackkit.services.webhook_targets import RefusedTarget
from tests import factories as f
from tests.webhook_receiver import WebhookReceiver

ALL = ["team.created", "submission.submitted", "announcement.published", "results.published"]


@pytest.fixture
def app_settings():
    return {"HACKKIT_WEBHOOK_ALLOW_PRIVATE": True}


@pytest.fixture
def receiver():
    server = WebhookReceiver()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session


def deliver(session, now=None):
    return outbox.deliver_due(session, {"webhook": send_webhook}, now=now)


def hook(session, receiver, organizer, event, **data):
    data = {"url": receiver.url(), "events": ALL, **data}
    return webhooks.register(session, organizer, event, data, allow_private=True)


def verify(secret: str, received) -> dict:
    """What a receiver does (docs/api.md): recompute the HMAC of the raw body and compare."""
    expected = "sha256=" + hmac.new(secret.encode(), received.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(expected, received.headers["X-Hackkit-Signature"])
    return json.loads(received.body)


def test_each_happening_is_delivered_once_signed_with_the_secret(session, receiver):
    organizer = f.user(session, "organizer")
    event = f.event(session, organizer)
    webhook = hook(session, receiver, organizer, event)
    captain = f.registered(session, event)
    team = f.team(session, event, captain, name="Schaduwkaart")
    submissions.save_submission(session, captain, team, {"title": "Shade map"}, status="submitted")
    # Saving again, or submitting again after a draft, is not a new submission.
    submissions.save_submission(session, captain, team, {"title": "Shade map 2"}, status="submitted")
    submissions.save_submission(session, captain, team, {"title": "Shade map 3"}, status="draft")
    submissions.save_submission(session, captain, team, {"title": "Shade map 4"}, status="submitted")
    events.post_announcement(session, organizer, event, "Pizza at 18:00 <b>&</b>")
    publication.publish_results(session, organizer, event, confirm=True)
    publication.publish_results(session, organizer, event, confirm=True)  # already published: nothing new

    report = deliver(session)
    assert len(report.sent) == 4 and not report.retrying
    assert deliver(session).handled == 0  # nothing twice
    bodies = [verify(webhook.secret, r) for r in receiver.received]
    assert [b["event"] for b in bodies] == ALL
    assert [r.headers["X-Hackkit-Event"] for r in receiver.received] == ALL
    assert [int(r.headers["X-Hackkit-Delivery"]) for r in receiver.received] == [b["delivery"] for b in bodies]
    assert bodies[0]["data"]["team"] == {"id": team.id, "name": "Schaduwkaart"}
    assert bodies[1]["data"]["submission"]["title"] == "Shade map"
    assert bodies[2]["data"]["announcement"]["body"] == "Pizza at 18:00 <b>&</b>"
    assert all(b["hackathon"]["slug"] == event.slug and b["sent_at"] and b["occurred_at"] for b in bodies)
    assert receiver.received[0].headers["Content-Type"] == "application/json"
    # A wrong secret does not verify.
    forged = "sha256=" + hmac.new(b"guess", receiver.received[0].body, hashlib.sha256).hexdigest()
    assert forged != receiver.received[0].headers["X-Hackkit-Signature"]
    log = webhooks.deliveries(session, organizer, webhook)
    assert {(d.status, d.attempts, d.last_response) for d in log} == {("sent", 1, "200 OK: ok")}


def test_only_subscribed_happenings_of_active_webhooks_of_the_event_are_sent(session, receiver):
    organizer = f.user(session, "organizer")
    event, other = f.event(session, organizer), f.event(session, organizer)
    hook(session, receiver, organizer, event, events=["announcement.published"])
    hook(session, receiver, organizer, event, active=False)
    hook(session, receiver, organizer, other)
    f.team(session, event)
    events.post_announcement(session, organizer, event, "Doors open")
    assert len(deliver(session).sent) == 1
    assert json.loads(receiver.received[0].body)["event"] == "announcement.published"


def test_a_failing_receiver_is_retried_after_the_back_off_then_delivered(session, receiver):
    organizer = f.user(session, "organizer")
    event = f.event(session, organizer)
    webhook = hook(session, receiver, organizer, event)
    events.post_announcement(session, organizer, event, "Wifi password on the wall")
    receiver.answer(500, b"database down")
    start = utcnow()
    assert len(deliver(session, now=start).retrying) == 1
    [item] = webhooks.deliveries(session, organizer, webhook)
    assert (item.status, item.attempts) == ("retrying", 1)
    assert "500" in item.last_error and item.last_response == "500 Internal Server Error: database down"
    # Not before the back-off is over; then it goes through.
    assert deliver(session, now=start + outbox.backoff(1) - timedelta(seconds=1)).handled == 0
    assert deliver(session, now=start + outbox.backoff(1)).sent == [item.id]
    assert len(receiver.received) == 2
    first, second = (json.loads(r.body) for r in receiver.received)
    assert first["delivery"] == second["delivery"] == item.id  # a retry is the same delivery
    session.refresh(item)
    assert (item.status, item.attempts, item.last_error) == ("sent", 2, None)


def test_a_redirect_is_not_followed(session, receiver):
    organizer = f.user(session, "organizer")
    event = f.event(session, organizer)
    webhook = hook(session, receiver, organizer, event)
    events.post_announcement(session, organizer, event, "Moved")
    receiver.answer(302, headers={"Location": receiver.url("/elsewhere")})
    assert len(deliver(session).retrying) == 1
    assert [r.path for r in receiver.received] == ["/hook"]
    [item] = webhooks.deliveries(session, organizer, webhook)
    assert "redirects are not followed" in item.last_error and item.last_response.startswith("302")


def test_a_long_answer_is_cut_in_the_log(session, receiver):
    organizer = f.user(session, "organizer")
    event = f.event(session, organizer)
    webhook = hook(session, receiver, organizer, event)
    events.post_announcement(session, organizer, event, "Hi")
    receiver.answer(200, b"x" * 100_000)
    deliver(session)
    [item] = webhooks.deliveries(session, organizer, webhook)
    assert item.status == "sent" and len(item.last_response) < 1100


def test_the_slack_format_sends_one_text_message_in_the_chosen_language(session, receiver):
    organizer = f.user(session, "organizer")
    event = f.event(session, organizer, name="Antwerp Data Weekend")
    webhook = hook(session, receiver, organizer, event, format="slack", language="nl")
    f.team(session, event, name="Bankjes <3")
    deliver(session)
    [received] = receiver.received
    body = verify(webhook.secret, received)
    assert list(body) == ["text"]
    assert body["text"] == "Nieuw team in Antwerp Data Weekend: Bankjes &lt;3"


def test_a_replay_is_a_new_delivery_of_the_same_happening(session, receiver):
    organizer = f.user(session, "organizer")
    event = f.event(session, organizer)
    webhook = hook(session, receiver, organizer, event)
    events.post_announcement(session, organizer, event, "Again")
    deliver(session)
    [original] = webhooks.deliveries(session, organizer, webhook)
    copy = webhooks.replay(session, organizer, webhook, original.id)
    assert copy.id != original.id
    assert deliver(session).sent == [copy.id]
    first, again = (verify(webhook.secret, r) for r in receiver.received)
    assert again["replay_of"] == original.id and again["delivery"] == copy.id
    assert again["data"] == first["data"]
    assert [d.id for d in webhooks.deliveries(session, organizer, webhook)] == [copy.id, original.id]


def test_deleting_a_webhook_gives_up_its_waiting_deliveries(session, receiver):
    organizer = f.user(session, "organizer")
    event = f.event(session, organizer)
    webhook = hook(session, receiver, organizer, event)
    events.post_announcement(session, organizer, event, "Bye")
    with pytest.raises(Exception, match="confirm"):
        webhooks.delete(session, organizer, webhook, confirm=False)
    webhooks.delete(session, organizer, webhook, confirm=True)
    assert deliver(session).handled == 0 and receiver.received == []
    assert session.query(OutboxItem).one().status == "dead"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://10.1.2.3/hook",
        "http://192.168.1.10:8080/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[fe80::1]/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://localhost/hook",
    ],
)
def test_internal_addresses_are_refused_without_the_setting(session, url):
    organizer = f.user(session, "organizer")
    event = f.event(session, organizer)
    with pytest.raises(RefusedTarget) as refused:
        webhooks.register(session, organizer, event, {"url": url, "events": ALL}, allow_private=False)
    assert refused.value.status == 422 and "url" in refused.value.errors


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "https://user:pw@example.org/", "nope"])
def test_only_http_and_https_addresses_are_taken(session, url):
    organizer = f.user(session, "organizer")
    event = f.event(session, organizer)
    with pytest.raises(Exception) as refused:
        webhooks.register(session, organizer, event, {"url": url, "events": ALL}, allow_private=True)
    assert refused.value.status == 400


def test_a_target_that_turned_internal_is_refused_at_send_time(app, session, receiver):
    """DNS rebinding's effect: registered while allowed, the address is checked again at every try."""
    organizer = f.user(session, "organizer")
    event = f.event(session, organizer)
    webhook = hook(session, receiver, organizer, event, url=receiver.url(host="localhost"))
    events.post_announcement(session, organizer, event, "Hi")
    app.config["HACKKIT_WEBHOOK_ALLOW_PRIVATE"] = False
    assert len(deliver(session).retrying) == 1
    assert receiver.received == []
    [item] = webhooks.deliveries(session, organizer, webhook)
    assert "internal address" in item.last_error


def test_the_connection_goes_to_the_address_that_was_checked(session, receiver, monkeypatch):
    """DNS rebinding: the name answers the receiver's address to the checks (at registration and
    before the try) and another address to any later lookup. The delivery connects to the checked
    address, without a second lookup, and still names the host in the Host header."""
    import socket

    real = socket.getaddrinfo
    answers = iter(["127.0.0.1", "127.0.0.1"])

    def rebinding_resolver(host, port, *args, **kwargs):
        if host != "hook.example":
            return real(host, port, *args, **kwargs)
        address = next(answers, "10.255.255.1")  # every later lookup: an address that must never be reached
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_resolver)
    organizer = f.user(session, "organizer")
    event = f.event(session, organizer)
    hook(session, receiver, organizer, event, url=receiver.url(host="hook.example"))
    events.post_announcement(session, organizer, event, "Hi")
    assert len(deliver(session).sent) == 1
    [received] = receiver.received
    assert received.headers["Host"] == f"hook.example:{receiver.port}"


def test_the_mail_worker_delivers_webhooks_and_mails_in_one_pass(session, receiver, app):
    """`hackkit mail send` is the one worker of the outbox: its pass sends both channels."""
    from hackkit.services import mail_worker

    organizer = f.user(session, "organizer")
    event = f.event(session, organizer)
    hook(session, receiver, organizer, event, events=["team.created"])
    captain = f.registered(session, event)
    f.team(session, event, captain, name="Fietsroute")

    report = mail_worker.run_pass(session, app.config)
    assert len(receiver.received) == 1 and report.sent
    assert json.loads(receiver.received[0].body)["data"]["team"]["name"] == "Fietsroute"
    assert mail_worker.run_pass(session, app.config).handled == 0
