"""Folium helpers for the hub's own maps (hackkit.maps.kit), loaded on first use.

folium (with pandas) costs a web worker ~60 MB at start, and most requests draw no map, so
`from hackkit.maps import make_map` imports hackkit.maps.kit only when a map is built.
"""

from __future__ import annotations

__all__ = ["default_tiles", "escape_properties", "geojson_from_url", "make_map", "render_map_html"]


def __getattr__(name: str):
    if name in __all__:
        from hackkit.maps import kit

        return getattr(kit, name)
    raise AttributeError(name)
