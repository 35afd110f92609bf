"""Hello map: data from the hub or the extract, the layers on the page, and the map in a browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

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
