"""A client that promises more than it sends cannot hold a server thread: the development
server (`hackkit run`) and gunicorn with gunicorn.conf.py, each a real process on a real
socket, answer or hang up within HACKKIT_READ_TIMEOUT (1 second here)."""

from __future__ import annotations

import os
import re
import selectors
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
READ_TIMEOUT = 1
PATIENCE = 20  # how long the test waits on the socket; a server without a read timeout waits for ever
LISTENING = re.compile(rb"(?:Running on|Listening at:) http://127\.0\.0\.1:(\d+)")
CUT_SHORT = (
    b"POST /api/3/action/package_show HTTP/1.1\r\nHost: localhost\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
    b"id=abcdefg"  # 10 of the 1000 bytes promised
)


def _environment(database_url: str, instance: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HACKKIT_", "FLASK_"))}
    env.update(
        HACKKIT_DATABASE_URL=database_url,
        HACKKIT_INSTANCE_PATH=str(instance),
        HACKKIT_SECRET_KEY="read-timeout-test",
        HACKKIT_READ_TIMEOUT=str(READ_TIMEOUT),
        PYTHONUNBUFFERED="1",
    )
    return env


def _wait_for_port(process: subprocess.Popen) -> int:
    """The port the server prints once it listens (waiting on its output, never a sleep)."""
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    output = b""
    while not (match := LISTENING.search(output)):
        assert selector.select(timeout=60), output.decode(errors="replace")
        chunk = os.read(process.stdout.fileno(), 65536)  # unbuffered: select() sees what is left
        assert chunk, "the server stopped: " + output.decode(errors="replace")
        output += chunk
    return int(match.group(1))


@pytest.fixture(params=["hackkit run", "gunicorn"])
def server(request, database_url, tmp_path):
    if request.param == "hackkit run":
        command = [sys.executable, "-c", "from hackkit.cli import main; main()", "run", "--port", "0"]
    else:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "-c", str(ROOT / "gunicorn.conf.py"), "hackkit:create_app()"]
    env = _environment(database_url, tmp_path / "instance")
    env.update(HOST="127.0.0.1", PORT="0", WEB_CONCURRENCY="1", GUNICORN_THREADS="1")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        yield request.param, _wait_for_port(process)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _answer(port: int, data: bytes) -> bytes:
    """Send `data` and read until the server closes; a socket.timeout fails the test."""
    with socket.create_connection(("127.0.0.1", port), timeout=PATIENCE) as conn:
        conn.sendall(data)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
            if b"\r\n\r\n" in received and b"Connection: close" not in received:
                break  # an answer on a connection kept open: enough
        return received


def test_a_body_shorter_than_its_content_length_is_answered_within_the_read_timeout(server):
    _name, port = server
    answer = _answer(port, CUT_SHORT)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:300]
    assert b"Traceback" not in answer
    # The thread is free again: the next request is served.
    assert _answer(port, b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").startswith(
        b"HTTP/1.1 200"
    )


@pytest.mark.parametrize("server", ["hackkit run"], indirect=True)  # gunicorn: the proxy's job (docs/deploy.md)
def test_headers_that_never_end_are_cut_off_by_the_development_server(server):
    _name, port = server
    assert _answer(port, b"POST /api/3/action/package_show HTTP/1.1\r\nHost: localhost\r\n") == b""
