"""Small parsers shared by services: each returns a clean value or raises Invalid for one field."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import lazy_gettext as _l

from hackkit.services.errors import Invalid

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Words the pages use as addresses beside a slug (/events/new): a slug cannot be one of them.
RESERVED_SLUGS = {"new", "edit", "manage", "api", "static"}


def fail(field: str, message) -> Invalid:
    return Invalid(message, {field: [message]})


def text(data: dict, field: str, *, max_length: int, required: bool = False, default: str = "") -> str:
    value = data.get(field, default)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise fail(field, _l("Enter text."))
    value = value.strip()
    if required and not value:
        raise fail(field, _l("This field is required."))
    if len(value) > max_length:
        raise fail(field, _l("Use at most %(n)d characters.", n=max_length))
    return value


def slug(data: dict, field: str = "slug") -> str:
    value = text(data, field, max_length=80, required=True).lower()
    if not SLUG_RE.match(value):
        raise fail(field, _l("Use lower-case letters, digits and single hyphens, like antwerp-2026."))
    if value in RESERVED_SLUGS:
        raise fail(field, _l("This word is reserved; choose another slug."))
    return value


def timezone_name(data: dict, field: str = "timezone") -> str:
    value = text(data, field, max_length=64, required=True)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(field, _l("Unknown time zone; use a name like Europe/Brussels.")) from None
    return value


def moment(data: dict, field: str, zone: str, *, required: bool = False) -> datetime | None:
    """An ISO 8601 date-time; without an offset it is read as local time in the event's zone."""
    value = data.get(field)
    if value in (None, ""):
        if required:
            raise fail(field, _l("This field is required."))
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise fail(field, _l("Use a date and time like 2026-05-16T18:00+02:00.")) from None
    else:
        raise fail(field, _l("Use a date and time like 2026-05-16T18:00+02:00."))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(zone))
    return parsed


def integer(data: dict, field: str, *, minimum: int, maximum: int, default: int | None = None) -> int:
    value = data.get(field, default)
    digits = value.strip().lstrip("-") if isinstance(value, str) else ""
    if digits.isascii() and digits.isdigit():  # str.isdigit alone accepts "²", which int() refuses
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
        raise fail(field, _l("Enter a whole number from %(low)d to %(high)d.", low=minimum, high=maximum))
    return value


def number(data: dict, field: str, *, default: float | None = None) -> float:
    value = data.get(field, default)
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            raise fail(field, _l("Enter a number.")) from None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise fail(field, _l("Enter a number."))
    return float(value)


def choice(data: dict, field: str, options: tuple[str, ...], default: str) -> str:
    value = data.get(field, default)
    if value not in options:
        raise fail(field, _l("Choose one of: %(options)s.", options=", ".join(options)))
    return value


def web_url(data: dict, field: str) -> str:
    value = text(data, field, max_length=500)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise fail(field, _l("Enter a full web address starting with https://."))
    return value


def string_list(value, field: str, *, max_items: int = 20, max_length: int = 40) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        raise fail(field, _l("Enter a list."))
    cleaned: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise fail(field, _l("Enter a list of words."))
        item = " ".join(item.split())
        if not item or item.lower() in (c.lower() for c in cleaned):
            continue
        if len(item) > max_length:
            raise fail(field, _l("Keep each entry under %(n)d characters.", n=max_length))
        cleaned.append(item)
    if len(cleaned) > max_items:
        raise fail(field, _l("List at most %(n)d entries.", n=max_items))
    return cleaned


class Problems:
    """Gathers every field's problem, so a form reports them all at once, not one per submit.

    problems = Problems()
    name = problems.check(text, data, "name", max_length=80, required=True)
    problems.raise_if_any()
    """

    def __init__(self) -> None:
        self.errors: dict[str, list] = {}

    def check(self, parse, *args, **kwargs):
        """parse(*args, **kwargs), or None after noting the Invalid it raised."""
        try:
            return parse(*args, **kwargs)
        except Invalid as error:
            self.add(error)
            return None

    def add(self, error: Invalid) -> None:
        for field, messages in (error.errors or {"": [error.message]}).items():
            self.errors.setdefault(field, []).extend(messages)

    def raise_if_any(self) -> None:
        if self.errors:
            first = next(iter(self.errors.values()))[0]
            raise Invalid(first, self.errors)
