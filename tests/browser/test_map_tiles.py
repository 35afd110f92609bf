"""A venue without internet: the hub's maps notice that the tile server does not answer.

The tile URL points at a port on this machine where nothing listens (HACKKIT_TILE_URL), as
a tile server out of reach would behave. Every map, the demo, a dataset's preview and the
projects per district, then drops its tiles for the district outlines and says so.
"""

from __future__ import annotations

import socket

import pytest

from tests.conftest import make_app


@pytest.fixture
def refused_tiles() -> str:
    with socket.socket() as probe:  # free a moment ago: connections to it are refused
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.fixture
def app(tmp_path, database_url, refused_tiles):
    yield make_app(tmp_path, database_url, HACKKIT_TILES="osm", HACKKIT_TILE_URL=refused_tiles + "/{z}/{x}/{y}.png")


@pytest.fixture
def allow_refused_tiles(browser_log, refused_tiles):
    """The refused tile requests are the point of the test: neither foreign nor an error."""
    local = browser_log.is_local
    browser_log.is_local = lambda url: local(url) or url.startswith(refused_tiles + "/")
    browser_log.allow_console_error("ERR_CONNECTION_REFUSED")


@pytest.mark.browser
@pytest.mark.parametrize("language, says", [("en", "district outlines"), ("nl", "wijkgrenzen")])
def test_demo_map_switches_to_the_district_outlines_and_says_so(page, allow_refused_tiles, language, says):
    page.request.post("/language", form={"lang": language, "next": "/"})  # the language switch, as a visitor uses it
    page.goto("/maps/demo")
    notice = page.locator(".hackkit-tiles-notice")
    notice.wait_for()

    assert says in notice.inner_text()
    assert notice.get_attribute("role") == "status"
    assert page.locator(".folium-map").get_attribute("data-tiles") == "fallback"
    outlines = page.locator(".leaflet-hackkit-basemap-pane path")
    assert outlines.count() == 9 and outlines.first.is_visible()  # the demo's 3 x 3 districts
    assert page.locator(".leaflet-tile-pane img").count() == 0


@pytest.mark.browser
def test_a_datasets_map_preview_switches_to_the_district_outlines_too(page, app, tmp_path, allow_refused_tiles):
    from tests.browser.test_maps import DISTRICTS_FILE, POINTS_CSV, _district_count
    from tests.datasets.helpers import import_file, write_csv

    import_file(app, DISTRICTS_FILE, slug="districts", title="Districts")
    import_file(app, write_csv(tmp_path, "stops.csv", POINTS_CSV), slug="stops", title="Stops")
    page.goto("/maps/datasets/stops")
    page.locator(".hackkit-tiles-notice").wait_for()

    assert page.locator(".folium-map").get_attribute("data-tiles") == "fallback"
    # The preview draws on a canvas: the outlines are found through Leaflet, in their pane.
    basemap = page.evaluate(
        """() => {
            const pane = document.querySelector('.leaflet-hackkit-basemap-pane');
            const isMap = (v) => { try { return v instanceof L.Map; } catch (e) { return false; } };
            const map = Object.values(window).find(isMap);
            let features = 0;
            map.eachLayer((layer) => {
                const basemap = layer instanceof L.GeoJSON && layer.options.pane === 'hackkit-basemap';
                if (basemap) features += layer.getLayers().length;
            });
            return {display: getComputedStyle(pane).display, features};
        }"""
    )
    assert basemap == {"display": "block", "features": _district_count()}
    assert page.locator(".leaflet-tile-pane img").count() == 0


@pytest.mark.browser
def test_the_notice_steps_aside_while_a_clicked_point_shows_its_row(page, app, tmp_path, allow_refused_tiles):
    # On a phone the notice covers a third of the map, and Leaflet puts controls above popups.
    from tests.browser.test_maps import DISTRICTS_FILE, POINTS_CSV, POINTS_DRAWN
    from tests.datasets.helpers import import_file, write_csv

    import_file(app, DISTRICTS_FILE, slug="districts", title="Districts")
    import_file(app, write_csv(tmp_path, "stops.csv", POINTS_CSV), slug="stops", title="Stops")
    page.set_viewport_size({"width": 390, "height": 700})
    page.goto("/maps/datasets/stops")
    notice = page.locator(".hackkit-tiles-notice")
    notice.wait_for()
    page.wait_for_function(f"() => ({POINTS_DRAWN})() !== null")
    meir = page.evaluate(
        "() => { const isMap = (v) => { try { return v instanceof L.Map; } catch (e) { return false; } };"
        " const p = Object.values(window).find(isMap).latLngToContainerPoint([51.218, 4.41]); return [p.x, p.y]; }"
    )
    page.locator(".leaflet-container").click(position={"x": meir[0], "y": meir[1]})
    page.locator(".hackkit-points-popup").wait_for()
    notice.wait_for(state="hidden")
    page.locator(".leaflet-popup-close-button").click()
    notice.wait_for(state="visible")
