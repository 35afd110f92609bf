"""Facility finder: click the map, get the nearest public toilets or playgrounds.

Click anywhere: the app lists the nearest facilities of the kind you picked, ranked
by an estimated walking distance, with lines to them on the map. Toilets show whether
they are wheelchair accessible, and "Accessible only" keeps just those. Data comes
from the hackkit hub's API (HACKKIT_URL, default http://127.0.0.1:5000), or from the
copy in data/ when the hub cannot be reached.

The ranking runs in the browser on data embedded in the page, so `--html` gives one
file that works offline. The same ranking is also served as JSON at
/nearest?lat=..&lon=..&kind=toilets|playgrounds&accessible=0|1 for scripts.

    python app.py                 serve the map on http://127.0.0.1:8000/ (PORT to change)
    python app.py --html map.html write the map as one standalone file
"""

from __future__ import annotations

import argparse
import json
import math
import os
from html import escape
from pathlib import Path

import folium
from branca.element import MacroElement
from flask import Flask, jsonify, request
from hackkit_maps import hubdata
from hackkit_maps.assets import inline_assets
from hackkit_maps.build import Template, add_source_notice, escape_properties, make_map, render_map_html
from hackkit_maps.serve import asset_response, map_response

HERE = Path(__file__).resolve().parent

TITLE = "Facility finder"
SUMMARY = "Click the map: the nearest public toilets or playgrounds, ranked by walking distance, with accessibility."
DEMONSTRATES = (
    "click handling in a few lines of JavaScript",
    "a picker and a filter on the map",
    "ranking by an estimated walking distance",
    "a JSON endpoint beside the map",
    "live hub data, offline fallback",
)

# WHERE TO CHANGE THINGS (1): where the map opens.
CENTER = (51.2194, 4.4025)  # Antwerp
ZOOM = 12

# WHERE TO CHANGE THINGS (2): the facilities to choose from. Key -> the hub's dataset
# slug, its label, marker colour, and the column saying whether it is accessible
# (None when the dataset has no such column). Any dataset with points works.
KINDS: dict[str, dict] = {
    "toilets": {
        "dataset": "public-toilets",
        "label": "Public toilets",
        "color": "#1f5fa8",
        "accessible": "wheelchair_accessible",
    },
    "playgrounds": {"dataset": "playgrounds", "label": "Playgrounds", "color": "#2e7d32", "accessible": None},
}
AREAS_DATASET = "districts"

# WHERE TO CHANGE THINGS (3): the walking estimate. No routing service: the straight
# line times a detour factor for streets that don't go straight, at a walking pace.
DETOUR_FACTOR = 1.3
WALKING_KMH = 5.0
RESULTS = 5  # how many facilities the list shows
ESTIMATE_NOTE = (
    f"Walking distance is an estimate: the straight line \u00d7 {DETOUR_FACTOR} for streets, "
    f"at {WALKING_KMH:g} km/h. No routing service is used."
)
EARTH_RADIUS_M = 6_371_000
SCREENSHOT_CLICK = (0.42, 0.55)  # where `python -m hackkit.apps.screenshots` clicks (fractions of the map)


def load(hub: hubdata.Hub) -> dict[str, hubdata.Loaded]:
    """The app's data, from the hub or from data/ when the hub is unreachable."""
    data = {kind: hub.load_geojson(spec["dataset"]) for kind, spec in KINDS.items()}
    data["areas"] = hub.load_geojson(AREAS_DATASET)
    return data


def is_accessible(value) -> bool:
    # The API gives booleans; a CSV-made extract may say "true"/"yes"/"1".
    return value is True or str(value).strip().lower() in ("true", "yes", "1")


def facilities(data: dict[str, hubdata.Loaded], kind: str) -> list[dict]:
    """The points of one kind as {name, lat, lon, accessible, district} (None: not known)."""
    column = KINDS[kind]["accessible"]
    found = []
    for feature in data[kind].data.get("features", []):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") != "Point":
            continue  # rows without a location can't be found on a map
        lon, lat = geometry["coordinates"][:2]
        properties = feature.get("properties") or {}
        found.append(
            {
                "name": str(properties.get("name") or ""),
                "lat": lat,
                "lon": lon,
                "accessible": is_accessible(properties.get(column)) if column else None,
                "district": str(properties.get("district") or ""),
            }
        )
    return found


def walking_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance times the detour factor. The JavaScript below does the same."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a)) * DETOUR_FACTOR


def nearest(
    points: list[dict], lat: float, lon: float, accessible_only: bool = False, limit: int = RESULTS
) -> list[dict]:
    """The nearest points by estimated walking distance, each with metres and minutes added."""
    ranked = []
    for point in points:
        if accessible_only and point["accessible"] is not True:
            continue
        metres = walking_metres(lat, lon, point["lat"], point["lon"])
        minutes = metres / (WALKING_KMH * 1000 / 60)
        ranked.append({**point, "metres": round(metres), "minutes": round(minutes)})
    ranked.sort(key=lambda point: point["metres"])
    return ranked[:limit]


