"""The outbox's promises, without any real receiver: nothing twice, retries with back-off,
dead after the last try, and two workers never holding the same row."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.models import OutboxItem
from hackkit.models.base import utcnow
from hackkit.services import outbox


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session


def queue_one(session, key="k1", channel="mail"):
    item = outbox.enqueue(session, channel, "rita@example.org", {"body": "hello"}, subject="Hi", dedupe_key=key)
    session.commit()
    return item


def failing(_item):
    raise outbox.DeliveryFailed("receiver said 503", response="503 Service Unavailable")


def test_the_same_happening_is_queued_once(session):
    first = queue_one(session)
    assert first is not None
    assert outbox.enqueue(session, "mail", "rita@example.org", {}, dedupe_key="k1") is None
    session.commit()
    assert session.query(OutboxItem).count() == 1


def test_the_same_happening_twice_in_one_transaction_is_queued_once(session):
    assert outbox.enqueue(session, "mail", "rita@example.org", {}, dedupe_key="twice") is not None
    assert outbox.enqueue(session, "mail", "rita@example.org", {}, dedupe_key="twice") is None
    session.commit()
    assert session.query(OutboxItem).count() == 1


def test_a_rolled_back_change_sends_nothing(session):
    outbox.enqueue(session, "mail", "rita@example.org", {"body": "x"}, dedupe_key="gone")
    session.rollback()
    assert outbox.deliver_due(session, {"mail": lambda item: "ok"}).handled == 0


def test_a_delivered_item_is_sent_once(session):
    item = queue_one(session)
    delivered = []
    report = outbox.deliver_due(session, {"mail": lambda it: delivered.append(it.id) or "250 ok"})
    assert report.sent == [item.id]
    assert outbox.deliver_due(session, {"mail": lambda it: delivered.append(it.id) or "250 ok"}).handled == 0
    assert delivered == [item.id]
    session.refresh(item)
    assert (item.status, item.attempts, item.last_response) == ("sent", 1, "250 ok")
    assert item.sent_at is not None


def test_a_failure_is_retried_after_growing_waits_then_given_up(session):
    item = queue_one(session)
    now = utcnow()
    waits = []
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        report = outbox.deliver_due(session, {"mail": failing}, now=now)
        assert report.retrying == [item.id]
        session.refresh(item)
        waits.append(item.next_attempt_at - now)
        # Not due again before its wait is over.
        assert (
            outbox.deliver_due(session, {"mail": failing}, now=item.next_attempt_at - timedelta(seconds=1)).handled == 0
        )
        now = item.next_attempt_at
    assert waits == sorted(waits) and waits[0] < waits[-1]
    report = outbox.deliver_due(session, {"mail": failing}, now=now)
    assert report.dead == [item.id]
    session.refresh(item)
    assert item.status == "dead"
    assert "503" in item.last_error and item.last_response == "503 Service Unavailable"
    # A dead item stays dead until someone sends it again.
    assert outbox.deliver_due(session, {"mail": lambda it: "ok"}, now=now + timedelta(days=30)).handled == 0
    outbox.retry_now(session, item)
    assert outbox.deliver_due(session, {"mail": lambda it: "ok"}).sent == [item.id]


def test_a_row_held_by_one_worker_is_skipped_by_another(session):
    item = queue_one(session)
    now = utcnow()
    assert outbox._claim(session, now, ("mail",), 10) == [item.id]
    # The second worker sees the lease and takes nothing until it runs out.
    assert outbox.deliver_due(session, {"mail": lambda it: "ok"}, now=now).handled == 0
    after_lease = now + outbox.LEASE + timedelta(seconds=1)
    assert outbox.deliver_due(session, {"mail": lambda it: "ok"}, now=after_lease).sent == [item.id]


def test_only_channels_with_a_sender_are_delivered(session):
    mail = queue_one(session, key="m")
    hook = queue_one(session, key="w", channel="webhook")
    assert outbox.deliver_due(session, {"mail": lambda it: "ok"}).sent == [mail.id]
    assert outbox.deliver_due(session, {"webhook": lambda it: "200"}).sent == [hook.id]
