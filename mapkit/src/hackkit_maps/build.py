"""Making a folium map that works on a venue network with no internet.

`make_map` picks the background: OpenStreetMap tiles (`osm`), or with `none` no tile
server at all and a plain basemap drawn from district outlines the caller passes.
With `osm` the map watches its tiles: when the tile server does not answer (tile load
errors, or no tile within TILE_TIMEOUT_MS), it removes the tiles, shows that same
basemap and says so in a small notice (static/tile-fallback.js, served locally).
`render_map_html` turns the map into a standalone page whose scripts and styles all
come from our own assets route (see assets.py).
"""

from __future__ import annotations

import base64
import html
import os
import sys
from array import array
from collections.abc import Iterable, Sequence
from typing import Any

import folium
from branca.element import MacroElement
from folium.map import Layer

try:  # folium >= 0.17; older releases render jinja2 templates directly
    from folium.template import Template
except ImportError:  # pragma: no cover (tested by `make test-apps` with the oldest folium)
    from jinja2 import Template

from .assets import localize_html
from .serve import OSM_TILE_ORIGIN, OSM_TILE_URL, tile_url  # noqa: F401  (re-exported)

TILES = ("osm", "none")
ASSET_BASE = "/maps/assets"

# The basemap is a backdrop, not data: thin grey lines that take no clicks.
BASEMAP_STYLE = {"color": "#6b6b6b", "weight": 1, "fillColor": "#f2efe9", "fillOpacity": 1}
BASEMAP_PANE = "hackkit-basemap"
MAX_ZOOM = 19
BACKGROUND = "#dfe7ec"  # shows outside the outlines, roughly the colour of water on OSM
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
# No tile within this long, and none loaded: the tile server is taken as unreachable.
TILE_TIMEOUT_MS = 6000
OFFLINE_NOTICE = "The map tiles could not be loaded (no internet?): the map shows the district outlines instead."
OFFLINE_NOTICE_NO_BASEMAP = "The map tiles could not be loaded (no internet?): the map shows no background."


def default_tiles() -> str:
    """HACKKIT_TILES of the running hub (its config), else of the environment, else `osm`."""
    try:
        from flask import current_app, has_app_context

        if has_app_context() and "HACKKIT_TILES" in current_app.config:
            return current_app.config["HACKKIT_TILES"]
    except ImportError:  # pragma: no cover
        pass
    return os.environ.get("HACKKIT_TILES") or "osm"


class _TileFallback(MacroElement):
    """Switches the map to the no-tile basemap when its tiles do not load (tile-fallback.js)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        if (window.hackkitTileFallback) {
            window.hackkitTileFallback(
                {{ this._parent.get_name() }}, {{ this.tiles.get_name() }}, {{ this.options|tojson }}
            );
        }
        {% endmacro %}"""
    )

    def __init__(self, tiles: folium.TileLayer, notice: str, has_basemap: bool, timeout_ms: int):
        super().__init__()
        self._name = "HackkitTileFallback"
        self.tiles = tiles
        self.options = {
            "pane": BASEMAP_PANE if has_basemap else None,
            "background": BACKGROUND,
            "notice": notice,
            "timeout": timeout_ms,
        }

    def render(self, **kwargs):
        # A made-up CDN address that assets.CDN_REWRITES points at our own copy, so the
        # script is served (or inlined) from the app like every other map asset.
        self._parent.get_root().header.add_child(
            folium.Element('<script src="https://hackkit-maps.invalid/tile-fallback.js"></script>'),
            name="hackkit_tile_fallback_js",
        )
        super().render(**kwargs)


