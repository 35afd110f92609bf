"""The fast point layer (points_layer, points_from_url; static/hackkit-points.js) in a real browser.

Checks what a user sees: the canvas is painted where each point is and nowhere else, after
the page loads, after a zoom, and when the points come by URL or inside the page.
"""

from __future__ import annotations

import math
import threading
from array import array
from collections.abc import Iterator

import pytest
from flask import Flask, Response, jsonify, request
from hackkit_maps.assets import inline_assets
from hackkit_maps.build import POINTS_MEDIA_TYPE, make_map, pack_points, points_from_url, points_layer, render_map_html
from hackkit_maps.serve import asset_response, map_response
from werkzeug.serving import make_server

STOPS = [(51.218, 4.41), (51.2, 4.39), (51.23, 4.42)]
FAR_AWAY = (51.0, 3.9)  # off the map at zoom 13 around the stops
# The rows behind STOPS, as a rows API holds them; two share Meir's place.
STOP_ROWS = [
    {"name": "Meir <b>bold</b>", "lat": 51.218, "lon": 4.41, "docks": 10, "note": None},
    {"name": "Meir too", "lat": 51.218, "lon": 4.41, "docks": 4, "note": None},
    {"name": "Zuid", "lat": 51.2, "lon": 4.39, "docks": 25, "note": None},
    {"name": "Noord", "lat": 51.23, "lon": 4.42, "docks": 7, "note": None},
]

LAYER_STATE = """() => {
  const map = Object.values(window).find((v) => v instanceof L.Map);
  let layer = null;
  map.eachLayer((l) => { if (l instanceof L.HackkitPoints) layer = l; });
  if (!layer || !layer.drawnPoints) return null;
  const canvas = document.querySelector("canvas.hackkit-points");
  const ratio = canvas.width / map.getSize().x;
  const alpha = (latlon) => {
    const p = map.latLngToContainerPoint(latlon);
    return canvas.getContext("2d").getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data[3];
  };
  return {
    count: layer.count,
    drawn: layer.drawnPoints,
    zoom: map.getZoom(),
    painted: POINTS.map((p) => alpha(p) > 0),
    between: alpha([(POINTS[0][0] + POINTS[2][0]) / 2 + 0.004, (POINTS[0][1] + POINTS[2][1]) / 2 - 0.004]),
    fits: POINTS.every((p) => map.getBounds().contains(p)),
  };
}""".replace("POINTS", str([list(p) for p in STOPS]))


def test_pack_points_is_float32_longitude_latitude_with_nan_for_no_location():
    packed = pack_points([(51.218, 4.41), (None, 4.0), (51.2, 4.39)])
    numbers = array("f", packed)
    assert len(packed) == 3 * 8
    assert [round(n, 4) for n in numbers[:2]] == [4.41, 51.218] and [round(n, 4) for n in numbers[4:]] == [4.39, 51.2]
    assert math.isnan(numbers[2]) and math.isnan(numbers[3])


@pytest.fixture
def points_server() -> Iterator[callable]:
    """points_server(build) -> the URL of a page with the map that build(m) adds to."""
    servers = []
    asked = []  # the query strings /stops/rows was asked with

    def start(add, center=(51.21, 4.41), zoom=13, lean=False) -> str:
        app = Flask(__name__)

        @app.get("/")
        def index():
            m = make_map(center, zoom, tiles="none", lean=lean)
            add(m)
            return map_response(render_map_html(m, asset_base="/assets"), "none")

        @app.get("/stops.points")
        def stops():
            return Response(pack_points(STOPS + [(None, None)]), mimetype=POINTS_MEDIA_TYPE)

        @app.get("/stops/rows")
        def stop_rows():
            # Answers as the hub's rows API does to the box filters a click sends.
            box = {key: float(value) for key, value in request.args.items() if "__" in key}
            asked.append(dict(request.args))
            rows = [
                row
                for row in STOP_ROWS
                if box["lat__gte"] <= row["lat"] <= box["lat__lte"] and box["lon__gte"] <= row["lon"] <= box["lon__lte"]
            ]
            return jsonify({"rows": rows[: int(request.args["_size"])], "total": len(rows)})

        @app.get("/assets/<path:path>")
        def assets(path):
            return asset_response(path)

        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    start.asked = asked
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def drawn(page) -> dict:
    page.wait_for_function(f"() => ({LAYER_STATE})() !== null")
    return page.evaluate(LAYER_STATE)


