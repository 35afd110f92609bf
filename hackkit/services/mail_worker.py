"""The worker that empties the outbox: `hackkit mail send`, or a thread inside `hackkit run`.

One pass queues the reminders that came due (hackkit.services.reminders.enqueue_due) and
then hands every due outbox row to the sender of its channel. The senders are a table of
channel -> function, so another channel (webhooks) adds one entry in `senders`.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from datetime import datetime

from flask import Flask
from sqlalchemy.orm import Session

from hackkit.models import OutboxItem
from hackkit.services import mail, outbox, reminders, webhook_delivery

log = logging.getLogger(__name__)


def mail_sender(config: Mapping) -> outbox.Sender:
    """Deliver a mail row over SMTP (HACKKIT_SMTP_*), with the RFC 8058 one-click headers."""
    settings = mail.MailSettings.from_config(config)

    def send(item: OutboxItem) -> str:
        message = mail.compose(settings, item.recipient, item.subject, item.payload.get("body", ""))
        # The same Message-ID on every try: a receiver that got a try whose answer we lost can
        # drop the repeat.
        domain = settings.sender.rpartition("@")[2] or "localhost"
        message.replace_header("Message-ID", f"<hackkit-outbox-{item.id}.{int(item.created_at.timestamp())}@{domain}>")
        unsubscribe = item.payload.get("unsubscribe_url")
        if unsubscribe:
            message["List-Unsubscribe"] = f"<{unsubscribe}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        if not settings.host:
            # Development without a mail server: the person running the hub reads it in the log.
            log.warning(
                "HACKKIT_SMTP_HOST is not set, so this e-mail was not sent.\nTo: %s\nSubject: %s\n\n%s",
                item.recipient,
                item.subject,
                item.payload.get("body", ""),
            )
            return "not sent: HACKKIT_SMTP_HOST is not set (written to the server log)"
        mail.send_now(settings, message)
        return f"accepted by {settings.host}:{settings.port}"

    return send


def senders(config: Mapping) -> dict[str, outbox.Sender]:
    """Channel -> sender. A channel without an entry waits in the outbox for a worker that has one."""
    return {"mail": mail_sender(config), "webhook": webhook_delivery.send_webhook}


def run_pass(session: Session, config: Mapping, now: datetime | None = None) -> outbox.DeliveryReport:
    """One pass: queue what came due, then deliver what is due."""
    reminders.enqueue_due(session, now)
    return outbox.deliver_due(session, senders(config), now=now)


def run(app: Flask, *, interval: float, stop: threading.Event | None = None, once: bool = False, echo=None) -> None:
    """Pass after pass every `interval` seconds until `stop` is set (or once). A pass that fails
    (the database away for a moment) is logged and the next one tries again."""
    from hackkit.extensions import db

    stop = stop or threading.Event()
    while True:
        with app.app_context():
            try:
                report = run_pass(db.session, app.config)
            except Exception:  # noqa: BLE001 — the worker outlives a bad pass
                log.exception("mail worker pass failed")
                db.session.rollback()
            else:
                if echo and (report.handled or once):
                    echo(f"sent {len(report.sent)}, to retry {len(report.retrying)}, given up {len(report.dead)}")
            finally:
                db.session.remove()
        if once or stop.wait(interval):
            return


def start_thread(app: Flask, *, reloader: bool = False, stop: threading.Event | None = None) -> threading.Thread | None:
    """The worker as a daemon thread of the development server (HACKKIT_MAIL_WORKER=thread)."""
    if app.config["HACKKIT_MAIL_WORKER"] != "thread":
        return None
    if reloader and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return None  # the reloader's watcher process serves nothing; its child starts the thread
    thread = threading.Thread(
        target=run,
        args=(app,),
        kwargs={"interval": app.config["HACKKIT_MAIL_INTERVAL"], "stop": stop},
        name="hackkit-mail-worker",
        daemon=True,
    )
    thread.start()
    return thread