def make_map(
    center: Sequence[float],
    zoom: int,
    tiles: str | None = None,
    basemap_geojson: dict | None = None,
    offline_notice: str | None = None,
    tile_timeout_ms: int = TILE_TIMEOUT_MS,
    lean: bool = False,
    **kwargs: Any,
) -> folium.Map:
    """A folium.Map with OSM tiles, or (tiles="none") a local basemap of outlines.

    `tiles` defaults to the hub's HACKKIT_TILES (or the environment's). With `osm` the
    basemap (if given) waits hidden and takes over when the tiles do not load; the
    notice then says so (`offline_notice`, e.g. translated). Other keyword arguments
    go to folium.Map (e.g. prefer_canvas=True for many vector features).

    lean=True loads Leaflet alone, without what folium adds to every page for its marker
    icons and Bootstrap-styled elements (jQuery, Bootstrap, Font Awesome, awesome-markers):
    a quarter to a third less time until a data map is drawn (benchmarks/README.md, "Maps").
    For maps of GeoJSON, circles, heat or the fast point layer; not for folium.Icon markers.
    """
    tiles = tiles or default_tiles()
    if tiles not in TILES:
        raise ValueError(f"tiles must be one of {', '.join(TILES)}, not {tiles!r}")
    m = folium.Map(location=list(center), zoom_start=zoom, tiles=None, **kwargs)
    if lean:
        # On this map only: folium keeps these lists on the class, shared by every map.
        m.default_js = [item for item in m.default_js if item[0] == "leaflet"]
        m.default_css = [item for item in m.default_css if item[0] == "leaflet_css"]
    if tiles == "osm":
        layer = folium.TileLayer(tile_url(), attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=MAX_ZOOM)
        layer.add_to(m)
    else:
        # Leaflet takes maxZoom from the tile layer; with none, MarkerCluster refuses to start.
        # (folium >= 0.17 keeps its options in snake_case, older releases in camelCase.)
        m.options.setdefault("max_zoom" if any("_" in key for key in m.options) else "maxZoom", MAX_ZOOM)
        # Without tiles the container's grey would be all there is between the outlines.
        # (Two classes: it must beat leaflet.css, which the page loads after this rule.)
        style = f"<style>.folium-map.leaflet-container{{background:{BACKGROUND}}}</style>"
        m.get_root().header.add_child(folium.Element(style), name="hackkit_basemap_background")
    if basemap_geojson is not None:
        # Its own pane between where tiles go (200) and data layers (400), so every data
        # layer, canvas ones like the heat map included, is drawn on top of it. With tiles
        # it starts hidden (tile-fallback.js shows it when the tiles fail).
        folium.map.CustomPane(BASEMAP_PANE, z_index=250, pointer_events=False).add_to(m)
        folium.GeoJson(
            basemap_geojson,
            name="basemap",
            style_function=lambda _feature: BASEMAP_STYLE,
            pane=BASEMAP_PANE,
            interactive=False,  # clicks go to the data layers above it
            control=False,  # a backdrop, not a layer to switch off
        ).add_to(m)
    if tiles == "osm":
        notice = offline_notice or (OFFLINE_NOTICE if basemap_geojson is not None else OFFLINE_NOTICE_NO_BASEMAP)
        m.add_child(_TileFallback(layer, notice, basemap_geojson is not None, tile_timeout_ms))
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
            .then((data) => {
                {{ this.layer.get_name() }}.addData(data);
                {%- if this.fit_bounds %}
                const bounds = {{ this.layer.get_name() }}.getBounds();
                if (bounds.isValid()) {{ this.layer._parent.get_name() }}.fitBounds(bounds, {maxZoom: 16});
                {%- endif %}
            });
        {% endmacro %}"""
    )

    def __init__(self, url: str, layer: folium.GeoJson, fit_bounds: bool = False):
        super().__init__()
        self.url = url
        self.layer = layer
        self.fit_bounds = fit_bounds


def geojson_from_url(url: str, fit_bounds: bool = False, **kwargs: Any) -> folium.GeoJson:
    """A GeoJSON layer whose data the browser fetches from `url` (e.g. the hub's rows.geojson).

    The page stays small and Python never loads the data. folium's own
    GeoJson(url, embed=False) would download it in Python first and then fetch it
    again in the browser with a synchronous request that freezes the page.
    With fit_bounds the map zooms to the data once it has arrived (the layer must
    then be added to the map itself, not to a feature group).
    """
    layer = folium.GeoJson({"type": "FeatureCollection", "features": []}, **kwargs)
    layer.add_child(_FetchInto(url, layer, fit_bounds))
    return layer


POINTS_SCRIPT = '<script src="https://hackkit-maps.invalid/hackkit-points.js"></script>'
POINT_COLOR = "#1d4f91"


def pack_points(points: Iterable[Sequence[float | None]]) -> bytes:
    """(lat, lon) pairs as the fast point layer reads them: little-endian float32 (lon, lat).

    A pair with a missing coordinate becomes NaN, NaN, which the layer skips. For an app
    that serves its points itself: Response(pack_points(rows), mimetype=POINTS_MEDIA_TYPE).
    """
    packed = array("f")
    nan = float("nan")
    for lat, lon in points:
        if lat is None or lon is None:
            packed.extend((nan, nan))
        else:
            packed.extend((float(lon), float(lat)))
    if sys.byteorder != "little":  # pragma: no cover (every machine we run on is little-endian)
        packed.byteswap()
    return packed.tobytes()


POINTS_MEDIA_TYPE = "application/octet-stream"
# What a clicked point's popup says besides the row; an app in another language passes its own.
POPUP_LABELS = {"more": "+ {count} more at this place", "failed": "This row could not be loaded."}


class FastPoints(Layer):
    """Many points drawn into one canvas (static/hackkit-points.js): 100,000 in well under a
    second, a million in a few. Clickable when given `rows_url` (see points_from_url).

    Build it with points_layer (data in the page) or points_from_url (fetched by the browser).
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.hackkitPoints({{ this.js_options|tojson }});
        {%- if this.show %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {%- endif %}
        {%- if this.url is not none %}
        {{ this.get_name() }}.loadUrl({{ this.url|tojson }});
        {%- else %}
        {{ this.get_name() }}.setBase64({{ this.data|tojson }});
        {%- endif %}
        {% endmacro %}"""
    )

    def __init__(
        self,
        *,
        url: str | None = None,
        packed: bytes | None = None,
        color: str = POINT_COLOR,
        radius: float = 2,
        opacity: float = 0.6,
        fit_bounds: bool = False,
        name: str | None = None,
        overlay: bool = True,
        control: bool = True,
        show: bool = True,
        rows_url: str | None = None,
        lat_field: str | None = None,
        lon_field: str | None = None,
        labels: dict[str, str] | None = None,
    ):
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        if rows_url is not None and not (lat_field and lon_field):
            raise ValueError("rows_url needs lat_field and lon_field: the columns the points came from")
        self._name = "HackkitPoints"
        self.url = url
        self.data = base64.b64encode(packed or b"").decode("ascii") if url is None else None
        self.js_options = {"color": color, "radius": radius, "opacity": opacity, "fitBounds": fit_bounds}
        if rows_url is not None:
            self.js_options.update(rowsUrl=rows_url, latField=lat_field, lonField=lon_field)
        if labels:  # {"more": "+ {count} more at this place", "failed": "..."}, in the page's language
            self.js_options["labels"] = {**POPUP_LABELS, **labels}

    def render(self, **kwargs):
        # Like _TileFallback: a made-up CDN address that assets.py points at our own copy.
        self.get_root().header.add_child(folium.Element(POINTS_SCRIPT), name="hackkit_points_js")
        # Skips folium.map.Layer.render (folium >= 0.18 adds its own addTo there; older
        # releases do not): the template above adds the layer, the same in every release.
        super(Layer, self).render(**kwargs)


def points_layer(points: Iterable[Sequence[float | None]], **kwargs: Any) -> FastPoints:
    """A fast point layer carrying its (lat, lon) points in the page (8 bytes a point, base64).

    For data the app has in Python; it works in a page saved with `--html`. Keyword
    arguments: color, radius (px), opacity, fit_bounds, name, show, control.
    """
    return FastPoints(packed=pack_points(points), **kwargs)


def points_from_url(url: str, **kwargs: Any) -> FastPoints:
    """A fast point layer whose points the browser fetches from `url` (packed as pack_points
    makes them; the hub's /api/v1/datasets/<slug>/points serves any dataset's this way).

    The page stays small, and a million points are an 8 MB download instead of ~100 MB of
    GeoJSON. Keyword arguments as points_layer, and to make the points clickable:
    `rows_url` (the hub's /api/v1/datasets/<slug>/rows, or a route answering like it to
    `<column>__gte`/`__lte` filters), `lat_field` and `lon_field` (the columns the points
    came from) and optionally `labels` (the popup's words, see POPUP_LABELS). A click then
    shows the row at that place in a popup.
    """
    return FastPoints(url=url, **kwargs)


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
