"""Map pages and the files they load: /maps/<name> and /maps/assets/<path>.

Each map is a standalone page on its own URL (a hub page embeds it in an iframe), so
the map's inline scripts never need loosening the Content-Security-Policy of the
hub's own pages.
"""

from __future__ import annotations

from collections.abc import Callable

import folium
from flask import Blueprint, Response, abort, current_app, request, send_file
from flask_babel import get_locale
from flask_login import current_user

from hackkit.extensions import db
from hackkit.maps import assets
from hackkit.maps.build import OSM_TILE_ORIGIN, render_map_html
from hackkit.maps.demo import build_demo_map

bp = Blueprint("maps", __name__, url_prefix="/maps")

ONE_YEAR = 365 * 24 * 3600

# Map name -> function building it. Other parts of the hub add theirs with register_map.
MAPS: dict[str, Callable[[], folium.Map]] = {"demo": build_demo_map}


def register_map(name: str, builder: Callable[[], folium.Map]) -> None:
    MAPS[name] = builder


@bp.get("/assets/<path:path>")
def asset(path: str):
    # Only files in the whitelist exist: a path is a dictionary key, never joined onto
    # a folder, so "..", absolute paths and unlisted files are all simply not found.
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


@bp.get("/<name>")
def map_page(name: str):
    builder = MAPS.get(name)
    if builder is None:
        abort(404)
    return map_response(builder())


@bp.get("/datasets/<slug>")
def dataset_map(slug: str):
    # Imported here: the catalogue depends on the maps, not the other way round.
    from hackkit.datasets.map_preview import build_dataset_map

    return map_response(build_dataset_map(db.session, current_user, slug))


def map_response(m: folium.Map) -> Response:
    """A map as its own page, under the map page policy."""
    html = render_map_html(m, asset_base=request.script_root + "/maps/assets", lang=str(get_locale()))
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = map_page_policy(current_app.config["HACKKIT_TILES"])
    return response


def map_page_policy(tiles: str) -> str:
    """The browser itself refuses anything but this server (and the tile server, with osm).

    folium writes its map as inline scripts and styles, hence 'unsafe-inline'; this page
    holds nothing but the map, so that stays off the hub's own pages.
    """
    images = "'self' data:" + (f" {OSM_TILE_ORIGIN}" if tiles == "osm" else "")
    return (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        f"img-src {images}; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
    )
