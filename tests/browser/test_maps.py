"""Maps in a real browser with HACKKIT_TILES=none: drawn, complete, and fully offline.

The page fixture already fails a test on any request that leaves the live server and
on any console error. The checks find the map by what it is (an L.Map, layers by
their Leaflet class, elements by Leaflet's CSS classes), not by folium's variable names.
"""

from __future__ import annotations

import json
from pathlib import Path

import folium
import pytest
from hackkit_maps.assets import inline_assets
from hackkit_maps.build import geojson_from_url

from hackkit.maps import render_map_html, views
from hackkit.maps.demo import GRID, POINTS
from tests.conftest import make_app
from tests.datasets.helpers import import_file, write_csv
from tests.maps import plugin_maps

DISTRICTS_FILE = Path(__file__).resolve().parents[2] / "datasets" / "districts" / "districts.geojson"

# Every Leaflet map on the page, whatever folium named its variable. (Some window
# properties, such as localStorage on a page without an origin, throw when read.)
FIND_MAPS = """const findMaps = () => Object.keys(window).filter((key) => {
  try { return window[key] instanceof L.Map; } catch (error) { return false; }
}).map((key) => window[key]);"""

# What is on the map, found through Leaflet itself.
MAP_CONTENTS = (
    "() => {"
    + FIND_MAPS
    + """
  const maps = findMaps();
  if (maps.length !== 1) return {maps: maps.length};
  const map = maps[0];
  const found = {maps: 1, tileLayers: 0, clusteredMarkers: 0, geojsonFeatures: [], heatLayers: 0};
  const is = (layer, name) => typeof L[name] === "function" && layer instanceof L[name];  // plugins may be absent
  map.eachLayer((layer) => {
    if (is(layer, "TileLayer")) found.tileLayers += 1;
    if (is(layer, "MarkerClusterGroup")) found.clusteredMarkers += layer.getLayers().length;
    if (is(layer, "GeoJSON")) found.geojsonFeatures.push(layer.getLayers().length);
    if (is(layer, "HeatLayer")) found.heatLayers += 1;
  });
  found.geojsonFeatures.sort((a, b) => a - b);
  return found;
}"""
)
ZOOM = "() => {" + FIND_MAPS + " return findMaps()[0].getZoom(); }"


THREE_DISTRICTS = plugin_maps.DISTRICTS | {"features": 3 * plugin_maps.DISTRICTS["features"]}


@pytest.fixture
def app(tmp_path, database_url):
    app = make_app(tmp_path, database_url, HACKKIT_TILES="none")
    # Stands in for the hub's rows.geojson until the data catalogue lands.
    app.add_url_rule("/test/districts.geojson", "test_districts", lambda: THREE_DISTRICTS)
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
    zoom_before = page.evaluate(ZOOM)
    page.locator(".marker-cluster").first.click()
    page.wait_for_function(f"({ZOOM})() > {zoom_before}")
    # Leaflet's default marker image is found next to leaflet.css, on the hub.
    page.wait_for_selector("img.leaflet-marker-icon[src*='/maps/assets/leaflet/images/marker-icon']")


@pytest.fixture
def plugin_map_url(request):
    """Serve a test map from the hub: the base map plus one plugin (a name or a function)."""

    def serve(plugin) -> str:
        add = plugin_maps.PLUGINS[plugin] if isinstance(plugin, str) else plugin

        def build():
            m = plugin_maps.base("none")
            add(m)
            return m

        name = f"test-{plugin if isinstance(plugin, str) else plugin.__name__}"
        views.register_map(name, build)
        request.addfinalizer(lambda: views.MAPS.pop(name, None))
        return f"/maps/{name}"

    return serve


@pytest.mark.parametrize("plugin", sorted(plugin_maps.PLUGINS))
def test_each_plugin_runs_offline_without_errors(page, plugin_map_url, plugin):
    page.goto(plugin_map_url(plugin))
    page.wait_for_load_state("load")
    contents = page.evaluate(MAP_CONTENTS)
    assert contents["maps"] == 1 and contents["tileLayers"] == 0
    assert 1 in contents["geojsonFeatures"]  # the basemap's one district is drawn
    # The page fixture then fails the test on any console error or external request.


def test_time_slider_map_plays_offline(page, time_map, browser_log):
    page.goto(time_map)
    page.wait_for_selector(".leaflet-control-timecontrol")
    page.locator(".timecontrol-forward").click()
    # The play/forward buttons draw glyphs from a font the plugin's CSS wanted from a CDN.
    page.wait_for_function("() => document.fonts.check('12px \"Glyphicons Halflings\"')")
    assert any("bootstrap3/dist/fonts/glyphicons" in url for url in browser_log.requests)
    assert page.locator(".legend svg").count() == 1


