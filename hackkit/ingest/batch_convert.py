"""The conversion pass over a batch of records a column at a time (pyarrow): the same Python
values `Table.chunks` makes from each record, with the plain values converted in C.

Plain means certain without the rules of columns.py: an ASCII missing mark (None), an ASCII
text (itself), a plain integer or dot decimal (batch_typing.plain_numbers), true/false words,
a zero-padded ISO date `2024-03-05`. Every other value (not ASCII, decimal commas, other date
forms, values that do not fit an overridden type...) goes through `columns.converter` as
before, and a repeated one is converted once.
"""

from __future__ import annotations

from typing import Any

from hackkit.ingest import arrow_values, batch_typing, text
from hackkit.ingest import columns as cols
from hackkit.ingest.errors import N_, IngestError

ISO_DATE = batch_typing.ISO_DATE
_UNSEEN = object()


class Plan:
    """How one column is converted; `seen` remembers converted values (not for shapes, which
    are new objects each time)."""

    def __init__(self, name: str, kind: str, fmt: str | None, soft_only: str, dates_as_text: bool = False):
        self.name, self.kind, self.fmt = name, kind, fmt
        self.dates_as_text = dates_as_text and kind == "date"  # `2024-03-05` rather than date(2024, 3, 5)
        self.convert = cols.converter(kind, fmt)
        self.strip = kind != "text"
        self.soft = kind != "text" or fmt == soft_only
        self.seen: dict[str, Any] | None = {} if kind != "geojson" else None

    def one(self, original: str) -> Any:
        """One value the ordinary way (raises ValueError when it does not fit the type)."""
        seen = self.seen
        if seen is not None and (hit := seen.get(original, _UNSEEN)) is not _UNSEEN:
            return hit
        raw = text.repair(original)
        bare = raw.strip()
        lowered = bare.lower()
        if lowered in cols.MISSING or (self.soft and lowered in cols.SOFT_MISSING):
            value = None
        else:
            value = self.convert(bare if self.strip else raw)
        if seen is not None and len(original) <= cols.KNOWN_LENGTH and len(seen) < cols.KNOWN_VALUES:
            seen[original] = value
        return value


def convert(plans: list[Plan], arrays: list, first_row: int) -> list[list]:
    """Each column of the batch as a list of values; `first_row` numbers the batch's first
    record in an error, which names the first bad value in record order, as row by row would."""
    return finish(plans, prepare(plans, arrays), first_row)


def prepare(plans: list[Plan], arrays: list) -> list[tuple]:
    """The part of `convert` done by pyarrow's kernels, which release the GIL: a thread can
    do it for the next batch while the caller's thread finishes this one (`finish`)."""
    return [_prepared(plan, array) for plan, array in zip(plans, arrays, strict=True)]


def finish(plans: list[Plan], prepared: list[tuple], first_row: int) -> list[list]:
    """`convert` from what `prepare` made: Python values, and the values not plain converted
    one by one."""
    out, failures = [], []
    for position, (plan, parts) in enumerate(zip(plans, prepared, strict=True)):
        values, failure = _finished(plan, *parts)
        out.append(values)
        if failure is not None:
            failures.append((failure[0], position, failure[1]))
    if failures:
        at, position, error = min(failures, key=lambda f: (f[0], f[1]))
        raise IngestError(
            N_("Row %(row)d, column %(column)s: %(problem)s."),
            row=first_row + at,
            column=plans[position].name,
            problem=getattr(error, "message", None) or str(error),
        ) from error
    return out


def _prepared(plan: Plan, array) -> tuple:
    """(the plain values converted, None elsewhere, or None if there are none; the positions
    of the values left to convert one by one, or None; the column)."""
    import pyarrow.compute as pc

    ascii_ = pc.fill_null(pc.string_is_ascii(array), arrow_values.boolean(False))
    bare = pc.utf8_trim(array, batch_typing.ASCII_SPACE)
    lowered = pc.ascii_lower(bare)
    marks = cols.MISSING | cols.SOFT_MISSING if plan.soft else cols.MISSING
    missing = pc.and_(ascii_, pc.is_in(lowered, value_set=arrow_values.string_set(marks)))
    present = pc.and_(ascii_, pc.invert(missing))
    done, values = _plain(plan, array, bare, lowered, present)
    # Pending: present in the file (not null), not a missing mark, not converted in C.
    pending = pc.and_(pc.is_valid(array), pc.invert(pc.or_(missing, done)))
    filled = None if values is None else pc.if_else(done, values, arrow_values.null(values.type))
    indices = pc.indices_nonzero(pending) if pc.any(pending).as_py() else None
    return filled, indices, array


def _finished(plan: Plan, filled, indices, array) -> tuple[list, tuple[int, ValueError] | None]:
    out = [None] * len(array) if filled is None else filled.to_pylist()
    if indices is None:
        return out, None
    positions = indices.to_pylist()
    one = plan.one
    for index, original in zip(positions, array.take(indices).to_pylist(), strict=True):
        try:
            value = one(original)
        except ValueError as error:
            return out, (index, error)
        out[index] = value.isoformat() if plan.dates_as_text and value is not None else value
    return out, None


def _plain(plan: Plan, array, bare, lowered, present):
    """(converted where certain, the values): a mask and an array of the column's values."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind, fmt = plan.kind, plan.fmt
    if kind == "text":
        return present, array  # as written, spaces kept
    if kind in ("integer", "number"):
        values, plain = batch_typing.plain_numbers(array, kind, fmt)
        return pc.and_(plain, present), values
    if kind == "boolean":
        true = pc.is_in(lowered, value_set=arrow_values.string_set(cols.TRUE))
        false = pc.is_in(lowered, value_set=arrow_values.string_set(cols.FALSE))
        return pc.and_(present, pc.or_(true, false)), true
    if kind == "date" and fmt in (None, "ymd", "iso"):
        # Year 0 is no date in Python; every other zero-padded form casts as date() reads it.
        iso = pc.and_(pc.match_substring_regex(bare, ISO_DATE), pc.invert(pc.starts_with(bare, "0000")))
        iso = pc.fill_null(pc.and_(present, iso), arrow_values.boolean(False))
        try:
            days = pc.cast(pc.if_else(iso, bare, arrow_values.string("2000-01-01")), pa.date32())
        except pa.ArrowInvalid:  # 2023-02-29: the ordinary rules name it
            return pc.and_(iso, arrow_values.boolean(False)), None
        return iso, bare if plan.dates_as_text else days  # a valid date is already written as isoformat()
    return pc.and_(present, arrow_values.boolean(False)), None
