"""Fixtures for a map app's own tests: a pytest plugin, loaded wherever hackkit-maps is installed.

The app is the folder holding app.py: pytest's rootdir (the app's pytest.ini) or, failing
that, the nearest folder above where pytest was started.

- `app_dir`: that folder.
- `app_module`: the app's app.py, imported from it.
- `dead_hub`: a hub URL where nothing answers, for the offline fallback.
- `stand_in_hub`: a small local server answering rows.geojson from the app's data/ extracts,
  the way a hackkit hub does, for the live path without running a hub. Any other API path
  /api/v1/<path> is answered from tests/hub/<path>.json when the app has that file.
- `serve_app(hub_url, tiles)`: the app's own Flask server on a free port; returns its URL.
- `browser_page`: headless Chromium (Debian's /usr/bin/chromium via Playwright). Requests to
  anything but 127.0.0.1 are refused and recorded; after the test there must be none, and no
  JavaScript error but those a test allows (`browser_page.log.allow_error(pattern)`). Skipped
  when Chromium or Playwright is missing, unless HACKKIT_REQUIRE_BROWSER is set.
- `refused_url`: a http://127.0.0.1:<port> where nothing listens, e.g. a tile server that is
  not there (HACKKIT_TILE_URL) to see a map fall back to its no-tile basemap.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def find_app_dir(config: pytest.Config) -> Path:
    for start in (config.rootpath, config.invocation_params.dir):
        for folder in (start, *start.parents):
            if (folder / "app.py").is_file():
                return folder
    raise pytest.UsageError("hackkit-maps: no app.py in the folder pytest runs in, or above it")


@pytest.fixture(scope="session")
def app_dir(pytestconfig) -> Path:
    return find_app_dir(pytestconfig)


@pytest.fixture(scope="session")
def app_module(app_dir):
    sys.path.insert(0, str(app_dir))  # the app's own helper modules beside app.py
    spec = importlib.util.spec_from_file_location("sample_app", app_dir / "app.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as `import` would: dataclasses in app.py look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def dead_hub() -> str:
    return "http://127.0.0.1:9"  # the discard port: the connection is refused at once


@pytest.fixture
def refused_url() -> str:
    with socket.socket() as probe:  # a port that was free a moment ago: connections are refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class _Served:
    def __init__(self, wsgi_app):
        self.server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stand_in_hub(app_dir) -> Iterator[str]:
    @Request.application
    def answer(request: Request) -> Response:
        parts = request.path.strip("/").split("/")
        if parts[:3] == ["api", "v1", "datasets"] and len(parts) == 5 and parts[4] == "rows.geojson":
            extract = app_dir / "data" / f"{parts[3]}.geojson"
            if extract.is_file():
                return Response(extract.read_bytes(), mimetype="application/geo+json")
        answer_file = (app_dir / "tests" / "hub" / "/".join(parts[2:])).with_suffix(".json")
        known = {path.resolve() for path in (app_dir / "tests" / "hub").rglob("*.json")}
        if parts[:2] == ["api", "v1"] and answer_file.resolve() in known:  # only files that are there, no ".."
            return Response(answer_file.read_bytes(), mimetype="application/json")
        body = json.dumps({"ok": False, "error": "not found", "status": 404})
        return Response(body, status=404, mimetype="application/json")

    served = _Served(answer)
    yield served.url
    served.stop()


@pytest.fixture
def serve_app(app_module):
    servers = []

    def start(hub_url: str, tiles: str = "none") -> str:
        os.environ["HACKKIT_TILES"] = tiles
        servers.append(_Served(app_module.create_app(hub_url)))
        return servers[-1].url

    yield start
    for served in servers:
        served.stop()
    os.environ.pop("HACKKIT_TILES", None)


@pytest.fixture(scope="session")
def _browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not os.path.exists(CHROMIUM):
        message = f"needs Playwright (pip install playwright) and Chromium at {CHROMIUM}"
        if os.environ.get("HACKKIT_REQUIRE_BROWSER"):
            pytest.fail(message + " (HACKKIT_REQUIRE_BROWSER is set, so this is a failure)", pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


class BrowserLog:
    def __init__(self):
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.allowed: list[re.Pattern] = []  # console errors a test expects

    def allow_error(self, pattern: str) -> None:
        """Expect console errors matching `pattern` (e.g. tiles from a server that refuses)."""
        self.allowed.append(re.compile(pattern))

    def unexpected_errors(self) -> list[str]:
        return [text for text in self.errors if not any(pattern.search(text) for pattern in self.allowed)]


@pytest.fixture
def browser_page(_browser):
    log = BrowserLog()
    context = _browser.new_context(service_workers="block")
    context.set_default_timeout(10_000)

    def local(url: str) -> bool:
        return url.startswith(("http://127.0.0.1:", "data:", "blob:"))

    def refuse(route):
        log.foreign.append(route.request.url)
        route.abort("blockedbyclient")

    context.route(lambda url: not local(url), refuse)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and log.errors.append(message.text))
    page.on("pageerror", lambda error: log.errors.append(str(error)))
    page.log = log
    yield page
    context.close()
    assert not log.foreign, f"the map asked other servers for: {log.foreign}"
    assert not log.unexpected_errors(), f"JavaScript errors: {log.unexpected_errors()}"
