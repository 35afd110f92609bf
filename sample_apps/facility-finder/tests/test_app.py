"""Facility finder: data from the hub or the extract, the ranking, the JSON endpoint, and the map in a browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
EXTERNAL_ASSET = re.compile(r"""<(script|link)\b[^>]*(src|href)=["']https?://""", re.IGNORECASE)
HOSTILE = "</script><img src=x onerror=alert(1)>"


def extract(name: str) -> dict:
    return json.loads((DATA / f"{name}.geojson").read_text(encoding="utf-8"))


def offline(app_module, dead_hub):
    return app_module.load(app_module.hubdata.Hub(dead_hub, extract_dir=DATA))


def point_count(app_module) -> int:
    return sum(len(extract(spec["dataset"])["features"]) for spec in app_module.KINDS.values())


def test_unreachable_hub_falls_back_to_the_extract_and_says_so(app_module, dead_hub):
    data = offline(app_module, dead_hub)

    assert {loaded.source for loaded in data.values()} == {"extract"}
    assert data["toilets"].data == extract("public-toilets")
    assert "could not be reached" in data["toilets"].notice


def test_reachable_hub_gives_live_data(app_module, stand_in_hub):
    data = app_module.load(app_module.hubdata.Hub(stand_in_hub, extract_dir=DATA))

    assert {loaded.source for loaded in data.values()} == {"hub"}
    assert len(data["playgrounds"].data["features"]) == len(extract("playgrounds")["features"])


def test_ranking_is_by_walking_distance_with_the_detour_factor(app_module, dead_hub):
    toilets = app_module.facilities(offline(app_module, dead_hub), "toilets")
    lat, lon = app_module.CENTER

    ranked = app_module.nearest(toilets, lat, lon)

    assert len(ranked) == app_module.RESULTS
    assert [p["metres"] for p in ranked] == sorted(p["metres"] for p in ranked)
    assert ranked[0]["metres"] == min(round(app_module.walking_metres(lat, lon, t["lat"], t["lon"])) for t in toilets)
    # One degree of latitude is about 111.2 km in a straight line; walking adds 30 %.
    one_degree = app_module.walking_metres(51.0, 4.0, 52.0, 4.0)
    assert one_degree == pytest.approx(111_195 * app_module.DETOUR_FACTOR, rel=0.001)
    first = ranked[0]
    assert first["minutes"] == round(first["metres"] / (app_module.WALKING_KMH * 1000 / 60))


def test_accessible_only_keeps_wheelchair_accessible_toilets(app_module, dead_hub):
    toilets = app_module.facilities(offline(app_module, dead_hub), "toilets")
    assert any(not t["accessible"] for t in toilets), "the extract should hold both kinds"

    ranked = app_module.nearest(toilets, *app_module.CENTER, accessible_only=True)

    assert ranked and all(p["accessible"] is True for p in ranked)


def test_nearest_endpoint_answers_json_and_refuses_bad_parameters(app_module, dead_hub):
    client = app_module.create_app(dead_hub).test_client()

    answer = client.get("/nearest?lat=51.2194&lon=4.4025&kind=toilets&accessible=1")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["source"] == "extract" and "estimate" in body["estimate"]
    assert len(body["results"]) == app_module.RESULTS and all(r["accessible"] for r in body["results"])

    for query, word in [
        ("lat=north&lon=4.4", "numbers"),
        ("lon=4.4", "numbers"),
        ("lat=95&lon=4.4", "within"),
        ("lat=51.2&lon=4.4&kind=benches", "kind"),
        ("lat=51.2&lon=4.4&accessible=maybe", "accessible"),
    ]:
        refused = client.get(f"/nearest?{query}")
        assert refused.status_code == 400, query
        assert refused.get_json()["ok"] is False and word in refused.get_json()["error"]


def test_page_has_the_layers_the_finder_and_loads_nothing_from_other_servers(app_module, dead_hub):
    html = app_module.render(app_module.hubdata.Hub(dead_hub, extract_dir=DATA), tiles="none")

    assert not EXTERNAL_ASSET.search(html)
    assert "Public toilets" in html and "Playgrounds" in html  # the layer control and the picker
    assert 'data-source="extract"' in html
    assert len(re.findall(r"L\.circleMarker\(\s*\[", html)) == point_count(app_module)
    assert "straight line" in html and "km/h" in html  # the estimate is stated on the map


def test_text_from_data_is_escaped_in_popups_tooltips_and_the_embedded_data(app_module, dead_hub):
    hubdata = app_module.hubdata
    data = offline(app_module, dead_hub)
    toilets = extract("public-toilets")
    toilets["features"][0]["properties"]["name"] = HOSTILE
    data["toilets"] = hubdata.Loaded(toilets, "hub", "test")

    html = app_module.render_map_html(app_module.build_map(data, tiles="none"), asset_base="/assets")

    assert "<img src=x" not in html
    assert "</script><img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # popup and tooltip
    assert "\\u003c/script\\u003e\\u003cimg" in html  # the data the browser ranks


def test_browser_draws_every_facility_and_lists_the_nearest_on_click(app_module, serve_app, dead_hub, browser_page):
    url = serve_app(dead_hub, tiles="none")

    browser_page.goto(url)
    browser_page.wait_for_selector(".hackkit-finder")
    browser_page.wait_for_selector("path.leaflet-interactive", state="attached")
    assert browser_page.locator("path.leaflet-interactive").count() == point_count(app_module)
    assert "demo extract" in browser_page.locator(".hackkit-source-notice").inner_text()

    box = browser_page.locator(".folium-map").bounding_box()
    browser_page.mouse.click(box["x"] + box["width"] * 0.05, box["y"] + box["height"] / 2)  # west of the city
    browser_page.wait_for_selector(".hackkit-finder-results li")
    assert browser_page.locator(".hackkit-finder-results li").count() == app_module.RESULTS

    # The browser's ranking agrees with the Python one, for toilets and with the filter.
    lat, lon = app_module.CENTER
    browser_page.evaluate(
        """([lat, lon]) => {
            const name = Object.keys(window).find((key) => key.startsWith("map_"));
            window[name].fire("click", {latlng: L.latLng(lat, lon)});
        }""",
        [lat, lon],
    )
    browser_page.locator(".hackkit-finder-accessible").check()
    toilets = app_module.facilities(offline(app_module, dead_hub), "toilets")
    expected = app_module.nearest(toilets, lat, lon, accessible_only=True)
    items = browser_page.locator(".hackkit-finder-results li").all_inner_texts()
    assert [item.split(" \u2014 ")[0] for item in items] == [p["name"] for p in expected]
    assert all("wheelchair accessible" in item and "not wheelchair" not in item for item in items)
    assert items[0].split(" \u2014 ")[1].startswith(f"{expected[0]['metres']} m")

    browser_page.locator(".hackkit-finder-accessible").uncheck()
    browser_page.locator(".hackkit-finder-kind").select_option("playgrounds")
    assert "Nearest playgrounds" in browser_page.locator(".hackkit-finder-hint").inner_text()
