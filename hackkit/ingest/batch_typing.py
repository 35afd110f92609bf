"""The typing pass over a batch of records at C speed (pyarrow), with the same result as feeding
every value to its column's TypeGuesser one by one.

Most cells of a big file are plain numbers: `123`, `-7`, `51.2194`. What such a value does to a
guess is known without parsing it in Python (see the notes at `_add_plain`), so those are
counted, and their ranges taken, with vectorised kernels on whole columns of a batch. Every
other value (non-ASCII, dates, words, codes with leading zeros, decimal commas, thousands
separators...) still goes through `TypeGuesser.add`, which remembers repeated values.

Nothing here decides anything new: the rules stay in columns.py. Without pyarrow, or for a
batch with a value longer than the field limit (so that the error names its line), the caller
uses the value-by-value loop.
"""

from __future__ import annotations

from collections.abc import Callable

from hackkit.ingest import arrow_values
from hackkit.ingest import columns as cols
from hackkit.ingest import geometry as geo

# What str.strip() removes from an ASCII string (only ASCII values reach the kernels).
ASCII_SPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
# The three shapes handled without Python; RE2 (pyarrow) reads these exactly like re does on ASCII.
INTEGER = r"^(0|[1-9][0-9]{0,17})$"  # at most 18 digits: always below 2**63
NEGATIVE = r"^-(0|[1-9][0-9]{0,17})$"
DECIMAL = r"^-?[1-9][0-9]*\.[0-9]+$|^-?0\.[0-9]+$"  # columns.PLAIN_DECIMAL
PLAIN = rf"^-?(0|[1-9][0-9]{{0,17}})$|{DECIMAL}"  # INTEGER, NEGATIVE or DECIMAL in one regex
NUMBER_COMMA = r"^[+-]?([0-9]{1,3}([. ][0-9]{3})+|[0-9]+)?(,[0-9]+)?$"  # columns.NUMBER_COMMA on ASCII
COMPACT_DATE = cols.COMPACT_DATE.pattern.replace(r"\d", "[0-9]")
# Candidates no plain number satisfies: each needs a letter, a space, '/', ':' or two separators.
NOT_NUMBERS = frozenset({"boolean", "date_ymd", "date_dmy", "date_mdy", "datetime", "datetime_us12", "datetime_words"})


def numbered_batches(records, size: int):
    """(row number, record, position in its batch, the batch) for each record, read `size` at a
    time so a batch can be typed at once; with size 0, one record at a time (position -1)."""
    if not size:
        for number, record in enumerate(records, start=1):
            yield number, record, -1, None
        return
    number = 0
    iterator = iter(records)
    while batch := [r for _, r in zip(range(size), iterator, strict=False)]:
        for at, record in enumerate(batch):
            number += 1
            yield number, record, at, batch


def available() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def too_long(columns: list, max_field: int) -> bool:
    import pyarrow.compute as pc

    for values in columns:
        array = as_array(values)
        if array.nbytes <= max_field:
            continue  # a character takes a byte at least: no value here is longer (a block is 512 KB)
        longest = pc.max(pc.utf8_length(array)).as_py()
        if longest is not None and longest > max_field:
            return True
    return False


def as_array(values):
    """A column of a batch as a pyarrow string array (arrow_csv gives arrays already)."""
    import pyarrow as pa

    return values if isinstance(values, pa.Array) else pa.array(values, pa.string())


def plain_masks(arrays: list, settled: frozenset[int] = frozenset()) -> list:
    """Where each column of a block holds a plain number as written (PLAIN), for add_column:
    the reading thread works these out for the next block while a block is typed. None for
    the columns at the positions in `settled`: text already, add_column asks no mask of them."""
    import pyarrow.compute as pc

    return [None if at in settled else pc.match_substring_regex(array, PLAIN) for at, array in enumerate(arrays)]


