"""Real-browser fixtures: the hub on a live local server, driven by headless Chromium.

Every test in this folder is marked `browser`. Chromium comes from Debian
(/usr/bin/chromium); without it the tests are skipped, unless HACKKIT_REQUIRE_BROWSER
is set, in which case a missing browser is a failure.

The `page` fixture also checks, after each test, that the page never asked for
anything outside the live server and that the browser logged no console errors or
uncaught page errors.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEFAULT_TIMEOUT_MS = 5_000


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see a failure."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium is not installed at {CHROMIUM}"
        if os.environ.get("HACKKIT_REQUIRE_BROWSER"):
            pytest.fail(message + " (HACKKIT_REQUIRE_BROWSER is set, so this is a failure)", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class BrowserLog:
    """What the page did besides what the test asked: requests, console errors, crashes."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        # Console messages a test expects (e.g. the status line of a deliberate 401).
        self.allowed_console: list[re.Pattern] = []

    def is_local(self, url: str) -> bool:
        return url == self.base_url or url.startswith(self.base_url + "/") or url.startswith(("data:", "blob:"))

    def allow_console_error(self, pattern: str) -> None:
        self.allowed_console.append(re.compile(pattern))

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not self.is_local(url)]

    def unexpected_console_errors(self) -> list[str]:
        return [
            text for text in self.console_errors if not any(pattern.search(text) for pattern in self.allowed_console)
        ]


@pytest.fixture
def browser_log(live_server):
    return BrowserLog(live_server)


@pytest.fixture
def page(browser, live_server, browser_log, request):
    context = browser.new_context(
        base_url=live_server, locale="en-US", timezone_id="Europe/Amsterdam", service_workers="block"
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    context.on("request", lambda req: browser_log.requests.append(req.url))
    # Anything off the live server is refused outright, so a test never touches the network.
    context.route(lambda url: not browser_log.is_local(url), lambda route: route.abort("blockedbyclient"))
    page = context.new_page()

    def on_console(message):
        if message.type == "error":
            location = message.location or {}
            browser_log.console_errors.append(f"{message.text} ({location.get('url', '?')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: browser_log.page_errors.append(str(error)))
    try:
        yield page
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            # A screenshot is a courtesy: it must never hide the real failure.
            with contextlib.suppress(Exception):
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        context.close()

    foreign = browser_log.foreign_requests()
    assert not foreign, f"the page requested URLs outside the live server: {foreign}"
    console = browser_log.unexpected_console_errors()
    assert not console, f"the browser logged console errors: {console}"
    assert not browser_log.page_errors, f"the page raised errors: {browser_log.page_errors}"
