"""Names of codes shown to people (themes, licences, roles, filter operators), in the page's
language. The codes and their English names stay the data (API, DCAT, exports); these
functions only translate them for a page, through the message catalogue.

The Dutch theme names are the EU data-theme vocabulary's own Dutch labels.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from hackkit.licences import SPDX_LICENCES
from hackkit.services.dataset_meta import LICENSES, THEMES

FREQUENCY_NAMES = {
    "daily": _l("daily"),
    "weekly": _l("weekly"),
    "monthly": _l("monthly"),
    "quarterly": _l("quarterly"),
    "annual": _l("annual"),
    "irregular": _l("irregular"),
    "never": _l("never"),
    "unknown": _l("unknown"),
}
ROLE_NAMES = {"participant": _l("participant"), "judge": _l("judge"), "organizer": _l("organizer")}
# The preview's filter operators (services.dataset_rows), as read aloud in a sentence.
OPERATOR_NAMES = {
    "exact": "=",
    "not": "≠",
    "contains": _l("contains"),
    "startswith": _l("starts with"),
    "gt": ">",
    "gte": "≥",
    "lt": "<",
    "lte": "≤",
    "in": _l("one of"),
    "isnull": _l("is empty"),
}


def translated(text: str) -> str:
    return gettext(text) if text else text


def theme_name(code: str) -> str:
    return translated(THEMES.get(code, code))


def dataset_licence_name(licence_id: str) -> str:
    return translated(LICENSES.get(licence_id, (licence_id, ""))[0])


def project_licence_name(spdx_id: str) -> str:
    return translated(SPDX_LICENCES.get(spdx_id, spdx_id))


def frequency_name(frequency: str) -> str:
    return str(FREQUENCY_NAMES.get(frequency, frequency))


def role_name(role: str) -> str:
    return str(ROLE_NAMES.get(role, role))


def filter_text(key: str, value: str) -> str:
    """A preview filter as words: "capaciteit__gte=10" -> "capaciteit ≥ 10"."""
    column, _sep, op = key.rpartition("__") if "__" in key else (key, "", "exact")
    if op not in OPERATOR_NAMES:
        column, op = key, "exact"
    return f"{column} {OPERATOR_NAMES[op]} {value}"


TEMPLATE_GLOBALS = {
    "theme_name": theme_name,
    "dataset_licence_name": dataset_licence_name,
    "project_licence_name": project_licence_name,
    "role_name": role_name,
    "frequency_name": frequency_name,
    "filter_text": filter_text,
}
