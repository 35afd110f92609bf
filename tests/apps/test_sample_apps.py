"""Each sample app, run with its one command against a real hub, and with the hub stopped."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from hackkit.apps.registry import app_folders
from hackkit.extensions import db
from hackkit.services import curated

APPS = app_folders()
EXTERNAL_ASSET = re.compile(r"""<(script|link)\b[^>]*(src|href)=["']https?://""", re.IGNORECASE)


@pytest.fixture
def hub(app, live_server):
    """A hub serving the curated demo datasets, as `make run` leaves it."""
    with app.app_context():
        curated.load_curated(db.session)
    return live_server


def write_html(app_dir, out, hub_url: str) -> str:
    env = {**os.environ, "HACKKIT_URL": hub_url, "HACKKIT_TIMEOUT": "10"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "app.py", "--html", str(out)],
        cwd=app_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("app_dir", APPS, ids=[folder.name for folder in APPS])
def test_app_shows_live_data_from_a_running_hub(app_dir, hub, tmp_path):
    html = write_html(app_dir, tmp_path / "map.html", hub)

    assert 'data-source="hub"' in html
    assert 'data-source="extract"' not in html
    assert not EXTERNAL_ASSET.search(html)


@pytest.mark.parametrize("app_dir", APPS, ids=[folder.name for folder in APPS])
def test_app_falls_back_to_its_extract_when_the_hub_is_down(app_dir, tmp_path):
    html = write_html(app_dir, tmp_path / "map.html", "http://127.0.0.1:9")

    assert 'data-source="extract"' in html
    assert not EXTERNAL_ASSET.search(html)
