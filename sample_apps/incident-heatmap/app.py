"""Incident heat map: where reports pile up, as a heat map and as clusters, by category and month.

The city's incident reports (graffiti, litter, potholes, ...) as a heat map, and as
clusters of dots whose popups say what, when and where. Pick a category with the list
at the top (`?category=` in the URL) and a month with the slider next to it: the heat
map, the clusters and the count follow at once, in the page.

Data comes from the hackkit hub's API (HACKKIT_URL, default http://127.0.0.1:5000), or
from the copy in data/ when the hub cannot be reached.

    python app.py                 serve the map on http://127.0.0.1:8000/ (PORT to change)
    python app.py --html map.html [--category litter]   write one standalone file
"""

from __future__ import annotations

import argparse
import os
from datetime import date
from html import escape
from pathlib import Path

import folium
from controls import Filters  # (the category list, the month slider and their script)
from flask import Flask, request
from folium.plugins import FastMarkerCluster, HeatMap
from hackkit_maps import hubdata
from hackkit_maps.assets import inline_assets
from hackkit_maps.build import add_source_notice, make_map, render_map_html
from hackkit_maps.serve import asset_response, map_response

HERE = Path(__file__).resolve().parent

TITLE = "Incident heat map"
SUMMARY = "Incident reports as a heat map and fast clusters, filtered by category and by month with a slider."
DEMONSTRATES = (
    "a heat map (HeatMap)",
    "fast clusters (FastMarkerCluster)",
    "a category filter (?category=)",
    "a time slider that filters in the page",
    "a fast approach picked by the number of points",
)

# WHERE TO CHANGE THINGS (1): where the map opens, and how the heat map looks.
CENTER = (51.2194, 4.4025)  # Antwerp
ZOOM = 12
HEAT = {"radius": 14, "blur": 18, "min_opacity": 0.3}

# WHERE TO CHANGE THINGS (2): which of the hub's datasets to show. The incidents need a
# point location, a `category` and a `date` (YYYY-MM-DD); the districts are the basemap
# when there are no tiles.
INCIDENTS_DATASET = "incidents"
AREAS_DATASET = "districts"

# How the map stays fast as the data grows (benchmarks/README.md, "Maps", measured on
# the project machine, headless Chromium):
# - never one folium.Marker per incident: 1,000 take 1.7 s to build, 10,000 two minutes to draw;
# - the heat map is always drawn: 50,000 points in 1.5 s, 100,000 in 2.2 s;
# - the clusters are a FastMarkerCluster (the markers are made in the browser from one
#   array): 10,000 points in 2.3 s, but 50,000 take 5.4 s. So above CLUSTER_LIMIT points
#   the clusters are left out, and the map says so: pick a category to get below it.
CLUSTER_LIMIT = 10_000


# WHERE TO CHANGE THINGS (3): the steps of the time slider. A month here ("2024-03");
# return e.g. the ISO week instead for weekly steps.
def period_of(properties: dict) -> str:
    return str(properties.get("date") or "")[:7]


def period_label(period: str) -> str:
    year, month = period.split("-")
    return date(int(year), int(month), 1).strftime("%B %Y")


def load(hub: hubdata.Hub) -> dict[str, hubdata.Loaded]:
    """The incidents and the districts, from the hub or from data/."""
    return {"incidents": hub.load_geojson(INCIDENTS_DATASET), "areas": hub.load_geojson(AREAS_DATASET)}


def categories(data: dict[str, hubdata.Loaded]) -> list[str]:
    return sorted({str((f.get("properties") or {}).get("category")) for f in data["incidents"].data["features"]})


def popup_html(properties: dict) -> str:
    # WHERE TO CHANGE THINGS (4): what an incident's popup says. Escape anything from data.
    what = escape(str(properties.get("category", "")))
    when = escape(str(properties.get("datetime") or properties.get("date") or "").replace("T", " "))
    where = escape(str(properties.get("district") or ""))
    return f"<strong>{what}</strong><br>{when}<br>{where}"


def incidents(data: dict[str, hubdata.Loaded], category: str | None) -> list[tuple[float, float, dict]]:
    """(latitude, longitude, properties) of each incident with a location, of one category or all."""
    chosen = []
    for feature in data["incidents"].data["features"]:
        geometry, properties = feature.get("geometry") or {}, feature.get("properties") or {}
        if geometry.get("type") != "Point":
            continue  # rows without a location can't go on a map
        if category and str(properties.get("category")) != category:
            continue
        longitude, latitude = geometry["coordinates"][:2]
        chosen.append((latitude, longitude, properties))
    return chosen


