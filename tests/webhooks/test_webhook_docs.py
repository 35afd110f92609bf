"""The signature check that docs/api.md gives receivers accepts a real delivery and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hackkit.extensions import db
from hackkit.services import events, outbox, webhooks
from hackkit.services.webhook_delivery import send_webhook
from tests import factories as f
from tests.webhook_receiver import WebhookReceiver

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def documented_check():
    section = API_DOC.read_text(encoding="utf-8").split("## Webhooks", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, "docs/api.md", "exec"), namespace)  # noqa: S102 (our own documentation)
    return namespace["is_from_hackkit"]


@pytest.mark.parametrize("app_settings", [{"HACKKIT_WEBHOOK_ALLOW_PRIVATE": True}])
def test_the_documented_check_accepts_a_real_delivery_and_refuses_a_changed_one(app):
    receiver = WebhookReceiver()
    receiver.start()
    try:
        with app.app_context():
            organizer = f.user(db.session, "organizer")
            event = f.event(db.session, organizer)
            data = {"url": receiver.url(), "events": ["announcement.published"]}
            secret = webhooks.register(db.session, organizer, event, data, allow_private=True).secret
            events.post_announcement(db.session, organizer, event, "Keynote moved to 14:00")
            outbox.deliver_due(db.session, {"webhook": send_webhook})
    finally:
        receiver.stop()
    [received] = receiver.received
    is_from_hackkit = documented_check()
    header = received.headers["X-Hackkit-Signature"]
    assert is_from_hackkit(secret, received.body, header)
    assert not is_from_hackkit(secret, received.body.replace(b"14:00", b"15:00"), header)
    assert not is_from_hackkit("another secret", received.body, header)
    assert not is_from_hackkit(secret, received.body, None)
