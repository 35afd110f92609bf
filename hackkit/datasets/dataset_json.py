"""Datasets as JSON-ready dicts: the JSON API, datapackage.json, schema.org JSON-LD and pages
share these. (The event hub's models have theirs in hackkit/event_json.py.)"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from hackkit.models import Dataset, DatasetVersion
from hackkit.services import eu_vocab
from hackkit.services.dataset_meta import LICENSES, THEMES

# Our column types -> Frictionless Table Schema field types.
FRICTIONLESS = {
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "date": "date",
    "datetime": "datetime",
    "time": "time",
    "text": "string",
    "geojson": "geojson",
}


def license_info(license_id: str) -> dict[str, str] | None:
    if not license_id:
        return None
    title, url = LICENSES.get(license_id, (license_id, ""))
    return {"id": license_id, "title": title, "url": url}


def table_schema(version: DatasetVersion) -> dict[str, Any]:
    fields = []
    for column in version.columns:
        field = {"name": column["name"], "title": column["title"], "type": FRICTIONLESS[column["type"]]}
        if column["type"] == "time":
            field["format"] = "%H:%M:%S"
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    return schema


def dataset_summary(dataset: Dataset) -> dict[str, Any]:
    version = dataset.current
    return {
        "slug": dataset.slug,
        "title": dataset.title,
        "publisher": dataset.publisher,
        "license": license_info(dataset.license),
        "themes": dataset.themes or [],
        "keywords": dataset.keywords or [],
        "status": dataset.status,
        "format": version.format if version else None,
        "row_count": version.row_count if version else 0,
        "has_geometry": bool(version and version.geometry),
        "updated_at": (version.created_at if version else dataset.created_at).isoformat(),
        "url": url_for("api.dataset_detail", slug=dataset.slug, _external=True),
        "html_url": url_for("datasets.detail", slug=dataset.slug, _external=True),
    }


def version_info(version: DatasetVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "current": version.number == version.dataset.current_number,
        "draft": version.is_draft,
        "created_at": version.created_at.isoformat(),
        "row_count": version.row_count,
        "format": version.format,
        "original_name": version.original_name,
        "notes": version.notes,
    }


def dataset_detail(dataset: Dataset, version: DatasetVersion | None, show_drafts: bool = False) -> dict[str, Any]:
    """The dataset with `version`'s schema; the version list holds drafts only for organizers."""
    body = dataset_summary(dataset)
    body.update(
        {
            "description": dataset.description,
            "contact": dataset.contact,
            "spatial": dataset.spatial,
            "temporal": {
                "start": dataset.temporal_start.isoformat() if dataset.temporal_start else None,
                "end": dataset.temporal_end.isoformat() if dataset.temporal_end else None,
            },
            "update_frequency": dataset.update_frequency,
            "source_url": dataset.source_url,
            "theme_labels": {t: THEMES.get(t, t) for t in dataset.themes or []},
            "version": version.number if version else None,
            "versions": [version_info(v) for v in (dataset.versions if show_drafts else dataset.public_versions)],
        }
    )
    if version is not None:
        # Links to a version other than the public one name it, or they would show the public one.
        pinned = {} if version is dataset.current else {"_version": version.number}
        body.update(
            {
                "row_count": version.row_count,
                "schema": table_schema(version),
                "columns": version.columns,
                "geometry": version.geometry,
                "report": version.report,
                "rows_url": url_for("api.dataset_rows", slug=dataset.slug, _external=True, **pinned),
                "csv_url": url_for("api.dataset_rows_csv", slug=dataset.slug, _external=True, **pinned),
                "geojson_url": url_for("api.dataset_rows_geojson", slug=dataset.slug, _external=True, **pinned),
                "datapackage_url": url_for(
                    "datasets.datapackage",
                    slug=dataset.slug,
                    version=None if version is dataset.current else version.number,
                    _external=True,
                ),
            }
        )
    return body


def point_bounds(version: DatasetVersion) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of a point dataset, from the importer's column statistics."""
    spec = version.geometry or {}
    if spec.get("type") != "point":
        return None
    stats = {c["name"]: c for c in version.columns}
    lat, lon = stats.get(spec.get("lat"), {}), stats.get(spec.get("lon"), {})
    bounds = (lon.get("min"), lat.get("min"), lon.get("max"), lat.get("max"))
    if any(isinstance(b, bool) or not isinstance(b, (int, float)) for b in bounds):
        return None
    return bounds  # type: ignore[return-value]


def _place(dataset: Dataset, version: DatasetVersion | None) -> dict[str, Any] | None:
    """schema.org Place: the place's name and, for point data, the box the rows lie in."""
    bounds = point_bounds(version) if version is not None else None
    if not dataset.spatial and bounds is None:
        return None
    place: dict[str, Any] = {"@type": "Place"}
    if dataset.spatial:
        place["name"] = dataset.spatial
    if bounds is not None:
        west, south, east, north = bounds
        # schema.org box: the lower corner then the upper corner, each "latitude longitude".
        place["geo"] = {"@type": "GeoShape", "box": f"{south} {west} {north} {east}"}
    return place


