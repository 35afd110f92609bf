"""Where each row lies: every way the file could give rows a location, tried on every row.

A file may hold several: a GeoJSON feature's own geometry and lat/lon properties, two
lat/lon pairs and RD New x/y, a WKT column and a centre point. Each candidate is tried on
every row (one pass), and the one that places the most rows wins; ties go to shapes over
points and to WGS84 over projected metres. A GeoJSON file's feature geometry always wins
when it has any. The report lists every candidate, so the correction step can offer them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hackkit.ingest import batch_typing
from hackkit.ingest import columns as cols
from hackkit.ingest import geometry as geo
from hackkit.ingest.errors import N_, IngestError, Message

OUTLIER_MIN_KM = 50  # never call a row an outlier closer than this to the middle of the others
OUTLIER_FACTOR = 5  # ... or closer than this many times the distance within which 90 % lie
MAX_POINTS = 200_000  # rows looked at for outliers (memory stays bounded on huge files)
ROWS_NAMED = 20  # row numbers a note names before saying "and N more"
SWAPPED_NAME = ("lat_lng", "lat_lon", "latlng", "latlon", "lat_long")


@dataclass
class Candidate:
    kind: str  # "point" (lat/lon), "projected" (x/y metres), "shape" (one column of geometries)
    columns: tuple[str, ...]  # (lat, lon), (x, y) or (column,)
    crs: str | None = None
    notation: str | None = None  # shapes: geojson, wkt or lnglat
    rings: bool = False  # lnglat lists that hold polygons
    feature: bool = False  # a GeoJSON file's own feature geometry
    order: int = 0
    placed: int = 0
    polygonal: bool = False  # placed a line or polygon (a shape is preferred to a centre point)
    points: list[tuple[int, float, float]] = field(default_factory=list)
    fixes: dict[str, list[int]] = field(default_factory=dict)
    fix_counts: dict[str, int] = field(default_factory=dict)
    far: tuple[int, list[int]] | None = field(default=None, repr=False)  # outliers(), once worked out

    @property
    def label(self) -> str:
        return "/".join(self.columns) + (f" ({geo.CRS_NAMES.get(self.crs, self.crs)})" if self.crs else "")

    def override(self) -> dict[str, str]:
        """The correction that chooses this candidate (Overrides.geometry)."""
        if self.kind == "point":
            return {"lat": self.columns[0], "lon": self.columns[1]}
        if self.kind == "projected":
            return {"x": self.columns[0], "y": self.columns[1], "crs": self.crs or ""}
        found = {"column": self.columns[0], "kind": self.notation or "geojson"}
        return {**found, "crs": self.crs} if self.crs else found

    def preference(self) -> float:
        score = {"point": 2.0, "projected": 1.0, "shape": 1.5}[self.kind]
        if self.kind == "shape" and self.polygonal:
            score = 3.0
        if any(token in "_".join(self.columns) for token in SWAPPED_NAME):
            score -= 0.5  # WKT_LAT_LNG: the same shapes with the axes swapped
        return score

    def description(self) -> Message:
        if self.kind == "point":
            return Message(
                N_("points from the latitude/longitude columns %(lat)s/%(lon)s"),
                lat=self.columns[0],
                lon=self.columns[1],
            )
        if self.kind == "projected":
            return Message(
                N_("points from the columns %(x)s/%(y)s, in metres (%(crs)s), converted to latitude/longitude"),
                x=self.columns[0],
                y=self.columns[1],
                crs=geo.CRS_NAMES.get(self.crs or "", self.crs),
            )
        if self.feature:
            if self.crs:
                return Message(
                    N_("the geometry of each feature, converted from %(crs)s to latitude/longitude"),
                    crs=geo.CRS_NAMES.get(self.crs, self.crs),
                )
            return Message(N_("the geometry of each feature"))
        if self.crs:
            converted = {
                "geojson": N_(
                    "shapes written as GeoJSON in column %(column)s, in metres (%(crs)s), converted to "
                    "latitude/longitude"
                ),
                "wkt": N_(
                    "shapes written as WKT in column %(column)s, in metres (%(crs)s), converted to latitude/longitude"
                ),
                "lnglat": N_(
                    "shapes written as lng:lat lists in column %(column)s, in metres (%(crs)s), converted to "
                    "latitude/longitude"
                ),
            }[self.notation or "geojson"]
            return Message(converted, column=self.columns[0], crs=geo.CRS_NAMES.get(self.crs, self.crs))
        notation = {
            "geojson": N_("shapes written as GeoJSON in column %(column)s"),
            "wkt": N_("shapes written as WKT in column %(column)s"),
            "lnglat": N_("shapes written as lng:lat lists in column %(column)s"),
        }[self.notation or "geojson"]
        return Message(notation, column=self.columns[0])


def candidates(columns, guessers, probes, source, chosen: dict | None) -> list[Candidate]:
    """Every way this file could place its rows (only the one asked for, when corrected)."""
    by_name = {c.name: c for c in columns}
    if chosen:
        return [_asked(chosen, by_name, probes, source)]
    ranges = {
        c.name: r
        for c, g in zip(columns, guessers, strict=True)
        if c.type in ("integer", "number") and (r := g.number_range()) is not None
    }
    found: list[Candidate] = []
    feature_title = getattr(source, "geometry_title", None)
    for column in columns:
        if column.source is None or column.type not in ("text", "geojson"):
            continue
        probe = probes[column.source]
        notation = probe.kind()
        if not notation:
            continue
        feature = feature_title is not None and column.title == feature_title
        crs = source.crs if feature else probe.crs()
        if crs is False:
            continue  # coordinates neither in degrees nor in a projection we know
        found.append(Candidate("shape", (column.name,), crs, notation, probe.rings > 0, feature))
    found += [Candidate("point", pair) for pair in geo.point_pairs(ranges)]
    found += [Candidate("projected", (x, y), crs) for x, y, crs in geo.projected_pairs(ranges)]
    for order, candidate in enumerate(found):
        candidate.order = order
    return found


def _asked(chosen: dict, by_name, probes, source) -> Candidate:
    wanted = [chosen[k] for k in ("lat", "lon", "x", "y", "column") if k in chosen]
    if not wanted:
        raise IngestError(N_("The location correction names no column."))
    missing = [name for name in wanted if name not in by_name]
    if missing:
        raise IngestError(N_("There is no column %(name)r to take the geometry from."), name=missing[0])
    if "lat" in chosen and "lon" in chosen:
        return Candidate("point", (chosen["lat"], chosen["lon"]))
    if "x" in chosen and "y" in chosen:
        crs = chosen.get("crs") or "EPSG:31370"
        return Candidate("projected", (chosen["x"], chosen["y"]), _crs_name(crs))
    if "column" in chosen:
        column = by_name[chosen["column"]]
        probe = probes[column.source] if column.source is not None else None
        notation = chosen.get("kind") or (probe.kind() if probe else None) or "geojson"
        if notation not in ("geojson", "wkt", "lnglat"):
            raise IngestError(N_("Unknown geometry notation %(kind)r; use geojson, wkt or lnglat."), kind=notation)
        feature = column.title == getattr(source, "geometry_title", None)
        crs = chosen.get("crs") or (source.crs if feature else (probe.crs() or None) if probe else None)
        rings = bool(probe and probe.rings) or notation == "lnglat" and bool(chosen.get("rings"))
        return Candidate("shape", (column.name,), _crs_name(crs) if crs else None, notation, rings, feature)
    raise IngestError(N_("The location correction needs lat and lon, x and y, or a column."))


def _crs_name(crs: str) -> str:
    text = str(crs).strip().upper()
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        geo._transformer(text)
    except Exception as error:  # noqa: BLE001 - pyproj raises its own CRSError
        raise IngestError(N_("Unknown coordinate system %(crs)r; give an EPSG code such as 31370."), crs=crs) from error
    return text


def try_all(found: list[Candidate], columns, records: Iterable[list[str | None]], batch: int = 0) -> None:
    """One pass: how many rows each candidate places, with each row's fixes and position.

    With `batch` (a text file, pyarrow at hand), the plain numbers of the coordinate columns
    are converted `batch` records at a time in C; the other values as before, one by one."""

    index = {c.name: c.source for c in columns}
    fmts = {c.name: c.fmt if c.type in ("integer", "number") else None for c in columns}
    convert = {name: cols.converter("number", fmt) for name, fmt in fmts.items()}
    pairs = [c for c in found if c.kind != "shape"]
    pending = batch_typing.PENDING
    ready: dict[tuple[int, str], list] = {}
    for number, record, at, records_batch in batch_typing.numbered_batches(records, batch if pairs else 0):
        if at == 0:
            for candidate in pairs:
                for name in candidate.columns:
                    source = index[name]
                    values = [r[source] if source is not None and source < len(r) else None for r in records_batch]
                    ready[(id(candidate), name)] = batch_typing.convert_numbers(values, "number", fmts[name])
        for candidate in found:
            if at >= 0 and candidate.kind != "shape":
                a, b = (ready[(id(candidate), name)][at] for name in candidate.columns)
                if a is not pending and b is not pending:
                    _place(candidate, number, a, b)
                    continue
            raws = [
                record[i] if (i := index[name]) is not None and i < len(record) else None for name in candidate.columns
            ]
            if any(cols.is_missing(raw) for raw in raws):
                continue
            if candidate.kind == "shape":
                _try_shape(candidate, number, raws[0])
                continue
            try:
                a, b = (convert[name](raw.strip()) for name, raw in zip(candidate.columns, raws, strict=True))
            except ValueError:
                continue
            _place(candidate, number, a, b)


def _place(candidate: Candidate, number: int, a: float, b: float) -> None:
    """Count one row a point or projected candidate can place, and keep the first positions."""
    if candidate.kind == "point":
        lat, lon = a, b
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return
    else:
        try:
            lon, lat = geo.project_point(float(a), float(b), candidate.crs)
        except Exception:  # noqa: BLE001 - pyproj on a value it cannot project
            return
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return
    candidate.placed += 1
    if len(candidate.points) < MAX_POINTS:
        candidate.points.append((number, lon, lat))


def _try_shape(candidate: Candidate, number: int, raw: str) -> None:
    from hackkit.ingest import text

    shape = geo.read_shape(text.repair(raw), candidate.notation or "geojson", candidate.crs, candidate.rings)
    for fix in shape.fixes:
        candidate.fix_counts[fix] = candidate.fix_counts.get(fix, 0) + 1
        rows = candidate.fixes.setdefault(fix, [])
        if len(rows) < ROWS_NAMED:
            rows.append(number)
    if shape.geometry is None:
        return
    candidate.placed += 1
    if shape.geometry["type"] not in ("Point", "MultiPoint"):
        candidate.polygonal = True
    if shape.where and len(candidate.points) < MAX_POINTS:
        candidate.points.append((number, *shape.where))


def choose(found: list[Candidate]) -> Candidate | None:
    """The file's own feature geometry when it has any; else the candidate placing the most rows."""
    feature = next((c for c in found if c.feature and c.placed), None)
    if feature:
        return feature
    placing = [c for c in found if c.placed]
    if not placing:
        return None
    return max(placing, key=lambda c: (c.placed, c.preference(), -c.order))


