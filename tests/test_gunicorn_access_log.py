"""gunicorn.conf.py logs each request by default, and GUNICORN_ACCESS_LOG="" turns that off for a
hub behind a proxy that keeps its own access log (docs/deploy.md): a real gunicorn on a real
socket, its whole output read after it has stopped."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.test_read_timeout import ROOT, _environment, _wait_for_port


def _output_of_gunicorn_serving(database_url: str, instance: Path, access_log: str | None) -> bytes:
    env = _environment(database_url, instance)
    env.update(HOST="127.0.0.1", PORT="0", WEB_CONCURRENCY="1", GUNICORN_THREADS="1")
    env.pop("GUNICORN_ACCESS_LOG", None)
    if access_log is not None:
        env["GUNICORN_ACCESS_LOG"] = access_log
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "-c", str(ROOT / "gunicorn.conf.py"), "hackkit:create_app()"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        port = _wait_for_port(process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz?asked-by-the-test", timeout=30) as answer:
            assert answer.status == 200
    finally:
        process.terminate()
        rest, _ = process.communicate(timeout=30)
    return rest


@pytest.mark.parametrize(("access_log", "logged"), [(None, True), ("", False)])
def test_access_log_is_on_by_default_and_off_when_empty(database_url, tmp_path, access_log, logged):
    output = _output_of_gunicorn_serving(database_url, tmp_path / "instance", access_log)
    assert (b"GET /healthz?asked-by-the-test" in output) is logged, output.decode(errors="replace")
