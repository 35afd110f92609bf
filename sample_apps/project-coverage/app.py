"""Project coverage: the hackathon's own projects per district, and the districts none covered.

The event's submitted projects come from the hackkit hub's API (/api/v1/events, then
/api/v1/events/<slug>/projects); each project may say which district it is about. The
map colours each district by its number of projects, marks the districts that got
none, and lists them. Data comes from HACKKIT_URL (default http://127.0.0.1:5000), or
from the copy in data/ when the hub cannot be reached.

    python app.py                  serve the map on http://127.0.0.1:8000/ (PORT to change)
    python app.py --html map.html  write the map as one standalone file
    python app.py --save-extract   refresh data/projects.json from the hub
"""

from __future__ import annotations

import argparse
import os
import urllib.parse
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import folium
from flask import Flask
from hackkit_maps import hubdata
from hackkit_maps.assets import inline_assets
from hackkit_maps.build import add_source_notice, escape_properties, make_map, render_map_html
from hackkit_maps.serve import asset_response, map_response

HERE = Path(__file__).resolve().parent

TITLE = "Project coverage"
SUMMARY = "The event's own projects per district, from the hub's API, and the districts no project covered yet."
DEMONSTRATES = (
    "the hub's event API (events, projects)",
    "a choropleth with a legend",
    "highlighting what is missing",
    "live hub data, offline fallback",
)

# WHERE TO CHANGE THINGS (1): where the map opens.
CENTER = (51.2194, 4.4025)  # Antwerp
ZOOM = 11  # the map then zooms to fit the districts

# WHERE TO CHANGE THINGS (2): the areas to count projects in (a dataset of the hub with
# polygons) and the property holding their names. HACKKIT_EVENT picks an event by its
# slug; without it the app takes the event running now, or else the one starting last.
AREAS_DATASET = "districts"
AREA_NAME = "name"
EVENT = os.environ.get("HACKKIT_EVENT", "")

# WHERE TO CHANGE THINGS (3): the colours. Counts of 1, 2, 3-4 and 5 or more projects;
# districts with none get NONE_COLOR and a dashed outline.
STEPS = ((1, "#c6dbef"), (2, "#6baed6"), (3, "#2171b5"), (5, "#08306b"))
NONE_COLOR = "#f4a259"
PROJECTS_EXTRACT = "projects.json"


def _moment(text: str | None) -> datetime:
    return datetime.fromisoformat(text) if text else datetime.min.replace(tzinfo=UTC)


def pick_event(events: list[dict], slug: str = "", now: datetime | None = None) -> dict | None:
    """The event asked for by slug; else the one running now; else the one starting last."""
    if slug:
        return next((event for event in events if event["slug"] == slug), None)
    now = now or datetime.now(UTC)
    running = [e for e in events if _moment(e.get("starts_at")) <= now <= _moment(e.get("ends_at"))]
    candidates = running or events
    return max(candidates, key=lambda event: _moment(event.get("starts_at")), default=None)


def fetch_projects(hub: hubdata.Hub) -> dict:
    """{"event": {...} or None, "projects": [...]} from the hub's API."""
    event = pick_event(hub.get_json("/api/v1/events")["events"], EVENT)
    if event is None:
        return {"event": None, "projects": []}
    answer = hub.get_json(f"/api/v1/events/{urllib.parse.quote(event['slug'])}/projects")
    keep = ("id", "title", "tagline", "team", "district", "template", "html_url")
    return {
        "event": {"slug": event["slug"], "name": event["name"]},
        "projects": [{key: project.get(key) for key in keep} for project in answer["projects"]],
    }


def load(hub: hubdata.Hub) -> dict[str, hubdata.Loaded]:
    """The app's data, from the hub or from data/ when the hub is unreachable."""
    return {
        "projects": hub.load(fetch_projects, PROJECTS_EXTRACT),
        "areas": hub.load_geojson(AREAS_DATASET),
    }


def _key(name) -> str:
    return " ".join(str(name or "").split()).casefold()


def coverage(data: dict[str, hubdata.Loaded]) -> tuple[dict[str, list[dict]], list[dict]]:
    """Projects per district name (every district, empty lists included), and the projects
    whose district is empty or not one of the areas."""
    names = [feature["properties"][AREA_NAME] for feature in data["areas"].data["features"]]
    by_key = {_key(name): name for name in names}
    per_area: dict[str, list[dict]] = {name: [] for name in names}
    elsewhere = []
    for project in data["projects"].data["projects"]:
        area = by_key.get(_key(project.get("district")))
        if area is None:
            elsewhere.append(project)
        else:
            per_area[area].append(project)
    return per_area, elsewhere


def fill_color(count: int) -> str:
    color = NONE_COLOR
    for at_least, step_color in STEPS:
        if count >= at_least:
            color = step_color
    return color


