"""Datasets as plain data: the JSON API, datapackage.json, schema.org JSON-LD and pages share these."""

from __future__ import annotations

from typing import Any

from flask import url_for

from hackkit.models import Dataset, DatasetVersion
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


def json_ld(dataset: Dataset, version: DatasetVersion | None) -> dict[str, Any]:
    """schema.org Dataset, as search engines and data portals read it."""
    doc: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": dataset.title,
        "description": dataset.description or dataset.title,
        "url": url_for("datasets.detail", slug=dataset.slug, _external=True),
        "identifier": dataset.slug,
        "keywords": dataset.keywords or [],
        "isAccessibleForFree": True,
    }
    if dataset.publisher:
        organization = {"@type": "Organization", "name": dataset.publisher}
        doc["creator"] = organization
        doc["publisher"] = organization
    info = license_info(dataset.license)
    if info:
        doc["license"] = info["url"] or info["title"]
    if dataset.spatial:
        doc["spatialCoverage"] = {"@type": "Place", "name": dataset.spatial}
    doc["datePublished"] = dataset.created_at.isoformat()
    if dataset.temporal_start or dataset.temporal_end:
        start = dataset.temporal_start.isoformat() if dataset.temporal_start else ".."
        end = dataset.temporal_end.isoformat() if dataset.temporal_end else ".."
        doc["temporalCoverage"] = f"{start}/{end}"
    if version is not None:
        doc["dateModified"] = version.created_at.isoformat()
        doc["variableMeasured"] = [c["title"] for c in version.columns]
        doc["distribution"] = [
            {
                "@type": "DataDownload",
                "encodingFormat": "text/csv",
                "contentUrl": url_for("api.dataset_rows_csv", slug=dataset.slug, _external=True),
            },
            {
                "@type": "DataDownload",
                "encodingFormat": "application/geo+json",
                "contentUrl": url_for("api.dataset_rows_geojson", slug=dataset.slug, _external=True),
            },
        ]
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
