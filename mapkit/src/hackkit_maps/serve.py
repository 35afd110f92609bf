"""Serving map pages and their asset files from a Flask app: the hub's and each sample app's."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import Response, abort, request, send_file

from . import assets

ONE_YEAR = 365 * 24 * 3600
OSM_TILE_ORIGIN = "https://tile.openstreetmap.org"  # where the "osm" tiles come from
OSM_TILE_URL = OSM_TILE_ORIGIN + "/{z}/{x}/{y}.png"


def tile_url() -> str:
    """The tile server of `osm` maps: HACKKIT_TILE_URL (a venue's own), else OpenStreetMap.

    Like HACKKIT_TILES: the running Flask app's config when it has the key (the hub's), else
    the environment (an app's).
    """
    from flask import current_app, has_app_context

    if has_app_context() and current_app.config.get("HACKKIT_TILE_URL"):
        return current_app.config["HACKKIT_TILE_URL"]
    return os.environ.get("HACKKIT_TILE_URL") or OSM_TILE_URL


def tile_origin() -> str:
    parts = urlsplit(tile_url())
    return f"{parts.scheme}://{parts.netloc}"


def asset_response(path: str) -> Response:
    """One whitelisted asset file, cacheable for a year (its URL carries a content hash)."""
    # A path is a dictionary key, never joined onto a folder, so "..", absolute paths
    # and unlisted files are all simply not found.
    file = assets.served_files().get(path)
    if file is None:
        abort(404)
    if path.endswith(".css"):
        # Served from memory: external url(...) inside it were pointed at our copies.
        response = Response(assets.asset_text(path), mimetype="text/css")
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.add_etag()
        return response.make_conditional(request)
    return send_file(file, max_age=ONE_YEAR, conditional=True)


def map_page_policy(tiles: str) -> str:
    """The browser itself refuses anything but this server (and the tile server, with osm).

    folium writes its map as inline scripts and styles, hence 'unsafe-inline'; a map
    page holds nothing but the map, so that stays off every other page.
    """
    images = "'self' data:" + (f" {tile_origin()}" if tiles == "osm" else "")
    return (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        f"img-src {images}; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
    )


def map_response(html: str, tiles: str) -> Response:
    """A rendered map page with the policy above."""
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = map_page_policy(tiles)
    return response
