"""The hub's map helpers over the kit (hackkit_maps): the kit's make_map with the hub's
translated notice for when the tiles do not load. Loaded on first use (see __init__).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium
from flask_babel import gettext as _
from hackkit_maps.build import (
    default_tiles,
    escape_properties,
    geojson_from_url,
    points_from_url,
    points_layer,
    render_map_html,
)
from hackkit_maps.build import make_map as _kit_make_map

__all__ = [
    "default_tiles",
    "escape_properties",
    "geojson_from_url",
    "make_map",
    "points_from_url",
    "points_layer",
    "render_map_html",
]


def make_map(
    center: Sequence[float], zoom: int, tiles: str | None = None, basemap_geojson: dict | None = None, **kwargs: Any
) -> folium.Map:
    """hackkit_maps.build.make_map, its tiles by the hub's HACKKIT_TILES, its notice in the page's language."""
    if basemap_geojson is not None:
        notice = _("The map tiles could not be loaded (no internet?): the map shows the district outlines instead.")
    else:
        notice = _("The map tiles could not be loaded (no internet?): the map shows no background.")
    kwargs.setdefault("offline_notice", notice)
    return _kit_make_map(center, zoom, tiles=tiles, basemap_geojson=basemap_geojson, **kwargs)
