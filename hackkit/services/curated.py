"""Loading the curated datasets shipped in the repository's `datasets/<slug>/datapackage.json`.

`hackkit setup` calls this on every start: datasets whose slug already exists are left
exactly as they are (an organizer may have edited or replaced them).
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hackkit.models import Dataset
from hackkit.services import datasets

CURATED_ROOT = Path(__file__).resolve().parents[2] / "datasets"


def package_metadata(package: dict) -> dict:
    extra = package.get("hackkit", {})
    licenses = package.get("licenses") or [{}]
    sources = package.get("sources") or [{}]
    metadata = {
        "slug": package["name"],
        "title": package.get("title") or package["name"],
        "description": package.get("description", ""),
        "license": licenses[0].get("name", ""),
        "keywords": package.get("keywords", []),
        "source_url": sources[0].get("path", ""),
    }
    for key in ("publisher", "themes", "spatial", "update_frequency", "temporal_start", "temporal_end"):
        if extra.get(key) is not None:
            metadata[key] = extra[key]
    return metadata


def load_curated(session: Session, root: Path = CURATED_ROOT) -> list[str]:
    """Import each package whose slug does not exist yet; returns the slugs loaded."""
    loaded = []
    for package_path in sorted(root.glob("*/datapackage.json")):
        package = json.loads(package_path.read_text(encoding="utf-8"))
        slug = package["name"]
        if session.scalar(sa.select(Dataset.id).where(Dataset.slug == slug)) is not None:
            continue
        resource = package["resources"][0]
        datasets.import_dataset(
            session,
            datasets.SystemActor(),
            package_path.parent / resource["path"],
            original_name=resource["path"],
            metadata=package_metadata(package),
            notes="Curated demo data shipped with hackkit.",
        )
        loaded.append(slug)
    return loaded
