"""Reading a file into a typed table: one pass to guess, then streamed chunks of typed rows.

table = read_table(path)            # guesses everything, reads the file once
table.report                        # what was guessed, to show and to correct
for rows in table.chunks(5000):     # second pass, memory bounded by the chunk size
    ...
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hackkit.ingest import columns as cols
from hackkit.ingest import geometry as geo
from hackkit.ingest import text
from hackkit.ingest.errors import N_, IngestError, Message
from hackkit.ingest.sources import Source, open_source

MAX_COLUMNS = 1000
HEADER_SAMPLE = 200


@dataclass
class Overrides:
    """Corrections an organizer makes to the guesses; any field left None is guessed."""

    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None  # "none" for a single-column file
    header: bool | None = None
    types: dict[str, str] = field(default_factory=dict)  # cleaned column name -> type
    geometry: dict[str, str] | None = None  # {"lat","lon"} | {"x","y","crs"} | {"column","kind"} | {"kind": "none"}


@dataclass
class Column:
    name: str
    title: str
    type: str
    fmt: str | None = None
    source: int | None = None  # index in the record; None for columns the importer adds
    max_length: int = 0


@dataclass
class Table:
    source: Source
    header: bool
    width: int
    columns: list[Column]
    geometry: dict[str, Any] | None
    rows: int
    ragged: int
    repaired: int
    notes: list[Message]

    @property
    def report(self) -> dict[str, Any]:
        return {
            "format": self.source.format,
            "encoding": self.source.encoding,
            "delimiter": self.source.delimiter,
            "header": self.header,
            "rows": self.rows,
            "ragged_rows": self.ragged,
            "repaired_values": self.repaired,
            "columns": [{"name": c.name, "title": c.title, "type": c.type} for c in self.columns],
            "geometry": self.geometry,
            "notes": [str(note) for note in self.notes],  # English, for the API and the CLI
            "note_messages": [note.as_dict() for note in self.notes],  # translated on the pages
        }

    def chunks(self, size: int = 5000) -> Iterator[list[dict[str, Any]]]:
        """Typed rows, `size` at a time. A value that does not fit an overridden type raises IngestError."""
        converters = [(c, cols.converter(c.type, c.fmt)) for c in self.columns if c.source is not None]
        make_geometry = _geometry_maker(self.geometry)
        chunk: list[dict[str, Any]] = []
        for number, record in enumerate(_data_records(self.source, self.header), start=1):
            row: dict[str, Any] = {}
            for column, convert in converters:
                raw = record[column.source] if column.source < len(record) else None
                if raw is not None:
                    raw = text.repair(raw)
                if cols.is_missing(raw) or (column.type != "text" and raw.strip().lower() in cols.SOFT_MISSING):
                    row[column.name] = None
                    continue
                try:
                    row[column.name] = convert(raw.strip() if column.type != "text" else raw)
                except ValueError as error:
                    raise IngestError(
                        N_("Row %(row)d, column %(column)s: %(problem)s."),
                        row=number,
                        column=column.name,
                        problem=getattr(error, "message", None) or str(error),
                    ) from error
            if make_geometry:
                row.update(make_geometry(row))
            chunk.append(row)
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def _data_records(source: Source, header: bool) -> Iterator[list[str | None]]:
    records = source.records()
    if header and source.titles is None:
        next(records, None)
    return records


def _first_records(source: Source, count: int) -> list[list[str | None]]:
    records = source.records()
    sample = []
    for record in records:
        sample.append(record)
        if len(sample) >= count:
            break
    if hasattr(records, "close"):
        records.close()
    return sample


def has_header(sample: list[list[str | None]]) -> bool:
    """A first record that contradicts the types below it is a header; one that fits them is data."""
    if len(sample) < 2:
        return True
    first, rest = sample[0], sample[1:]
    contradicts = fits = 0
    for index, value in enumerate(first):
        guesser = cols.TypeGuesser()
        for record in rest:
            cell = record[index] if index < len(record) else None
            if not cols.is_missing(cell):
                guesser.add(cell.strip())
        kind, fmt = guesser.result()
        if kind == "text" or cols.is_missing(value):
            continue
        try:
            cols.converter(kind, fmt)(value.strip())
            fits += 1
        except ValueError:
            contradicts += 1
    if contradicts:
        return True
    non_missing = [v.strip() for v in first if not cols.is_missing(v)]
    return not fits and len(set(non_missing)) == len(non_missing)


def read_table(path: str | Path, overrides: Overrides | None = None) -> Table:
    """Open, sniff and type a file. Raises IngestError with one clear line when it cannot."""
    overrides = overrides or Overrides()
    source = open_source(Path(path), overrides.format, overrides.encoding, overrides.delimiter)
    try:
        return _type_table(source, overrides)
    except UnicodeDecodeError as error:
        raise IngestError(
            N_("The file is not readable as %(encoding)s: %(problem)s."), encoding=source.encoding, problem=error.reason
        ) from error
    except MemoryError as error:
        raise IngestError(N_("The file is too large to read.")) from error


def _type_table(source: Source, overrides: Overrides) -> Table:
    notes: list[Message] = []
    if source.titles is not None:
        header, titles = True, list(source.titles)
    else:
        sample = _first_records(source, HEADER_SAMPLE)
        if not sample:
            raise IngestError(N_("The file holds no rows."))
        header = overrides.header if overrides.header is not None else has_header(sample)
        titles = [(t or "").strip() for t in sample[0]] if header else []

    guessers: list[cols.TypeGuesser] = []
    probes: list[geo.ShapeProbe] = []
    rows = ragged = repaired = 0
    for record in _data_records(source, header):
        rows += 1
        if len(titles) and len(record) != len(titles):
            ragged += 1
        while len(guessers) < len(record):
            guessers.append(cols.TypeGuesser())
            probes.append(geo.ShapeProbe())
            if len(guessers) > MAX_COLUMNS:
                raise IngestError(N_("The file has more than %(n)d columns."), n=MAX_COLUMNS)
        for index, raw in enumerate(record):
            if raw is None:
                continue
            value = text.repair(raw)
            if value is not raw and value != raw:
                repaired += 1
            if cols.is_missing(value):
                continue
            guessers[index].add(value.strip())
            probes[index].add(value)

    width = max(len(titles), len(guessers))
    if width == 0:
        raise IngestError(N_("The file holds no columns."))
    if rows == 0 and not header:
        raise IngestError(N_("The file holds no rows."))
    titles = [text.repair(t) for t in titles] + [f"column_{i + 1}" for i in range(len(titles), width)]
    while len(guessers) < width:
        guessers.append(cols.TypeGuesser())
        probes.append(geo.ShapeProbe())
    names = cols.clean_names(titles)
    unknown = sorted(set(overrides.types) - set(names))
    if unknown:
        raise IngestError(N_("There is no column %(name)r to change the type of."), name=unknown[0])
    columns = []
    for index, (name, title, guesser) in enumerate(zip(names, titles, guessers, strict=True)):
        kind, fmt = guesser.result()
        if guesser.seen == 0 and guesser.soft_missing:
            kind, fmt = "text", None
        if kind != "text" and cols.CODE_NAME.search(name) and name not in overrides.types:
            kind, fmt = "text", None
            notes.append(
                Message(N_("%(name)s is kept as text: by its name it holds codes, not quantities."), name=name)
            )
        if name in overrides.types:
            if overrides.types[name] not in cols.TYPES:
                raise IngestError(
                    N_("Unknown type %(type)r; use one of %(types)s."),
                    type=overrides.types[name],
                    types=", ".join(cols.TYPES),
                )
            if overrides.types[name] != kind:
                kind, fmt = overrides.types[name], None
        columns.append(Column(name, title, kind, fmt, index, guesser.max_length))
    if ragged:
        notes.append(
            Message(
                N_("%(n)d rows had a different number of fields than the header; missing fields are empty."), n=ragged
            )
        )
    if repaired:
        notes.append(Message(N_("Repaired double-encoded UTF-8 in %(n)d values."), n=repaired))
    if any(c.type == "time" for c in columns):
        notes.append(Message(N_("Date-times on 1899-12-30 (Excel's day zero) were read as times of day.")))

    geometry = _detect_geometry(columns, guessers, probes, overrides, source)
    return Table(source, header, width, columns, geometry, rows, ragged, repaired, notes)


def _unique(columns: list[Column], name: str) -> str:
    taken = {c.name for c in columns}
    candidate, counter = name, 2
    while candidate in taken:
        candidate, counter = f"{name}_{counter}", counter + 1
    return candidate


def _detect_geometry(columns, guessers, probes, overrides: Overrides, source: Source) -> dict | None:
    chosen = overrides.geometry
    if chosen and chosen.get("kind") == "none":
        return None
    by_name = {c.name: c for c in columns}
    ranges = {
        c.name: r
        for c, g in zip(columns, guessers, strict=True)
        if c.type in ("integer", "number") and (r := g.number_range()) is not None
    }
    if chosen:
        missing = [v for k, v in chosen.items() if k in ("lat", "lon", "x", "y", "column") and v not in by_name]
        if missing:
            raise IngestError(N_("There is no column %(name)r to take the geometry from."), name=missing[0])
    pair = (chosen["lat"], chosen["lon"]) if chosen and "lat" in chosen else None
    if chosen is None:
        pair = geo.find_point_columns(ranges)
    if pair:
        return {
            "type": "point",
            "lat": pair[0],
            "lon": pair[1],
            **_detected(N_("WGS84 points in %(lat)s/%(lon)s"), lat=pair[0], lon=pair[1]),
        }

    projected = (chosen["x"], chosen["y"], chosen.get("crs", "EPSG:31370")) if chosen and "x" in chosen else None
    if chosen is None:
        projected = geo.find_projected_columns(ranges)
    if projected:
        x, y, crs = projected
        lon, lat = _unique(columns, "longitude"), _unique(columns, "latitude")
        columns.append(Column(lon, "longitude (WGS84)", "number"))
        columns.append(Column(lat, "latitude (WGS84)", "number"))
        return {
            "type": "point",
            "lat": lat,
            "lon": lon,
            "from": {"x": x, "y": y, "crs": crs},
            **_detected(N_("%(crs)s x/y in %(x)s/%(y)s, converted to WGS84"), crs=crs, x=x, y=y),
        }

    shape = None
    if chosen and "column" in chosen:
        column = by_name[chosen["column"]]
        shape = (column, chosen.get("kind") or probes[column.source].kind() or "geojson")
    elif chosen is None:
        for column in columns:
            kind = probes[column.source].kind() if column.source is not None and column.type == "text" else None
            if kind:
                shape = (column, kind)
                break
    if shape:
        column, kind = shape
        crs = source.crs if source.format == "geojson" else None
        if kind == "geojson" and not crs:
            # Already GeoJSON in WGS84: the column itself is the geometry, no copy needed.
            column.type, column.fmt = "geojson", None
            return {
                "type": "geojson",
                "column": column.name,
                **_detected(N_("GeoJSON geometries in %(column)s"), column=column.name),
            }
        out = _unique(columns, "geometry") if column.name != "geometry" else "geometry_wgs84"
        columns.append(Column(out, "geometry (GeoJSON, WGS84)", "geojson"))
        return {
            "type": "geojson",
            "column": out,
            "from": {"column": column.name, "kind": kind, "crs": crs},
            **(
                _detected(
                    N_("%(kind)s geometries in %(column)s (%(crs)s, converted)"), kind=kind, column=column.name, crs=crs
                )
                if crs
                else _detected(N_("%(kind)s geometries in %(column)s"), kind=kind, column=column.name)
            ),
        }
    return None


def _detected(message_id: str, **params: Any) -> dict[str, Any]:
    """What was found, in English and as a message the web layer translates."""
    message = Message(message_id, **params)
    return {"detected": str(message), "detected_message": message.as_dict()}


def _geometry_maker(geometry: dict | None):
    if not geometry or "from" not in geometry:
        return None
    origin = geometry["from"]
    if geometry["type"] == "point":
        x, y, crs = origin["x"], origin["y"], origin["crs"]
        lat, lon = geometry["lat"], geometry["lon"]

        def point(row):
            if row.get(x) is None or row.get(y) is None:
                return {lon: None, lat: None}
            lo, la = geo.project_point(float(row[x]), float(row[y]), crs)
            return {lon: lo, lat: la}

        return point
    source_column, kind, crs, out = origin["column"], origin["kind"], origin.get("crs"), geometry["column"]

    def shape(row):
        value = row.get(source_column)
        converted = geo.to_geojson(value, kind) if isinstance(value, str) else None
        if converted and crs:
            converted = geo.reproject_geojson(converted, crs)
        return {out: converted}

    return shape


def describe(table: Table) -> dict[str, Any]:
    """The report plus each column's full description, as plain data (JSON-ready)."""
    report = table.report
    report["columns"] = [asdict(c) for c in table.columns]
    return report