def outliers(candidate: Candidate) -> tuple[int, list[int]]:
    """Rows that lie far from where the others are: (how many, the first row numbers).
    Worked out once per candidate (the report and the geometry both ask; 200,000 points cost)."""
    if candidate.far is None:
        points = candidate.points
        candidate.far = far_rows([p[0] for p in points], [p[1] for p in points], [p[2] for p in points])
    return candidate.far


def far_rows(numbers: list[int], lons: list[float], lats: list[float]) -> tuple[int, list[int]]:
    """outliers() of the points (numbers[i], lons[i], lats[i])."""
    if len(numbers) < 5:
        return 0, []
    by_lon, by_lat = sorted(lons), sorted(lats)
    mid_lon, mid_lat = by_lon[len(by_lon) // 2], by_lat[len(by_lat) // 2]
    scale = math.cos(math.radians(mid_lat))

    def km(lon: float, lat: float) -> float:
        return math.hypot((lon - mid_lon) * 111.32 * scale, (lat - mid_lat) * 110.57)

    distances = [km(lon, lat) for lon, lat in zip(lons, lats, strict=True)]
    within = sorted(distances)[int(0.9 * (len(distances) - 1))]
    limit = max(OUTLIER_MIN_KM, OUTLIER_FACTOR * within)
    far = [number for number, d in zip(numbers, distances, strict=True) if d > limit]
    return len(far), far[:ROWS_NAMED]


def row_list(rows: list[int], total: int) -> str:
    named = ", ".join(str(r) for r in rows)
    return named if total <= len(rows) else f"{named} (+{total - len(rows)})"


def report_of(
    found: list[Candidate], winner: Candidate | None, rows: int
) -> tuple[list[dict[str, Any]], list[Message]]:
    """The candidates as the report lists them, and the notes an organizer reads."""
    listed = []
    for candidate in found:
        message = candidate.description()
        listed.append(
            {
                "override": candidate.override(),
                "placed": candidate.placed,
                "chosen": candidate is winner,
                "detected": str(message),
                "detected_message": message.as_dict(),
            }
        )
    notes: list[Message] = []
    if winner is None:
        return listed, notes
    others = [c for c in found if c is not winner and c.placed]
    if others:
        summary = "; ".join(f"{c.label}: {c.placed}" for c in [winner, *others])
        if winner.feature:
            notes.append(
                Message(
                    N_(
                        "Each feature's own geometry was used for the location. Other columns could also give "
                        "locations (columns: rows placed): %(candidates)s; they were kept as ordinary columns."
                    ),
                    candidates=summary,
                )
            )
        elif any(c.placed == winner.placed for c in others):
            notes.append(
                Message(
                    N_(
                        "Several sets of columns could give the rows a location (columns: rows placed): "
                        "%(candidates)s. The importer used %(chosen)s: it places as many rows as any other, and "
                        "shapes go before points, latitude/longitude before metres. You can choose another in the "
                        "corrections."
                    ),
                    candidates=summary,
                    chosen=winner.label,
                )
            )
        else:
            notes.append(
                Message(
                    N_(
                        "Several sets of columns could give the rows a location (columns: rows placed): "
                        "%(candidates)s. The importer used %(chosen)s, which places the most rows; you can "
                        "choose another in the corrections."
                    ),
                    candidates=summary,
                    chosen=winner.label,
                )
            )
    if winner.placed < rows:
        notes.append(
            Message(
                N_("%(n)d of %(rows)d rows have no location (their coordinates are empty or unreadable)."),
                n=rows - winner.placed,
                rows=rows,
            )
        )
    fix_texts = {
        geo.CLOSED: N_("Rows %(rows)s: a shape's outline did not end where it began; the importer closed it."),
        geo.REPAIRED: N_(
            "Rows %(rows)s: a shape was invalid (for example, its outline crossed itself); the importer repaired it."
        ),
        geo.UNREADABLE: N_("Rows %(rows)s: no shape could be read from the value; these rows have no location."),
    }
    for fix, message_id in fix_texts.items():
        if fix in winner.fixes:
            notes.append(Message(message_id, rows=row_list(winner.fixes[fix], winner.fix_counts[fix])))
    count, far = outliers(winner)
    if count:
        notes.append(
            Message(
                N_(
                    "Rows far away from where the other rows are: %(rows)s (%(n)d in all). They were kept; "
                    "check their coordinates."
                ),
                n=count,
                rows=row_list(far, count),
            )
        )
    return listed, notes
