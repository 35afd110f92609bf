"""What kind of file this is, and its records as lists of raw strings.

Every reader hands the rest of the importer the same thing: column titles (or None when
the first record may be a header) and records of strings or None, re-readable from the start.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from hackkit.ingest import text
from hackkit.ingest.errors import IngestError

FORMATS = ("csv", "xlsx", "json", "geojson")


@dataclass
class Source:
    format: str
    records: Callable[[], Iterator[list[str | None]]]  # a fresh pass over the file
    titles: list[str] | None = None  # known column titles; None: the first record may be a header
    encoding: str | None = None
    delimiter: str | None = None
    crs: str | None = None  # a GeoJSON file's declared projected CRS


def open_source(path: Path, fmt: str | None = None, encoding: str | None = None, delimiter: str | None = None):
    if not path.is_file():
        raise IngestError(f"There is no file at {path}.")
    with path.open("rb") as handle:
        head = handle.read(8)
    if path.stat().st_size == 0:
        raise IngestError("The file is empty.")
    fmt = fmt or sniff_format(path, head)
    if fmt == "xlsx":
        return _xlsx(path)
    if fmt in ("json", "geojson"):
        return _json(path)
    return _delimited(path, encoding, delimiter)


def sniff_format(path: Path, head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError("Old Excel (.xls) files cannot be read: save the sheet as .xlsx or CSV.")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"[") and path.suffix.lower() in (".json", ".geojson", ""):
        return "json"
    if path.suffix.lower() in (".json", ".geojson"):
        return "json"
    return "csv"


def _delimited(path: Path, encoding: str | None, delimiter: str | None) -> Source:
    encoding = encoding or text.detect_encoding(path)
    try:
        sample = text.read_sample(path, encoding)
    except LookupError as error:
        raise IngestError(f"Unknown encoding {encoding!r}.") from error
    if text.looks_binary(sample):
        raise IngestError("This is not a table: the file holds binary data, not text, a spreadsheet or JSON.")
    if not sample.strip():
        raise IngestError("The file is empty.")
    if delimiter is None:
        delimiter = text.detect_delimiter(sample)
    elif delimiter in ("none", ""):
        delimiter = None
    return Source("csv", lambda: text.iter_records(path, encoding, delimiter), None, encoding, delimiter)


def cell_text(value) -> str | None:
    """A spreadsheet or JSON value as the text the column typer reads."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _xlsx(path: Path) -> Source:
    from openpyxl import load_workbook

    def records() -> Iterator[list[str | None]]:
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a broken zip or sheet
            raise IngestError(f"This spreadsheet cannot be opened: {error.__class__.__name__}.") from error
        try:
            # The first sheet that has any cell: exports often start with an empty cover sheet.
            for sheet in book.worksheets:
                found = False
                for row in sheet.iter_rows(values_only=True):
                    cells = [cell_text(v) for v in row]
                    if any(c is not None and c.strip() for c in cells):
                        found = True
                        yield cells
                if found:
                    return
        finally:
            book.close()

    return Source("xlsx", records)


def _json(path: Path) -> Source:
    """An array of objects, an object holding one, or GeoJSON. Read whole: JSON has no rows."""
    try:
        with path.open("r", encoding=text.detect_encoding(path)) as handle:
            document = json.load(handle)
    except (ValueError, UnicodeDecodeError) as error:
        raise IngestError(f"This is not valid JSON: {error}.") from error
    if isinstance(document, dict) and document.get("type") in ("FeatureCollection", "Feature"):
        return _geojson(document)
    items = document
    if isinstance(document, dict):
        lists = [v for v in document.values() if isinstance(v, list) and v and all(isinstance(i, dict) for i in v)]
        if not lists:
            raise IngestError("This JSON holds no list of records (an array of objects).")
        items = lists[0]
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise IngestError("This JSON is not a list of records (an array of objects).")
    keys: dict[str, None] = {}
    for item in items:
        keys.update(dict.fromkeys(item))
    titles = [str(k) for k in keys]

    def records() -> Iterator[list[str | None]]:
        for item in items:
            yield [cell_text(item.get(k)) for k in keys]

    return Source("json", records, titles)


def _geojson(document: dict) -> Source:
    features = document.get("features") if document.get("type") == "FeatureCollection" else [document]
    if not isinstance(features, list):
        raise IngestError("This GeoJSON has no list of features.")
    keys: dict[str, None] = {}
    for feature in features:
        if isinstance(feature, dict) and isinstance(feature.get("properties"), dict):
            keys.update(dict.fromkeys(feature["properties"]))
    keys.pop("geometry", None)
    crs_name = str(((document.get("crs") or {}).get("properties") or {}).get("name", ""))
    crs = next((c for c in ("31370", "28992") if c in crs_name), None)

    def records() -> Iterator[list[str | None]]:
        for feature in features:
            if not isinstance(feature, dict):
                continue
            props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
            yield [cell_text(props.get(k)) for k in keys] + [cell_text(feature.get("geometry"))]

    return Source("geojson", records, [str(k) for k in keys] + ["geometry"], crs=f"EPSG:{crs}" if crs else None)
