"""The OpenAPI description of /api/v1/datasets (merged into openapi.OPENAPI)."""

from __future__ import annotations


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _param(name: str, description: str, schema: dict | None = None, where: str = "query") -> dict:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "description": description,
        "schema": schema or {"type": "string"},
    }


SLUG = _param("slug", "The dataset's address", where="path")
VERSION = _param(
    "_version",
    "Read another version (default: the published one); draft versions only with an organizer's token",
    {"type": "integer"},
)
ROW_PARAMS = [
    SLUG,
    VERSION,
    {
        "name": "filters",
        "in": "query",
        "description": (
            "Column filters: `col=v` (exact) or `col__op=v` with op one of exact, not, contains, startswith, "
            "gt, gte, lt, lte, in (comma-separated values), isnull (true/false). Values are read as the "
            "column's type; an unknown column or operator or a bad value is a 400."
        ),
        "style": "form",
        "explode": True,
        "schema": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    _param("_search", "Full-text search over the text columns (all words must occur)"),
    _param("_sort", "Sort ascending by this column (empty values first)"),
    _param("_sort_desc", "Sort descending by this column"),
    _param("_fields", "Comma-separated columns to return"),
]
PAGE_PARAMS = ROW_PARAMS + [
    _param(
        "_total",
        "How `total` is counted: `exact` (default) counts every matching row; `capped` counts at most "
        "10,000 (then `total` is 10000 and `total_capped` true: more rows match); `none` does not count "
        "(`total` is null). A count is the costly part of a new question over a big table.",
        {"type": "string", "enum": ["exact", "capped", "none"], "default": "exact"},
    ),
    _param("_size", "Rows per page, 1 to 1000 (default 100)", {"type": "integer", "minimum": 1, "maximum": 1000}),
    _param("_next", "The opaque `next` token of the previous page (keyset pagination)"),
]
TEXT = {"type": "string"}
URL = {"type": "string", "format": "uri"}
STRINGS = {"type": "array", "items": TEXT}
INTEGERS = {"type": "array", "items": {"type": "integer"}}
NULLABLE_TEXT = {"type": ["string", "null"]}
LICENSE = {
    "type": ["object", "null"],
    "required": ["id", "title", "url"],
    "properties": {"id": TEXT, "title": TEXT, "url": {"type": "string", "description": "empty when unknown"}},
}
DATASET_SUMMARY = {
    "type": "object",
    "required": ["slug", "title", "row_count", "url"],
    "properties": {
        "slug": TEXT,
        "title": TEXT,
        "publisher": TEXT,
        "license": LICENSE,
        "themes": {**STRINGS, "description": "EU data-theme codes"},
        "keywords": STRINGS,
        "status": {"type": "string", "enum": ["draft", "published"]},
        "format": NULLABLE_TEXT,
        "row_count": {"type": "integer"},
        "has_geometry": {"type": "boolean"},
        "updated_at": {"type": "string", "format": "date-time", "description": "when the newest version was made"},
        "url": URL,
        "html_url": URL,
    },
}
VALUE = {"type": ["string", "number", "boolean", "null"]}
COLUMN = {
    "type": "object",
    "required": ["name", "title", "type"],
    "properties": {
        "name": {"type": "string", "description": "the column's name in /rows and the filters"},
        "title": {"type": "string", "description": "the header as in the file"},
        "type": {
            "type": "string",
            "enum": ["integer", "number", "boolean", "date", "datetime", "time", "text", "geojson"],
        },
        "distinct": {"type": "integer"},
        "nulls": {"type": "integer"},
        "min": VALUE,
        "max": VALUE,
        "max_length": {"type": "integer"},
        "histogram": {
            "type": "object",
            "properties": {
                "low": {"type": "number"},
                "high": {"type": "number"},
                "counts": {"type": "array", "items": {"type": "integer"}},
            },
        },
    },
    "additionalProperties": True,
    "description": "a column and the statistics the importer took (which ones depends on the type)",
}
MESSAGE = {
    "type": "object",
    "description": "a message as its id (English) and parameters, for clients that translate",
    "properties": {"id": TEXT, "params": {"type": "object", "additionalProperties": True}},
}
DETECTED = {
    "type": ["object", "null"],
    "description": "where the rows' locations come from: {type: point, lat, lon} or {type: geojson, column}",
    "properties": {
        "type": {"type": "string", "enum": ["point", "geojson"]},
        "lat": TEXT,
        "lon": TEXT,
        "column": TEXT,
        "from": {
            "type": "object",
            "description": "the source columns and CRS when converted",
            "properties": {
                "x": TEXT,
                "y": TEXT,
                "column": TEXT,
                "kind": TEXT,
                "crs": {"type": ["string", "null"]},
                "rings": {"type": "boolean", "description": "lng/lat lists that hold polygons"},
            },
        },
        "placed": {"type": "integer", "description": "rows that got a location"},
        "outliers": {"type": "integer", "description": "rows far away from where the others are (kept)"},
        "detected": {"type": "string", "description": "what was found, in English"},
        "detected_message": MESSAGE,
    },
}
# Every way the importer could place the rows, with the correction (the upload's `geometry`) choosing it.
GEOMETRY_CANDIDATE = {
    "type": "object",
    "required": ["override", "placed", "chosen", "detected", "detected_message"],
    "properties": {
        "override": {
            "type": "object",
            "description": "the upload's `geometry` correction that chooses it: {lat, lon}, {x, y, crs} or "
            "{column, kind, crs}",
            "additionalProperties": TEXT,
        },
        "placed": {"type": "integer", "description": "rows it gives a location"},
        "chosen": {"type": "boolean"},
        "detected": {"type": "string", "description": "what it is, in English"},
        "detected_message": MESSAGE,
    },
}
VERSION_INFO = {
    "type": "object",
    "required": ["number", "current", "draft", "created_at", "row_count", "format", "original_name", "notes"],
    "properties": {
        "number": {"type": "integer"},
        "current": {"type": "boolean", "description": "the version the public sees"},
        "draft": {"type": "boolean", "description": "kept from the public (only organizers see drafts listed)"},
        "created_at": {"type": "string", "format": "date-time"},
        "row_count": {"type": "integer"},
        "format": TEXT,
        "original_name": NULLABLE_TEXT,
        "notes": NULLABLE_TEXT,
    },
}
DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
# The detail's own fields beside the summary's. The answers that extend the detail list this
# beside DATASET_SUMMARY in one flat allOf, so a reader that forbids unlisted fields sees them all.
DETAIL_FIELDS = {
    "type": "object",
    "properties": {
        "description": TEXT,
        "contact": {"type": "string", "description": "a public contact: e-mail address or web page"},
        "spatial": {"type": "string", "description": "the place the data covers"},
        "temporal": {
            "type": "object",
            "required": ["start", "end"],
            "properties": {"start": DATE_OR_NULL, "end": DATE_OR_NULL},
        },
        "update_frequency": {"type": "string"},
        "source_url": TEXT,
        "theme_labels": {"type": "object", "additionalProperties": TEXT, "description": "theme code -> name"},
        "version": {"type": ["integer", "null"], "description": "the version described"},
        "versions": {"type": "array", "items": VERSION_INFO},
        "schema": {
            "type": "object",
            "description": "Frictionless Table Schema of the version",
            "properties": {
                "fields": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"name": TEXT, "title": TEXT, "type": TEXT, "format": TEXT},
                    },
                },
                "missingValues": STRINGS,
            },
        },
        "columns": {"type": "array", "items": COLUMN},
        "geometry": DETECTED,
        "report": {
            "type": "object",
            "description": "What the importer detected (more keys for some formats)",
            "additionalProperties": True,
            "properties": {
                "format": TEXT,
                "encoding": {**NULLABLE_TEXT, "description": "null for spreadsheets and JSON"},
                "delimiter": {**NULLABLE_TEXT, "description": "null when not a delimited file, or one column"},
                "header": {"type": "boolean"},
                "rows": {"type": "integer"},
                "columns": {"type": "array", "items": COLUMN},
                "geometry": DETECTED,
                "notes": STRINGS,
                "note_messages": {"type": "array", "items": MESSAGE},
                "ragged_rows": {"type": "integer"},
                "ragged_lines": {
                    **INTEGERS,
                    "description": "line numbers in the file of the first ragged rows",
                },
                "title_lines": {"type": "integer", "description": "title lines skipped above the header"},
                "repaired_values": {"type": "integer"},
                "geometry_candidates": {"type": "array", "items": GEOMETRY_CANDIDATE},
                "harvest": {
                    "type": "object",
                    "description": "a harvested version: the source's identities, found again next time",
                    "properties": {"identities": STRINGS},
                },
            },
        },
        "rows_url": URL,
        "csv_url": URL,
        "geojson_url": URL,
        "datapackage_url": {**URL, "description": "Frictionless Data Package of this version"},
    },
}
DATASET_DETAIL = {"allOf": [DATASET_SUMMARY, DETAIL_FIELDS]}
# What publishing the imported version changes for users of the previously public one
# (services.dataset_versions.changes).
VERSION_CHANGES = {
    "type": "object",
    "required": ["compared_with", "added", "removed", "retyped", "rows"],
    "properties": {
        "compared_with": {"type": ["integer", "null"], "description": "the version compared with"},
        "added": {**STRINGS, "description": "columns added"},
        "removed": {**STRINGS, "description": "columns removed"},
        "retyped": {
            "type": "array",
            "description": "columns whose type changed: [name, old type, new type]",
            "items": {"type": "array", "items": TEXT, "minItems": 3, "maxItems": 3},
        },
        "rows": {
            "type": "array",
            "description": "[rows before (null: nothing to compare with), rows after]",
            "items": {"type": ["integer", "null"]},
            "minItems": 2,
            "maxItems": 2,
        },
    },
}
# The answer to an upload: the dataset, and what this import did.
IMPORT_RESULT = {
    "allOf": [
        DATASET_SUMMARY,
        DETAIL_FIELDS,
        {
            "type": "object",
            "required": ["created", "unchanged", "imported_version", "changes"],
            "properties": {
                "created": {"type": "boolean", "description": "a new dataset (not a new version)"},
                "unchanged": {"type": "boolean", "description": "the file and settings equal a version's"},
                "imported_version": {"type": "integer"},
                "changes": VERSION_CHANGES,
                "message": {"type": "string", "description": "why nothing was imported (only when unchanged)"},
            },
        },
    ]
}
ROWS_PAGE = {
    "type": "object",
    "required": ["rows", "next", "next_url", "total"],
    "properties": {
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "description": "column name -> value (a GeoJSON geometry for geometry columns)",
                "additionalProperties": True,
            },
        },
        "next": {"type": ["string", "null"]},
        "next_url": {"type": ["string", "null"], "format": "uri"},
        "total": {
            "type": ["integer", "null"],
            "description": "Matching rows; null with `_total=none`, at most 10000 with `_total=capped`",
        },
        "total_capped": {
            "type": "boolean",
            "description": "Only with `_total=capped`: true when more than 10,000 rows match",
        },
    },
}
FACET = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["value", "count"],
        "properties": {"value": TEXT, "count": {"type": "integer"}},
    },
}
FEATURE_COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": "integer", "description": "the row's number in the version"},
                    "geometry": {
                        "type": ["object", "null"],
                        "description": "a GeoJSON geometry in WGS84",
                        "required": ["type"],
                        "properties": {
                            "type": TEXT,
                            "coordinates": {"type": "array", "items": True},
                            "geometries": {"type": "array", "items": True},
                        },
                    },
                    "properties": {"type": "object", "additionalProperties": True},
                },
            },
        },
    },
}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


