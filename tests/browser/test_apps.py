"""The sample-app gallery in a real browser with HACKKIT_TILES=none: every preview draws its map
from this hub's data, and nothing is asked of any other server (the page fixture checks)."""

from __future__ import annotations

import pytest

from hackkit.apps.registry import app_folders
from hackkit.extensions import db
from hackkit.services import curated
from tests.conftest import make_app

NAMES = [folder.name for folder in app_folders()]
SLUGS = ("public-toilets", "playgrounds")  # what facility-finder shows, one dot per row


@pytest.fixture
def app(tmp_path, database_url):
    app = make_app(tmp_path, database_url, HACKKIT_TILES="none")
    with app.app_context():
        curated.load_curated(db.session)
    yield app


def test_gallery_lists_every_sample_app(page):
    page.goto("/apps")

    cards = page.locator(".app-gallery > li")
    assert cards.count() == len(NAMES)
    assert page.locator(".app-gallery h2 a").all_inner_texts()[0]  # titles, not folder names
    for name in NAMES:
        assert page.locator(f'.app-gallery a[href="/apps/{name}.zip"]').count() == 1
    # Every screenshot loads (a broken image has no natural width). They load lazily: scroll
    # each into view, then wait until the browser has them all.
    screenshots = page.locator(".app-screenshot")
    assert screenshots.count() == len(NAMES)
    for index in range(screenshots.count()):
        screenshots.nth(index).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.app-screenshot')]"
        ".every((image) => image.complete && image.naturalWidth > 0)"
    )


@pytest.mark.parametrize("name", NAMES)
def test_each_preview_draws_a_map_offline(page, name):
    page.goto(f"/apps/{name}")
    page.locator("iframe.app-preview").scroll_into_view_if_needed()
    preview = page.frame_locator("iframe.app-preview")

    preview.locator(".leaflet-container").wait_for(timeout=30_000)  # a busy CI machine builds the map slowly
    notice = preview.locator(".hackkit-source-notice")
    assert notice.get_attribute("data-source") == "hub"  # this hub's own data


def test_facility_finder_preview_shows_every_facility_of_the_hub(page):
    page.goto("/apps/facility-finder")
    page.locator("iframe.app-preview").scroll_into_view_if_needed()
    preview = page.frame_locator("iframe.app-preview")

    preview.locator(".hackkit-finder").wait_for()
    totals = [page.request.get(f"/api/v1/datasets/{slug}/rows?_size=1").json()["total"] for slug in SLUGS]
    assert preview.locator("path.leaflet-interactive").count() == sum(totals) > 0
