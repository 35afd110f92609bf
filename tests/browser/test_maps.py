"""Maps in a real browser with HACKKIT_TILES=none: drawn, complete, and fully offline.

The page fixture already fails a test on any request that leaves the live server and
on any console error. The checks find the map by what it is (an L.Map, layers by
their Leaflet class, elements by Leaflet's CSS classes), not by folium's variable names.
"""

from __future__ import annotations

import pytest

from hackkit.maps import views
from hackkit.maps.demo import GRID, POINTS
from tests.conftest import make_app
from tests.maps import plugin_maps

# What is on the map, found through Leaflet itself.
MAP_CONTENTS = """() => {
  const maps = Object.values(window).filter((value) => value instanceof L.Map);
  if (maps.length !== 1) return {maps: maps.length};
  const map = maps[0];
  const found = {maps: 1, tileLayers: 0, clusteredMarkers: 0, geojsonFeatures: [], heatLayers: 0};
  map.eachLayer((layer) => {
    if (layer instanceof L.TileLayer) found.tileLayers += 1;
    if (layer instanceof L.MarkerClusterGroup) found.clusteredMarkers += layer.getLayers().length;
    if (layer instanceof L.GeoJSON) found.geojsonFeatures.push(layer.getLayers().length);
    if (layer instanceof L.HeatLayer) found.heatLayers += 1;
  });
  found.geojsonFeatures.sort((a, b) => a - b);
  return found;
}"""


@pytest.fixture
def app(tmp_path, database_url):
    app = make_app(tmp_path, database_url, HACKKIT_TILES="none")
    yield app


@pytest.fixture
def time_map():
    """A map page with the time slider, whose CSS asks a CDN for a glyph font."""

    def build():
        m = plugin_maps.base("none")
        plugin_maps.timestamped_geojson(m)
        plugin_maps.colormap_legend(m)
        return m

    views.register_map("test-time-slider", build)
    yield "/maps/test-time-slider"
    views.MAPS.pop("test-time-slider")


def test_demo_map_is_drawn_offline_with_every_layer(page, browser_log):
    page.goto("/maps/demo")
    page.wait_for_selector(".leaflet-container .marker-cluster")
    contents = page.evaluate(MAP_CONTENTS)
    assert contents == {
        "maps": 1,
        "tileLayers": 0,
        "clusteredMarkers": POINTS,
        "geojsonFeatures": [GRID * GRID, GRID * GRID],  # the basemap and the indicator layer
        "heatLayers": 1,
    }
    assert page.locator("img.leaflet-tile").count() == 0
    assert page.locator("canvas.leaflet-heatmap-layer").count() == 1
    assert page.locator(".legend svg").count() == 1  # branca's colormap legend, drawn by d3
    assert page.locator(".leaflet-control-layers").count() == 1
    assert page.locator(".leaflet-control-zoom-fullscreen").count() == 1
    # Every file the page asked for came from the hub's assets route.
    assets = [url for url in browser_log.requests if "/maps/assets/" in url]
    assert len(assets) >= 10 and not browser_log.foreign_requests()


def test_clicking_a_cluster_zooms_in_and_shows_markers(page):
    page.goto("/maps/demo")
    zoom_before = page.evaluate("() => Object.values(window).find((v) => v instanceof L.Map).getZoom()")
    page.locator(".marker-cluster").first.click()
    page.wait_for_function(
        f"() => Object.values(window).find((v) => v instanceof L.Map).getZoom() > {zoom_before}", timeout=5000
    )
    # Leaflet's default marker image is found next to leaflet.css, on the hub.
    page.wait_for_selector("img.leaflet-marker-icon[src*='/maps/assets/leaflet/images/marker-icon']")


def test_time_slider_map_plays_offline(page, time_map, browser_log):
    page.goto(time_map)
    page.wait_for_selector(".leaflet-control-timecontrol")
    page.locator(".timecontrol-forward").click()
    # The play/forward buttons draw glyphs from a font the plugin's CSS wanted from a CDN.
    page.wait_for_function("() => document.fonts.check('12px \"Glyphicons Halflings\"')")
    assert any("bootstrap3/dist/fonts/glyphicons" in url for url in browser_log.requests)
    assert page.locator(".legend svg").count() == 1
