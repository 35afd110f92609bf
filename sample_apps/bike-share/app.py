"""Bike share: stations coloured by the bikes they have, in clusters, refreshed live.

Each station of the hub's bike-stations dataset is a dot coloured by how many bikes it
has, grouped in clusters that show the bikes of the stations they hold, with a legend.
The page asks this app for fresh numbers every REFRESH_SECONDS and updates the dots in
place (an open popup stays open). The hub has no live feed, so the availability is
SIMULATED: made up from each station's capacity and the time of day, and the map says so.

Data comes from the hackkit hub's API (HACKKIT_URL, default http://127.0.0.1:5000), or
from the copy in data/ when the hub cannot be reached.

    python app.py                 serve the map on http://127.0.0.1:8000/ (PORT to change)
    python app.py --html map.html write the map as one standalone file (no refresh)
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
from datetime import datetime
from html import escape
from pathlib import Path

import folium
from flask import Flask, jsonify
from folium.plugins import MarkerCluster
from hackkit_maps import hubdata
from hackkit_maps.assets import inline_assets
from hackkit_maps.build import add_source_notice, make_map, render_map_html
from hackkit_maps.serve import asset_response, map_response
from live import Legend, LiveStations  # (the page's legend and its refresh script)

HERE = Path(__file__).resolve().parent

TITLE = "Bike share"
SUMMARY = "Bike-share stations coloured by bikes available, in clusters with a legend, refreshed live."
DEMONSTRATES = (
    "marker clustering with custom cluster icons",
    "colour classes with a legend",
    "live refresh without reloading the page",
    "a simulated availability feed",
)

# WHERE TO CHANGE THINGS (1): where the map opens, and how often the page asks for fresh numbers.
CENTER = (51.2194, 4.4025)  # Antwerp
ZOOM = 12
REFRESH_SECONDS = 30
CLUSTER_RADIUS = 35  # pixels: stations closer than this on screen are shown as one group

# WHERE TO CHANGE THINGS (2): which of the hub's datasets to show. The stations need a
# `capacity` column; the districts are only the basemap when there are no tiles.
STATIONS_DATASET = "bike-stations"
AREAS_DATASET = "districts"

# WHERE TO CHANGE THINGS (3): the colour classes, fewest bikes first: (at least, colour, legend text).
CLASSES = (
    (0, "#b2182b", "no bikes"),
    (1, "#e08214", "1 to 4 bikes"),
    (5, "#1a7837", "5 bikes or more"),
)

# Above this many stations the dots are drawn on one canvas instead of one SVG element
# each. The markers are always made in the browser from one JSON array, the approach of
# folium's FastMarkerCluster: benchmarks/README.md measured 10,000 points drawn in 2.3 s
# that way, against two minutes for 10,000 folium.Marker objects.
CANVAS_ABOVE = 3000


def colour(bikes: int) -> str:
    chosen = CLASSES[0][1]
    for at_least, class_colour, _label in CLASSES:
        if bikes >= at_least:
            chosen = class_colour
    return chosen


# WHERE TO CHANGE THINGS (4): the availability feed. To use a real one, replace this with
# a call to it (e.g. a GBFS station_status.json) and keep the rest.
SIMULATION_STEP = 60  # seconds: the numbers change once a minute


def simulated_bikes(station_id: int, capacity: int, now: datetime) -> int:
    """Made-up bikes available: the same for everyone at the same minute, never above capacity."""
    hours = now.hour + now.minute / 60
    rhythm = (station_id * 0.37) % 1  # each station fills and empties at its own time of day
    share = 0.5 + 0.5 * math.sin(2 * math.pi * (hours / 24 + rhythm))
    step = int(now.timestamp()) // SIMULATION_STEP
    wobble = hashlib.sha256(f"{station_id}:{step}".encode()).digest()[0] % 5 - 2  # -2..2, per minute
    return max(0, min(capacity, round(capacity * share) + wobble))


def load(hub: hubdata.Hub, now: datetime | None = None) -> dict[str, hubdata.Loaded]:
    """The stations with a simulated `bikes_available`, and the districts (hub or data/)."""
    return {"stations": load_stations(hub, now), "areas": hub.load_geojson(AREAS_DATASET)}


def load_stations(hub: hubdata.Hub, now: datetime | None = None) -> hubdata.Loaded:
    now = now or datetime.now().astimezone()
    stations = hub.load_geojson(STATIONS_DATASET)
    for feature in stations.data["features"]:
        properties = feature["properties"] = feature.get("properties") or {}
        capacity = int(properties.get("capacity") or 0)
        station_id = int(properties.get("id") or feature.get("id") or 0)
        properties["bikes_available"] = simulated_bikes(station_id, capacity, now)
    stations.data["simulated_at"] = now.isoformat(timespec="seconds")
    return stations


def popup_html(properties: dict) -> str:
    # WHERE TO CHANGE THINGS (5): what a station's popup says. Escape anything from data.
    name = escape(str(properties.get("name", "")))
    district = escape(str(properties.get("district") or ""))
    bikes, capacity = properties["bikes_available"], int(properties.get("capacity") or 0)
    return f"<strong>{name}</strong><br>{bikes} of {capacity} bikes available (simulated)<br>{district}"


def payload(data: dict[str, hubdata.Loaded]) -> dict:
    """What the page draws, and what /data.json answers on every refresh."""
    stations = []
    for feature in data["stations"].data["features"]:
        geometry = feature.get("geometry") or {}
        if geometry.get("type") != "Point":
            continue  # rows without a location can't go on a map
        longitude, latitude = geometry["coordinates"][:2]
        properties = feature["properties"]
        bikes = properties["bikes_available"]
        stations.append(
            {
                "id": properties.get("id", feature.get("id")),
                "lat": latitude,
                "lon": longitude,
                "bikes": bikes,
                "colour": colour(bikes),
                "popup": popup_html(properties),
                "label": f"{escape(str(properties.get('name', '')))}: {bikes} bikes",
            }
        )
    simulated_at = data["stations"].data.get("simulated_at", "")
    return {
        "stations": stations,
        "updated": simulated_at[11:19],  # HH:MM:SS
        "source": "hub" if data["stations"].live else "extract",
        "notice": data["stations"].notice,
    }


def build_map(data: dict[str, hubdata.Loaded], tiles: str | None = None, refresh_url: str | None = None) -> folium.Map:
    tiles = tiles or os.environ.get("HACKKIT_TILES", "osm")
    page = payload(data)
    basemap = data["areas"].data
    m = make_map(CENTER, ZOOM, tiles=tiles, basemap_geojson=basemap, prefer_canvas=len(page["stations"]) > CANVAS_ABOVE)

    cluster = MarkerCluster(
        name="Bike stations",
        icon_create_function=LiveStations.CLUSTER_ICON,
        max_cluster_radius=CLUSTER_RADIUS,
    ).add_to(m)
    LiveStations(cluster, page, refresh_url, REFRESH_SECONDS).add_to(m)
    Legend(CLASSES, REFRESH_SECONDS if refresh_url else None).add_to(m)

    live = all(loaded.live for loaded in data.values())
    notices = {loaded.notice for loaded in data.values()}
    add_source_notice(m, " ".join(sorted(notices)), live=live)
    return m


def render(
    hub: hubdata.Hub, asset_base: str = "/assets", tiles: str | None = None, refresh_url: str | None = None
) -> str:
    """The map as a complete HTML page whose scripts and styles come from `asset_base`.

    With `refresh_url` the page fetches fresh numbers from it every REFRESH_SECONDS.
    """
    return render_map_html(build_map(load(hub), tiles, refresh_url), asset_base=asset_base, title=TITLE)


def create_app(hub_url: str | None = None) -> Flask:
    app = Flask(__name__)
    tiles = os.environ.get("HACKKIT_TILES", "osm")

    def hub() -> hubdata.Hub:
        # A new one per request: the next refresh shows the hub's data again once it is back.
        return hubdata.Hub(hub_url, extract_dir=HERE / "data")

    @app.get("/")
    def index():
        return map_response(render(hub(), tiles=tiles, refresh_url="data.json"), tiles)

    @app.get("/data.json")
    def data_json():
        response = jsonify(payload({"stations": load_stations(hub())}))  # no need for the districts
        response.cache_control.no_store = True
        return response

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
        print(f"wrote {args.html} (a snapshot: a file has no server to refresh from)")
        return
    create_app().run(host=args.host, port=args.port)


if __name__ == "__main__":
    main()
