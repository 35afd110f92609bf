"""Finding where things are: WGS84 columns, projected x/y, WKT, GeoJSON and `lng:lat|...` lists.

Detection looks at column names and value ranges gathered while typing the columns;
conversion turns each row's geometry into WGS84 (GeoJSON, longitude first).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

LAT_NAME = re.compile(r"(^|_)(lat|latitude|breedte|breedtegraad|wgs84_lat)(_|$)")
LON_NAME = re.compile(r"(^|_)(lon|lng|long|longitude|lengte|lengtegraad|wgs84_lon)(_|$)")
X_NAME = re.compile(r"(^|_)(x|xcoord|x_coord|coord_x|easting|x_lambert|lambert_x|rd_x)(_|$)")
Y_NAME = re.compile(r"(^|_)(y|ycoord|y_coord|coord_y|northing|y_lambert|lambert_y|rd_y)(_|$)")

WKT = re.compile(
    r"^\s*(SRID=\d+;\s*)?(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON)\s*Z?\s*\(", re.I
)
NUM = r"-?\d+(?:\.\d+)?"
LNGLAT_LIST = re.compile(rf"^\s*{NUM}\s*:\s*{NUM}(\s*\|\s*{NUM}\s*:\s*{NUM})*\s*\|?\s*$")
GEOMETRY_TYPES = {"Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon"}

# Where projected coordinates of the Low Countries fall (metres), and where WGS84 results must land.
PROJECTED = {
    "EPSG:31370": {"x": (0, 320_000), "y": (0, 260_000)},  # Belgian Lambert 72
    "EPSG:28992": {"x": (0, 300_000), "y": (289_000, 630_000)},  # Dutch RD New
}
PROBE_LIMIT = 200  # text values looked at per column to recognise a geometry notation


@dataclass
class ShapeProbe:
    """Counts, for the first values of a text column, which geometry notation they use."""

    checked: int = 0
    hits: dict[str, int] = field(default_factory=dict)

    def add(self, value: str) -> None:
        if self.checked >= PROBE_LIMIT:
            return
        self.checked += 1
        kind = notation(value)
        if kind:
            self.hits[kind] = self.hits.get(kind, 0) + 1

    def kind(self) -> str | None:
        for kind, count in self.hits.items():
            if self.checked and count == self.checked:
                return kind
        return None


def notation(value: str) -> str | None:
    text = value.lstrip()
    if WKT.match(text):
        return "wkt"
    if text.startswith("{") and '"type"' in text:
        try:
            parsed = json.loads(text)
        except ValueError:
            return None
        return "geojson" if isinstance(parsed, dict) and parsed.get("type") in GEOMETRY_TYPES else None
    if ":" in text and LNGLAT_LIST.match(text):
        return "lnglat"
    return None


def _pair_score(a: str, b: str, pattern_a: re.Pattern, pattern_b: re.Pattern) -> int:
    # point_lat goes with point_lng rather than with long: same name once the token is gone.
    return int(pattern_a.sub("_", a) == pattern_b.sub("_", b))


def find_point_columns(ranges: dict[str, tuple[float, float]]) -> tuple[str, str] | None:
    """(lat, lon) among numeric columns named like coordinates whose values fit WGS84."""
    lats = [n for n, (lo, hi) in ranges.items() if LAT_NAME.search(n) and -90 <= lo and hi <= 90]
    lons = [n for n, (lo, hi) in ranges.items() if LON_NAME.search(n) and -180 <= lo and hi <= 180]
    pairs = [(lat, lon) for lat in lats for lon in lons if lat != lon]
    if not pairs:
        return None
    pairs.sort(key=lambda p: -_pair_score(p[0], p[1], LAT_NAME, LON_NAME))
    return pairs[0]


def find_projected_columns(ranges: dict[str, tuple[float, float]]) -> tuple[str, str, str] | None:
    """(x, y, crs) for numeric x/y columns whose ranges fit Lambert 72 or RD New."""
    xs = [n for n in ranges if X_NAME.search(n)]
    ys = [n for n in ranges if Y_NAME.search(n)]
    for x in xs:
        for y in sorted(ys, key=lambda y: -_pair_score(x, y, X_NAME, Y_NAME)):
            for crs, box in PROJECTED.items():
                (xlo, xhi), (ylo, yhi) = ranges[x], ranges[y]
                if box["x"][0] <= xlo and xhi <= box["x"][1] and box["y"][0] <= ylo and yhi <= box["y"][1]:
                    if xhi - xlo > 0 or yhi - ylo > 0 or xlo > 1000:
                        return x, y, crs
    return None


@lru_cache(maxsize=4)
def _transformer(crs: str):
    from pyproj import Transformer

    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)


def project_point(x: float, y: float, crs: str) -> tuple[float, float]:
    """(lon, lat) in WGS84, rounded to about a centimetre."""
    lon, lat = _transformer(crs).transform(x, y)
    return round(lon, 7), round(lat, 7)


def _round(coords):
    if isinstance(coords, (int, float)):
        return round(float(coords), 7)
    return [_round(c) for c in coords]


def to_geojson(value: str, kind: str) -> str | None:
    """One cell in `kind` notation as compact GeoJSON text, or None when it cannot be read."""
    try:
        if kind == "geojson":
            geometry = json.loads(value)
            if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
                return None
        elif kind == "wkt":
            from shapely import wkt
            from shapely.geometry import mapping

            text = re.sub(r"^\s*SRID=\d+;\s*", "", value)
            geometry = json.loads(json.dumps(mapping(wkt.loads(text))))
        elif kind == "lnglat":
            points = [[float(a), float(b)] for a, b in (p.split(":") for p in value.strip().strip("|").split("|"))]
            if len(points) == 1:
                geometry = {"type": "Point", "coordinates": points[0]}
            elif len(points) >= 4 and points[0] == points[-1]:
                geometry = {"type": "Polygon", "coordinates": [points]}
            else:
                geometry = {"type": "LineString", "coordinates": points}
        else:
            return None
    except (ValueError, TypeError, AttributeError, Exception):  # noqa: B014 - shapely raises its own errors
        return None
    geometry = {"type": geometry["type"], "coordinates": _round(geometry.get("coordinates", []))}
    return json.dumps(geometry, separators=(",", ":"))


def reproject_geojson(geojson: str, crs: str) -> str:
    """A GeoJSON geometry in projected metres turned into WGS84."""
    geometry = json.loads(geojson)

    def convert(coords):
        if coords and isinstance(coords[0], (int, float)):
            return list(project_point(coords[0], coords[1], crs))
        return [convert(c) for c in coords]

    geometry["coordinates"] = convert(geometry["coordinates"])
    return json.dumps(geometry, separators=(",", ":"))
