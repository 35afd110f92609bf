"""Catalogue objects in the shapes CKAN 2.11 gives them (package, resource, organization,
group, tag, licence, datastore field).

How hackkit maps onto CKAN:
- a dataset is a package; its slug is the package name;
- each version of a dataset is a resource whose rows are in the DataStore (newest first);
- a publisher is an organization, named by the slug of the publisher's name;
- an EU data theme (TRAN, ENVI, ...) is a group, named by its code in lower case;
- a keyword is a tag.
CKAN ids are UUIDs. Ours are UUID 5s of what never changes (a slug, a version number, a
publisher's name), so an id stays the same across restarts, backups and restores.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from flask import url_for

from hackkit.datasets import dataset_json
from hackkit.models import Dataset, DatasetVersion
from hackkit.services.dataset_meta import LICENSES, THEMES, slugify

NAMESPACE = uuid.UUID("6f1c1f0e-2a44-5b7e-9d0c-6861636b6b69")  # fixed: changing it changes every id
CKAN_TYPES = {
    "integer": "int",
    "number": "numeric",
    "boolean": "bool",
    "date": "date",
    "datetime": "timestamp",
    "time": "time",
    "text": "text",
    "geojson": "json",
}


def stable_id(kind: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def looks_like_uuid(key: str) -> bool:
    """Our ids are UUIDs: only such keys are worth comparing with every id (a slug may
    look like one too, so callers still try the key as a slug afterwards)."""
    try:
        return str(uuid.UUID(key)) == key.lower()
    except ValueError:
        return False


def package_id(dataset: Dataset) -> str:
    return stable_id("dataset", dataset.slug)


def resource_id(dataset: Dataset, version: DatasetVersion) -> str:
    return stable_id("resource", f"{dataset.slug}/{version.number}")


def organization_name(publisher: str) -> str:
    return slugify(publisher)


def group_name(theme: str) -> str:
    return theme.lower()


def timestamp(moment: datetime | None) -> str | None:
    """CKAN's form: ISO 8601 in UTC without an offset."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat()


def modified(dataset: Dataset) -> datetime:
    moments = [dataset.updated_at or dataset.created_at] + [v.created_at for v in dataset.public_versions]
    return max(m for m in moments if m is not None)


def organization_dict(
    publisher: str, package_count: int | None = None, created: datetime | None = None
) -> dict[str, Any]:
    name = organization_name(publisher)
    body: dict[str, Any] = {
        "id": stable_id("organization", name),
        "name": name,
        "title": publisher,
        "display_name": publisher,
        "type": "organization",
        "description": "",
        "image_url": "",
        "image_display_url": "",
        "created": timestamp(created),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }
    if package_count is not None:
        body["package_count"] = package_count
        body["num_followers"] = 0
    return body


def group_dict(theme: str, package_count: int | None = None, created: datetime | None = None) -> dict[str, Any]:
    name = group_name(theme)
    title = THEMES.get(theme, theme)
    body: dict[str, Any] = {
        "id": stable_id("group", name),
        "name": name,
        "title": title,
        "display_name": title,
        "type": "group",
        "description": "",
        "image_url": "",
        "image_display_url": "",
        "created": timestamp(created),
        "is_organization": False,
        "approval_status": "approved",
        "state": "active",
    }
    if package_count is not None:
        body["package_count"] = package_count
        body["num_followers"] = 0
    return body


def tag_dict(keyword: str) -> dict[str, Any]:
    return {
        "id": stable_id("tag", keyword),
        "name": keyword,
        "display_name": keyword,
        "state": "active",
        "vocabulary_id": None,
    }


def license_dict(license_id: str) -> dict[str, Any]:
    title, url = LICENSES.get(license_id, (license_id, ""))
    return {
        "id": license_id,
        "title": title,
        "url": url,
        "status": "active",
        "maintainer": "",
        "family": "",
        "is_generic": license_id == "other",
        "is_okd_compliant": license_id != "other",
        "is_osi_compliant": False,
        "od_conformance": "approved" if license_id != "other" else "not reviewed",
        "osd_conformance": "not reviewed",
        "domain_content": True,
        "domain_data": True,
        "domain_software": False,
    }


