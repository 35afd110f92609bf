"""Small maps that each use folium plugins the sample apps rely on (shared by the tests)."""

from __future__ import annotations

import folium
from branca.colormap import LinearColormap
from folium import plugins

from hackkit.maps import make_map

CENTER = (51.2194, 4.4025)

# One made-up square district: the tests need outlines before the data catalogue lands.
DISTRICTS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Test district"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[4.39, 51.21], [4.41, 51.21], [4.41, 51.23], [4.39, 51.23], [4.39, 51.21]]],
            },
        }
    ],
}
POINTS = [(51.21 + i * 0.001, 4.39 + i * 0.001) for i in range(20)]


def base(tiles: str) -> folium.Map:
    return make_map(CENTER, 13, tiles=tiles, basemap_geojson=DISTRICTS)


def marker_cluster(m):
    cluster = plugins.MarkerCluster(name="cluster").add_to(m)
    for point in POINTS:
        folium.Marker(point, icon=folium.Icon(icon="bicycle", prefix="fa")).add_to(cluster)


def heat_map(m):
    plugins.HeatMap(POINTS, name="heat").add_to(m)


def fast_marker_cluster(m):
    plugins.FastMarkerCluster(POINTS, name="fast").add_to(m)


def timestamped_geojson(m):
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"times": [f"2026-11-{day:02d}T12:00:00"]},
        }
        for day, (lat, lon) in enumerate(POINTS[:5], start=1)
    ]
    plugins.TimestampedGeoJson({"type": "FeatureCollection", "features": features}, period="P1D").add_to(m)


def colormap_legend(m):
    LinearColormap(["white", "navy"], vmin=0, vmax=10, caption="legend").add_to(m)


def layer_control(m):
    folium.GeoJson(DISTRICTS, name="districts").add_to(m)
    folium.LayerControl().add_to(m)


def fullscreen(m):
    plugins.Fullscreen().add_to(m)


def search(m):
    layer = folium.GeoJson(DISTRICTS, name="searchable").add_to(m)
    plugins.Search(layer, search_label="name").add_to(m)


def heat_map_with_time(m):
    # Lists, not tuples: this plugin writes its data with Python's repr.
    frames = [[list(point) for point in POINTS[:5]], [list(point) for point in POINTS[5:10]]]
    plugins.HeatMapWithTime(frames, index=["a", "b"]).add_to(m)


def time_slider_choropleth(m):
    day = 24 * 3600
    styles = {"0": {str(1_700_000_000 + i * day): {"color": "#08519c", "opacity": 0.2 * (i + 1)} for i in range(3)}}
    plugins.TimeSliderChoropleth(DISTRICTS, styledict=styles).add_to(m)


PLUGINS = {
    f.__name__: f
    for f in (
        marker_cluster,
        heat_map,
        fast_marker_cluster,
        timestamped_geojson,
        colormap_legend,
        layer_control,
        fullscreen,
        search,
        heat_map_with_time,
        time_slider_choropleth,
    )
}


def every_plugin_map(tiles: str) -> folium.Map:
    m = base(tiles)
    for add in PLUGINS.values():
        add(m)
    return m