CLUSTER_MARKER = """
    function (row) {
        // row: [latitude, longitude, popup (HTML escaped by app.py), slider step]
        var marker = L.circleMarker(new L.LatLng(row[0], row[1]), {
            radius: 6, color: "#fff", weight: 1, fillColor: "#b2182b", fillOpacity: 0.9, step: row[3]
        });
        return marker.bindPopup(row[2]);
    }
"""


def build_map(
    data: dict[str, hubdata.Loaded], tiles: str | None = None, category: str | None = None, picker: bool = True
) -> folium.Map:
    tiles = tiles or os.environ.get("HACKKIT_TILES", "osm")
    points = incidents(data, category)
    point_periods = [period_of(properties) for _lat, _lon, properties in points]
    periods = sorted(set(point_periods) - {""})
    step_of = {period: step for step, period in enumerate(periods, start=1)}  # slider step 0: all of them
    steps = [step_of.get(period, -1) for period in point_periods]  # -1: no date, only in "all"
    basemap = data["areas"].data
    m = make_map(CENTER, ZOOM, tiles=tiles, basemap_geojson=basemap)

    heat = HeatMap([[lat, lon] for lat, lon, _p in points], name="Heat map", **HEAT).add_to(m)
    cluster = None
    if len(points) <= CLUSTER_LIMIT:
        rows = [[lat, lon, popup_html(p), step] for (lat, lon, p), step in zip(points, steps, strict=True)]
        cluster = FastMarkerCluster(rows, callback=CLUSTER_MARKER, name="Incidents (clusters)", show=False)
        cluster.add_to(m)
    Filters(
        heat,
        cluster,
        steps,
        [(period, period_label(period)) for period in periods],
        categories(data) if picker else None,
        category,
    ).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)

    notices = {loaded.notice for loaded in data.values()}
    if cluster is None:
        notices.add(
            f"{len(points):,} incidents: too many for clusters to stay fast, so only the heat map "
            f"is drawn (clusters up to {CLUSTER_LIMIT:,}; pick a category)."
        )
    add_source_notice(m, " ".join(sorted(notices)), live=all(loaded.live for loaded in data.values()))
    return m


def render(
    hub: hubdata.Hub,
    asset_base: str = "/assets",
    tiles: str | None = None,
    category: str | None = None,
    picker: bool = True,
) -> str:
    """The map as a complete HTML page whose scripts and styles come from `asset_base`."""
    return render_map_html(build_map(load(hub), tiles, category, picker), asset_base=asset_base, title=TITLE)


def create_app(hub_url: str | None = None) -> Flask:
    app = Flask(__name__)
    tiles = os.environ.get("HACKKIT_TILES", "osm")

    @app.get("/")
    def index():
        hub = hubdata.Hub(hub_url, extract_dir=HERE / "data")  # asked again on every request
        data = load(hub)
        category = request.args.get("category") or None
        if category is not None and category not in categories(data):
            message = f"There is no category {category!r}. Choose one of: {', '.join(categories(data))}."
            return message, 400, {"Content-Type": "text/plain; charset=utf-8"}
        m = build_map(data, tiles, category)
        return map_response(render_map_html(m, asset_base="/assets", title=TITLE), tiles)

    @app.get("/assets/<path:path>")
    def assets(path: str):
        return asset_response(path)

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=SUMMARY)
    parser.add_argument("--html", metavar="OUT", help="write the map to this file instead of serving it")
    parser.add_argument("--category", help="for --html: only this category")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args(argv)
    if args.html:
        data = load(hubdata.Hub(extract_dir=HERE / "data"))
        if args.category and args.category not in categories(data):
            parser.error(f"there is no category {args.category!r}; choose one of: {', '.join(categories(data))}")
        # No category list in a file (no server to ask for another); the month slider works.
        m = build_map(data, category=args.category, picker=False)
        html = render_map_html(m, asset_base="/assets", title=TITLE)
        Path(args.html).write_text(inline_assets(html, base="/assets"), encoding="utf-8")
        print(f"wrote {args.html}")
        return
    create_app().run(host=args.host, port=args.port)


if __name__ == "__main__":
    main()
