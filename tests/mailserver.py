"""A real SMTP server on a free local port (aiosmtpd), keeping what it receives."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller

RESET_LINK_RE = re.compile(r"https?://[^/\s]+(/auth/reset/\S+)")


def reset_link(text: str) -> str:
    """The path of the password-reset link in an e-mail's text."""
    match = RESET_LINK_RE.search(text)
    assert match, text
    return match.group(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalSmtpServer:
    def __init__(self):
        self.messages: list[EmailMessage] = []
        self._arrived = threading.Condition()
        self.port = free_port()
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> None:
        """Serve on the port (again, after `stop`: a test of the mail server coming back)."""
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def config(self) -> dict:
        """The hub settings that send mail here."""
        return {"HACKKIT_SMTP_HOST": "127.0.0.1", "HACKKIT_SMTP_PORT": self.port, "HACKKIT_SMTP_SECURITY": "none"}

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[EmailMessage]:
        """The first `count` messages, waiting for them to arrive; fails after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"expected {count} e-mail(s), got {len(self.messages)}"
                self._arrived.wait(left)
            return list(self.messages[:count])
