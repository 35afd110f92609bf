"""How many points can a folium map carry? Size, build time and draw time per approach.

For each approach a sample app may use and each number of points, this builds the map
with hackkit's own helpers (tiles "none", assets from the local assets route), and
measures:
- the HTML size,
- the Python time to build and render it,
- the time until it is drawn in headless Chromium: from navigation start until the
  points are on the map (the layer holds every point and two animation frames have
  passed, so the browser has painted them).

Run:  .venv/bin/python benchmarks/maps.py [--sizes 1000,10000] [--approaches heat,url]
      [--write]   (replaces the "## Maps" section of benchmarks/README.md)
      [--hub-rows 1000000]   (also the hub's own dataset map preview, end to end: a CSV of
      that many points imported into a hub of its own under benchmarks/work/, served by
      gunicorn, /maps/datasets/<slug> opened until every point is drawn; --runs times;
      --hub-database postgresql+psycopg://... for PostgreSQL)

Everything is served from 127.0.0.1; the browser refuses any other address.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import folium
from flask import Flask, Response, abort, send_file
from folium import plugins
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from hackkit_maps import assets  # noqa: E402
from hackkit_maps.build import (  # noqa: E402
    geojson_from_url,
    make_map,
    pack_points,
    points_from_url,
    points_layer,
    render_map_html,
)
from run import free_port, hub_command  # noqa: E402

CENTER = (51.2194, 4.4025)
SIZES = (1_000, 10_000, 50_000, 100_000)
TIMEOUT_S = 120  # a map not drawn by then is reported as "> 120 s"
# After a size takes longer than this to draw, larger sizes of that approach are not run:
# they would only take minutes to confirm that the approach is far too slow.
GIVE_UP_S = 60
CHROMIUM = "/usr/bin/chromium"
README = Path(__file__).resolve().parent / "README.md"

# Each snippet is the body of a JS function given N; true once every point is on the map.
FIND_MAP = (
    "if (!window.L) return false;"  # polled from the first byte on: Leaflet may not be there yet
    " const map = Object.values(window).find((v) => v instanceof L.Map); if (!map) return false;"
)
COUNT_GEOJSON = (
    FIND_MAP + "let n = 0; map.eachLayer((l) => { if (l instanceof L.GeoJSON) n += l.getLayers().length; });"
    " return n >= N;"
)


@dataclass(frozen=True)
class Approach:
    name: str
    label: str
    add: Callable[[folium.Map, list[tuple[float, float]], str], None]  # map, points, data URL
    drawn: str  # JS condition
    canvas: bool = False  # build the map with prefer_canvas=True
    lean: bool = False  # make_map(lean=True): Leaflet without folium's jQuery, Bootstrap and icons


def points(n: int) -> list[tuple[float, float]]:
    rng = random.Random(n)
    return [(CENTER[0] + rng.gauss(0, 0.03), CENTER[1] + rng.gauss(0, 0.05)) for _ in range(n)]


def feature_collection(data: list[tuple[float, float]]) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": {}}
            for lat, lon in data
        ],
    }


def add_markers(m, data, _url):
    for point in data:
        folium.Marker(point).add_to(m)


def add_canvas_geojson(m, data, _url):
    folium.GeoJson(feature_collection(data), marker=folium.CircleMarker(radius=3, weight=1)).add_to(m)


def add_fast_cluster(m, data, _url):
    plugins.FastMarkerCluster(data).add_to(m)


def add_heat(m, data, _url):
    plugins.HeatMap(data, radius=8).add_to(m)


def add_by_url(m, _data, url):
    # The page carries only the URL; the browser fetches the GeoJSON after loading.
    geojson_from_url(url, marker=folium.CircleMarker(radius=3, weight=1)).add_to(m)


def add_points(m, data, _url):
    points_layer(data).add_to(m)


def add_points_by_url(m, _data, url):
    # The page carries only the URL; the browser fetches 8 bytes a point (pack_points).
    points_from_url(url).add_to(m)


# The kit's fast point layer (hackkit-points.js): every point counted and drawn once.
COUNT_POINTS = (
    FIND_MAP + "let n = 0; map.eachLayer((l) => { if (L.HackkitPoints && l instanceof L.HackkitPoints) "
    "n += l.drawnPoints; }); return n >= N;"
)


APPROACHES = {
    a.name: a
    for a in (
        Approach(
            "markers",
            "plain markers",
            add_markers,
            "return document.querySelectorAll('.leaflet-marker-icon').length >= N;",
        ),
        Approach("canvas", "canvas GeoJSON (prefer_canvas)", add_canvas_geojson, COUNT_GEOJSON, canvas=True),
        Approach(
            "fastcluster",
            "FastMarkerCluster",
            add_fast_cluster,
            FIND_MAP + "let n = 0; map.eachLayer((l) => { if (l instanceof L.MarkerClusterGroup) n += "
            "l.getLayers().length; }); return n >= N && !!document.querySelector('.marker-cluster');",
        ),
        Approach(
            "heat",
            "HeatMap",
            add_heat,
            FIND_MAP + "let n = 0; map.eachLayer((l) => { if (L.HeatLayer && l instanceof L.HeatLayer) n += "
            "l._latlngs.length; }); return n >= N && !!document.querySelector('canvas.leaflet-heatmap-layer');",
        ),
        Approach("url", "canvas GeoJSON loaded by URL", add_by_url, COUNT_GEOJSON, canvas=True),
        Approach("points", "kit fast points in the page, lean page", add_points, COUNT_POINTS, lean=True),
        Approach("points-url", "kit fast points loaded by URL (packed)", add_points_by_url, COUNT_POINTS),
        Approach(
            "points-url-lean",
            "kit fast points loaded by URL (packed), lean page",
            add_points_by_url,
            COUNT_POINTS,
            lean=True,
        ),
    )
}


class Server:
    """The benchmark pages, their GeoJSON and the map assets on 127.0.0.1."""

    def __init__(self):
        self.pages: dict[str, str] = {}
        self.geojson: dict[str, str | bytes] = {}  # the data a page fetches
        app = Flask(__name__)

        @app.get("/maps/assets/<path:path>")
        def asset(path):
            file = assets.served_files().get(path)
            if file is None:
                abort(404)
            if path.endswith(".css"):
                return Response(assets.asset_text(path), mimetype="text/css")
            return send_file(file)

        @app.get("/bench/<key>.html")
        def page(key):
            return Response(self.pages.get(key) or abort(404), mimetype="text/html")

        @app.get("/bench/<key>.geojson")
        def geojson(key):
            return Response(self.geojson.get(key) or abort(404), mimetype="application/geo+json")

        @app.get("/bench/<key>.points")
        def packed(key):
            return Response(self.geojson.get(key) or abort(404), mimetype="application/octet-stream")

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def build(approach: Approach, n: int, data_url: str) -> tuple[str, float]:
    data = points(n)
    started = time.perf_counter()
    m = make_map(CENTER, 11, tiles="none", prefer_canvas=approach.canvas, lean=approach.lean)
    approach.add(m, data, data_url)
    html = render_map_html(m, title=f"{approach.label}, {n} points")
    return html, time.perf_counter() - started


def draw_time(browser, url: str, approach: Approach, n: int) -> float | None:
    """Seconds from navigation start until drawn, or None after TIMEOUT_S."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    base = "/".join(url.split("/")[:3])  # scheme://host:port
    context.route(lambda u: not u.startswith(base), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_S * 1000)
    condition = f"() => {{ const N = {n}; {approach.drawn} }}"
    try:
        page.goto(url, wait_until="commit")
        page.wait_for_function(condition, polling=50)
        # Two frames later the browser has painted what the layer holds.
        ms = page.evaluate(
            "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"
        )
        return ms / 1000
    except Exception as error:  # a timeout or a page that gave up: reported as not drawn
        if "Timeout" not in type(error).__name__ and "Timeout" not in str(error):
            raise
        return None
    finally:
        context.close()