def datastore_fields(version: DatasetVersion, names: list[str] | None = None) -> list[dict[str, Any]]:
    """The DataStore's `fields`: `_id` first, then each column with its CKAN type and a label."""
    columns = {c["name"]: c for c in version.columns}
    wanted = names if names is not None else ["_id", *columns]
    out = []
    for name in wanted:
        if name == "_id":
            out.append({"id": "_id", "type": "int"})
            continue
        column = columns[name]
        out.append({"id": name, "type": CKAN_TYPES[column["type"]], "info": {"label": column["title"], "notes": ""}})
    return out


def _dump_schema(version: DatasetVersion) -> dict[str, Any]:
    schema = dataset_json.table_schema(version)
    schema["fields"] = [{"name": "_id", "title": "_id", "type": "integer"}, *schema["fields"]]
    return schema


def resource_dict(dataset: Dataset, version: DatasetVersion, position: int) -> dict[str, Any]:
    rid = resource_id(dataset, version)
    current = version is dataset.current
    label = f"{dataset.title} (version {version.number}{', current' if current else ''})"
    created = timestamp(version.created_at)
    return {
        "id": rid,
        "package_id": package_id(dataset),
        "name": label,
        "description": version.notes or "",
        "url": url_for("ckan.datastore_dump", resource_id=rid, _external=True),
        "url_type": "datastore",
        "format": "CSV",
        "mimetype": "text/csv",
        "mimetype_inner": None,
        "size": None,
        "hash": "",
        "position": position,
        "state": "active",
        "resource_type": None,
        "datastore_active": True,
        "created": created,
        "last_modified": created,
        "metadata_modified": created,
        "cache_url": None,
        "cache_last_updated": None,
        # Not CKAN's own, but what ckanext-validation and frictionless read: the schema of
        # the file at `url` (the dump, whose first column is the DataStore's `_id`).
        "schema": _dump_schema(version),
        "version_number": version.number,
        "row_count": version.row_count,
        "original_format": version.format,
        # Not CKAN's own either: the file as uploaded, so a harvester copies the very bytes.
        "original_url": url_for("datasets.original", slug=dataset.slug, version=version.number, _external=True)
        if version.original_path
        else None,
    }


def _extras(dataset: Dataset) -> list[dict[str, str]]:
    pairs = {
        "spatial_text": dataset.spatial,
        "temporal_start": dataset.temporal_start.isoformat() if dataset.temporal_start else "",
        "temporal_end": dataset.temporal_end.isoformat() if dataset.temporal_end else "",
        "frequency": dataset.update_frequency,
        "source_url": dataset.source_url,
        "theme": ",".join(dataset.themes or []),
    }
    return [{"key": key, "value": value} for key, value in pairs.items() if value]


def package_dict(dataset: Dataset) -> dict[str, Any]:
    license_title, license_url = LICENSES.get(dataset.license, (dataset.license, "")) if dataset.license else ("", "")
    organization = organization_dict(dataset.publisher) if dataset.publisher else None
    versions = dataset.public_versions_current_first  # position 0 is the current data
    resources = [resource_dict(dataset, v, position) for position, v in enumerate(versions)]
    tags = [tag_dict(k) for k in dataset.keywords or []]
    contact = dataset.contact or ""
    return {
        "id": package_id(dataset),
        "name": dataset.slug,
        "title": dataset.title,
        "type": "dataset",
        "state": "active" if dataset.status == "published" else "draft",
        "private": False,
        "notes": dataset.description,
        "url": dataset.source_url,
        "version": str(dataset.current.number) if dataset.current else None,
        "author": dataset.publisher or None,
        "author_email": None,
        "maintainer": None if "@" in contact else contact or None,
        "maintainer_email": contact if "@" in contact else None,
        "license_id": dataset.license or None,
        "license_title": license_title or None,
        "license_url": license_url or None,
        "isopen": bool(dataset.license) and dataset.license != "other",
        "owner_org": organization["id"] if organization else None,
        "organization": organization,
        "creator_user_id": None,  # never an account id: that is private
        "metadata_created": timestamp(dataset.created_at),
        "metadata_modified": timestamp(modified(dataset)),
        "groups": [group_dict(t) for t in dataset.themes or []],
        "tags": tags,
        "num_tags": len(tags),
        "resources": resources,
        "num_resources": len(resources),
        "extras": _extras(dataset),
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "ckan_url": url_for("datasets.detail", slug=dataset.slug, _external=True),
    }