def tooltip_html(name: str, projects: list[dict]) -> str:
    # WHERE TO CHANGE THINGS (4): what a district's tooltip says. Escape anything from data.
    if not projects:
        return f"<strong>{escape(name)}</strong><br>No project yet"
    titles = "".join(f"<li>{escape(str(p.get('title') or ''))}</li>" for p in projects[:8])
    more = f"<li>and {len(projects) - 8} more</li>" if len(projects) > 8 else ""
    count = f"{len(projects)} project" + ("s" if len(projects) != 1 else "")
    return f"<strong>{escape(name)}</strong><br>{count}<ul style='margin:0;padding-left:18px'>{titles}{more}</ul>"


_BOX_STYLE = (
    "position:absolute;z-index:1000;{where};max-width:280px;padding:8px 10px;background:#fff;"
    "border:2px solid #555;border-radius:4px;font:14px/1.4 sans-serif;color:#1a1a1a"
)


def summary_html(event: dict | None, per_area: dict[str, list[dict]], elsewhere: list[dict]) -> str:
    """The box listing the districts without a project, and the legend."""
    missing = [name for name, projects in per_area.items() if not projects]
    event_name = escape(event["name"]) if event else "No event found"
    total = sum(len(projects) for projects in per_area.values()) + len(elsewhere)
    items = "".join(f"<li>{escape(name)}</li>" for name in missing) or "<li>none: every district has one</li>"
    legend = [(NONE_COLOR, "no project")]
    for (at_least, color), (following, _color) in zip(STEPS, [*STEPS[1:], (0, "")], strict=True):
        label = f"{at_least}+" if not following else str(at_least)
        legend.append((color, f"{at_least}\u2013{following - 1}" if following - 1 > at_least else label))
    swatches = "".join(
        f'<li><span aria-hidden="true" style="display:inline-block;width:14px;height:14px;margin-right:6px;'
        f'vertical-align:middle;background:{color};border:1px solid #555"></span>{escape(label)}</li>'
        for color, label in legend
    )
    return (
        f'<div class="hackkit-coverage" style="{_BOX_STYLE.format(where="top:10px;right:10px")}">'
        f'<h2 style="font-size:15px;margin:0 0 4px">{event_name}</h2>'
        f"<p style='margin:0 0 4px'>{total} submitted project{'s' if total != 1 else ''}; "
        f"{len(elsewhere)} without a known district.</p>"
        f'<h3 style="font-size:14px;margin:6px 0 2px">No project yet ({len(missing)})</h3>'
        f'<ul class="hackkit-coverage-missing" style="margin:0;padding-left:18px">{items}</ul>'
        f'<h3 style="font-size:14px;margin:6px 0 2px">Projects per district</h3>'
        f'<ul class="hackkit-coverage-legend" style="margin:0;padding:0;list-style:none">{swatches}</ul></div>'
    )


def build_map(data: dict[str, hubdata.Loaded], tiles: str | None = None) -> folium.Map:
    tiles = tiles or os.environ.get("HACKKIT_TILES", "osm")
    per_area, elsewhere = coverage(data)
    areas = escape_properties(data["areas"].data)
    m = make_map(CENTER, ZOOM, tiles=tiles, basemap_geojson=areas)

    for original, feature in zip(data["areas"].data["features"], areas["features"], strict=True):
        name = original["properties"][AREA_NAME]  # the unescaped name: tooltip_html escapes it
        projects = per_area[name]
        feature["properties"]["projects"] = len(projects)
        feature["properties"]["tooltip"] = tooltip_html(name, projects)

    def style(feature: dict) -> dict:
        count = feature["properties"]["projects"]
        return {
            "color": "#b35c00" if count == 0 else "#333",
            "weight": 3 if count == 0 else 1,
            "dashArray": "6 4" if count == 0 else None,
            "fillColor": fill_color(count),
            "fillOpacity": 0.7,
        }

    counts = folium.GeoJson(
        areas,
        name="Projects per district",
        style_function=style,
        # Already escaped above (tooltip_html): shown as the HTML it is.
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
    ).add_to(m)
    m.fit_bounds(counts.get_bounds())

    m.get_root().html.add_child(folium.Element(summary_html(data["projects"].data["event"], per_area, elsewhere)))
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
        # Asked again on every request, so a refresh shows the newest projects
        # (and the live data again once the hub is back).
        return map_response(render(hubdata.Hub(hub_url, extract_dir=HERE / "data"), tiles=tiles), tiles)

    @app.get("/assets/<path:path>")
    def assets(path: str):
        return asset_response(path)

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=SUMMARY)
    parser.add_argument("--html", metavar="OUT", help="write the map to this file instead of serving it")
    parser.add_argument("--save-extract", action="store_true", help="refresh data/projects.json from the hub")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args(argv)
    if args.save_extract:
        hubdata.write_extract(fetch_projects(hubdata.Hub(timeout=30)), HERE / "data" / PROJECTS_EXTRACT)
        print(f"wrote data/{PROJECTS_EXTRACT}")
        return
    if args.html:
        hub = hubdata.Hub(extract_dir=HERE / "data")
        Path(args.html).write_text(inline_assets(render(hub), base="/assets"), encoding="utf-8")
        print(f"wrote {args.html}")
        return
    create_app().run(host=args.host, port=args.port)


if __name__ == "__main__":
    main()
