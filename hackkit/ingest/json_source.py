"""JSON and GeoJSON read as a stream (ijson), so memory stays bounded whatever the file size.

Accepted, as before: an array of objects; an object holding one (the first non-empty
list of objects among its top-level keys); a GeoJSON FeatureCollection or a single Feature.

Reading takes passes over the file, each holding one record at a time:
1. `_scan` walks the parser's events once and keeps only what describes the file: whether
   the top is an array or an object, the GeoJSON "type" and CRS name, and for each
   top-level list whether all its items are objects and which keys they use;
2. the importer's passes (`Source.records`) then read the chosen list item by item.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import ijson

from hackkit.ingest import text
from hackkit.ingest.errors import N_, IngestError
from hackkit.ingest.records import Source, cell_text

# Events that start a value: what an item of a list can begin with.
VALUE_STARTS = {"start_map", "start_array", "string", "number", "boolean", "null"}
GEOJSON_TYPES = ("FeatureCollection", "Feature")
PROJECTED = ("31370", "28992")  # Belgian Lambert 72, Dutch RD New
FEATURE_GEOMETRY = "geometry"  # the column title of a feature's own geometry
FEATURE_GEOMETRY_PROPERTY = "geometry (property)"  # a property that happens to be called geometry


@dataclass
class _List:
    """A top-level list: do its items look like records, and with which keys?"""

    items: int = 0
    all_objects: bool = True
    keys: dict[str, None] = field(default_factory=dict)  # insertion-ordered set


@dataclass
class _Shape:
    top: str = ""  # "array" or "object"
    geojson_type: str | None = None
    crs_name: str = ""
    lists: dict[str, _List] = field(default_factory=dict)  # items prefix -> list, in document order
    property_keys: dict[str, None] = field(default_factory=dict)  # GeoJSON feature properties
    attribute_keys: dict[str, None] = field(default_factory=dict)  # Esri JSON feature attributes
    esri_fields: list[dict[str, str]] = field(default_factory=list)  # Esri JSON "fields": name, type
    wkid: int | None = None  # Esri JSON spatialReference
    socrata_columns: list[dict[str, str]] = field(default_factory=list)  # Socrata meta.view.columns


class _AsUtf8:
    """A text file read as UTF-8 bytes: ijson reads bytes, and only decodes UTF-8 itself."""

    def __init__(self, handle: IO[str]):
        self.handle = handle

    def read(self, size: int = -1) -> bytes:
        return self.handle.read(size).encode("utf-8")


@contextmanager
def _open(path: Path, encoding: str) -> Iterator[Any]:
    """UTF-8 as it is (ijson's fastest path, BOM skipped); other encodings converted to it."""
    if encoding.replace("-", "").lower() in ("utf8", "utf8sig"):
        with path.open("rb") as handle:
            if handle.read(3) != codecs.BOM_UTF8:
                handle.seek(0)
            yield handle
    else:
        with path.open("r", encoding=encoding) as handle:
            yield _AsUtf8(handle)


@contextmanager
def _readable(what: str):
    try:
        yield
    except (ijson.JSONError, UnicodeDecodeError, ValueError) as error:
        raise IngestError(
            N_("This is not valid %(format)s: %(problem)s."), format=what, problem=str(error).splitlines()[0].strip()
        ) from error


def _scan(path: Path, encoding: str) -> _Shape:
    shape = _Shape()
    with _open(path, encoding) as handle, _readable("JSON"):
        for prefix, event, value in ijson.parse(handle, use_float=True):
            if not shape.top:
                if event not in ("start_array", "start_map"):
                    raise IngestError(N_("This JSON is not a list of records (an array of objects)."))
                shape.top = "array" if event == "start_array" else "object"
                continue
            if shape.top == "object" and "." not in prefix:
                if prefix == "properties" and event == "map_key":  # a single Feature's
                    shape.property_keys[value] = None
                elif prefix == "type" and event == "string":
                    shape.geojson_type = value
                elif event == "start_array" and prefix:
                    shape.lists.setdefault(prefix + ".item", _List())
                continue
            # Items of the top-level array ("item") or of a top-level list ("<key>.item").
            if prefix == "item" or (shape.top == "object" and prefix.endswith(".item") and prefix.count(".") == 1):
                found = shape.lists.setdefault(prefix, _List())
                if event in VALUE_STARTS:
                    found.items += 1
                    found.all_objects = found.all_objects and event == "start_map"
                elif event == "map_key":
                    found.keys[value] = None
            elif event == "map_key" and prefix == "features.item.properties":
                shape.property_keys[value] = None
            elif event == "map_key" and prefix == "features.item.attributes":
                shape.attribute_keys[value] = None
            elif prefix in ("fields.item.name", "fields.item.type") and event == "string":
                _describe(shape.esri_fields, prefix, value, "fields.item.name")
            elif prefix in ("spatialReference.wkid", "spatialReference.latestWkid") and event == "number":
                if shape.wkid is None or prefix.endswith("latestWkid"):
                    shape.wkid = int(value)
            elif prefix.startswith("meta.view.columns.item.") and event == "string" and prefix.count(".") == 4:
                _describe(shape.socrata_columns, prefix, value, "meta.view.columns.item.name")
            elif prefix == "crs.properties.name" and event == "string":
                shape.crs_name = value
    return shape


def _describe(found: list[dict[str, str]], prefix: str, value: str, first_key: str) -> None:
    """Collect the string members of a list of small objects (Esri fields, Socrata columns) in order."""
    key = prefix.rsplit(".", 1)[1]
    if prefix == first_key or not found or key in found[-1]:
        if prefix == first_key and found and key not in found[-1]:
            found[-1][key] = value
            return
        found.append({})
    found[-1][key] = value


def json_source(path: Path):
    encoding = text.detect_encoding(path)
    shape = _scan(path, encoding)
    if shape.top == "object" and shape.geojson_type in GEOJSON_TYPES:
        return _geojson(path, encoding, shape)
    if shape.top == "object" and shape.attribute_keys and "features.item" in shape.lists:
        return _esri(path, encoding, shape)
    if shape.top == "object" and shape.socrata_columns and "data.item" in shape.lists:
        return _socrata(path, encoding, shape)
    if shape.top == "array":
        found = shape.lists.get("item", _List())
        if not found.all_objects:
            raise IngestError(N_("This JSON is not a list of records (an array of objects)."))
        prefix = "item"
    else:
        prefix = next((p for p, f in shape.lists.items() if f.items and f.all_objects), None)
        if prefix is None:
            raise IngestError(N_("This JSON holds no list of records (an array of objects)."))
        found = shape.lists[prefix]
    keys = list(found.keys)

    def records() -> Iterator[list[str | None]]:
        with _open(path, encoding) as handle, _readable("JSON"):
            for item in ijson.items(handle, prefix, use_float=True):
                yield [cell_text(item.get(k)) for k in keys]

    return Source("json", records, [str(k) for k in keys], encoding=None)


def _geojson(path: Path, encoding: str, shape: _Shape):
    if shape.geojson_type == "FeatureCollection":
        if "features.item" not in shape.lists:
            raise IngestError(N_("This GeoJSON has no list of features."))
        prefix = "features.item"
    else:
        prefix = ""  # a single Feature: the whole document is the one record
    keys = list(shape.property_keys)
    # A property named "geometry" (often GeoJSON text) stays an ordinary column under its own
    # title; the feature's geometry is the last column. It wins whenever a feature has one.
    titles = [FEATURE_GEOMETRY_PROPERTY if k == FEATURE_GEOMETRY else str(k) for k in keys]
    crs = next((c for c in PROJECTED if c in shape.crs_name), None)

    def records() -> Iterator[list[str | None]]:
        with _open(path, encoding) as handle, _readable("GeoJSON"):
            for feature in ijson.items(handle, prefix, use_float=True):
                if not isinstance(feature, dict):
                    continue
                props: dict[str, Any] = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
                yield [cell_text(props.get(k)) for k in keys] + [cell_text(feature.get("geometry"))]

    return Source(
        "geojson",
        records,
        [*titles, FEATURE_GEOMETRY],
        crs=f"EPSG:{crs}" if crs else None,
        geometry_title=FEATURE_GEOMETRY,
    )


# Socrata column types that hold dates (old exports: Unix seconds).
SOCRATA_DATES = {"date", "calendar_date", "floating_timestamp", "fixed_timestamp"}
ESRI_TEXT = {"esriFieldTypeString", "esriFieldTypeGUID", "esriFieldTypeGlobalID"}
WGS84_WKIDS = {4326, 4258, 4269}  # degrees, longitude first in Esri JSON


def _socrata(path: Path, encoding: str, shape: _Shape):
    """A Socrata rows.json: rows are positional arrays, names in meta.view.columns. The
    platform's own bookkeeping columns (:sid, :id, :created_at ...) are left out."""
    kept = [(i, c) for i, c in enumerate(shape.socrata_columns) if c.get("dataTypeName") != "meta_data"]
    titles = [c.get("name") or c.get("fieldName") or f"column_{i + 1}" for i, c in kept]
    dates = frozenset(t for t, (_, c) in zip(titles, kept, strict=True) if c.get("dataTypeName") in SOCRATA_DATES)

    def records() -> Iterator[list[str | None]]:
        with _open(path, encoding) as handle, _readable("JSON"):
            for item in ijson.items(handle, "data.item", use_float=True):
                if isinstance(item, list):
                    yield [cell_text(item[i]) if i < len(item) else None for i, _ in kept]

    texts = frozenset(t for t, (_, c) in zip(titles, kept, strict=True) if c.get("dataTypeName") == "text")
    return Source("json", records, titles, date_titles=dates, text_titles=texts)


def _esri(path: Path, encoding: str, shape: _Shape):
    """Esri JSON (an ArcGIS Server query): attributes per feature, geometry as x/y, paths or rings."""
    keys = list(shape.attribute_keys)
    dates = frozenset(f["name"] for f in shape.esri_fields if f.get("type") == "esriFieldTypeDate" and "name" in f)
    texts = frozenset(f["name"] for f in shape.esri_fields if f.get("type") in ESRI_TEXT and "name" in f)
    crs = None
    if shape.wkid and shape.wkid not in WGS84_WKIDS:
        crs = "EPSG:3857" if shape.wkid in (102100, 102113, 900913) else f"EPSG:{shape.wkid}"

    def records() -> Iterator[list[str | None]]:
        with _open(path, encoding) as handle, _readable("JSON"):
            for feature in ijson.items(handle, "features.item", use_float=True):
                if not isinstance(feature, dict):
                    continue
                attributes = feature.get("attributes") if isinstance(feature.get("attributes"), dict) else {}
                geometry = esri_to_geojson(feature.get("geometry"))
                yield [cell_text(attributes.get(k)) for k in keys] + [cell_text(geometry)]

    return Source(
        "json",
        records,
        [*(str(k) for k in keys), FEATURE_GEOMETRY],
        crs=crs,
        geometry_title=FEATURE_GEOMETRY,
        date_titles=dates,
        text_titles=texts,
    )


def esri_to_geojson(geometry: Any) -> dict | None:
    """An Esri JSON geometry as a GeoJSON one (same coordinates), or None."""
    if not isinstance(geometry, dict):
        return None
    try:
        if "x" in geometry and "y" in geometry:
            x, y = geometry["x"], geometry["y"]
            if not isinstance(x, (int, float)) or not isinstance(y, (int, float)):
                return None
            return {"type": "Point", "coordinates": [x, y]}
        if geometry.get("points"):
            return {"type": "MultiPoint", "coordinates": [p[:2] for p in geometry["points"]]}
        if geometry.get("paths"):
            paths = [[p[:2] for p in path] for path in geometry["paths"]]
            return (
                {"type": "LineString", "coordinates": paths[0]}
                if len(paths) == 1
                else {
                    "type": "MultiLineString",
                    "coordinates": paths,
                }
            )
        if geometry.get("rings"):
            from shapely.geometry import mapping

            from hackkit.ingest.geometry import _rings_to_polygons

            rings = [[tuple(p[:2]) for p in ring] for ring in geometry["rings"] if len(ring) >= 4]
            return json.loads(json.dumps(mapping(_rings_to_polygons(rings)))) if rings else None
    except (TypeError, ValueError, IndexError):
        return None
    return None
