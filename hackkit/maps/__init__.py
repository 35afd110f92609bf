"""Folium maps that work without internet: local assets, a local basemap, map pages."""

__all__ = ["make_map", "render_map_html"]


def __getattr__(name: str):
    # Loaded on first use: folium (with pandas) costs a web worker ~60 MB at start otherwise.
    if name in __all__:
        from hackkit.maps import build

        return getattr(build, name)
    raise AttributeError(name)
