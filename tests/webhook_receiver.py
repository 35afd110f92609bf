"""A real HTTP receiver on localhost for webhook tests: it records what arrives and answers
what the test tells it to (a status, a redirect), one answer per request."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes


class WebhookReceiver:
    def __init__(self):
        self.received: list[Received] = []
        self.answers: deque = deque()  # (status, headers, body); empty means 200 "ok"
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                # Recorded before answering: when the hub has its answer, the test sees the request.
                receiver.received.append(Received(self.path, dict(self.headers.items()), body))
                status, headers, answer = receiver.answers.popleft() if receiver.answers else (200, {}, b"ok")
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, name="webhook-receiver", daemon=True)

    def url(self, path: str = "/hook", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def answer(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.answers.append((status, headers or {}, body))

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