def test_standalone_file_draws_the_map_with_no_server_at_all(page, browser_log):
    m = plugin_maps.base("none")
    for plugin in ("marker_cluster", "heat_map", "colormap_legend", "fullscreen", "layer_control"):
        plugin_maps.PLUGINS[plugin](m)
    page.set_content(inline_assets(render_map_html(m)), wait_until="load")
    page.wait_for_selector(".leaflet-container .marker-cluster")
    contents = page.evaluate(MAP_CONTENTS)
    assert contents["clusteredMarkers"] == len(plugin_maps.POINTS) and contents["heatLayers"] == 1
    assert page.locator(".legend svg").count() == 1
    assert all(url.startswith("data:") for url in browser_log.requests)


def test_geojson_loaded_by_url_is_drawn_after_the_page(page, plugin_map_url):
    def by_url(m):
        geojson_from_url("/test/districts.geojson", name="by url").add_to(m)

    page.goto(plugin_map_url(by_url))
    page.wait_for_function("() => document.querySelectorAll('path.leaflet-interactive').length === 3")
    assert page.evaluate(MAP_CONTENTS)["geojsonFeatures"] == [1, 3]


def test_map_page_policy_makes_the_browser_refuse_other_servers(page, plugin_map_url, browser_log):
    def sneaky(m):
        # A script a team might paste in: the page's policy stops it before the network does.
        m.get_root().script.add_child(folium.Element("fetch('https://example.org/x').catch(() => {});"))

    browser_log.allow_console_error("Content Security Policy|Refused to connect")
    page.goto(plugin_map_url(sneaky))
    page.wait_for_selector(".leaflet-container")
    assert not browser_log.foreign_requests()


POINTS_CSV = "id;naam;lat;lon\n1;Meir;51.218;4.41\n2;Zuid;51.2;4.39\n3;Noord;51.23;4.42\n4;Linkeroever;51.22;4.38\n"
# Features the dataset layer (the one filled by fetch, hence not the basemap) holds.
FEATURE_COUNTS = (
    "() => { "
    + FIND_MAPS
    + """
  const maps = findMaps();
  if (maps.length !== 1) return [];
  const counts = [];
  maps[0].eachLayer((layer) => { if (layer instanceof L.GeoJSON) counts.push(layer.getLayers().length); });
  return counts.sort((a, b) => a - b);
}"""
)


def _district_count() -> int:
    return len(json.loads(DISTRICTS_FILE.read_text(encoding="utf-8"))["features"])


# Leaflet's own flags: no zoom animation running, no pan animation in progress.
MAP_AT_REST = (
    "() => { "
    + FIND_MAPS
    + " const m = findMaps()[0]; return !m._animatingZoom && !(m._panAnim && m._panAnim._inProgress); }"
)


def _map_frame(page, slug: str):
    page.locator("iframe.map-preview").wait_for()
    page.wait_for_function("() => !!document.querySelector('iframe.map-preview').contentWindow.L")
    return next(f for f in page.frames if f.url.endswith(f"/maps/datasets/{slug}"))


# The kit's fast point layer: how many points it drew, and whether its canvas is painted
# where each of them is (and not in the map's top left corner, where none is).
POINTS_DRAWN = (
    "() => { "
    + FIND_MAPS
    + """
  const map = findMaps()[0];
  let layer = null;
  map.eachLayer((l) => { if (L.HackkitPoints && l instanceof L.HackkitPoints) layer = l; });
  if (!layer || !layer.drawnPoints) return null;
  const canvas = document.querySelector("canvas.hackkit-points");
  const ratio = canvas.width / map.getSize().x;
  const alpha = (point) => canvas.getContext("2d").getImageData(
    Math.round(point.x * ratio), Math.round(point.y * ratio), 1, 1).data[3];
  const where = [[51.218, 4.41], [51.2, 4.39], [51.23, 4.42], [51.22, 4.38]];
  return {
    drawn: layer.drawnPoints,
    painted: where.map((latlon) => alpha(map.latLngToContainerPoint(latlon)) > 0),
    corner: alpha(L.point(1, 1)),
  };
}"""
)


def test_dataset_page_map_draws_every_point_over_the_district_outlines_offline(page, app, tmp_path, browser_log):
    import_file(app, DISTRICTS_FILE, slug="districts", title="Districts")
    import_file(app, write_csv(tmp_path, "stops.csv", POINTS_CSV), slug="stops", title="Stops")
    page.goto("/datasets/stops")
    frame = _map_frame(page, "stops")
    frame.wait_for_function(f"() => ({POINTS_DRAWN})() !== null")
    assert frame.evaluate(POINTS_DRAWN) == {"drawn": 4, "painted": [True] * 4, "corner": 0}
    contents = frame.evaluate(MAP_CONTENTS)
    assert contents["tileLayers"] == 0 and contents["geojsonFeatures"] == [_district_count()]  # the basemap
    # Drawn on one canvas, not as one DOM marker per point.
    assert frame.locator("img.leaflet-marker-icon").count() == 0
    assert any("/datasets/stops/map-points" in url for url in browser_log.requests)
    assert not browser_log.foreign_requests()


