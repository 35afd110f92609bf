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
X_NAME = re.compile(r"(^|_)(x|xcoord|x_coord|coord_x|easting|x_lambert|lambert_x|rd_x|rdx|x_rd)(_|$)")
Y_NAME = re.compile(r"(^|_)(y|ycoord|y_coord|coord_y|northing|y_lambert|lambert_y|rd_y|rdy|y_rd)(_|$)")

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
    "EPSG:3879": {"x": (25_440_000, 25_570_000), "y": (6_600_000, 6_750_000)},  # Helsinki ETRS-GK25
}
CRS_NAMES = {
    "EPSG:31370": "Belgian Lambert 72",
    "EPSG:28992": "Dutch RD New",
    "EPSG:3879": "Finnish ETRS-GK25",
}
PROBE_LIMIT = 200  # text values looked at per column to recognise a geometry notation


@dataclass
class ShapeProbe:
    """Counts, for the first values of a text column, which geometry notation they use,
    where their coordinates lie (degrees or metres) and whether `lng:lat` lists close rings."""

    checked: int = 0
    hits: dict[str, int] = field(default_factory=dict)
    bounds: list[float] | None = None  # minx, miny, maxx, maxy of the values looked at
    rings: int = 0

    def add(self, value: str) -> None:
        if self.checked >= PROBE_LIMIT:
            return
        self.checked += 1
        kind = notation(value)
        if not kind:
            return
        self.hits[kind] = self.hits.get(kind, 0) + 1
        if self.checked <= BOUNDS_SAMPLE and (box := shape_bounds(value, kind)) is not None:
            if self.bounds is None:
                self.bounds = list(box)
            else:
                self.bounds = [*map(min, self.bounds[:2], box[:2]), *map(max, self.bounds[2:], box[2:])]
        if kind == "lnglat" and _closes_a_ring(value):
            self.rings += 1

    def kind(self) -> str | None:
        for kind, count in self.hits.items():
            if self.checked and count == self.checked:
                return kind
        return None

    def crs(self) -> str | None | bool:
        """None: WGS84 degrees; a CRS name: metres of a known projection; False: neither."""
        if self.bounds is None:
            return None
        minx, miny, maxx, maxy = self.bounds
        if -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90:
            return None
        return projected_crs((minx, maxx), (miny, maxy)) or False


BOUNDS_SAMPLE = 50


def _closes_a_ring(value: str) -> bool:
    points = [p.strip() for p in value.strip().strip("|").split("|")]
    return len(points) >= 4 and points[0] in points[3:]


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


def point_pairs(ranges: dict[str, tuple[float, float]]) -> list[tuple[str, str]]:
    """Every (lat, lon) pair of numeric columns named like coordinates whose values fit WGS84.

    Columns that share the rest of their name pair up (lat.x with lon.x, point_lat with
    point_lng); a column that has such a partner is not offered in cross pairs.
    """
    lats = [n for n, (lo, hi) in ranges.items() if LAT_NAME.search(n) and -90 <= lo and hi <= 90]
    lons = [n for n, (lo, hi) in ranges.items() if LON_NAME.search(n) and -180 <= lo and hi <= 180]
    return _matched([(lat, lon) for lat in lats for lon in lons if lat != lon], LAT_NAME, LON_NAME)


def projected_pairs(ranges: dict[str, tuple[float, float]]) -> list[tuple[str, str, str]]:
    """Every (x, y, crs) of numeric x/y columns whose ranges fit one of the known projections."""
    degrees = {n for n in ranges if LAT_NAME.search(n) or LON_NAME.search(n)}  # lat.x is not an x
    xs = [n for n in ranges if X_NAME.search(n) and n not in degrees]
    ys = [n for n in ranges if Y_NAME.search(n) and n not in degrees]
    found = []
    for x, y in _matched([(x, y) for x in xs for y in ys if x != y], X_NAME, Y_NAME):
        crs = projected_crs(ranges[x], ranges[y])
        if crs:
            found.append((x, y, crs))
    return found


def projected_crs(x_range: tuple[float, float], y_range: tuple[float, float]) -> str | None:
    """The known projection whose area holds these x and y ranges (metres), if any."""
    (xlo, xhi), (ylo, yhi) = x_range, y_range
    for crs, box in PROJECTED.items():
        if box["x"][0] <= xlo and xhi <= box["x"][1] and box["y"][0] <= ylo and yhi <= box["y"][1]:
            if (xhi - xlo > 0 or yhi - ylo > 0) and xhi > 1000 and yhi > 1000:  # metres, not degrees
                return crs
    return None


def _matched(pairs: list[tuple[str, str]], pattern_a: re.Pattern, pattern_b: re.Pattern) -> list[tuple[str, str]]:
    matched = [p for p in pairs if _pair_score(p[0], p[1], pattern_a, pattern_b)]
    partnered = {name for pair in matched for name in pair}
    rest = [p for p in pairs if p not in matched and p[0] not in partnered and p[1] not in partnered]
    return matched + rest


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


# What happened to one value on its way to a geometry; the report names the rows.
CLOSED = "closed"  # a ring whose last point did not repeat its first: the first was added
REPAIRED = "repaired"  # an invalid shape (crossing outline, bad hole) mended with make_valid
UNREADABLE = "unreadable"  # no geometry could be read from the value


@dataclass
class Shape:
    geometry: dict | None  # GeoJSON geometry, WGS84, longitude first
    fixes: frozenset[str] = frozenset()
    where: tuple[float, float] | None = None  # (lon, lat) of a point on it, to find outliers