def add_column(
    guesser: cols.TypeGuesser, probe: geo.ShapeProbe, values, slow: Callable[[str], None], plain_mask=None
) -> None:
    """Add one column of a batch (a list of strings or None, or a string array). `slow(raw)`
    handles one raw value the ordinary way (repair, missing marks, guesser.add) but not the
    probe, which is fed here in file order. `plain_mask`: the column's plain_masks, if known."""
    import pyarrow.compute as pc

    array = as_array(values)
    if probe.checked < geo.PROBE_LIMIT:
        from hackkit.ingest import text

        start = 0
        while probe.checked < geo.PROBE_LIMIT and start < len(array):
            # A slice at a time: the probe usually stops within the first values.
            for raw in array.slice(start, geo.PROBE_LIMIT).to_pylist():
                if probe.checked >= geo.PROBE_LIMIT:
                    break
                if raw is not None and not cols.is_missing(value := text.repair(raw)):
                    probe.add(value)
            start += geo.PROBE_LIMIT
    known = plain_mask is not None and not array.null_count  # else the mask would not fit after drop_null
    array = array.drop_null()
    if guesser.candidates:
        # Plain numbers as written, without spaces (most cells of a big file): one regex, no
        # trimming, no looking up missing marks (none is a plain number).
        plain = plain_mask if known else pc.match_substring_regex(array, PLAIN)
        if pc.any(plain).as_py():
            numbers = array.filter(plain)
            dotted = pc.match_substring(numbers, ".")
            _add_plain(guesser, numbers.filter(pc.invert(dotted)), numbers.filter(dotted), slow=guesser.add)
            array = array.filter(pc.invert(plain))
            if not len(array):
                return
    ascii_ = pc.string_is_ascii(array)
    for raw in array.filter(pc.invert(ascii_)).to_pylist():
        slow(raw)
    bare = pc.utf8_trim(array.filter(ascii_), ASCII_SPACE)
    lowered = pc.ascii_lower(bare)
    present = pc.invert(pc.is_in(lowered, value_set=arrow_values.string_set(cols.MISSING)))
    bare, lowered = bare.filter(present), lowered.filter(present)
    soft = pc.is_in(lowered, value_set=arrow_values.string_set(cols.SOFT_MISSING))
    soft_count = pc.sum(soft).as_py() or 0
    if soft_count:
        guesser.soft_missing += soft_count
        _longest(guesser, bare.filter(soft))
    rest = bare.filter(pc.invert(soft))
    if not len(rest):
        return
    if not guesser.candidates:  # text already: only the count and the longest value matter
        guesser.seen += len(rest)
        _longest(guesser, rest)
        return
    integer = pc.or_(pc.match_substring_regex(rest, INTEGER), pc.match_substring_regex(rest, NEGATIVE))
    decimal = pc.match_substring_regex(rest, DECIMAL)
    plain = pc.or_(integer, decimal)
    others = _add_iso_dates(guesser, rest.filter(pc.invert(plain)))
    for value in others.to_pylist():
        guesser.add(value)
    ints, decimals = rest.filter(integer), rest.filter(decimal)
    if len(ints) or len(decimals):
        _add_plain(guesser, ints, decimals, slow=guesser.add)


ISO_DATE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"  # zero-padded: 2024-03-05


