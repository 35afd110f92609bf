"""The controlled vocabularies DCAT-AP asks for, mapped to and from hackkit's own codes.

Used both ways: the DCAT-AP export writes these IRIs, and harvesting reads them (and the
licence ids CKAN portals use) back into hackkit's licence ids, theme codes and frequencies.
"""

from __future__ import annotations

from hackkit.services.dataset_meta import LICENSES, THEMES

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
DATA_THEME = EU_AUTHORITY + "data-theme/"
FILE_TYPE = EU_AUTHORITY + "file-type/"
FREQUENCY = EU_AUTHORITY + "frequency/"
LICENCE = EU_AUTHORITY + "licence/"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"

# hackkit licence id -> the EU licence authority code (licences it does not list use their own URL).
EU_LICENCES = {"CC0-1.0": "CC0", "CC-BY-4.0": "CC_BY_4_0", "CC-BY-SA-4.0": "CC_BYSA_4_0", "ODbL-1.0": "ODC_BL"}
# Licence ids as CKAN portals spell them (its default list and common variants) -> hackkit ids.
CKAN_LICENCES = {
    "cc-zero": "CC0-1.0",
    "cc0": "CC0-1.0",
    "cc0-1.0": "CC0-1.0",
    "cc-by": "CC-BY-4.0",
    "cc-by-4.0": "CC-BY-4.0",
    "cc-by-sa": "CC-BY-SA-4.0",
    "cc-by-sa-4.0": "CC-BY-SA-4.0",
    "odc-odbl": "ODbL-1.0",
    "odbl-1.0": "ODbL-1.0",
}
FREQUENCIES = {
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "annual": "ANNUAL",
    "irregular": "IRREG",
    "never": "NEVER",
    "unknown": "UNKNOWN",
}
# Importer formats -> (EU file-type code, IANA media type).
FORMATS = {
    "csv": ("CSV", "text/csv"),
    "geojson": ("GEOJSON", "application/geo+json"),
    "json": ("JSON", "application/json"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def licence_iri(license_id: str) -> str | None:
    if license_id in EU_LICENCES:
        return LICENCE + EU_LICENCES[license_id]
    url = LICENSES.get(license_id, ("", ""))[1]
    return url or None


def licence_id(value: str) -> str | None:
    """A hackkit licence id for an EU licence IRI, a licence URL, a CKAN or an SPDX id."""
    value = (value or "").strip()
    if not value:
        return None
    if value in LICENSES:
        return value
    for ours, code in EU_LICENCES.items():
        if value.rstrip("/") == LICENCE + code:
            return ours
    bare = value.split("://", 1)[-1].rstrip("/").lower()
    for ours, (_, url) in LICENSES.items():
        if url and url.split("://", 1)[-1].rstrip("/").lower() == bare:
            return ours
    return CKAN_LICENCES.get(value.lower())


def theme_code(value: str) -> str | None:
    """EU data-theme code from its IRI or the bare code (TRAN); None for anything else."""
    code = value.rstrip("/").rsplit("/", 1)[-1].upper()
    return code if code in THEMES and (value.startswith(DATA_THEME) or "/" not in value) else None


def frequency_name(value: str) -> str | None:
    code = value.rstrip("/").rsplit("/", 1)[-1].upper()
    return next((ours for ours, eu in FREQUENCIES.items() if eu == code), None)


def format_name(*hints: str | None) -> str | None:
    """An importer format from a file-type IRI, a media type, a CKAN format or a file name."""
    for hint in hints:
        if not hint:
            continue
        text = hint.strip().lower()
        for name, (code, media) in FORMATS.items():
            if text in (name, code.lower(), media, f".{name}") or text.endswith(
                (f"/file-type/{code.lower()}", f"/media-types/{media}")
            ):
                return name
        if text in ("text/comma-separated-values", "application/csv"):
            return "csv"
        if text in ("application/vnd.geo+json",):
            return "geojson"
    for hint in hints:  # last resort: a file name's suffix
        path = (hint or "").lower().split("?", 1)[0]
        for name in FORMATS:
            if path.endswith(f".{name}"):
                return name
    return None
