"""Map pages and the files they load: /maps/<name> and /maps/assets/<path>.

Each map is a standalone page on its own URL (a hub page embeds it in an iframe), so
the map's inline scripts never need loosening the Content-Security-Policy of the
hub's own pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import Blueprint, abort, current_app, request
from flask_babel import get_locale
from flask_login import current_user
from hackkit_maps import serve

from hackkit.extensions import db

if TYPE_CHECKING:
    import folium

bp = Blueprint("maps", __name__, url_prefix="/maps")


# Map name -> function building it. Other parts of the hub add theirs with register_map.
def build_demo_map() -> folium.Map:
    from hackkit.maps.demo import build_demo_map  # folium is loaded on first use, not at start

    return build_demo_map()


MAPS: dict[str, Callable[[], folium.Map]] = {"demo": build_demo_map}


def register_map(name: str, builder: Callable[[], folium.Map]) -> None:
    MAPS[name] = builder


@bp.get("/assets/<path:path>")
def asset(path: str):
    return serve.asset_response(path)


@bp.get("/<name>")
def map_page(name: str):
    builder = MAPS.get(name)
    if builder is None:
        abort(404)
    return folium_map_page(builder())


@bp.get("/datasets/<slug>")
def dataset_map(slug: str):
    # Imported here: the catalogue depends on the maps, not the other way round.
    from hackkit.datasets.map_preview import build_dataset_map

    return folium_map_page(build_dataset_map(db.session, current_user, slug))


@bp.get("/events/<slug>/projects")
def event_project_map(slug: str):
    # Imported here like the dataset map: events depend on the maps, not the other way round.
    from hackkit.events.project_map import build_project_map

    return folium_map_page(build_project_map(db.session, current_user, slug))


def folium_map_page(m: folium.Map):
    """A map as its own page, under the map page policy."""
    from hackkit.maps.kit import render_map_html

    html = render_map_html(m, asset_base=request.script_root + "/maps/assets", lang=str(get_locale()))
    return serve.map_response(html, current_app.config["HACKKIT_TILES"])


# Kept under its old name for the hub's tests and callers.
map_page_policy = serve.map_page_policy
