"""The /apps gallery: every sample app with its description, live preview, screenshot and download."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import hackkit_maps
import pytest

from hackkit.apps.registry import app_folders
from hackkit.extensions import db
from hackkit.services import curated

APPS = app_folders()
NAMES = [folder.name for folder in APPS]
EXTERNAL_ASSET = re.compile(r"""<(script|link)\b[^>]*(src|href)=["']https?://""", re.IGNORECASE)


@pytest.fixture
def curated_hub(app):
    with app.app_context():
        curated.load_curated(db.session)
    return app


def test_gallery_lists_every_sample_app_with_what_it_shows(client):
    page = client.get("/apps").get_data(as_text=True)

    for folder in APPS:
        assert f'href="/apps/{folder.name}"' in page
        assert f'src="/apps/{folder.name}/screenshot.png"' in page
        assert f'href="/apps/{folder.name}.zip"' in page
    assert "Facility finder" in page and "ranking by an estimated walking distance" in page


def test_app_page_has_the_preview_the_readme_and_the_command(client):
    page = client.get("/apps/facility-finder").get_data(as_text=True)

    assert '<iframe class="map-frame app-preview" src="/apps/facility-finder/preview"' in page
    assert "hackkit new-app facility-finder" in page
    assert "<h2>Where to change things</h2>" in page  # the README, rendered
    assert "<img" not in page.split("Read me")[1]  # sanitised: the README's image is not copied in


@pytest.mark.parametrize("name", NAMES)
def test_preview_draws_the_app_on_this_hubs_data_with_the_map_policy(curated_hub, name):
    curated_hub.config["HACKKIT_TILES"] = "none"
    response = curated_hub.test_client().get(f"/apps/{name}/preview")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-source="hub"' in html  # the hub's own API, called in-process
    assert not EXTERNAL_ASSET.search(html)
    assert "/maps/assets/leaflet/leaflet.js" in html
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "tile.openstreetmap.org" not in policy


def test_preview_without_the_data_falls_back_to_the_apps_extract(client):
    html = client.get("/apps/hello-map/preview").get_data(as_text=True)  # no datasets loaded here
    assert 'data-source="extract"' in html


def test_unknown_app_is_a_404_everywhere(client):
    for url in ("/apps/nope", "/apps/nope/preview", "/apps/nope.zip", "/apps/nope/screenshot.png", "/apps/..%2Fdocs"):
        assert client.get(url).status_code == 404, url


def test_download_is_the_standalone_folder_and_runs_after_unzipping(client, tmp_path):
    response = client.get("/apps/facility-finder.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert 'filename="facility-finder.zip"' in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert "facility-finder/app.py" in names and "facility-finder/data/public-toilets.geojson" in names
    assert not [n for n in names if re.search(r"node_modules|__pycache__|\.pytest_cache|\.pyc$", n)]
    # The app asks the hub it came from (HACKKIT_URL still overrides it).
    assert archive.read("facility-finder/HUB_URL").decode() == "http://localhost\n"

    # The kit comes along as a wheel that requirements.txt names.
    wheel = f"hackkit_maps-{hackkit_maps.__version__}-py3-none-any.whl"
    assert f"facility-finder/vendor/{wheel}" in names
    requirements = archive.read("facility-finder/requirements.txt").decode("utf-8").splitlines()
    assert f"./vendor/{wheel}" in requirements and not [line for line in requirements if line.startswith("hackkit")]

    archive.extractall(tmp_path)
    # Run on the kit from that wheel, not the one installed here: unpacked first on PYTHONPATH.
    kit = tmp_path / "kit"
    zipfile.ZipFile(tmp_path / "facility-finder" / "vendor" / wheel).extractall(kit)
    out = tmp_path / "map.html"
    env = {**os.environ, "HACKKIT_URL": "http://127.0.0.1:9", "PYTHONPATH": str(kit)}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "app.py", "--html", str(out)],
        cwd=tmp_path / "facility-finder",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert 'data-source="extract"' in html and "hackkit-finder" in html
    assert not EXTERNAL_ASSET.search(html)


def test_a_downloaded_app_asks_the_hub_it_came_from_and_a_forged_host_stays_text(client):
    answer = zipfile.ZipFile(io.BytesIO(client.get("/apps/hello-map.zip", base_url="https://hub.example.org").data))
    assert answer.read("hello-map/HUB_URL").decode() == "https://hub.example.org\n"
    forged = client.get("/apps/hello-map.zip", headers={"Host": "x\"+__import__('os').getcwd()+\""})
    if forged.status_code == 200:  # werkzeug may refuse such a host; if not, it is one line of text
        text = zipfile.ZipFile(io.BytesIO(forged.data)).read("hello-map/HUB_URL").decode()
        assert text.count("\n") == 1
    # The file is only text the kit reads; no Python of the app or the kit was rewritten.
    assert not any(name.endswith("hubdata.py") for name in answer.namelist())


def test_downloads_reuse_one_packed_wheel_of_the_kit(client, app):
    first = zipfile.ZipFile(io.BytesIO(client.get("/apps/hello-map.zip").data))
    second = zipfile.ZipFile(io.BytesIO(client.get("/apps/bike-share.zip").data))
    wheel = f"vendor/hackkit_maps-{hackkit_maps.__version__}-py3-none-any.whl"
    assert first.read(f"hello-map/{wheel}") == second.read(f"bike-share/{wheel}")
    cached = list((Path(app.instance_path) / "app-wheels").rglob("*.whl"))
    assert len(cached) == 1
