"""The vocabularies and checks of dataset metadata (the "Curation" part of the catalogue)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from hackkit.services.errors import Invalid

# Licence id -> (label, URL). The Flemish free-reuse licence is what Flemish cities publish under.
LICENSES: dict[str, tuple[str, str]] = {
    "CC0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "CC-BY-4.0": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "ODbL-1.0": ("Open Database License 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
    "modellicentie-gratis-hergebruik": (
        "Modellicentie Gratis Hergebruik v1.0",
        "https://www.vlaanderen.be/digitaal-vlaanderen/onze-oplossingen/open-data/modellicenties",
    ),
    "other": ("Other (see description)", ""),
}
# The EU data-theme vocabulary (publications.europa.eu authority "data-theme").
THEMES: dict[str, str] = {
    "AGRI": "Agriculture, fisheries, forestry and food",
    "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport",
    "ENER": "Energy",
    "ENVI": "Environment",
    "GOVE": "Government and public sector",
    "HEAL": "Health",
    "INTR": "International issues",
    "JUST": "Justice, legal system and public safety",
    "REGI": "Regions and cities",
    "SOCI": "Population and society",
    "TECH": "Science and technology",
    "TRAN": "Transport",
}
FREQUENCIES = ("daily", "weekly", "monthly", "quarterly", "annual", "irregular", "never", "unknown")
RESERVED_SLUGS = {"upload"}  # page addresses under /datasets/
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
TEXT_LIMITS = {"title": 200, "publisher": 200, "contact": 200, "spatial": 200, "source_url": 500, "description": 20000}


def slugify(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:80].strip("-") or "dataset"


def clean_metadata(data: dict[str, Any]) -> dict[str, Any]:
    """Checked, normalised metadata fields from `data` (only the keys given). Raises Invalid."""
    errors: dict[str, list] = {}
    out: dict[str, Any] = {}
    for key, limit in TEXT_LIMITS.items():
        if key in data:
            value = " ".join(str(data[key] or "").split()) if key != "description" else str(data[key] or "").strip()
            if len(value) > limit:
                errors[key] = [_l("At most %(n)d characters.", n=limit)]
            out[key] = value
    if "title" in out and not out["title"]:
        errors["title"] = [_l("Give the dataset a title.")]
    if out.get("source_url") and not re.match(r"^https?://\S+$", out["source_url"]):
        errors["source_url"] = [_l("Give a web address starting with http:// or https://.")]
    if "slug" in data:
        out["slug"] = str(data["slug"] or "").strip().lower()
        if not SLUG.match(out["slug"]) or out["slug"] in RESERVED_SLUGS:
            errors["slug"] = [_l("Use lower-case letters, digits and dashes (at most 80).")]
    if "license" in data:
        out["license"] = str(data["license"] or "")
        if out["license"] and out["license"] not in LICENSES:
            errors["license"] = [_l("Choose one of: %(names)s.", names=", ".join(LICENSES))]
    if "themes" in data:
        out["themes"] = _as_list(data["themes"], upper=True)
        if set(out["themes"]) - set(THEMES):
            errors["themes"] = [_l("Themes come from the EU list: %(names)s.", names=", ".join(THEMES))]
    if "keywords" in data:
        out["keywords"] = _as_list(data["keywords"])[:30]
        if any(len(k) > 60 for k in out["keywords"]):
            errors["keywords"] = [_l("A keyword has at most 60 characters.")]
    if "update_frequency" in data:
        out["update_frequency"] = str(data["update_frequency"] or "")
        if out["update_frequency"] and out["update_frequency"] not in FREQUENCIES:
            errors["update_frequency"] = [_l("Choose one of: %(names)s.", names=", ".join(FREQUENCIES))]
    if "status" in data:
        out["status"] = str(data["status"] or "")
        if out["status"] not in ("draft", "published"):
            errors["status"] = [_l("Draft or published.")]
    for key in ("temporal_start", "temporal_end"):
        if key in data:
            out[key] = _as_date(data[key], key, errors)
    if out.get("temporal_start") and out.get("temporal_end") and out["temporal_start"] > out["temporal_end"]:
        errors["temporal_end"] = [_l("The end comes after the start.")]
    if errors:
        raise Invalid(_l("Some fields need attention."), errors)
    return out


def _as_list(value, upper: bool = False) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value or [])
    cleaned = [" ".join(str(i).split()) for i in items]
    cleaned = [i.upper() if upper else i for i in cleaned if i]
    return list(dict.fromkeys(cleaned))


def _as_date(value, key: str, errors: dict) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors[key] = [_l("Give a date as YYYY-MM-DD.")]
        return None
