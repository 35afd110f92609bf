"""What an import request carries besides the file: where originals are kept, and the
organizer's corrections to the importer's guesses. Shared by the API, the pages and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from hackkit.ingest import Overrides
from hackkit.services.errors import Invalid


def originals_dir() -> Path:
    return Path(current_app.instance_path) / "dataset-originals"


def overrides_from(form) -> Overrides | None:
    """Corrections to the importer's guesses, as form fields (the web form sends the same)."""
    overrides = Overrides(max_field_chars=current_app.config.get("HACKKIT_DATASET_MAX_FIELD_CHARS"))
    if form.get("encoding"):
        overrides.encoding = form["encoding"]
    if form.get("delimiter"):
        overrides.delimiter = {"tab": "\t", "\\t": "\t"}.get(form["delimiter"], form["delimiter"])
    if form.get("header") in ("yes", "no", "true", "false", "1", "0"):
        overrides.header = form["header"] in ("yes", "true", "1")
    if form.get("types"):
        types = _json_object(form["types"], "types")
        if not all(isinstance(v, str) for v in types.values()):
            raise Invalid(_("types is a JSON object of column: type."), {"types": [_("Not valid JSON.")]})
        overrides.types = types
    if form.get("geometry"):
        overrides.geometry = _json_object(form["geometry"], "geometry")
    return overrides


def _json_object(raw: str, name: str) -> dict:
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise Invalid(_("%(name)s is a JSON object.", name=name), {name: [_("Not valid JSON.")]})
    return value
