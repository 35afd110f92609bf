"""hackkit-maps: folium maps that work on a venue network without internet.

- assets: Leaflet and its plugins served from this machine, never from a CDN;
- build: make_map (OpenStreetMap tiles, falling back by itself to a no-tile basemap of
  outlines when the tile server does not answer; or `none` to force that), render_map_html,
  points_layer / points_from_url (a fast layer for 100,000s of points);
- serve: the asset route and the map page's Content-Security-Policy for a Flask app;
- hubdata: a hackkit hub's JSON API, with a fallback to the app's data/ extracts;
- pytest_plugin: the fixtures an app's own tests use (loaded by pytest automatically).

The names below import lazily, so `import hackkit_maps` needs neither folium nor Flask.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.2.0"

_EXPORTS = {
    "make_map": "build",
    "render_map_html": "build",
    "add_source_notice": "build",
    "escape_properties": "build",
    "geojson_from_url": "build",
    "points_layer": "build",
    "points_from_url": "build",
    "pack_points": "build",
    "inline_assets": "assets",
    "localize_html": "assets",
    "asset_response": "serve",
    "map_response": "serve",
    "Hub": "hubdata",
    "HubUnavailable": "hubdata",
    "Loaded": "hubdata",
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
