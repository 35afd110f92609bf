"""Column names and column types: what each column holds, guessed from every value.

A guesser sees each value once (streaming) and keeps the set of types that still fit;
what remains at the end, in order of preference, is the column's type.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time

from hackkit.ingest.errors import N_, BadValue

TYPES = ("integer", "number", "boolean", "date", "datetime", "time", "text", "geojson")
MISSING = frozenset({"", "na", "n/a", "nan", "?", "<null>", "null", "none", "-", "--", "#n/a", "nil"})
TRUE = frozenset({"true", "yes", "ja", "oui", "waar", "vrai"})
FALSE = frozenset({"false", "no", "nee", "non", "onwaar", "faux"})
# Statistics offices write these for "suppressed" or "not applicable" in number columns;
# in a column that is otherwise numeric they are missing, elsewhere they are text.
SOFT_MISSING = frozenset({"x", ".", "...", "\u2026", "n.v.t.", "nvt", "n.a."})
# Codes that look like numbers but are not quantities: never add, round or drop zeros.
CODE_NAME = re.compile(
    r"(^|_)(code|postcode|post_code|postal_code|postalcode|postnummer|postnr|zip|zipcode|zip_code|"
    r"phone|telephone|telefoon|tel|gsm|iban|btw|vat|kbo|nis|nis_code|niscode)(_|$)"
)
INT64 = 2**63 - 1

NUMBER_DOT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")
NUMBER_COMMA = re.compile(r"^[+-]?(\d{1,3}([. \u00a0]\d{3})+|\d+)?(,\d+)?$")
LEADING_ZERO = re.compile(r"^[+-]?0\d")
DATE_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
DATETIME_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
# Excel stores a time of day as a date-time on its epoch day.
EXCEL_EPOCH_DAYS = {date(1899, 12, 30), date(1899, 12, 31), date(1900, 1, 1)}


def is_missing(value: str | None) -> bool:
    return value is None or value.strip().lower() in MISSING


def clean_name(title: str, index: int) -> str:
    """A lower-case ASCII identifier safe in SQL and URLs; the original stays as the title."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    text = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()[:60].strip("_")
    if not text:
        return f"column_{index + 1}"
    if text[0].isdigit():
        text = "c_" + text
    return text


def clean_names(titles: list[str]) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for index, title in enumerate(titles):
        name = base = clean_name(title, index)
        counter = 2
        while name in seen or name in {"geometry_wgs84"}:
            name = f"{base}_{counter}"
            counter += 1
        seen.add(name)
        names.append(name)
    return names


PLAIN_DECIMAL = re.compile(r"^-?[1-9]\d*\.\d+$|^-?0\.\d+$")


def _parse_number(value: str, comma: bool) -> int | float | None:
    text = value.strip()
    # Fast paths for the common shapes (plain integers, dot decimals): big files are mostly these.
    if text.isascii() and text.isdigit():
        if len(text) > 1 and text[0] == "0":
            return None
        number = int(text)
        return number if number <= INT64 else None
    if not comma and PLAIN_DECIMAL.match(text):
        return float(text)
    if LEADING_ZERO.match(text.replace(",", ".") if comma else text):
        if not re.match(r"^[+-]?0[.,]", text):
            return None  # a code with leading zeros (postcode, account number) stays text
    pattern = NUMBER_COMMA if comma else NUMBER_DOT
    if not pattern.match(text) or not any(ch.isdigit() for ch in text):
        return None
    if comma:
        text = re.sub(r"[. \u00a0]", "", text).replace(",", ".")
    else:
        text = text.replace(",", "")
    if re.fullmatch(r"[+-]?\d+", text):
        number = int(text)
        return number if abs(number) <= INT64 else None
    return float(text)


def _parse_date(value: str, order: str) -> date | None:
    text = value.strip()
    match = (DATE_YMD if order == "ymd" else DATE_DMY).match(text)
    if not match:
        return None
    a, b, c = (int(g) for g in match.groups())
    try:
        if order == "ymd":
            return date(a, b, c)
        if order == "dmy":
            return date(c, b, a)
        return date(c, a, b)
    except ValueError:
        return None


