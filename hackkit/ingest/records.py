"""What every reader of a file hands the importer: a `Source` (its format, column titles and
re-readable records of strings or None), and `cell_text`, how a spreadsheet or JSON value
becomes the text the column typer reads. Shared by sources.py and json_source.py.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path


@dataclass
class Source:
    format: str
    records: Callable[[], Iterator[list[str | None]]]  # a fresh pass over the file
    titles: list[str] | None = None  # known column titles; None: the first record may be a header
    encoding: str | None = None
    delimiter: str | None = None
    crs: str | None = None  # a GeoJSON file's declared projected CRS
    geometry_title: str | None = None  # the column holding the file's own geometries (GeoJSON, Esri JSON)
    date_titles: frozenset[str] = frozenset()  # columns the file itself declares as dates (Esri, Socrata)
    text_titles: frozenset[str] = frozenset()  # columns the file itself declares as text (Esri, Socrata)
    numbered: Callable[[], Iterator[tuple[int, list[str | None]]]] | None = None  # (line, record) pairs
    path: Path | None = None  # a delimited file, which arrow_csv may read


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
