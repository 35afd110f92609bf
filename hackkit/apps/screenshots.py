"""Maintainers' tool: take each sample app's README screenshot in headless Chromium.

    python -m hackkit.apps.screenshots [APP ...]

Each app is served from its own folder with its offline extract and no tile server,
so the picture is reproducible on any machine (and shows what a team sees offline).
An app whose map does something on a click (facility-finder) sets SCREENSHOT_CLICK in
app.py: where to click, as fractions of the map's width and height, before the picture.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from hackkit.apps.registry import app_folders

CHROMIUM = "/usr/bin/chromium"


def _click_point(app_dir: Path) -> tuple[float, float] | None:
    from hackkit.apps.gallery import load_module

    return getattr(load_module(app_dir), "SCREENSHOT_CLICK", None)


def take(app_dir: Path, port: int) -> Path:
    env = {**os.environ, "HACKKIT_URL": "http://127.0.0.1:9", "HACKKIT_TILES": "none", "PORT": str(port)}
    server = subprocess.Popen([sys.executable, "app.py"], cwd=app_dir, env=env)  # noqa: S603
    try:
        url = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 (our own local server)
                break
            except OSError:
                time.sleep(0.2)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 960, "height": 600})
            page.goto(url)
            page.wait_for_timeout(1500)  # let markers, clusters and legends settle
            click = _click_point(app_dir)
            if click:
                box = page.locator(".folium-map").bounding_box()
                page.mouse.click(box["x"] + box["width"] * click[0], box["y"] + box["height"] * click[1])
                page.wait_for_timeout(500)
            target = app_dir / "screenshot.png"
            page.screenshot(path=str(target))
            browser.close()
        return target
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    wanted = set(sys.argv[1:])
    for number, folder in enumerate(app_folders()):
        if not wanted or folder.name in wanted:
            print("wrote", take(folder, 8700 + number))
