"""The demo map at /maps/demo: one of each plugin the sample apps rely on.

Its data is made up (a grid of squares over Antwerp and random points), so it
works before any dataset is loaded and proves the offline assets on their own.
"""

from __future__ import annotations

import random

import folium
from branca.colormap import LinearColormap
from flask_babel import gettext as _
from folium import plugins

from hackkit.maps import make_map

CENTER = (51.2194, 4.4025)  # Antwerp
GRID = 3  # districts per side
STEP = 0.02  # degrees per district
POINTS = 40
HEAT_POINTS = 300


def demo_districts() -> dict:
    """A GRID x GRID GeoJSON grid of made-up districts with a made-up indicator."""
    features = []
    south, west = CENTER[0] - STEP * GRID / 2, CENTER[1] - STEP * GRID / 2
    for row in range(GRID):
        for col in range(GRID):
            s, w = south + row * STEP, west + col * STEP
            ring = [[w, s], [w + STEP, s], [w + STEP, s + STEP], [w, s + STEP], [w, s]]
            number = row * GRID + col + 1
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": _("Demo district %(number)s", number=number), "value": number * 10},
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                }
            )
    return {"type": "FeatureCollection", "features": features}


def demo_points(count: int, seed: int) -> list[tuple[float, float]]:
    rng = random.Random(seed)  # the same map on every load
    half = STEP * GRID / 2
    return [(CENTER[0] + rng.uniform(-half, half), CENTER[1] + rng.uniform(-half, half)) for _ in range(count)]


def demo_hotspots(count: int, seed: int) -> list[tuple[float, float]]:
    """Points bunched around a few spots, so the heat map has something to show."""
    rng = random.Random(seed)
    spots = demo_points(3, seed=seed + 1)
    return [
        (lat + rng.gauss(0, STEP / 4), lon + rng.gauss(0, STEP / 4))
        for lat, lon in (rng.choice(spots) for _ in range(count))
    ]


def build_demo_map() -> folium.Map:
    districts = demo_districts()
    m = make_map(CENTER, 13, basemap_geojson=districts)
    m.get_root().title = _("Demo map")

    colormap = LinearColormap(["#f7fbff", "#08519c"], vmin=10, vmax=GRID * GRID * 10, caption=_("Demo indicator"))
    # Below the overlay pane, so the heat map is drawn over the coloured districts.
    folium.map.CustomPane("demo-indicator", z_index=350).add_to(m)
    folium.GeoJson(
        districts,
        pane="demo-indicator",
        name=_("Demo indicator per district"),
        style_function=lambda f: {"fillColor": colormap(f["properties"]["value"]), "color": "#333", "weight": 1},
        tooltip=folium.GeoJsonTooltip(fields=["name", "value"], aliases=[_("District"), _("Value")]),
    ).add_to(m)
    colormap.add_to(m)

    cluster = plugins.MarkerCluster(name=_("Demo points")).add_to(m)
    for number, (lat, lon) in enumerate(demo_points(POINTS, seed=1), start=1):
        folium.Marker((lat, lon), popup=folium.Popup(_("Point %(number)s", number=number))).add_to(cluster)

    plugins.HeatMap(demo_hotspots(HEAT_POINTS, seed=2), name=_("Demo density"), radius=20).add_to(m)
    plugins.Fullscreen().add_to(m)
    folium.LayerControl().add_to(m)
    return m