def popup_html(point: dict, kind: str) -> str:
    # WHERE TO CHANGE THINGS (4): what a facility's popup says. Escape anything from data.
    lines = [f"<strong>{escape(point['name'])}</strong>", escape(KINDS[kind]["label"])]
    if point["accessible"] is not None:
        lines.append("Wheelchair accessible" if point["accessible"] else "Not wheelchair accessible")
    if point["district"]:
        lines.append(escape(point["district"]))
    return "<br>".join(lines)


def safe_json(value) -> str:
    """JSON that cannot end the <script> it sits in, whatever text the data holds."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class FinderControl(MacroElement):
    """The picker, the "accessible only" filter, the result list, and the click handling.

    The list is built with textContent, never innerHTML, so names from data stay text.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  const map = {{ this._parent.get_name() }};
  const FACILITIES = {{ this.facilities }};
  const KINDS = {{ this.kinds }};
  const DETOUR = {{ this.detour }}, KMH = {{ this.kmh }}, LIMIT = {{ this.limit }};
  const links = L.layerGroup().addTo(map);
  let clicked = null;

  function walkingMetres(lat1, lon1, lat2, lon2) {  // same as walking_metres in app.py
    const rad = Math.PI / 180, p1 = lat1 * rad, p2 = lat2 * rad;
    const a = Math.sin((p2 - p1) / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin((lon2 - lon1) * rad / 2) ** 2;
    return 2 * 6371000 * Math.asin(Math.sqrt(a)) * DETOUR;
  }

  const box = L.DomUtil.create("div", "hackkit-finder");
  box.style.cssText = "background:#fff;padding:8px 10px;border:2px solid #555;border-radius:4px;" +
    "font:14px/1.4 sans-serif;color:#1a1a1a;max-width:300px";
  const title = L.DomUtil.create("h2", "", box);
  title.textContent = "Find the nearest";
  title.style.cssText = "font-size:15px;margin:0 0 6px";
  const pickLabel = L.DomUtil.create("label", "", box);
  pickLabel.textContent = "Facility ";
  const picker = L.DomUtil.create("select", "hackkit-finder-kind", pickLabel);
  Object.keys(KINDS).forEach((key) => {
    const option = L.DomUtil.create("option", "", picker);
    option.value = key;
    option.textContent = KINDS[key].label;
  });
  const onlyLabel = L.DomUtil.create("label", "", box);
  onlyLabel.style.display = "block";
  const only = L.DomUtil.create("input", "hackkit-finder-accessible", onlyLabel);
  only.type = "checkbox";
  onlyLabel.appendChild(document.createTextNode(" Wheelchair accessible only"));
  const hint = L.DomUtil.create("p", "hackkit-finder-hint", box);
  hint.textContent = "Click the map to list the nearest ones.";
  hint.style.margin = "6px 0";
  const results = L.DomUtil.create("ol", "hackkit-finder-results", box);
  results.setAttribute("aria-live", "polite");
  results.style.cssText = "margin:0;padding-left:20px";
  const legend = L.DomUtil.create("p", "hackkit-finder-legend", box);
  legend.style.cssText = "margin:6px 0 0;font-size:12px";
  Object.keys(KINDS).forEach((key) => {
    const swatch = L.DomUtil.create("span", "", legend);
    swatch.setAttribute("aria-hidden", "true");
    swatch.style.cssText = "display:inline-block;width:10px;height:10px;border-radius:50%;margin:0 4px 0 8px;" +
      "background:" + KINDS[key].color;
    legend.appendChild(document.createTextNode(KINDS[key].label));
  });
  legend.appendChild(document.createTextNode(". A thick ring: wheelchair accessible."));
  const note = L.DomUtil.create("p", "hackkit-finder-note", box);
  note.textContent = {{ this.note }};
  note.style.cssText = "margin:6px 0 0;font-size:12px;color:#444";
  L.DomEvent.disableClickPropagation(box);
  L.DomEvent.disableScrollPropagation(box);

  const control = L.control({position: "topright"});
  control.onAdd = () => box;
  control.addTo(map);

  function accessibility(point) {
    if (point.accessible === null) return "";
    return point.accessible ? ", wheelchair accessible" : ", not wheelchair accessible";
  }

  function show() {
    links.clearLayers();
    results.replaceChildren();
    if (!clicked) return;
    const kind = picker.value;
    const ranked = FACILITIES[kind]
      .filter((point) => !only.checked || point.accessible === true)
      .map((point) => Object.assign({metres: walkingMetres(clicked.lat, clicked.lng, point.lat, point.lon)}, point))
      .sort((a, b) => a.metres - b.metres)
      .slice(0, LIMIT);
    L.circleMarker(clicked, {radius: 6, color: "#000", weight: 2, fillOpacity: 1, fillColor: "#fff"})
      .bindTooltip("You clicked here").addTo(links);
    hint.textContent = ranked.length ? "Nearest " + KINDS[kind].label.toLowerCase() + ":" : "None found.";
    ranked.forEach((point) => {
      const minutes = Math.round(point.metres / (KMH * 1000 / 60));
      const item = L.DomUtil.create("li", "", results);
      item.textContent = point.name + " \u2014 " + Math.round(point.metres) + " m, about " + minutes +
        " min walk" + accessibility(point);
      L.polyline([clicked, [point.lat, point.lon]], {color: KINDS[kind].color, weight: 3, dashArray: "6 6"})
        .addTo(links);
    });
  }

  map.on("click", (event) => { clicked = event.latlng; show(); });
  picker.addEventListener("change", show);
  only.addEventListener("change", show);
})();
{% endmacro %}"""
    )

    def __init__(self, points: dict[str, list[dict]]):
        super().__init__()
        self._name = "FinderControl"
        self.facilities = safe_json(points)
        self.kinds = safe_json({kind: {"label": spec["label"], "color": spec["color"]} for kind, spec in KINDS.items()})
        self.detour, self.kmh, self.limit = DETOUR_FACTOR, WALKING_KMH, RESULTS
        self.note = safe_json(ESTIMATE_NOTE)


def build_map(data: dict[str, hubdata.Loaded], tiles: str | None = None) -> folium.Map:
    tiles = tiles or os.environ.get("HACKKIT_TILES", "osm")
    areas = escape_properties(data["areas"].data)
    m = make_map(CENTER, ZOOM, tiles=tiles, basemap_geojson=areas)

    points = {kind: facilities(data, kind) for kind in KINDS}
    for kind, spec in KINDS.items():
        layer = folium.FeatureGroup(name=spec["label"]).add_to(m)
        for point in points[kind]:
            folium.CircleMarker(
                (point["lat"], point["lon"]),
                radius=6,
                color=spec["color"],
                weight=3 if point["accessible"] else 1,  # a thick ring: wheelchair accessible
                fill=True,
                fill_opacity=0.8,
                popup=folium.Popup(popup_html(point, kind), max_width=260),
                tooltip=escape(point["name"]),
            ).add_to(layer)

    m.add_child(FinderControl(points))
    folium.LayerControl(collapsed=True, position="topleft").add_to(m)
    live = all(loaded.live for loaded in data.values())
    notices = {loaded.notice for loaded in data.values()}
    add_source_notice(m, " ".join(sorted(notices)), live=live)
    return m


def render(hub: hubdata.Hub, asset_base: str = "/assets", tiles: str | None = None) -> str:
    """The map as a complete HTML page whose scripts and styles come from `asset_base`."""
    return render_map_html(build_map(load(hub), tiles), asset_base=asset_base, title=TITLE)


def parse_query(args) -> tuple[float, float, str, bool]:
    """The /nearest parameters, or ValueError with a message for the caller."""
    try:
        lat, lon = float(args.get("lat", "")), float(args.get("lon", ""))
    except ValueError:
        raise ValueError("lat and lon must be numbers (decimal degrees, WGS84)") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError("lat must be within -90..90 and lon within -180..180")
    kind = args.get("kind", "toilets")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of: {', '.join(KINDS)}")
    accessible = args.get("accessible", "0")
    if accessible not in ("0", "1", "true", "false"):
        raise ValueError("accessible must be 0 or 1")
    return lat, lon, kind, accessible in ("1", "true")


def create_app(hub_url: str | None = None) -> Flask:
    app = Flask(__name__)
    tiles = os.environ.get("HACKKIT_TILES", "osm")

    @app.get("/")
    def index():
        # Asked again on every request, so a refresh shows the hub's latest data
        # (and the live data again once the hub is back).
        return map_response(render(hubdata.Hub(hub_url, extract_dir=HERE / "data"), tiles=tiles), tiles)

    @app.get("/nearest")
    def nearest_json():
        try:
            lat, lon, kind, accessible_only = parse_query(request.args)
        except ValueError as error:
            return jsonify({"ok": False, "error": str(error), "status": 400}), 400
        data = load(hubdata.Hub(hub_url, extract_dir=HERE / "data"))
        found = nearest(facilities(data, kind), lat, lon, accessible_only)
        return jsonify({"kind": kind, "source": data[kind].source, "estimate": ESTIMATE_NOTE, "results": found})

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
