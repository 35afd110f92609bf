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
    _param("_size", "Rows per page, 1 to 1000 (default 100)", {"type": "integer", "minimum": 1, "maximum": 1000}),
    _param("_next", "The opaque `next` token of the previous page (keyset pagination)"),
]
DATASET_SUMMARY = {
    "type": "object",
    "required": ["slug", "title", "row_count", "url"],
    "properties": {
        "slug": {"type": "string"},
        "title": {"type": "string"},
        "publisher": {"type": "string"},
        "license": {"type": "object", "nullable": True},
        "themes": {"type": "array", "items": {"type": "string"}},
        "keywords": {"type": "array", "items": {"type": "string"}},
        "status": {"type": "string", "enum": ["draft", "published"]},
        "format": {"type": "string", "nullable": True},
        "row_count": {"type": "integer"},
        "has_geometry": {"type": "boolean"},
        "url": {"type": "string"},
        "html_url": {"type": "string"},
    },
}
DATASET_DETAIL = {
    "allOf": [
        DATASET_SUMMARY,
        {
            "type": "object",
            "properties": {
                "description": {"type": "string"},
                "schema": {"type": "object", "description": "Frictionless Table Schema of the version"},
                "columns": {"type": "array", "items": {"type": "object"}},
                "geometry": {"type": "object", "nullable": True},
                "report": {"type": "object", "description": "What the importer detected"},
                "versions": {"type": "array", "items": {"type": "object"}},
                "rows_url": {"type": "string"},
                "csv_url": {"type": "string"},
                "geojson_url": {"type": "string"},
                "datapackage_url": {"type": "string", "description": "Frictionless Data Package of this version"},
            },
        },
    ]
}
ROWS_PAGE = {
    "type": "object",
    "required": ["rows", "next", "next_url", "total"],
    "properties": {
        "rows": {"type": "array", "items": {"type": "object"}},
        "next": {"type": "string", "nullable": True},
        "next_url": {"type": "string", "nullable": True},
        "total": {"type": "integer"},
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
                        "properties": {
                            "datasets": {"type": "array", "items": DATASET_SUMMARY},
                            "total": {"type": "integer"},
                            "facets": {"type": "object"},
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
                "201": _json("The dataset, with what the importer detected", DATASET_DETAIL),
                "200": _json(
                    "Nothing imported: the file and settings equal a version's (`unchanged`: true, `message`)",
                    DATASET_DETAIL,
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
                "200": {"description": "CSV with a header row", "content": {"text/csv": {}}},
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
                "200": {"description": "A FeatureCollection", "content": {"application/geo+json": {}}},
                "400": _error("Bad parameter, or a dataset without locations"),
                "404": _error("No such (visible) dataset"),
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