def _parse_us12(value: str) -> datetime | None:
    match = DATETIME_US12.match(value.strip())
    if not match:
        return None
    month, day, year, hour, minute, second, half = match.groups()
    hour = int(hour)
    if not 1 <= hour <= 12:
        return None
    hour = hour % 12 + (12 if half.lower() == "pm" else 0)
    try:
        return datetime(int(year), int(month), int(day), hour, int(minute), int(second or 0))
    except ValueError:
        return None


def _parse_words(value: str) -> datetime | None:
    match = DATETIME_WORDS.match(value.strip())
    if not match:
        return None
    day, month_name, year, hour, minute, second = match.groups()
    month = MONTHS.get(month_name.lower())
    if month is None:
        return None
    try:
        return datetime(int(year), month, int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None


def _parse_compact_date(value: str) -> date | None:
    """yyyymmdd as an 8-digit number (statistics tables: 18691231)."""
    text = value.strip()
    if not COMPACT_DATE.match(text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _parse_epoch(value: str, unit: str | None) -> datetime | None:
    """Unix time as a number: seconds, or milliseconds (ArcGIS) when `unit` says so or it is that large."""
    from datetime import UTC

    number = _parse_number(value, comma=False)
    if number is None:
        return None
    if unit == "epoch_ms" or (unit is None and abs(number) >= 100_000_000_000):
        number = number / 1000
    try:
        return datetime.fromtimestamp(number, UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


def _parse_datetime(value: str) -> datetime | None:
    text = value.strip()
    if not DATETIME_ISO.match(text):
        return None
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        # Stored without zone: an aware value becomes UTC so every row means the same instant.
        from datetime import UTC

        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def _parse_boolean(value: str) -> bool | None:
    lowered = value.strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    return None


# Candidate checks in order of preference; the first that fits every value wins.
CANDIDATES = (
    "boolean",
    "number_dot",
    "number_comma",
    "date_ymd",
    "date_dmy",
    "date_mdy",
    "datetime",
    "datetime_us12",
    "datetime_words",
    "date_compact",
)
# US 12-hour clock, as Socrata exports write it: 04/30/2019 11:00:00 PM
DATETIME_US12 = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp][Mm])$")
# Month names as city portals write them (Finnish "ke 1 tammi 2014 00:00", "1 janvier 2015", "3 mrt 2016").
MONTHS = {
    **dict.fromkeys(("tammi", "tammikuu", "tammikuuta"), 1),
    **dict.fromkeys(("helmi", "helmikuu", "helmikuuta"), 2),
    **dict.fromkeys(("maalis", "maaliskuu", "maaliskuuta"), 3),
    **dict.fromkeys(("huhti", "huhtikuu", "huhtikuuta"), 4),
    **dict.fromkeys(("touko", "toukokuu", "toukokuuta"), 5),
    **dict.fromkeys(("kesä", "kesäkuu", "kesäkuuta"), 6),
    **dict.fromkeys(("heinä", "heinäkuu", "heinäkuuta"), 7),
    **dict.fromkeys(("elo", "elokuu", "elokuuta"), 8),
    **dict.fromkeys(("syys", "syyskuu", "syyskuuta"), 9),
    **dict.fromkeys(("loka", "lokakuu", "lokakuuta"), 10),
    **dict.fromkeys(("marras", "marraskuu", "marraskuuta"), 11),
    **dict.fromkeys(("joulu", "joulukuu", "joulukuuta"), 12),
    **dict.fromkeys(("jan", "january", "januari", "janvier", "janv", "januar"), 1),
    **dict.fromkeys(("feb", "february", "februari", "février", "févr", "februar"), 2),
    **dict.fromkeys(("mar", "march", "mrt", "maart", "mars", "märz", "maerz"), 3),
    **dict.fromkeys(("apr", "april", "avril", "avr"), 4),
    **dict.fromkeys(("may", "mei", "mai"), 5),
    **dict.fromkeys(("jun", "june", "juni", "juin"), 6),
    **dict.fromkeys(("jul", "july", "juli", "juillet", "juil"), 7),
    **dict.fromkeys(("aug", "august", "augustus", "août"), 8),
    **dict.fromkeys(("sep", "sept", "september", "septembre"), 9),
    **dict.fromkeys(("oct", "okt", "october", "oktober", "octobre"), 10),
    **dict.fromkeys(("nov", "november", "novembre"), 11),
    **dict.fromkeys(("dec", "december", "décembre", "dezember", "dez"), 12),
}
DATETIME_WORDS = re.compile(
    r"^(?:[^\W\d_]{1,12}\.?,? )?(\d{1,2})\.? ([^\W\d_]{3,12})\.? (\d{4})(?:,? (\d{1,2})[:.](\d{2})(?::(\d{2}))?)?$"
)
COMPACT_DATE = re.compile(r"^(1[0-9]|2[0-9])\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$")


KNOWN_VALUES = 5_000  # distinct values remembered per column (guesser, converter)...
KNOWN_LENGTH = 40  # ...each at most this long: short repeated values are the ones that pay


@dataclass
class TypeGuesser:
    candidates: set[str] = field(default_factory=lambda: set(CANDIDATES))
    integral: dict[str, bool] = field(default_factory=lambda: {"number_dot": True, "number_comma": True})
    all_midnight: bool = True
    all_midnight_words: bool = True  # the same for the us12 and words forms
    all_excel_day: bool = True
    ranges: dict[str, list[float]] = field(default_factory=dict)
    seen: int = 0
    soft_missing: int = 0
    max_length: int = 0
    # Values already added -> whether they were soft-missing. What a value does to the guess does
    # not depend on how often it comes, so a repeated value (a district, a category, a date) only
    # counts; capped so that a column of unique values does not hold the file in memory.
    known: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    def add(self, value: str) -> None:
        soft = self.known.get(value)
        if soft is not None:
            if soft:
                self.soft_missing += 1
            else:
                self.seen += 1
            return
        if len(value) <= KNOWN_LENGTH and len(self.known) < KNOWN_VALUES:
            self.known[value] = value.lower() in SOFT_MISSING
        self.max_length = max(self.max_length, len(value))
        if value.lower() in SOFT_MISSING:
            self.soft_missing += 1
            return
        self.seen += 1
        if not self.candidates:
            return
        for candidate in list(self.candidates):
            parsed = parse_candidate(candidate, value)
            if parsed is None:
                self.candidates.discard(candidate)
            elif candidate.startswith("number"):
                if not isinstance(parsed, int):
                    self.integral[candidate] = False
                low_high = self.ranges.setdefault(candidate, [parsed, parsed])
                low_high[0] = min(low_high[0], parsed)
                low_high[1] = max(low_high[1], parsed)
            elif candidate in ("datetime_us12", "datetime_words"):
                if parsed.time() != time(0):
                    self.all_midnight_words = False
            elif candidate == "datetime":
                if parsed.time() != time(0):
                    self.all_midnight = False
                if parsed.date() not in EXCEL_EPOCH_DAYS:
                    self.all_excel_day = False

    def number_range(self) -> tuple[float, float] | None:
        for candidate in ("number_dot", "number_comma"):
            if candidate in self.candidates and candidate in self.ranges:
                low, high = self.ranges[candidate]
                return float(low), float(high)
        return None

    def result(self) -> tuple[str, str | None]:
        """(type, format) where format says how to read the values (locale or date order)."""
        if self.seen == 0:
            return "text", None
        for candidate in CANDIDATES:
            if candidate not in self.candidates:
                continue
            if candidate.startswith("number"):
                fmt = "comma" if candidate == "number_comma" else "dot"
                return ("integer" if self.integral[candidate] else "number"), fmt
            if candidate == "date_compact":
                continue  # 8-digit numbers are dates only when the column's name says so (see table)
            if candidate in ("datetime_us12", "datetime_words"):
                return ("date" if self.all_midnight_words else "datetime"), candidate[9:]
            if candidate.startswith("date_"):
                return "date", candidate[5:]
            if candidate == "datetime":
                if self.all_excel_day and not self.all_midnight:
                    return "time", "excel"
                return ("date" if self.all_midnight else "datetime"), "iso"
            return candidate, None
        return "text", None


def parse_candidate(candidate: str, value: str):
    if candidate == "boolean":
        return _parse_boolean(value)
    if candidate == "number_dot":
        return _parse_number(value, comma=False)
    if candidate == "number_comma":
        return _parse_number(value, comma=True)
    if candidate == "date_compact":
        return _parse_compact_date(value)
    if candidate == "datetime_us12":
        return _parse_us12(value)
    if candidate == "datetime_words":
        return _parse_words(value)
    if candidate.startswith("date_"):
        return _parse_date(value, candidate[5:])
    if candidate == "datetime":
        return _parse_datetime(value)
    raise ValueError(candidate)


def converter(kind: str, fmt: str | None):
    """A function turning one raw non-missing string into the column's Python value, or
    raising ValueError when it does not fit (only possible when the type was overridden)."""

    def fail(value: str):
        raise BadValue(N_("%(value)r is not a valid %(type)s"), value=value[:40], type=kind)

    if kind == "text":
        return lambda value: value
    if kind == "geojson":
        from hackkit.ingest.geometry import to_geojson

        # A cell that is not a geometry becomes empty rather than failing the import.
        return lambda value: to_geojson(value, "geojson")
    if kind in ("integer", "number"):
        orders = [fmt == "comma"] if fmt else [False, True]

        def to_number(value: str):
            for comma in orders:
                parsed = _parse_number(value, comma)
                if parsed is not None:
                    if kind == "integer":
                        if isinstance(parsed, float) and not parsed.is_integer():
                            break
                        return int(parsed)
                    return float(parsed)
            return fail(value)

        return to_number
    if kind == "boolean":
        return lambda value: b if (b := _parse_boolean(value)) is not None else fail(value)
    if kind in ("date", "datetime", "time"):
        orders = [fmt] if fmt in ("ymd", "dmy", "mdy") else []

        def to_temporal(value: str):
            if kind == "time":
                # A plain time of day ("08:30", "8:30:15"), as an organizer's correction may ask for.
                try:
                    text = value.strip()
                    clock = time.fromisoformat(text.zfill(5) if len(text) == 4 else text)
                    return clock.replace(microsecond=0).isoformat()
                except ValueError:
                    pass
            if fmt in ("epoch_s", "epoch_ms"):
                parsed_dt = _parse_epoch(value, fmt)
            elif fmt in ("us12", "words"):
                parsed_dt = _parse_us12(value) if fmt == "us12" else _parse_words(value)
            elif fmt == "compact":
                day = _parse_compact_date(value)
                parsed_dt = datetime(day.year, day.month, day.day) if day else None
            else:
                parsed_dt = _parse_datetime(value)
            if parsed_dt is None and fmt not in ("epoch_s", "epoch_ms", "compact", "us12", "words"):
                for order in orders or ["ymd", "dmy", "mdy"]:
                    day = _parse_date(value, order)
                    if day is not None:
                        parsed_dt = datetime(day.year, day.month, day.day)
                        break
            if parsed_dt is None and fmt is None:
                # A correction "this is a date": other written forms, then numbers: yyyymmdd, else
                # Unix seconds or milliseconds.
                parsed_dt = _parse_us12(value) or _parse_words(value)
                day = _parse_compact_date(value) if parsed_dt is None else None
                if parsed_dt is None:
                    parsed_dt = datetime(day.year, day.month, day.day) if day else _parse_epoch(value, None)
            if parsed_dt is None:
                return fail(value)
            if kind == "date":
                return parsed_dt.date()
            if kind == "time":
                return parsed_dt.time().replace(microsecond=0).isoformat()
            return parsed_dt

        return to_temporal
    raise ValueError(f"unknown type {kind}")
