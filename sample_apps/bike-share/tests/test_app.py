"""Bike share: the simulated feed, data from the hub or the extract, the page, and the live map in a browser."""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
EXTERNAL_ASSET = re.compile(r"""<(script|link)\b[^>]*(src|href)=["']https?://""", re.IGNORECASE)
HOSTILE = "<img src=x onerror=alert(1)>"


def extract(name: str) -> dict:
    return json.loads((DATA / f"{name}.geojson").read_text(encoding="utf-8"))


def stations() -> list[dict]:
    return extract("bike-stations")["features"]


def test_simulated_availability_is_repeatable_within_capacity_and_changes_over_the_day(app_module):
    morning = datetime(2026, 5, 4, 8, 0)
    assert app_module.simulated_bikes(7, 20, morning) == app_module.simulated_bikes(7, 20, morning)

    over_a_day = [app_module.simulated_bikes(7, 20, morning + timedelta(hours=h)) for h in range(24)]
    assert all(0 <= bikes <= 20 for bikes in over_a_day)
    assert len(set(over_a_day)) > 5  # it moves: a refresh shows something new
    # Some stations are empty at a given moment, so all three colours show up.
    at_eight = [app_module.simulated_bikes(i, 12, morning) for i in range(1, 121)]
    assert 0 in at_eight and max(at_eight) >= 5


def test_unreachable_hub_falls_back_to_the_extract_and_says_so(app_module, dead_hub):
    data = app_module.load(app_module.hubdata.Hub(dead_hub, extract_dir=DATA))

    assert {loaded.source for loaded in data.values()} == {"extract"}
    assert "could not be reached" in data["stations"].notice
    features = data["stations"].data["features"]
    assert len(features) == len(stations())
    assert all(0 <= f["properties"]["bikes_available"] <= f["properties"]["capacity"] for f in features)


def test_reachable_hub_gives_live_data(app_module, stand_in_hub):
    data = app_module.load(app_module.hubdata.Hub(stand_in_hub, extract_dir=DATA))

    assert {loaded.source for loaded in data.values()} == {"hub"}
    assert len(app_module.payload(data)["stations"]) == len(stations())


def test_page_has_the_stations_legend_and_loads_nothing_from_other_servers(app_module, dead_hub):
    html = app_module.render(app_module.hubdata.Hub(dead_hub, extract_dir=DATA), tiles="none")

    assert not EXTERNAL_ASSET.search(html)
    assert "L.markerClusterGroup(" in html
    assert "simulated availability" in html
    for _least, colour, label in app_module.CLASSES:
        assert colour in html and label in html
    assert 'data-source="extract"' in html
    assert html.count('"colour":') == len(stations())  # one dot per station, in the page's JSON


def test_colour_classes_follow_the_bikes_available(app_module):
    assert app_module.colour(0) == app_module.CLASSES[0][1]
    assert app_module.colour(3) == app_module.CLASSES[1][1]
    assert app_module.colour(40) == app_module.CLASSES[2][1]


def test_text_from_data_is_escaped_in_popups_and_tooltips(app_module):
    hubdata = app_module.hubdata
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [4.4, 51.2]},
        "properties": {"id": 1, "name": HOSTILE, "capacity": 10, "district": HOSTILE, "bikes_available": 3},
    }
    data = {
        "stations": hubdata.Loaded({"type": "FeatureCollection", "features": [feature]}, "hub", "test"),
        "areas": hubdata.Loaded(extract("districts"), "hub", "test"),
    }

    (station,) = app_module.payload(data)["stations"]

    # The page hands these strings to Leaflet's bindPopup/bindTooltip, which treat them as HTML.
    for html in (station["popup"], station["label"]):
        assert "<img" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_data_endpoint_answers_fresh_numbers(app_module, serve_app, dead_hub):
    url = serve_app(dead_hub)

    with urllib.request.urlopen(url + "/data.json", timeout=10) as response:  # noqa: S310 (our own server)
        assert response.headers["Cache-Control"] == "no-store"
        page = json.load(response)

    assert len(page["stations"]) == len(stations())
    assert page["source"] == "extract"
    assert re.fullmatch(r"\d\d:\d\d:\d\d", page["updated"])


def cluster_size(page) -> int:
    return page.evaluate("window.bikeShare.cluster.getLayers().length")


def test_browser_draws_every_station_and_refreshes_in_place(app_module, serve_app, dead_hub, browser_page):
    url = serve_app(dead_hub, tiles="none")

    browser_page.goto(url)
    browser_page.wait_for_selector(".bike-share-cluster")

    assert cluster_size(browser_page) == len(stations())
    # A cluster's number is bikes: zoomed out to one cluster, it is the bikes of every station.
    browser_page.evaluate("window.bikeShare.cluster._map.setZoom(8, {animate: false})")
    browser_page.wait_for_function("() => document.querySelectorAll('.bike-share-cluster').length === 1")
    bikes = browser_page.evaluate(
        "window.bikeShare.cluster.getLayers().reduce((sum, dot) => sum + dot.options.bikes, 0)"
    )
    assert browser_page.locator(".bike-share-cluster span").inner_text() == str(bikes)
    legend = browser_page.locator(".bike-share-legend")
    assert "simulated availability" in legend.inner_text()
    assert "demo extract" in browser_page.locator(".hackkit-source-notice").inner_text()

    # A refresh asks the app, not the page, and keeps the same dots.
    with browser_page.expect_response(lambda response: response.url.endswith("/data.json")) as answer:
        browser_page.evaluate("window.bikeShare.refresh()")
    assert answer.value.ok
    browser_page.wait_for_function("() => document.getElementById('bike-share-updated').textContent.length === 8")
    assert cluster_size(browser_page) == len(stations())


def test_a_refresh_updates_the_dots_in_place_and_keeps_an_open_popup_open(
    app_module, serve_app, dead_hub, browser_page
):
    browser_page.goto(serve_app(dead_hub, tiles="none"))
    browser_page.wait_for_selector(".bike-share-cluster")

    # Open one station's popup, then let the next refresh say it is empty.
    changed = browser_page.evaluate(
        """async () => {
            const dot = window.bikeShare.cluster.getLayers().find((d) => d._map);  // one outside a cluster
            dot.openPopup();
            const openBefore = dot.isPopupOpen();
            const page = await (await fetch("data.json")).json();
            const station = page.stations.find((s) => s.lat === dot.getLatLng().lat && s.lon === dot.getLatLng().lng);
            station.bikes = 0;
            station.colour = "#b2182b";
            station.popup = "<strong>now empty</strong>";
            window.bikeShare.draw(page);
            return {
                openBefore: openBefore,
                same: window.bikeShare.cluster.getLayers().includes(dot),
                colour: dot.options.fillColor,
                open: dot.isPopupOpen(),
                popup: dot.getPopup().getContent(),
            };
        }"""
    )

    assert changed == {
        "openBefore": True,
        "same": True,  # the same dot, updated: not a new one
        "colour": "#b2182b",
        "open": True,
        "popup": "<strong>now empty</strong>",
    }
    assert cluster_size(browser_page) == len(stations())
