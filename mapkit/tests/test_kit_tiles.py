"""Maps that notice the venue has no internet, in a real browser (the kit's own fixtures).

With `osm` tiles a map watches them: when the tile server refuses or never answers, it
drops the tiles for the basemap of outlines and says so; when tiles load, nothing changes.
`none` never asks a tile server at all.
"""

from __future__ import annotations

import base64
import socket
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from hackkit_maps.build import make_map, render_map_html
from hackkit_maps.serve import asset_response, map_response
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


def square(west: float, south: float, size: float) -> list:
    return [[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]


SQUARES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": f"District {n}"},
            "geometry": {"type": "Polygon", "coordinates": [square(4.38 + n * 0.02, 51.2, 0.02)]},
        }
        for n in range(3)
    ],
}
# The smallest PNG there is: one transparent pixel, for a tile server that works.
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
NOTICE = "Geen kaarttegels: de kaart toont de wijkgrenzen."


def serve(wsgi) -> tuple[str, callable]:
    server = make_server("127.0.0.1", 0, wsgi, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop():
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_port}", stop


@pytest.fixture
def map_server(monkeypatch) -> Iterator[callable]:
    """map_server(tile_url, tiles) -> the URL of a page with a kit map of three districts."""
    stops = []

    def start(tile_url: str | None, tiles: str = "osm", timeout_ms: int = 6000) -> str:
        if tile_url:
            monkeypatch.setenv("HACKKIT_TILE_URL", tile_url)
        app = Flask(__name__)

        @app.get("/")
        def index():
            m = make_map(
                (51.21, 4.41),
                13,
                tiles=tiles,
                basemap_geojson=SQUARES,
                offline_notice=NOTICE,
                tile_timeout_ms=timeout_ms,
            )
            return map_response(render_map_html(m, asset_base="/assets"), tiles)

        @app.get("/assets/<path:path>")
        def assets(path):
            return asset_response(path)

        url, stop = serve(app)
        stops.append(stop)
        return url

    yield start
    for stop in stops:
        stop()


def map_state(page) -> dict:
    return page.evaluate(
        """() => ({
            tiles: document.querySelector('.folium-map').getAttribute('data-tiles'),
            basemap: getComputedStyle(document.querySelector('.leaflet-hackkit-basemap-pane')).display,
            tileImages: document.querySelectorAll('.leaflet-tile-pane img').length,
            notice: (document.querySelector('.hackkit-tiles-notice') || {}).textContent || null,
        })"""
    )


def test_a_tile_server_that_refuses_gives_the_outlines_and_a_notice(browser_page, map_server, refused_url):
    browser_page.log.allow_error("ERR_CONNECTION_REFUSED")
    browser_page.goto(map_server(refused_url + "/{z}/{x}/{y}.png"))
    browser_page.locator(".hackkit-tiles-notice").wait_for()

    state = map_state(browser_page)
    assert state == {"tiles": "fallback", "basemap": "block", "tileImages": 0, "notice": NOTICE}
    assert browser_page.locator(".hackkit-tiles-notice").get_attribute("role") == "status"
    assert browser_page.locator(".leaflet-hackkit-basemap-pane path").count() == 3


def test_a_tile_server_that_never_answers_gives_the_outlines_after_the_timeout(browser_page, map_server):
    silent = socket.socket()  # listens, so connections open, but never accepts or answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    try:
        url = map_server(f"http://127.0.0.1:{silent.getsockname()[1]}/{{z}}/{{x}}/{{y}}.png", timeout_ms=500)
        browser_page.goto(url, wait_until="domcontentloaded")  # the tiles would keep "load" waiting
        browser_page.locator(".hackkit-tiles-notice").wait_for()
        assert map_state(browser_page)["tiles"] == "fallback"
    finally:
        silent.close()


def test_tiles_that_load_keep_the_map_as_it_is(browser_page, map_server):
    @Request.application
    def tiles(request):
        return Response(PIXEL, mimetype="image/png")

    tile_server, stop = serve(tiles)
    try:
        browser_page.goto(map_server(tile_server + "/{z}/{x}/{y}.png"))
        browser_page.wait_for_function("() => document.querySelector('.folium-map').dataset.tiles === 'loaded'")
        state = map_state(browser_page)
        assert state["basemap"] == "none" and state["notice"] is None and state["tileImages"] > 0
    finally:
        stop()


def test_none_never_asks_a_tile_server_and_needs_no_watcher(browser_page, map_server):
    browser_page.goto(map_server(None, tiles="none"))
    browser_page.locator(".leaflet-hackkit-basemap-pane path").first.wait_for()

    assert "tile-fallback.js" not in browser_page.content()
    assert browser_page.locator(".hackkit-tiles-notice").count() == 0
    assert browser_page.locator(".leaflet-tile-pane img").count() == 0
