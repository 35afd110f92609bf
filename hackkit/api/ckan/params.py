"""Reading CKAN action arguments. They come as strings (query string, form) or as JSON
values (a POSTed body), so every reader accepts both; a bad value is a Validation Error."""

from __future__ import annotations

import json
from typing import Any

from flask_babel import gettext as _

from hackkit.api.ckan.envelope import invalid, not_found
from hackkit.services import dataset_rows

TRUE, FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off", ""}


def text(data: dict[str, Any], key: str, default: str = "") -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if isinstance(value, (list, dict)):
        raise invalid(key, _("%(key)s must be a single text value.", key=key))
    if "\x00" in str(value):  # no stored text can hold one, and the database refuses the query
        raise invalid(key, _("%(name)s contains a NUL character, which no value can hold.", name=key[:60]))
    return str(value)


def required_id(data: dict[str, Any], key: str = "id") -> str:
    value = text(data, key).strip()
    if not value:
        raise invalid(key, _("Missing value"))
    return value


def integer(data: dict[str, Any], key: str, default: int, low: int = 0, high: int | None = None) -> int:
    """A whole number from `low` up; above `high` it is cut to `high`, as CKAN does with its limits.
    Past 64 bits it is refused: no offset, limit or id the database takes is that large."""
    value = data.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())):
        raise invalid(key, _("Invalid integer: %(key)s takes a whole number of at least %(low)d.", key=key, low=low))
    digits = str(value).strip()
    number = int(digits) if len(digits) <= 20 else None  # int() itself refuses 4,300 digits and more
    if number is None or not low <= number <= dataset_rows.INT64_MAX:
        raise invalid(
            key,
            _(
                "Invalid integer: %(key)s takes a whole number from %(low)d to %(high)d.",
                key=key,
                low=low,
                high=dataset_rows.INT64_MAX,
            ),
        )
    return min(number, high) if high is not None else number


def boolean(data: dict[str, Any], key: str, default: bool = False) -> bool:
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise invalid(key, _("%(key)s takes true or false.", key=key))


def json_value(data: dict[str, Any], key: str) -> Any:
    """A parameter that may arrive as JSON text (GET) or as the JSON value itself (POST)."""
    value = data.get(key)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise invalid(key, _("%(key)s is not valid JSON.", key=key)) from None
    return value


def name_list(data: dict[str, Any], key: str) -> list[str] | None:
    """A list of names: a JSON list, a list, or a comma-separated string."""
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.lstrip().startswith("["):
        value = json_value(data, key)
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise invalid(key, _("%(key)s takes a list of names.", key=key))
    return [v.strip() for v in value if v.strip()]


def lookup(mapping: dict[str, Any], key: str, what: str) -> Any:
    if key not in mapping:
        raise not_found(what)
    return mapping[key]
