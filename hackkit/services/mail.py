"""Sending e-mail: plain-text messages over SMTP, configured by the HACKKIT_SMTP_* settings.

Messages leave in a background thread. The page that triggers one (a password reset)
must answer in the same time whether or not a message is sent, or its speed would tell
a stranger which addresses have an account; and a slow or dead mail server must not
hold up, or break, the page. A failure is logged with its reason.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str  # none | starttls | ssl
    username: str
    password: str
    sender: str

    @classmethod
    def from_config(cls, config: Mapping) -> MailSettings:
        return cls(
            host=config["HACKKIT_SMTP_HOST"],
            port=config["HACKKIT_SMTP_PORT"],
            security=config["HACKKIT_SMTP_SECURITY"],
            username=config["HACKKIT_SMTP_USERNAME"],
            password=config["HACKKIT_SMTP_PASSWORD"],
            sender=config["HACKKIT_MAIL_FROM"],
        )


def compose(settings: MailSettings, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(body)  # text/plain; utf-8 with a safe transfer encoding
    return message


def send_now(settings: MailSettings, message: EmailMessage) -> None:
    """Deliver one message; raises OSError or smtplib.SMTPException when it cannot."""
    context = ssl.create_default_context()
    if settings.security == "ssl":
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_SECONDS, context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
    with client:
        if settings.security == "starttls":
            client.starttls(context=context)
        if settings.username:
            client.login(settings.username, settings.password)
        client.send_message(message)


def _deliver(settings: MailSettings, message: EmailMessage) -> None:
    try:
        send_now(settings, message)
    except (OSError, smtplib.SMTPException) as error:
        # The address is logged so an organizer can help the person another way.
        log.error(
            "could not send e-mail %r to %s via %s:%s: %s: %s",
            message["Subject"],
            message["To"],
            settings.host,
            settings.port,
            error.__class__.__name__,
            error,
        )
    else:
        log.info("sent e-mail %r to %s", message["Subject"], message["To"])


def send_later(settings: MailSettings, message: EmailMessage) -> threading.Thread | None:
    """Send in the background; without a mail server, write the message to the log instead."""
    if not settings.host:
        # Development: no mail server, so the person running the hub reads the link here.
        log.warning(
            "HACKKIT_SMTP_HOST is not set, so this e-mail was not sent.\nTo: %s\nSubject: %s\n\n%s",
            message["To"],
            message["Subject"],
            message.get_content(),
        )
        return None
    thread = threading.Thread(target=_deliver, args=(settings, message), name="hackkit-mail", daemon=True)
    thread.start()
    return thread
