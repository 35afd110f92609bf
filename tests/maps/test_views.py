"""The assets route serves exactly the whitelisted files; map pages render from it."""

from __future__ import annotations

import posixpath
import re

import pytest
from hackkit_maps.assets import served_files

from hackkit.maps import render_map_html
from tests.maps.plugin_maps import every_plugin_map
from tests.maps.test_assets import fetched_urls

ONE_YEAR = 365 * 24 * 3600


def test_every_file_a_map_references_is_served_with_long_cache_headers(client):
    for url in fetched_urls(render_map_html(every_plugin_map("none"))):
        if url.startswith("data:"):
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.data) > 100, url
        assert response.cache_control.max_age >= ONE_YEAR and response.cache_control.public, url


def test_files_named_inside_served_stylesheets_are_served_too(client):
    for asset in (a for a in served_files() if a.endswith(".css")):
        css = client.get(f"/maps/assets/{asset}").get_data(as_text=True)
        assert not re.search(r"url\(\s*[\"']?(https?:)?//", css), f"{asset} still points at another server"
        for ref in re.findall(r"url\(\s*[\"']?([^\"')]+)", css):
            if ref.startswith(("data:", "#")):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(asset), ref.split("?")[0].split("#")[0]))
            assert client.get(f"/maps/assets/{target}").status_code == 200, f"{asset} -> {ref}"


def test_time_slider_glyph_font_comes_from_the_hub(client):
    css = client.get("/maps/assets/timedimension/dist/leaflet.timedimension.control.css").get_data(as_text=True)
    assert "../../bootstrap3/dist/fonts/glyphicons-halflings-regular.woff" in css
    assert "bootstrapcdn" not in css


@pytest.mark.parametrize(
    "path",
    [
        "/maps/assets/../../hackkit/config.py",
        "/maps/assets/leaflet/../../../../../etc/passwd",
        "/maps/assets/%2e%2e/%2e%2e/etc/passwd",
        "/maps/assets/leaflet/%2e%2e/folium/../../assets.py",
        "/maps/assets//etc/passwd",
        "/maps/assets/%2Fetc%2Fpasswd",
        "/maps/assets/leaflet/leaflet-src.js",  # in the package, but not on the list
        "/maps/assets/folium/__init__.py",
        "/maps/assets/leaflet",
        "/maps/assets/leaflet/",
        "/maps/assets/nothing-here.js",
        "/maps/assets/",
    ],
)
def test_assets_route_refuses_traversal_absolute_and_unknown_paths(client, path):
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 404
    assert b"root:" not in response.data and b"SETTINGS" not in response.data


def test_demo_map_page_is_a_standalone_local_page(client):
    response = client.get("/maps/demo")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert all(url.startswith("/maps/assets/") or url.startswith("data:") for url in fetched_urls(html))


def test_demo_map_page_speaks_dutch(client):
    html = client.get("/maps/demo", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert '<html lang="nl">' in html and "<title>Demokaart</title>" in html and "Demowijk 1" in html


def test_unknown_map_is_not_found(client):
    assert client.get("/maps/no-such-map").status_code == 404


@pytest.mark.parametrize("asset", ["leaflet/leaflet.js", "leaflet/leaflet.css"])
def test_a_browser_revalidating_an_asset_gets_not_modified(client, asset):
    first = client.get(f"/maps/assets/{asset}")
    again = client.get(f"/maps/assets/{asset}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data


def test_map_page_policy_allows_only_this_server_without_tiles(app):
    app.config["HACKKIT_TILES"] = "none"
    policy = app.test_client().get("/maps/demo").headers["Content-Security-Policy"]
    assert "https:" not in policy and "img-src 'self' data:;" in policy
    assert "connect-src 'self'" in policy and "frame-ancestors 'self'" in policy


def test_map_page_policy_adds_only_the_tile_server_with_osm(app):
    from hackkit_maps.build import OSM_TILE_ORIGIN

    app.config["HACKKIT_TILES"] = "osm"
    response = app.test_client().get("/maps/demo")
    policy = response.headers["Content-Security-Policy"]
    assert re.findall(r"https://[^\s;]+", policy) == [OSM_TILE_ORIGIN]
    assert OSM_TILE_ORIGIN + "/{z}/{x}/{y}.png" in response.get_data(as_text=True)


def test_with_osm_a_map_page_carries_the_tile_watcher_and_its_notice_in_the_visitors_language(app):
    app.config["HACKKIT_TILES"] = "osm"
    dutch = app.test_client().get("/maps/demo", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "/maps/assets/hackkit-maps/tile-fallback.js?v=" in dutch
    assert "de kaart toont in de plaats de wijkgrenzen" in dutch
    english = app.test_client().get("/maps/demo", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "the map shows the district outlines instead" in english


def test_the_tile_server_can_be_the_venues_own(app):
    app.config["HACKKIT_TILE_URL"] = "http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png"
    app.config["HACKKIT_TILES"] = "osm"
    response = app.test_client().get("/maps/demo")
    assert "img-src 'self' data: http://10.0.0.5:8080;" in response.headers["Content-Security-Policy"]
    assert "http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png" in response.get_data(as_text=True)
