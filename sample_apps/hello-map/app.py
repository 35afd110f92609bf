"""Hello map: your first city map in ten minutes.

Playgrounds as markers with popups, the city's districts as outlines, and a layer
control to switch them on and off. Data comes from the hackkit hub's API
(HACKKIT_URL, default http://127.0.0.1:5000), or from the copy in data/ when the
hub cannot be reached.

    python app.py                 serve the map on http://127.0.0.1:8000/ (PORT to change)
    python app.py --html map.html write the map as one standalone file
"""

from __future__ import annotations

import argparse
import os
import sys
from html import escape
from pathlib import Path

import folium
from flask import Flask

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the kit beside this file, wherever the app is run from

import hubdata  # noqa: E402
from mapkit import npm  # noqa: E402
from mapkit.assets import inline_assets  # noqa: E402
from mapkit.build import add_source_notice, escape_properties, make_map, render_map_html  # noqa: E402
from mapkit.serve import asset_response, map_response  # noqa: E402

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


def load(hub: hubdata.Hub) -> dict[str, hubdata.Loaded]:
    """The app's data, from the hub or from data/ when the hub is unreachable."""
    return {"points": hub.load_geojson(POINTS_DATASET), "areas": hub.load_geojson(AREAS_DATASET)}


def popup_html(properties: dict) -> str:
    # WHERE TO CHANGE THINGS (3): what a marker's popup says. Escape anything from data.
    name = escape(str(properties.get("name", "")))
    details = escape(str(properties.get("age_group") or properties.get("district") or ""))
    return f"<strong>{name}</strong><br>{details}"


def build_map(data: dict[str, hubdata.Loaded], tiles: str | None = None) -> folium.Map:
    tiles = tiles or os.environ.get("HACKKIT_TILES", "osm")
    areas = escape_properties(data["areas"].data)
    m = make_map(CENTER, ZOOM, tiles=tiles, basemap_geojson=areas if tiles == "none" else None)

    folium.GeoJson(
        areas,
        name="Districts",
        style_function=lambda _feature: {"color": "#3562a6", "weight": 2, "fillOpacity": 0.05},
        tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=["District"]),
    ).add_to(m)

    points = folium.FeatureGroup(name=POINTS_DATASET.replace("-", " ").capitalize()).add_to(m)
    for feature in data["points"].data["features"]:
        if not feature.get("geometry") or feature["geometry"]["type"] != "Point":
            continue  # rows without a location can't go on a map
        longitude, latitude = feature["geometry"]["coordinates"][:2]
        properties = feature.get("properties") or {}
        folium.Marker(
            (latitude, longitude),
            popup=folium.Popup(popup_html(properties), max_width=260),
            tooltip=escape(str(properties.get("name", ""))),
        ).add_to(points)

    folium.LayerControl(collapsed=False).add_to(m)
    live = all(loaded.live for loaded in data.values())
    notices = {loaded.notice for loaded in data.values()}
    add_source_notice(m, " ".join(sorted(notices)), live=live)
    return m


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
    npm.ensure()  # the first start fetches the Leaflet plugins; later starts need no network
    if args.html:
        hub = hubdata.Hub(extract_dir=HERE / "data")
        Path(args.html).write_text(inline_assets(render(hub), base="/assets"), encoding="utf-8")
        print(f"wrote {args.html}")
        return
    create_app().run(host=args.host, port=args.port)


if __name__ == "__main__":
    main()
