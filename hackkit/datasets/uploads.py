"""Upload, then import, the same way for the API and the upload page: what an import request
carries besides the file (its metadata and the organizer's corrections to the importer's
guesses), and the one call that stores and imports the file.
Shared by the API, the pages and the CLI."""

from __future__ import annotations

import codecs
import json

from flask import current_app
from flask_babel import gettext as _

from hackkit.extensions import db
from hackkit.ingest import Overrides
from hackkit.services import dataset_uploads, datasets
from hackkit.services.errors import Invalid

# The fields an upload is described by, whether they come from the API's multipart form or
# from the upload page: the new dataset's metadata, and the corrections to the guesses.
METADATA_FIELDS = ("slug", "title", "publisher", "license", "description")
OVERRIDE_FIELDS = ("header", "delimiter", "encoding", "geometry", "crs", "types")


def import_request(fields, *, draft: bool, new_dataset: bool = False) -> dataset_uploads.ImportRequest:
    """What `fields` (a form or a dict: METADATA_FIELDS, OVERRIDE_FIELDS and notes) ask of the
    importer. Empty fields are left to the importer's guesses."""
    return dataset_uploads.ImportRequest(
        metadata={k: fields[k] for k in METADATA_FIELDS if fields.get(k)},
        draft=draft,
        overrides=overrides_from(fields),
        notes=fields.get("notes") or "",
        new_dataset=new_dataset,
    )


def import_upload(actor, upload, wanted: dataset_uploads.ImportRequest) -> datasets.ImportResult:
    """Store the uploaded file and import it (a new dataset or a new version)."""
    return dataset_uploads.import_file(db.session, actor, upload, current_app.instance_path, wanted)


DELIMITERS = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "none": "none"}


def overrides_from(form) -> Overrides:
    """Corrections to the importer's guesses from the fields the web form, the API and the
    CLI share: header (yes|no), delimiter, encoding, geometry (COL[,COL], a JSON object or
    "none"), crs (an EPSG code for x/y columns) and types (a JSON object)."""
    overrides = Overrides(max_field_chars=current_app.config.get("HACKKIT_DATASET_MAX_FIELD_CHARS"))
    if form.get("encoding"):
        overrides.encoding = _encoding(form["encoding"].strip())
    if form.get("delimiter"):
        overrides.delimiter = _delimiter(form["delimiter"])
    header = (form.get("header") or "").strip().lower()
    if header in ("yes", "no", "true", "false", "1", "0"):
        overrides.header = header in ("yes", "true", "1")
    elif header:
        raise Invalid(_("header is yes or no."), {"header": [_("Choose yes or no.")]})
    if form.get("types"):
        types = form["types"] if isinstance(form["types"], dict) else _json_object(form["types"], "types")
        if not all(isinstance(v, str) for v in types.values()):
            raise Invalid(_("types is a JSON object of column: type."), {"types": [_("Not valid JSON.")]})
        overrides.types = types
    if form.get("geometry"):
        overrides.geometry = _geometry(form["geometry"].strip(), (form.get("crs") or "").strip())
    elif form.get("crs"):
        raise Invalid(_("crs goes with geometry: name the x and y columns."), {"crs": [_("Name the columns too.")]})
    return overrides


def _encoding(name: str) -> str:
    try:
        codecs.lookup(name)
    except LookupError:
        raise Invalid(
            _("Unknown encoding %(name)s; try utf-8, windows-1252 or latin-1.", name=name[:40]),
            {"encoding": [_("Unknown encoding.")]},
        ) from None
    return name


def _delimiter(raw: str) -> str:
    delimiter = DELIMITERS.get(raw.strip().lower(), raw)
    # Python's csv module takes one character other than a line break or the quote; refused here
    # as a bad parameter (400) before the file is read, like an unknown encoding.
    if delimiter != "none" and (len(delimiter) != 1 or delimiter in '\r\n"'):
        raise Invalid(
            _("The delimiter is one character, or tab, comma, semicolon, pipe or none."),
            {"delimiter": [_("One character, please.")]},
        )
    return delimiter


def _geometry(raw: str, crs: str) -> dict:
    """`lat,lon` columns (WGS84), `x,y` with an EPSG code, one column holding shapes, or none."""
    if raw.startswith("{"):
        return _json_object(raw, "geometry")
    if raw.lower() == "none":
        return {"kind": "none"}
    names = [n.strip() for n in raw.split(",")]
    epsg = crs.upper().removeprefix("EPSG:")
    if crs and not epsg.isdigit():
        raise Invalid(_("crs is an EPSG code such as 28992 or 31370."), {"crs": [_("An EPSG code, please.")]})
    if not all(names) or len(names) > 2:
        raise Invalid(
            _("geometry names one column, or two (latitude,longitude or x,y) separated by a comma."),
            {"geometry": [_("One or two column names.")]},
        )
    if len(names) == 1:
        return {"column": names[0]}
    if epsg and epsg != "4326":
        return {"x": names[0], "y": names[1], "crs": f"EPSG:{epsg}"}
    return {"lat": names[0], "lon": names[1]}


def _json_object(raw: str, name: str) -> dict:
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise Invalid(_("%(name)s is a JSON object.", name=name), {name: [_("Not valid JSON.")]})
    return value