@pytest.mark.parametrize("lean", [False, True])
def test_points_in_the_page_are_painted_where_they_are_and_nowhere_else(browser_page, points_server, lean):
    browser_page.goto(points_server(lambda m: points_layer(STOPS, name="Stops").add_to(m), lean=lean))
    state = drawn(browser_page)
    assert state["count"] == state["drawn"] == 3
    assert state["painted"] == [True, True, True] and state["between"] == 0
    # A lean page loads Leaflet and our layer only, none of folium's jQuery, Bootstrap or icons.
    scripts = browser_page.evaluate("() => [...document.scripts].map((s) => s.src).filter(Boolean)")
    assert any("jquery" in src for src in scripts) is not lean
    assert any("/leaflet/leaflet.js" in src for src in scripts) and any("hackkit-points.js" in src for src in scripts)


def test_points_by_url_skip_rows_without_a_location_and_fit_the_map_to_them(browser_page, points_server):
    # The map starts far away; fit_bounds brings the points into view once they arrive.
    url = points_server(lambda m: points_from_url("/stops.points", fit_bounds=True).add_to(m), center=FAR_AWAY, zoom=9)
    browser_page.goto(url)
    browser_page.wait_for_function(f"() => {{ const s = ({LAYER_STATE})(); return s && s.fits; }}")
    state = browser_page.evaluate(LAYER_STATE)
    assert state["count"] == 3 and state["painted"] == [True, True, True] and state["zoom"] > 9


def test_points_are_drawn_again_after_a_zoom(browser_page, points_server):
    browser_page.goto(points_server(lambda m: points_layer(STOPS).add_to(m)))
    assert drawn(browser_page)["zoom"] == 13
    browser_page.evaluate(
        "() => { const map = Object.values(window).find((v) => v instanceof L.Map);"
        " map.setView([51.218, 4.41], 16, {animate: false}); }"
    )
    browser_page.wait_for_function(f"() => ({LAYER_STATE})().zoom === 16")
    state = browser_page.evaluate(LAYER_STATE)
    assert state["painted"][0] is True  # Meir, at the centre of the new view


def test_a_missing_points_url_is_reported_and_draws_nothing(browser_page, points_server):
    browser_page.log.allow_error("404")
    browser_page.goto(points_server(lambda m: points_from_url("/nothing.points").add_to(m)))
    error = browser_page.wait_for_function(
        "() => { let e = null; const map = Object.values(window).find((v) => v instanceof L.Map);"
        " map.eachLayer((l) => { if (l instanceof L.HackkitPoints) e = l.error; }); return e; }"
    ).json_value()
    assert "404" in error and "/nothing.points" in error
    assert browser_page.locator("canvas.hackkit-points").count() == 1


def test_a_standalone_file_carries_the_layer_script():
    m = make_map((51.21, 4.41), 13, tiles="none")
    points_layer(STOPS).add_to(m)
    html = inline_assets(render_map_html(m, asset_base="/assets"), base="/assets")
    assert "L.HackkitPoints = L.Layer.extend" in html and "/assets/hackkit-maps/" not in html


def click_at(page, latlon) -> None:
    point = page.evaluate(
        "(ll) => { const map = Object.values(window).find((v) => v instanceof L.Map);"
        " const p = map.latLngToContainerPoint(ll); const box = map.getContainer().getBoundingClientRect();"
        " return [box.left + p.x, box.top + p.y]; }",
        list(latlon),
    )
    page.mouse.click(point[0] + 2, point[1] - 1)  # a couple of pixels off: fingers are not exact


def test_clicking_a_point_shows_its_row_as_text_and_how_many_share_the_place(browser_page, points_server):
    clickable = {"rows_url": "/stops/rows", "lat_field": "lat", "lon_field": "lon"}
    labels = {"more": "+ {count} meer op deze plek"}
    browser_page.goto(points_server(lambda m: points_from_url("/stops.points", labels=labels, **clickable).add_to(m)))
    drawn(browser_page)
    click_at(browser_page, STOPS[0])
    popup = browser_page.locator(".hackkit-points-popup")
    popup.wait_for()
    text = popup.inner_text()
    assert "Meir <b>bold</b>" in text  # the value as text: its markup is not rendered
    assert popup.locator("b").count() == 0
    assert "docks" in text and "10" in text and "note" not in text  # empty columns are left out
    assert "+ 1 meer op deze plek" in text
    assert points_server.asked[-1]["_size"] == "1"

    browser_page.keyboard.press("Escape")
    popup.wait_for(state="detached")
    asked = len(points_server.asked)
    empty = ((STOPS[0][0] + STOPS[2][0]) / 2 + 0.004, (STOPS[0][1] + STOPS[2][1]) / 2 - 0.004)
    click_at(browser_page, empty)  # no point there: nothing is asked, nothing opens
    click_at(browser_page, STOPS[1])
    popup.wait_for()
    assert "Zuid" in popup.inner_text() and "more" not in popup.inner_text()
    assert len(points_server.asked) == asked + 1


def test_rows_url_needs_the_columns_the_points_came_from():
    with pytest.raises(ValueError, match="lat_field and lon_field"):
        points_from_url("/stops.points", rows_url="/stops/rows")