def to_geojson(value: str, kind: str) -> str | None:
    """One cell in `kind` notation as compact GeoJSON text, or None when it cannot be read."""
    shape = read_shape(value, kind)
    return dumps(shape.geometry) if shape.geometry else None


def dumps(geometry: dict) -> str:
    return json.dumps(geometry, separators=(",", ":"))


def read_shape(value: str, kind: str, crs: str | None = None, rings: bool = False) -> Shape:
    """One cell in `kind` notation (geojson, wkt, lnglat) as a WGS84 geometry, mended where needed.

    `rings`: the column holds polygons as `lng:lat|...` lists, so an unclosed list is a ring
    to close rather than a line.
    """
    import shapely  # here, not at import: numpy and shapely cost a web worker ~30 MB it rarely needs
    from shapely import make_valid
    from shapely.geometry import mapping

    fixes: set[str] = set()
    try:
        shape = _parse(value, kind, rings, fixes)
    except Exception:  # noqa: BLE001 - shapely and json raise many kinds for a broken value
        return Shape(None, frozenset({UNREADABLE}))
    if shape is None or shape.is_empty:
        return Shape(None, frozenset({UNREADABLE}))
    try:
        if shape.geom_type in ("Polygon", "MultiPolygon") and not shape.is_valid:
            shape = _polygonal(make_valid(shape))
            fixes.add(REPAIRED)
        if crs:
            shape = shapely.transform(shape, _transformer(crs).transform, interleaved=False)
        point = shape.representative_point() if shape.geom_type != "Point" else shape
        geometry = mapping(shape)
    except Exception:  # noqa: BLE001
        return Shape(None, frozenset({UNREADABLE}))
    coordinates = _round(json.loads(json.dumps(geometry["coordinates"])))
    return Shape({"type": geometry["type"], "coordinates": coordinates}, frozenset(fixes), (point.x, point.y))


def shape_bounds(value: str, kind: str) -> tuple[float, float, float, float] | None:
    """(minx, miny, maxx, maxy) of a value as written, to tell degrees from metres."""
    try:
        shape = _parse(value, kind, False, set())
        return None if shape is None or shape.is_empty else shape.bounds
    except Exception:  # noqa: BLE001
        return None


def _parse(value: str, kind: str, rings: bool, fixes: set[str]):
    from shapely import wkt
    from shapely.geometry import shape as from_geojson

    if kind == "geojson":
        parsed = json.loads(value)
        if not isinstance(parsed, dict) or parsed.get("type") not in GEOMETRY_TYPES:
            return None
        return from_geojson(parsed)
    if kind == "wkt":
        return wkt.loads(re.sub(r"^\s*SRID=\d+;\s*", "", value))
    if kind == "lnglat":
        return _lnglat(value, rings, fixes)
    return None


def _lnglat(value: str, rings: bool, fixes: set[str]):
    """`lng:lat|lng:lat|...`: a point, a line, or rings; a ring ends where its first point comes back."""
    from shapely.geometry import LineString, Point

    points = [(float(a), float(b)) for a, b in (p.split(":") for p in value.strip().strip("|").split("|"))]
    if len(points) == 1:
        return Point(points[0])
    closed: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for point in points:
        if len(current) >= 3 and point == current[0]:
            closed.append([*current, point])
            current = []
        else:
            current.append(point)
    if not closed and not rings:
        return LineString(points)
    if len(current) >= 3:
        closed.append([*current, current[0]])
        fixes.add(CLOSED)
    elif current:
        fixes.add(REPAIRED)  # one or two stray points after the last ring cannot be a ring
    return _rings_to_polygons(closed)


def _rings_to_polygons(rings: list[list[tuple[float, float]]]):
    """Outer rings with the rings inside them as holes: a Polygon, or a MultiPolygon for several outers."""
    from shapely.geometry import MultiPolygon, Polygon

    ordered = sorted((Polygon(r) for r in rings), key=lambda p: -abs(p.area))
    outers: list[tuple[Polygon, list]] = []
    for ring in ordered:
        inside = ring.representative_point()
        home = next(
            (o for o in outers if o[0].contains(inside) and not any(Polygon(h).contains(inside) for h in o[1])), None
        )
        if home is None:
            outers.append((ring, []))
        else:
            home[1].append(ring.exterior.coords)
    polygons = [Polygon(outer.exterior.coords, holes) for outer, holes in outers]
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def _polygonal(shape):
    """What make_valid returns, kept to its polygons (it may add stray lines or points)."""
    from shapely.geometry import MultiPolygon

    if shape.geom_type == "GeometryCollection":
        parts = []
        for part in shape.geoms:
            if part.geom_type == "Polygon":
                parts.append(part)
            elif part.geom_type == "MultiPolygon":
                parts.extend(part.geoms)
        if parts:
            return parts[0] if len(parts) == 1 else MultiPolygon(parts)
    return shape


def reproject_geojson(geojson: str, crs: str) -> str:
    """A GeoJSON geometry in projected metres turned into WGS84."""
    geometry = json.loads(geojson)

    def convert(coords):
        if coords and isinstance(coords[0], (int, float)):
            return list(project_point(coords[0], coords[1], crs))
        return [convert(c) for c in coords]

    geometry["coordinates"] = convert(geometry["coordinates"])
    return json.dumps(geometry, separators=(",", ":"))