def _add_iso_dates(guesser: cols.TypeGuesser, values):
    """What TypeGuesser.add does for each zero-padded ISO date (`2024-03-05`), in bulk; returns
    the other values. Such a value fits only date_ymd (no other candidate reads a dash between
    digits without a time), and that only when it is a real day: pyarrow's cast refuses
    2023-02-29 as date() does (year 0 is left to date() itself)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    iso = pc.and_(pc.match_substring_regex(values, ISO_DATE), pc.invert(pc.starts_with(values, "0000")))
    dates = values.filter(iso)
    if not len(dates):
        return values
    try:
        pc.cast(dates, pa.date32())
    except pa.ArrowInvalid:
        return values  # an impossible day among them: value by value
    guesser.candidates &= {"date_ymd"}
    guesser.seen += len(dates)
    guesser.max_length = max(guesser.max_length, 10)
    return values.filter(pc.invert(iso))


def _longest(guesser: cols.TypeGuesser, values) -> None:
    import pyarrow.compute as pc

    longest = pc.max(pc.utf8_length(values)).as_py()
    if longest is not None:
        guesser.max_length = max(guesser.max_length, longest)


def _add_plain(guesser: cols.TypeGuesser, ints, decimals, slow: Callable[[str], None]) -> None:
    """What TypeGuesser.add does for each of these values, in bulk.

    - `ints` (`0`, `42`, `-7`, no leading zero, at most 18 digits): `_parse_number` reads them as
      the same int with a dot or a comma; boolean, dates, date-times fail (no letter, no
      separator); yyyymmdd survives only where every value is a valid compact date.
    - `decimals` (`51.2194`, `-0.5`): a float with a dot (integral no longer); with a comma only
      where each matches NUMBER_COMMA, read as thousands (`1.234` -> 1234), else the comma
      reading is out; every other candidate fails, yyyymmdd too (a dot).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    candidates = guesser.candidates
    comma_range = None
    if "number_comma" in candidates and len(decimals):
        if pc.all(pc.match_substring_regex(decimals, NUMBER_COMMA)).as_py():
            try:
                comma_range = pc.min_max(pc.cast(pc.replace_substring(decimals, ".", ""), pa.int64()))
            except (pa.ArrowInvalid, OverflowError):
                # Beyond 64 bits as thousands: the ordinary rules decide, value by value.
                for value in decimals.to_pylist():
                    slow(value)
                decimals = decimals[:0]
    if not len(ints) and not len(decimals):
        return
    candidates -= NOT_NUMBERS
    guesser.seen += len(ints) + len(decimals)
    _longest(guesser, pa.chunked_array([ints, decimals], pa.string()))
    if "date_compact" in candidates:
        if len(decimals) or not pc.all(pc.match_substring_regex(ints, COMPACT_DATE)).as_py():
            candidates.discard("date_compact")
        elif any(cols._parse_compact_date(v) is None for v in ints.to_pylist()):
            candidates.discard("date_compact")
    if "number_comma" in candidates and len(decimals):
        if comma_range is None:
            candidates.discard("number_comma")
        else:
            _widen(guesser, "number_comma", comma_range["min"].as_py(), comma_range["max"].as_py())
    if len(ints):
        low_high = pc.min_max(pc.cast(ints, pa.int64()))
        for candidate in ("number_dot", "number_comma"):
            if candidate in candidates:
                _widen(guesser, candidate, low_high["min"].as_py(), low_high["max"].as_py())
    if len(decimals) and "number_dot" in candidates:
        guesser.integral["number_dot"] = False
        low_high = pc.min_max(pc.cast(decimals, pa.float64()))
        _widen(guesser, "number_dot", low_high["min"].as_py(), low_high["max"].as_py())


def _widen(guesser: cols.TypeGuesser, candidate: str, low, high) -> None:
    low_high = guesser.ranges.setdefault(candidate, [low, high])
    low_high[0] = min(low_high[0], low)
    low_high[1] = max(low_high[1], high)


NONZERO_NEGATIVE = r"^-[1-9][0-9]{0,17}$"  # "-0" is the int 0 but would be the float -0.0
INTEGER_OR_NEGATIVE = r"^-?(0|[1-9][0-9]{0,17})$"


def convert_numbers(values, kind: str, fmt: str | None) -> list:
    """The values of a batch in an integer or number column, converted as columns.converter
    converts them, where that is certain: plain integers (and, with a dot, plain decimals).
    Every other position holds PENDING, for the caller's value-by-value conversion."""
    converted, plain = plain_numbers(as_array(values), kind, fmt)
    return [value if done else PENDING for value, done in zip(converted.to_pylist(), plain.to_pylist(), strict=True)]


def plain_numbers(array, kind: str, fmt: str | None):
    """(converted, plain): int64 or float64 values, and where they are certain (a mask, never
    null); the other positions of `converted` hold 0."""
    import pyarrow as pa
    import pyarrow.compute as pc

    pattern = INTEGER_OR_NEGATIVE if kind == "integer" else INTEGER + "|" + NONZERO_NEGATIVE
    if kind == "number" and fmt != "comma":
        pattern += "|" + DECIMAL
    # Only ASCII digits, '-' and '.' match, so a match is ASCII; most values match as written.
    plain = pc.fill_null(pc.match_substring_regex(array, pattern), arrow_values.boolean(False))
    if not pc.all(plain).as_py():
        array = pc.utf8_trim(array, ASCII_SPACE)
        plain = pc.fill_null(pc.match_substring_regex(array, pattern), arrow_values.boolean(False))
    target = pa.int64() if kind == "integer" else pa.float64()
    return pc.cast(pc.if_else(plain, array, arrow_values.string("0")), target), plain


PENDING = object()