def middle(times: list[float | None]) -> float | None:
    """The median; a run that never drew counts as the slowest."""
    ordered = sorted(times, key=lambda t: float("inf") if t is None else t)
    return ordered[len(ordered) // 2]


def run(sizes, approach_names, hub_rows: int = 0, runs: int = 5, repeat: int = 1, database=None) -> list[dict]:
    from playwright.sync_api import sync_playwright

    server = Server()
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--disable-quic"]
        )
        try:
            for name in approach_names:
                approach = APPROACHES[name]
                slow = None  # the row that made us stop this approach
                for n in sizes:
                    if slow is not None:
                        row = {"approach": approach.label, "points": n, "skipped": slow}
                        rows.append(row)
                        print(format_row(row), flush=True)
                        continue
                    key = f"{name}-{n}"
                    data_url = f"/bench/{key}.geojson"
                    if name == "url":
                        server.geojson[key] = json.dumps(feature_collection(points(n)))
                    elif name.startswith("points-url"):
                        data_url = f"/bench/{key}.points"
                        server.geojson[key] = pack_points(points(n))
                    html, build_s = build(approach, n, data_url)
                    server.pages[key] = html
                    times = [draw_time(browser, f"{server.url}/bench/{key}.html", approach, n) for _ in range(repeat)]
                    drawn_s = middle(times)
                    row = {
                        "approach": approach.label,
                        "points": n,
                        "html_bytes": len(html.encode()),
                        "data_bytes": len(data_bytes(server.geojson.get(key, b""))),
                        "build_s": build_s,
                        "drawn_s": drawn_s,
                        "times": times,
                    }
                    rows.append(row)
                    print(format_row(row), flush=True)
                    if drawn_s is None or drawn_s > GIVE_UP_S:
                        slow = row
                    server.pages.pop(key)
                    server.geojson.pop(key, None)
            if hub_rows:
                rows += hub_preview(browser, hub_rows, runs, database)
        finally:
            browser.close()
            server.close()
    return rows


