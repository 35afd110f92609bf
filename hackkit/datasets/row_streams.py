"""A dataset's rows streamed out as CSV and GeoJSON, a line at a time (the downloads and the
maps). The organizer's event exports (participants, teams, the archive) are
hackkit/services/event_exports.py."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

from hackkit.models import DatasetVersion

# A cell a spreadsheet would run as a formula; plain signed numbers and phone numbers are not.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBERISH = re.compile(r"^[+-]?[\d\s.,/()]*$")


def spreadsheet_safe(value: str) -> str:
    if value.startswith(FORMULA_START) and not NUMBERISH.match(value):
        return "'" + value
    return value


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if kind == "text":
        return spreadsheet_safe(str(value))
    return str(value)


def _cell_writer(kind: str):
    """_cell for one column: the values of a column have its type, so the common case is
    decided once (anything else still goes through _cell and comes out the same)."""
    if kind == "text":
        return lambda value: spreadsheet_safe(value) if type(value) is str else _cell(value, kind)
    if kind == "integer":
        return lambda value: str(value) if type(value) is int else _cell(value, kind)
    if kind == "number":
        return lambda value: repr(value) if type(value) is float else _cell(value, kind)
    return lambda value: _cell(value, kind)


def csv_lines(
    version: DatasetVersion, names: list[str], rows: Iterable[Mapping[str, Any]], delimiter: str = ","
) -> Iterator[str]:
    """The rows as spreadsheet-safe CSV (or TSV: spreadsheets run formulas in those too)."""
    types = {c["name"]: c["type"] for c in version.columns}
    cells = [(n, _cell_writer(types.get(n, ""))) for n in names]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(names)
    count = 0
    for row in rows:
        writer.writerow([cell(row[n]) for n, cell in cells])
        count += 1
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def geometry_of(version: DatasetVersion, row: Mapping[str, Any]) -> dict | None:
    spec = version.geometry
    if not spec:
        return None
    if spec["type"] == "point":
        lat, lon = row.get(spec["lat"]), row.get(spec["lon"])
        if lat is None or lon is None:
            return None
        return {"type": "Point", "coordinates": [lon, lat]}
    value = row.get(spec["column"])
    return json.loads(value) if value else None


def geojson_chunks(version: DatasetVersion, names: list[str], rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    from hackkit.services.dataset_rows import json_row_maker

    spec = version.geometry or {}
    hidden = {spec.get("column")} if spec.get("type") == "geojson" else set()
    properties = [n for n in names if n not in hidden]
    to_properties = json_row_maker(version, properties)
    yield '{"type":"FeatureCollection","features":['
    first = True
    for row in rows:
        feature = {
            "type": "Feature",
            "id": row["_id"],
            "geometry": geometry_of(version, row),
            "properties": to_properties(row),
        }
        yield ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        first = False
    yield "]}\n"
