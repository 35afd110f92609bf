"""Folium maps that work without internet: local assets, a local basemap, map pages."""

from hackkit.maps.build import make_map, render_map_html

__all__ = ["make_map", "render_map_html"]
