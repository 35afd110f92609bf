"""Hello map: data from the hub or the extract, the layers on the page, and the map in a browser."""

from __future__ import annotations

import json
import random
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

DATA = Path(__file__).resolve().parents[1] / "data"
EXTERNAL_ASSET = re.compile(r"""<(script|link)\b[^>]*(src|href)=["']https?://""", re.IGNORECASE)


def extract(name: str) -> dict:
    return json.loads((DATA / f"{name}.geojson").read_text(encoding="utf-8"))


def test_unreachable_hub_falls_back_to_the_extract_and_says_so(app_module, dead_hub):
    data = app_module.load(app_module.hubdata.Hub(dead_hub, extract_dir=DATA))

    assert {loaded.source for loaded in data.values()} == {"extract"}
    assert data["points"].data == extract(app_module.POINTS_DATASET)
    assert "could not be reached" in data["points"].notice


def test_reachable_hub_gives_live_data(app_module, stand_in_hub):
    data = app_module.load(app_module.hubdata.Hub(stand_in_hub, extract_dir=DATA))

    assert {loaded.source for loaded in data.values()} == {"hub"}
    assert len(data["areas"].data["features"]) == len(extract(app_module.AREAS_DATASET)["features"])


def test_page_has_the_layers_and_loads_nothing_from_other_servers(app_module, dead_hub):
    html = app_module.render(app_module.hubdata.Hub(dead_hub, extract_dir=DATA), tiles="none")

    assert not EXTERNAL_ASSET.search(html)
    assert "Districts" in html and "Playgrounds" in html  # the two entries of the layer control
    assert 'data-source="extract"' in html
    assert html.count("L.marker(") == len(extract(app_module.POINTS_DATASET)["features"])


def test_text_from_data_is_escaped_in_popups_and_tooltips(app_module):
    hubdata = app_module.hubdata
    hostile = "<img src=x onerror=alert(1)>"
    points = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [4.4, 51.2]},
                "properties": {"name": hostile},
            }
        ],
    }
    areas = extract(app_module.AREAS_DATASET)
    areas["features"][0]["properties"]["name"] = hostile
    data = {"points": hubdata.Loaded(points, "hub", "test"), "areas": hubdata.Loaded(areas, "hub", "test")}

    html = app_module.render_map_html(app_module.build_map(data, tiles="none"), asset_base="/assets")

    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_browser_draws_every_marker_and_district_with_no_outside_request(app_module, serve_app, dead_hub, browser_page):
    url = serve_app(dead_hub, tiles="none")

    browser_page.goto(url)
    browser_page.wait_for_selector(".leaflet-marker-icon")

    markers = browser_page.locator(".leaflet-marker-icon").count()
    assert markers == len(extract(app_module.POINTS_DATASET)["features"])
    outlines = browser_page.locator("path.leaflet-interactive").count()
    assert outlines == len(extract(app_module.AREAS_DATASET)["features"])
    assert "demo extract" in browser_page.locator(".hackkit-source-notice").inner_text()


def test_without_internet_the_map_switches_to_the_district_outlines_and_says_so(
    app_module, serve_app, dead_hub, browser_page, refused_url, monkeypatch
):
    # A venue without internet: the tile server does not answer (here a port where nothing
    # listens). The map drops its tiles for the district outlines, and says so.
    monkeypatch.setenv("HACKKIT_TILE_URL", refused_url + "/{z}/{x}/{y}.png")
    browser_page.log.allow_error("ERR_CONNECTION_REFUSED")
    url = serve_app(dead_hub, tiles="osm")

    browser_page.goto(url)
    notice = browser_page.locator(".hackkit-tiles-notice")
    notice.wait_for()

    assert "district outlines" in notice.inner_text()
    assert browser_page.locator(".folium-map").get_attribute("data-tiles") == "fallback"
    outlines = browser_page.locator(".leaflet-hackkit-basemap-pane path")  # hidden while tiles load
    assert outlines.count() == len(extract(app_module.AREAS_DATASET)["features"])
    assert outlines.first.is_visible()
    assert browser_page.locator(".leaflet-tile-pane img").count() == 0  # the tile layer is gone


# Counts every feature of each GeoJSON layer on the map, through Leaflet itself (canvas
# circles leave no element per point to count in the page).
GEOJSON_LAYER_SIZES = """() => {
  const map = Object.values(window).find((value) => {
    try { return value instanceof L.Map; } catch (e) { return false; }
  });
  const sizes = [];
  map.eachLayer((layer) => { if (layer instanceof L.GeoJSON) sizes.push(layer.getLayers().length); });
  return sizes.sort((a, b) => a - b);
}"""


