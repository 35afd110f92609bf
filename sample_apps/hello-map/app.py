"""Hello map: your first city map in ten minutes.

Playgrounds as markers with popups, the city's districts as outlines, and a layer
control to switch them on and off. Above FAST_ABOVE points the markers become small
circles drawn on one canvas, so a big dataset still opens in seconds. Data comes from the hackkit hub's API
(HACKKIT_URL, default http://127.0.0.1:5000), or from the copy in data/ when the
hub cannot be reached.

    python app.py                 serve the map on http://127.0.0.1:8000/ (PORT to change)
    python app.py --html map.html write the map as one standalone file
"""

from __future__ import annotations

import argparse
import os
from html import escape
from pathlib import Path

import folium
from flask import Flask
from hackkit_maps import hubdata
from hackkit_maps.assets import inline_assets
from hackkit_maps.build import add_source_notice, escape_properties, make_map, render_map_html
from hackkit_maps.serve import asset_response, map_response

HERE = Path(__file__).resolve().parent

TITLE = "Hello map"
SUMMARY = "A first map in ten minutes: markers with popups, district outlines and a layer control."
DEMONSTRATES = ("markers with popups", "polygons with tooltips", "a layer control", "live hub data, offline fallback")

# WHERE TO CHANGE THINGS (1): where the map opens.
CENTER = (51.2194, 4.4025)  # Antwerp
ZOOM = 12

# WHERE TO CHANGE THINGS (2): which of the hub's datasets to show. Any dataset with
# point geometry works; see the catalogue at HACKKIT_URL/datasets for their slugs.
POINTS_DATASET = "playgrounds"
AREAS_DATASET = "districts"

# WHERE TO CHANGE THINGS (4): when to switch from pin markers to fast canvas circles.
# One pin is one DOM element: 1,000 pins draw in ~2 s, 10,000 take two minutes. Canvas
# circles draw 10,000 points in ~1 s and 50,000 in ~3 s (hackkit's benchmarks/README.md,
# "Maps"). Above this many points the map uses them; popups and tooltips stay the same.
FAST_ABOVE = 2_000
FAST_STYLE = {"radius": 4, "weight": 1, "color": "#1d4f91", "fill_color": "#3b7dd8", "fill_opacity": 0.8}


def load(hub: hubdata.Hub) -> dict[str, hubdata.Loaded]:
    """The app's data, from the hub or from data/ when the hub is unreachable."""
    return {"points": hub.load_geojson(POINTS_DATASET), "areas": hub.load_geojson(AREAS_DATASET)}


def popup_html(properties: dict) -> str:
    # WHERE TO CHANGE THINGS (3): what a marker's popup says. Escape anything from data.
    name = escape(str(properties.get("name", "")))
    details = escape(str(properties.get("age_group") or properties.get("district") or ""))
    return f"<strong>{name}</strong><br>{details}"


def located_points(points: dict) -> list[dict]:
    """The features that have a point to put on the map (rows without a location have none)."""
    return [f for f in points["features"] if f.get("geometry") and f["geometry"]["type"] == "Point"]


def build_map(data: dict[str, hubdata.Loaded], tiles: str | None = None) -> folium.Map:
    tiles = tiles or os.environ.get("HACKKIT_TILES", "osm")
    areas = escape_properties(data["areas"].data)
    points = located_points(data["points"].data)
    fast = len(points) > FAST_ABOVE
    # prefer_canvas: circle markers share one <canvas> instead of an SVG element each.
    m = make_map(CENTER, ZOOM, tiles=tiles, basemap_geojson=areas, prefer_canvas=fast)

    folium.GeoJson(
        areas,
        name="Districts",
        style_function=lambda _feature: {"color": "#3562a6", "weight": 2, "fillOpacity": 0.05},
        tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=["District"]),
    ).add_to(m)

    name = POINTS_DATASET.replace("-", " ").capitalize()
    if fast:
        add_fast_points(m, points, name)
    else:
        add_markers(m, points, name)

    folium.LayerControl(collapsed=False).add_to(m)
    live = all(loaded.live for loaded in data.values())
    notices = {loaded.notice for loaded in data.values()}
    add_source_notice(m, " ".join(sorted(notices)), live=live)
    return m


def add_markers(m: folium.Map, points: list[dict], name: str) -> None:
    """One pin per point: the classic look, fine up to a few thousand."""
    layer = folium.FeatureGroup(name=name).add_to(m)
    for feature in points:
        longitude, latitude = feature["geometry"]["coordinates"][:2]
        properties = feature.get("properties") or {}
        folium.Marker(
            (latitude, longitude),
            popup=folium.Popup(popup_html(properties), max_width=260),
            tooltip=escape(str(properties.get("name", ""))),
        ).add_to(layer)


def add_fast_points(m: folium.Map, points: list[dict], name: str) -> None:
    """Every point as a circle on one canvas: one GeoJSON layer, not one script per marker."""
    features = [
        {
            "type": "Feature",
            "geometry": feature["geometry"],
            # Both already escaped: popup_html escapes, escape() the name.
            "properties": {
                "popup": popup_html(feature.get("properties") or {}),
                "label": escape(str((feature.get("properties") or {}).get("name", ""))),
            },
        }
        for feature in points
    ]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        marker=folium.CircleMarker(**FAST_STYLE),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=260),
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
    ).add_to(m)


def render(hub: hubdata.Hub, asset_base: str = "/assets", tiles: str | None = None) -> str:
    """The map as a complete HTML page whose scripts and styles come from `asset_base`."""
    return render_map_html(build_map(load(hub), tiles), asset_base=asset_base, title=TITLE)


def create_app(hub_url: str | None = None) -> Flask:
    app = Flask(__name__)
    tiles = os.environ.get("HACKKIT_TILES", "osm")

    @app.get("/")
    def index():
        # Asked again on every request, so a refresh shows the hub's latest data
        # (and the live data again once the hub is back).
        return map_response(render(hubdata.Hub(hub_url, extract_dir=HERE / "data"), tiles=tiles), tiles)

    @app.get("/assets/<path:path>")
    def assets(path: str):
        return asset_response(path)

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=SUMMARY)
    parser.add_argument("--html", metavar="OUT", help="write the map to this file instead of serving it")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args(argv)
    if args.html:
        hub = hubdata.Hub(extract_dir=HERE / "data")
        Path(args.html).write_text(inline_assets(render(hub), base="/assets"), encoding="utf-8")
        print(f"wrote {args.html}")
        return
    create_app().run(host=args.host, port=args.port)


if __name__ == "__main__":
    main()