def test_dataset_page_map_of_shapes_draws_each_shape_once(page, app, browser_log):
    import_file(app, DISTRICTS_FILE, slug="districts", title="Districts")
    page.goto("/datasets/districts")
    frame = _map_frame(page, "districts")
    frame.wait_for_function(f"() => JSON.stringify(({FEATURE_COUNTS})()) === '[{_district_count()}]'")
    # Its own outlines are the data: no basemap of the same shapes underneath.
    assert frame.evaluate(MAP_CONTENTS)["geojsonFeatures"] == [_district_count()]
    assert not browser_log.foreign_requests()


def test_gallery_project_map_draws_every_district_offline(page, app, browser_log):
    from tests.events.test_project_map import NAMES, event_with_projects

    import_file(app, DISTRICTS_FILE, slug="districts", title="Districts")
    slug, _organizer = event_with_projects(app)
    page.goto(f"/events/{slug}/projects")
    page.locator("iframe.map-preview").wait_for()
    page.wait_for_function("() => !!document.querySelector('iframe.map-preview').contentWindow.L")
    frame = next(f for f in page.frames if f.url.endswith(f"/maps/events/{slug}/projects"))
    frame.wait_for_selector("path.leaflet-interactive")
    contents = frame.evaluate(MAP_CONTENTS)
    # One layer, one shape per district (no basemap of the same outlines underneath).
    assert contents["tileLayers"] == 0 and contents["geojsonFeatures"] == [len(NAMES)]
    assert frame.locator("path.leaflet-interactive").count() == len(NAMES)
    # The districts without a project are drawn dashed: all but the two with projects.
    assert frame.locator("path.leaflet-interactive[stroke-dasharray]").count() == len(NAMES) - 2
    # The tooltip of the district with two projects, one titled with markup, shows it as text.
    frame.evaluate(
        "() => {"
        + FIND_MAPS
        + """
      findMaps()[0].eachLayer((layer) => {
        if (layer.feature && layer.feature.properties.projects === 2) {
          layer.fire("mouseover", {latlng: layer.getBounds().getCenter()}, true);  // as a pointer would
        }
      });
    }"""
    )
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert '<img src=x onerror="alert(1)"> & Co' in tooltip.inner_text() and "2 projects" in tooltip.inner_text()
    assert frame.locator(".leaflet-tooltip img").count() == 0  # the hostile title stayed text
    assert not browser_log.foreign_requests()


def test_a_point_on_the_dataset_map_opens_its_row_on_a_phone_in_dutch(browser, live_server, app, tmp_path):
    # Two stops share Meir's place: the popup shows one and says there is one more.
    csv = POINTS_CSV + "5;Meir <i>bis</i>;51.218;4.41\n"
    import_file(app, write_csv(tmp_path, "stops.csv", csv), slug="stops", title="Stops")
    context = browser.new_context(
        base_url=live_server, locale="nl-BE", viewport={"width": 390, "height": 844}, has_touch=True
    )
    try:
        phone = context.new_page()
        phone.goto("/datasets/stops")
        frame = _map_frame(phone, "stops")
        frame.wait_for_function(f"() => ({POINTS_DRAWN})() !== null")
        for name, latlon, more in (("Zuid", [51.2, 4.39], False), ("Meir", [51.218, 4.41], True)):
            # A tap while the map is still zooming or panning (the popup before this one moved
            # it) is not a click to Leaflet: wait until it rests, then work out where to tap.
            frame.wait_for_function(MAP_AT_REST)
            box = frame.evaluate(
                "(ll) => { " + FIND_MAPS + " const p = findMaps()[0].latLngToContainerPoint(ll); return [p.x, p.y]; }",
                latlon,
            )
            frame.locator(".leaflet-container").tap(position={"x": box[0] + 2, "y": box[1] + 1})
            popup = frame.locator(".hackkit-points-popup")
            popup.wait_for()
            frame.wait_for_function(
                "(name) => document.querySelector('.hackkit-points-popup').innerText.includes(name)", arg=name
            )
            text = popup.inner_text()
            assert "naam" in text and ("1 meer op deze plek" in text) is more
            assert popup.locator("i").count() == 0  # a name with markup stays text
            frame.locator(".leaflet-popup-close-button").tap()
            popup.wait_for(state="detached")
    finally:
        context.close()
