"""Making a folium map that works on a venue network with no internet.

`make_map` picks the background: OpenStreetMap tiles (`osm`), or with `none` no tile
server at all and a plain basemap drawn from district outlines the caller passes.
`render_map_html` turns the map into a standalone page whose scripts and styles all
come from our own assets route (see assets.py).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import folium
from branca.element import MacroElement
from folium.template import Template

# Relative, not hackkit.maps: a sample app can carry this folder as its own package.
from .assets import localize_html
from .serve import OSM_TILE_ORIGIN  # noqa: F401  (re-exported: where the osm tiles come from)

TILES = ("osm", "none")
ASSET_BASE = "/maps/assets"

# The basemap is a backdrop, not data: thin grey lines that take no clicks.
BASEMAP_STYLE = {"color": "#6b6b6b", "weight": 1, "fillColor": "#f2efe9", "fillOpacity": 1}
BASEMAP_PANE = "hackkit-basemap"
MAX_ZOOM = 19
BACKGROUND = "#dfe7ec"  # shows outside the outlines, roughly the colour of water on OSM


def default_tiles() -> str:
    """HACKKIT_TILES of the running hub, or `osm` outside one."""
    from flask import current_app, has_app_context

    return current_app.config.get("HACKKIT_TILES", "osm") if has_app_context() else "osm"


def make_map(
    center: Sequence[float],
    zoom: int,
    tiles: str | None = None,
    basemap_geojson: dict | None = None,
    **kwargs: Any,
) -> folium.Map:
    """A folium.Map with OSM tiles, or (tiles="none") a local basemap of outlines.

    `tiles` defaults to the hub's HACKKIT_TILES. Other keyword arguments go to
    folium.Map (e.g. prefer_canvas=True for many vector features).
    """
    tiles = tiles or default_tiles()
    if tiles not in TILES:
        raise ValueError(f"tiles must be one of {', '.join(TILES)}, not {tiles!r}")
    if tiles == "osm":
        return folium.Map(location=list(center), zoom_start=zoom, tiles="OpenStreetMap", **kwargs)

    m = folium.Map(location=list(center), zoom_start=zoom, tiles=None, **kwargs)
    # Leaflet takes maxZoom from the tile layer; with none, MarkerCluster refuses to start.
    m.options.setdefault("max_zoom", MAX_ZOOM)
    # Without tiles the container's grey would be all there is between the outlines.
    # (Two classes: it must beat leaflet.css, which the page loads after this rule.)
    style = f"<style>.folium-map.leaflet-container{{background:{BACKGROUND}}}</style>"
    m.get_root().header.add_child(folium.Element(style), name="hackkit_basemap_background")
    if basemap_geojson is not None:
        # Its own pane between where tiles go (200) and data layers (400), so every data
        # layer, canvas ones like the heat map included, is drawn on top of it.
        folium.map.CustomPane(BASEMAP_PANE, z_index=250, pointer_events=False).add_to(m)
        folium.GeoJson(
            basemap_geojson,
            name="basemap",
            style_function=lambda _feature: BASEMAP_STYLE,
            pane=BASEMAP_PANE,
            interactive=False,  # clicks go to the data layers above it
            control=False,  # a backdrop, not a layer to switch off
        ).add_to(m)
    return m


def render_map_html(m: folium.Map, asset_base: str = ASSET_BASE, title: str | None = None, lang: str = "en") -> str:
    """The map as a complete page, every script and stylesheet loaded from `asset_base`."""
    root = m.get_root()
    if title is not None:
        root.title = title
    # Without this the browser asks for /favicon.ico, a 404 on a page that is only a map.
    root.header.add_child(folium.Element('<link rel="icon" href="data:,">'), name="hackkit_favicon")
    html = localize_html(root.render(), asset_base)
    # A language for screen readers; folium's page template has none.
    return html.replace("<html>", f'<html lang="{lang}">', 1)


class _FetchInto(MacroElement):
    """Fills a GeoJSON layer from a URL once the page has loaded (asynchronously)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        fetch({{ this.url|tojson }})
            .then((response) => {
                if (!response.ok) throw new Error(response.status + " " + response.url);
                return response.json();
            })
            .then((data) => {{ this.layer.get_name() }}.addData(data));
        {% endmacro %}"""
    )

    def __init__(self, url: str, layer: folium.GeoJson):
        super().__init__()
        self.url = url
        self.layer = layer


def geojson_from_url(url: str, **kwargs: Any) -> folium.GeoJson:
    """A GeoJSON layer whose data the browser fetches from `url` (e.g. the hub's rows.geojson).

    The page stays small and Python never loads the data. folium's own
    GeoJson(url, embed=False) would download it in Python first and then fetch it
    again in the browser with a synchronous request that freezes the page.
    """
    layer = folium.GeoJson({"type": "FeatureCollection", "features": []}, **kwargs)
    layer.add_child(_FetchInto(url, layer))
    return layer


def escape_properties(geojson: dict) -> dict:
    """A copy of a FeatureCollection whose text properties are safe to show as HTML.

    folium's popups and tooltips (Popup, Tooltip, GeoJsonTooltip, GeoJsonPopup) put
    text into the page as HTML. Data from a city file or from users may hold markup,
    so every string is escaped before it reaches a map.
    """
    features = []
    for feature in geojson.get("features", []):
        properties = {
            key: html.escape(value) if isinstance(value, str) else value
            for key, value in (feature.get("properties") or {}).items()
        }
        features.append({**feature, "properties": properties})
    return {**geojson, "features": features}


_NOTICE_STYLE = (
    "position:absolute;z-index:1000;left:10px;bottom:24px;max-width:60%;padding:6px 10px;"
    "background:#fff;border:2px solid {color};border-radius:4px;font:14px/1.4 sans-serif;color:#1a1a1a"
)


def add_source_notice(m: folium.Map, text: str, live: bool) -> None:
    """A box on the map saying where its data came from (live hub or offline copy).

    role="status" makes screen readers announce it; data-source lets tests find it.
    """
    color = "#1d7a3a" if live else "#b35c00"
    notice = (
        f'<div class="hackkit-source-notice" role="status" data-source="{"hub" if live else "extract"}" '
        f'style="{_NOTICE_STYLE.format(color=color)}">{html.escape(text)}</div>'
    )
    m.get_root().html.add_child(folium.Element(notice), name="hackkit_source_notice")