def _downloads(dataset: Dataset, version: DatasetVersion) -> list[dict[str, Any]]:
    """The same downloads as the DCAT-AP distributions: CSV, GeoJSON where there is a location, the original."""
    downloads = [("api.dataset_rows_csv", "text/csv", f"{dataset.title} (CSV)")]
    if version.geometry:
        downloads.append(("api.dataset_rows_geojson", "application/geo+json", f"{dataset.title} (GeoJSON)"))
    if version.original_path and version.format in eu_vocab.FORMATS:
        name = f"{dataset.title} ({version.original_name or 'original file'})"
        downloads.append(("datasets.original", eu_vocab.FORMATS[version.format][1], name))
    return [
        {
            "@type": "DataDownload",
            "name": name,
            "encodingFormat": media_type,
            "contentUrl": url_for(endpoint, slug=dataset.slug, _external=True),
        }
        for endpoint, media_type, name in downloads
    ]


def json_ld(dataset: Dataset, version: DatasetVersion | None) -> dict[str, Any]:
    """schema.org Dataset, as search engines and data portals read it.

    Its `@id` is the dataset's IRI in the DCAT-AP catalogue, and `includedInDataCatalog` that
    catalogue, so a reader of both sees one dataset.
    """
    page = url_for("datasets.detail", slug=dataset.slug, _external=True)
    doc: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": page + "#dataset",
        "name": dataset.title,
        "description": dataset.description or dataset.title,
        "url": page,
        "identifier": dataset.slug,
        "keywords": dataset.keywords or [],
        "isAccessibleForFree": True,
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "@id": url_for("dcat.catalog", _external=True),
            "name": current_app.config["HACKKIT_CATALOG_TITLE"],
            "url": url_for("datasets.index", _external=True),
        },
    }
    if dataset.publisher:
        organization = {"@type": "Organization", "name": dataset.publisher}
        doc["creator"] = organization
        doc["publisher"] = organization
    info = license_info(dataset.license)
    if info:
        doc["license"] = info["url"] or info["title"]
    place = _place(dataset, version)
    if place is not None:
        doc["spatialCoverage"] = place
    doc["datePublished"] = dataset.created_at.isoformat()
    if dataset.temporal_start or dataset.temporal_end:
        start = dataset.temporal_start.isoformat() if dataset.temporal_start else ".."
        end = dataset.temporal_end.isoformat() if dataset.temporal_end else ".."
        doc["temporalCoverage"] = f"{start}/{end}"
    if version is not None:
        doc["dateModified"] = version.created_at.isoformat()
        doc["variableMeasured"] = [c["title"] for c in version.columns]
        doc["distribution"] = _downloads(dataset, version)
    return doc


def datapackage(dataset: Dataset, version: DatasetVersion) -> dict[str, Any]:
    """A Frictionless Data Package (v1, as `frictionless validate` reads it) whose one
    resource is the CSV download of `version`, described by its Table Schema. The extra
    `hackkit` key holds what the standard has no place for, as in the curated packages."""
    csv_url = url_for("api.dataset_rows_csv", slug=dataset.slug, _external=True)
    if version is not dataset.current:
        csv_url += f"?_version={version.number}"
    package: dict[str, Any] = {
        "name": dataset.slug,
        "title": dataset.title,
        "description": dataset.description or dataset.title,
        "homepage": url_for("datasets.detail", slug=dataset.slug, _external=True),
        "version": f"{version.number}.0.0",
        "created": version.created_at.isoformat(),
        "keywords": dataset.keywords or [],
        "resources": [
            {
                "name": dataset.slug,
                "path": csv_url,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                "schema": table_schema(version),
            }
        ],
        "hackkit": {
            "publisher": dataset.publisher,
            "themes": dataset.themes or [],
            "spatial": dataset.spatial,
            "update_frequency": dataset.update_frequency,
            "temporal_start": dataset.temporal_start.isoformat() if dataset.temporal_start else None,
            "temporal_end": dataset.temporal_end.isoformat() if dataset.temporal_end else None,
        },
    }
    info = license_info(dataset.license)
    if info:
        licence = {"name": info["id"], "title": info["title"]}
        if info["url"]:
            licence["path"] = info["url"]
        package["licenses"] = [licence]
    if dataset.publisher:
        package["contributors"] = [{"title": dataset.publisher, "role": "publisher"}]
    if dataset.source_url:
        package["sources"] = [{"title": dataset.source_url, "path": dataset.source_url}]
    return package