def many_points(count: int, first_name: str = "Playground 0") -> dict:
    """`count` seeded random playgrounds around Antwerp, as the hub's rows.geojson gives them."""
    rng = random.Random(5)
    features = [
        {
            "type": "Feature",
            "id": n,
            "geometry": {"type": "Point", "coordinates": [rng.uniform(4.32, 4.48), rng.uniform(51.16, 51.29)]},
            "properties": {"id": n, "name": first_name if n == 0 else f"Playground {n}", "age_group": "all"},
        }
        for n in range(count)
    ]
    return {"type": "FeatureCollection", "features": features}


def test_above_the_threshold_the_page_uses_canvas_circles(app_module, dead_hub):
    hubdata = app_module.hubdata
    hostile = "<img src=x onerror=alert(1)>"
    data = {
        "points": hubdata.Loaded(many_points(5_000, first_name=hostile), "hub", "test"),
        "areas": hubdata.Loaded(extract(app_module.AREAS_DATASET), "hub", "test"),
    }

    html = app_module.render_map_html(app_module.build_map(data, tiles="none"), asset_base="/assets")

    assert 5_000 > app_module.FAST_ABOVE
    # One GeoJSON layer whose points become circles in the browser, not a script per point.
    assert html.count("L.marker(") == 0 and html.count("new L.CircleMarker(") == 1
    assert re.search(r"\bpreferCanvas\"?: true", html)  # folium < 0.17 writes the key without quotes
    popups = [json.loads(text) for text in re.findall(r'"popup": ("(?:[^"\\]|\\.)*")', html)]
    labels = [json.loads(text) for text in re.findall(r'"label": ("(?:[^"\\]|\\.)*")', html)]
    assert len(popups) == len(labels) == 5_000
    assert popups[0] == "<strong>&lt;img src=x onerror=alert(1)&gt;</strong><br>all"
    assert labels[0] == "&lt;img src=x onerror=alert(1)&gt;"
    # At the threshold itself the map still uses pins.
    data["points"] = hubdata.Loaded(many_points(app_module.FAST_ABOVE), "hub", "test")
    html = app_module.render_map_html(app_module.build_map(data, tiles="none"), asset_base="/assets")
    assert html.count("L.marker(") == app_module.FAST_ABOVE and "L.CircleMarker(" not in html


@pytest.fixture
def big_hub():
    """A hub whose playgrounds dataset has 5,000 points; districts from the extract."""
    big = json.dumps(many_points(5_000)).encode()

    @Request.application
    def answer(request: Request) -> Response:
        if request.path == "/api/v1/datasets/playgrounds/rows.geojson":
            return Response(big, mimetype="application/geo+json")
        if request.path == "/api/v1/datasets/districts/rows.geojson":
            return Response((DATA / "districts.geojson").read_bytes(), mimetype="application/geo+json")
        return Response('{"ok": false, "status": 404}', status=404, mimetype="application/json")

    server = make_server("127.0.0.1", 0, answer, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_browser_draws_5000_points_on_a_canvas_with_no_outside_request(app_module, serve_app, big_hub, browser_page):
    url = serve_app(big_hub, tiles="none")

    browser_page.goto(url)
    browser_page.wait_for_selector(".leaflet-container canvas")

    districts = len(extract(app_module.AREAS_DATASET)["features"])
    # The basemap's and the layer's districts, and every point.
    assert browser_page.evaluate(GEOJSON_LAYER_SIZES) == [districts, districts, 5_000]
    assert browser_page.locator(".leaflet-marker-icon").count() == 0  # no pin elements
    assert browser_page.locator(".hackkit-source-notice").get_attribute("data-source") == "hub"
    # A click on a circle opens its popup (fired through Leaflet: a canvas has no element per point).
    browser_page.evaluate(
        """() => {
      const map = Object.values(window).find((value) => {
    try { return value instanceof L.Map; } catch (e) { return false; }
  });
      map.eachLayer((layer) => {
        if (layer instanceof L.CircleMarker && layer.feature.properties.label === "Playground 7") {
          layer.fire("click", {latlng: layer.getLatLng()}, true);
        }
      });
    }"""
    )
    assert "Playground 7" in browser_page.locator(".leaflet-popup-content").inner_text()