VERSION_BODY = {"type": "object", "properties": {"version": {"type": "integer", "minimum": 1}}}
MANAGE_RESPONSES = {
    "200": _json("The dataset as the public now sees it, with every version", DATASET_DETAIL),
    "400": _error("Bad version number"),
    "401": _error("No token"),
    "403": _error("Not an organizer"),
    "404": _error("No such dataset or version"),
}


DATASET_PATHS = {
    "/datasets": {
        "get": {
            "summary": "The catalogue: search and facets (theme, license, format, publisher)",
            "parameters": [
                _param("q", "Words that must all occur in the title, description, keywords or columns"),
                _param("theme", "EU data-theme code (repeatable)"),
                _param("license", "Licence id (repeatable)"),
                _param("format", "Format of the newest version: csv, xlsx, json, geojson (repeatable)"),
                _param("publisher", "Publisher (repeatable)"),
            ],
            "responses": {
                "200": _json(
                    "Matching datasets and facet counts",
                    {
                        "type": "object",
                        "required": ["datasets", "total", "facets"],
                        "properties": {
                            "datasets": {"type": "array", "items": DATASET_SUMMARY},
                            "total": {"type": "integer"},
                            "facets": {
                                "type": "object",
                                "description": "per facet, its values with the number of matching datasets",
                                "properties": {name: FACET for name in ("theme", "license", "format", "publisher")},
                            },
                        },
                    },
                )
            },
        },
        "post": {
            "summary": (
                "Import a file as a new dataset (without slug: always new, at a free slug), or as a new version "
                "of an existing slug (organizers)"
            ),
            "security": [{"bearer": []}],
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["file"],
                            "properties": {
                                "file": {"type": "string", "format": "binary"},
                                "slug": {"type": "string"},
                                "title": {"type": "string"},
                                "publisher": {"type": "string"},
                                "license": {"type": "string"},
                                "description": {"type": "string"},
                                "draft": {
                                    "type": "boolean",
                                    "description": "A new dataset: organizers only. A new version: kept from the "
                                    "public until published (POST /datasets/{slug}/publish).",
                                },
                                "notes": {"type": "string"},
                                "encoding": {"type": "string"},
                                "delimiter": {"type": "string", "description": "one of , ; tab | or none"},
                                "header": {"type": "string", "enum": ["yes", "no"]},
                                "types": {"type": "string", "description": 'JSON object, e.g. {"postcode": "text"}'},
                                "geometry": {
                                    "type": "string",
                                    "description": (
                                        "LAT,LON columns; X,Y columns with crs; one column of shapes; none; "
                                        'or a JSON object, e.g. {"lat": "y", "lon": "x"}'
                                    ),
                                },
                                "crs": {"type": "string", "description": "EPSG code of X,Y columns, e.g. 28992"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": _json("The dataset, with what the importer detected", IMPORT_RESULT),
                "200": _json(
                    "Nothing imported: the file and settings equal a version's (`unchanged`: true, `message`)",
                    IMPORT_RESULT,
                ),
                "400": _error("Bad metadata or corrections"),
                "401": _error("No token"),
                "403": _error("Not an organizer, or a read-only token"),
                "409": _error("Another import of this dataset finished first"),
                "413": _error("Larger than HACKKIT_MAX_UPLOAD_MB"),
                "422": _error("A file the importer cannot read; nothing was kept"),
            },
        },
    },
    "/datasets/{slug}": {
        "get": {
            "summary": "Metadata, Frictionless Table Schema, row count and versions of one dataset",
            "parameters": [SLUG, VERSION],
            "responses": {"200": _json("The dataset", DATASET_DETAIL), "404": _error("No such (visible) dataset")},
        }
    },
    "/datasets/{slug}/rows": {
        "get": {
            "summary": "One page of rows: filters, full-text search, sort and keyset pagination",
            "parameters": PAGE_PARAMS,
            "responses": {
                "200": _json("A page of rows", ROWS_PAGE),
                "400": _error("Unknown column or operator, bad value, bad token, or the query took too long"),
                "404": _error("No such (visible) dataset or version"),
            },
        }
    },
    "/datasets/{slug}/rows.csv": {
        "get": {
            "summary": "Every matching row as CSV, streamed (same filters as /rows)",
            "parameters": ROW_PARAMS,
            "responses": {
                "200": {"description": "CSV with a header row", "content": {"text/csv": {"schema": TEXT}}},
                "400": _error("Bad parameter"),
                "404": _error("No such (visible) dataset"),
            },
        }
    },
    "/datasets/{slug}/rows.geojson": {
        "get": {
            "summary": "Every matching row as a GeoJSON FeatureCollection in WGS84, streamed",
            "parameters": ROW_PARAMS,
            "responses": {
                "200": {
                    "description": "A FeatureCollection",
                    "content": {"application/geo+json": {"schema": FEATURE_COLLECTION}},
                },
                "400": _error("Bad parameter, or a dataset without locations"),
                "404": _error("No such (visible) dataset"),
            },
        }
    },
    "/datasets/{slug}/points": {
        "get": {
            "summary": "Every matching row's location packed for a map, streamed (same filters as /rows)",
            "description": (
                "Little-endian 32-bit floats, two per row that has a location: longitude, latitude (WGS84). "
                "A point dataset gives its latitude and longitude columns, a dataset of shapes each shape's "
                "first vertex; rows without a location are left out, in no particular order. 8 bytes a row "
                "(a million rows: 8 MB, where rows.geojson is ~100 MB), read in the browser as "
                "`new Float32Array(await response.arrayBuffer())`; the map kit's fast point layer "
                "(`hackkit_maps.build.points_from_url`) draws it. A version's answer never changes: "
                "it carries an ETag, and `If-None-Match` gets a 304."
            ),
            "parameters": ROW_PARAMS[:4],  # the slug, _version, filters and _search
            "responses": {
                "200": {
                    "description": "(longitude, latitude) float32 pairs",
                    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
                },
                "304": {"description": "Not modified: the same version and question as the If-None-Match tag"},
                "400": _error("Bad parameter, or a dataset without locations"),
                "404": _error("No such (visible) dataset or version"),
            },
        }
    },
    "/datasets/{slug}/publish": {
        "post": {
            "summary": "Publish the dataset and show `version` (default: the newest) to the public (organizers)",
            "security": [{"bearer": []}],
            "parameters": [SLUG],
            "requestBody": {"content": {"application/json": {"schema": VERSION_BODY}}},
            "responses": MANAGE_RESPONSES,
        }
    },
    "/datasets/{slug}/rollback": {
        "post": {
            "summary": "Show an earlier `version` again (default: the one before); later ones are kept (organizers)",
            "security": [{"bearer": []}],
            "parameters": [SLUG],
            "requestBody": {"content": {"application/json": {"schema": VERSION_BODY}}},
            "responses": {**MANAGE_RESPONSES, "409": _error("There is no earlier version")},
        }
    },
    "/datasets/{slug}/unpublish": {
        "post": {
            "summary": "Hide the dataset from everyone but organizers (organizers)",
            "security": [{"bearer": []}],
            "parameters": [SLUG],
            "responses": MANAGE_RESPONSES,
        }
    },
}
DATASET_PATHS["/datasets/{slug}"]["delete"] = {
    "summary": "Delete the dataset with every version's rows and original files; needs confirm=true (organizers)",
    "security": [{"bearer": []}],
    "parameters": [SLUG, _param("confirm", "true to delete (or `confirm` in a JSON body)", {"type": "boolean"})],
    "responses": {
        "200": _json(
            "Deleted", {"type": "object", "properties": {"ok": {"type": "boolean"}, "deleted": {"type": "string"}}}
        ),
        "400": _error("Not confirmed"),
        "401": _error("No token"),
        "403": _error("Not an organizer"),
        "404": _error("No such dataset"),
    },
}