WORK = Path(__file__).resolve().parent / "work"  # git-ignored
VENV_BIN = Path(sys.executable).parent


def points_csv(path: Path, rows: int) -> None:
    """id, category, latitude, longitude: points around Antwerp, like a city's incident file."""
    rng = random.Random(rows)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "category", "latitude", "longitude"])
        for i in range(1, rows + 1):
            lat, lon = CENTER[0] + rng.gauss(0, 0.03), CENTER[1] + rng.gauss(0, 0.05)
            writer.writerow([i, f"cat{i % 7}", f"{lat:.6f}", f"{lon:.6f}"])


def create_database(url: str) -> None:
    import sqlalchemy as sa

    name = sa.engine.make_url(url).database
    admin = sa.create_engine(sa.engine.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()


def hub_preview(browser, rows: int, runs: int, database: str | None = None) -> list[dict]:
    """The hub's dataset map of `rows` points: import once, then open it `runs` times.

    `database`: a PostgreSQL URL (its database is made if missing); SQLite in the instance
    folder without it.
    """
    WORK.mkdir(exist_ok=True)
    slug = f"points-{rows}"
    instance = WORK / f"maps-hub-{rows}{'-postgresql' if database else ''}"
    env = {
        **os.environ,
        "HACKKIT_INSTANCE_PATH": str(instance),
        "HACKKIT_RATELIMIT_ENABLED": "0",
        "HACKKIT_TILES": "none",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "mapkit" / "src")]),  # this checkout's hub and kit
    }
    if database:
        env["HACKKIT_DATABASE_URL"] = database
        create_database(database)
    if not (instance / f"{slug}.imported").exists():
        source = WORK / f"{slug}.csv"
        if not source.exists():
            points_csv(source, rows)
        hackkit = str(VENV_BIN / "hackkit")
        subprocess.run([hackkit, "db", "upgrade"], env=env, check=True, capture_output=True)  # noqa: S603
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [hackkit, "datasets", "import", str(source), "--slug", slug], env=env, check=True
        )
        print(f"imported {rows:,} rows in {time.perf_counter() - started:.0f} s", flush=True)
        (instance / f"{slug}.imported").touch()
    port = free_port()
    server = subprocess.Popen(hub_command(port), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=5).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        # A worker's first map page imports folium (~1-2 s, once per worker): not what a
        # visitor of a running hub waits for.
        urllib.request.urlopen(f"{base}/maps/datasets/{slug}", timeout=60).read()  # noqa: S310
        label = f"hub dataset map preview ({'PostgreSQL' if database else 'SQLite'})"
        approach = Approach("hub", label, add_points, COUNT_POINTS)
        page = f"{base}/maps/datasets/{slug}"
        # One visit not timed: the browser's first page and the worker's first answers of
        # each asset are slower, whatever the points. Then the first visitor after an import:
        # the points are read from the table (and written to the version's points file);
        # every later one gets that file.
        draw_time(browser, page, approach, rows)
        shutil.rmtree(instance / "map-points", ignore_errors=True)
        first = draw_time(browser, page, approach, rows)
        later = [draw_time(browser, page, approach, rows) for _ in range(runs)]
        # The data alone, as a client without a browser gets it, both ways.
        shutil.rmtree(instance / "map-points", ignore_errors=True)
        fetch_s = []
        for _ in range(2):
            started = time.perf_counter()
            with urllib.request.urlopen(f"{base}/api/v1/datasets/{slug}/points", timeout=300) as answer:  # noqa: S310
                size = len(answer.read())
            fetch_s.append(time.perf_counter() - started)
        found = []
        for label, times in (("first visit", [first]), ("later visits", later)):
            row = {
                "approach": f"{approach.label}, {label}",
                "points": rows,
                "hub": True,
                "html_bytes": 0,
                "data_bytes": size,
                "build_s": fetch_s,
                "drawn_s": middle(times),
                "times": times,
            }
            found.append(row)
            print(format_row(row), flush=True)
        return found
    finally:
        server.terminate()
        server.wait(timeout=30)


def data_bytes(data: str | bytes) -> bytes:
    return data.encode() if isinstance(data, str) else data


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"


def format_row(row: dict) -> str:
    if "skipped" in row:
        before = row["skipped"]
        took = f"{before['drawn_s']:.0f} s" if before["drawn_s"] is not None else f"over {TIMEOUT_S} s"
        return f"| {row['approach']} | {row['points']:,} | not run: {before['points']:,} points took {took} | | |"
    drawn = f"{row['drawn_s']:.2f} s" if row["drawn_s"] is not None else f"> {TIMEOUT_S} s"
    if len(row.get("times", ())) > 1 and None not in row["times"]:
        drawn += f" (median of {len(row['times'])}: {min(row['times']):.2f}-{max(row['times']):.2f})"
    if row.get("hub"):
        first, later = row["build_s"]
        answered = f"/points alone: {first:.2f} s first, {later:.2f} s then"
        return (
            f"| {row['approach']} | {row['points']:,} | {megabytes(row['data_bytes'])} packed | {answered} | {drawn} |"
        )
    size = megabytes(row["html_bytes"])
    if row["data_bytes"]:
        size += f" + {megabytes(row['data_bytes'])} {'packed' if 'packed' in row['approach'] else 'GeoJSON'}"
    return f"| {row['approach']} | {row['points']:,} | {size} | {row['build_s']:.2f} s | {drawn} |"


def table(rows: list[dict]) -> str:
    head = "| approach | points | HTML size | Python build | drawn in Chromium |\n|---|---:|---:|---:|---:|\n"
    return head + "\n".join(format_row(row) for row in rows) + "\n"


def write_readme(rows: list[dict], note: str) -> None:
    section = f"## Maps\n\n{note}\n\n{table(rows)}"
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Maps\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    README.write_text(text.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--approaches", default=",".join(APPROACHES))
    parser.add_argument("--write", action="store_true", help="replace the '## Maps' section of benchmarks/README.md")
    parser.add_argument("--note", default="", help="text above the table (machine, date)")
    parser.add_argument("--hub-rows", type=int, default=0, help="also the hub's dataset map of this many points")
    parser.add_argument("--runs", type=int, default=5, help="times the hub's map is opened (the median is shown)")
    parser.add_argument("--repeat", type=int, default=1, help="times each page is drawn (the median is shown)")
    parser.add_argument("--hub-database", help="a PostgreSQL URL for the hub (default: SQLite)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    names = [name for name in args.approaches.split(",") if name]  # "" with --hub-rows: the hub alone
    unknown = [n for n in names if n not in APPROACHES]
    if unknown:
        parser.error(f"unknown approach {unknown}; choose from {', '.join(APPROACHES)}")
    print(table([]), end="", flush=True)
    rows = run(sizes, names, args.hub_rows, args.runs, args.repeat, args.hub_database)
    if args.write:
        write_readme(rows, args.note)


if __name__ == "__main__":
    main()
