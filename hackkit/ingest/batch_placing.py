"""The geometry pass (`placing.try_all`) over pyarrow's blocks of a plain delimited file.

Latitude/longitude pairs are checked a block at a time in C: the plain numbers cast, the rest
converted as `placing.try_all` converts them, the rows in range counted and the first
`placing.MAX_POINTS` positions kept in file order, as arrays (24 bytes a point rather than a
tuple's 140), from which `placing.far_rows` finds the outliers as before. Projected pairs and shapes go row by row
through the same functions as there (pyproj and the shape readers are per value anyway).
"""

from __future__ import annotations

from collections.abc import Iterable

from hackkit.ingest import arrow_values, batch_typing, placing
from hackkit.ingest import columns as cols


def try_all(found: list[placing.Candidate], columns, batches: Iterable[list]) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    index = {c.name: c.source for c in columns}
    fmts = {c.name: c.fmt if c.type in ("integer", "number") else None for c in columns}
    kept: dict[int, list[tuple]] = {}  # id(candidate) -> (numbers, lons, lats) arrays of a block
    first = 1
    for arrays in batches:
        numbers: dict[str, object] = {}  # each coordinate column of this block as float64, null where unusable
        for candidate in found:
            if candidate.kind == "shape":
                _shapes(candidate, arrays[index[candidate.columns[0]]], first)
                continue
            for name in candidate.columns:
                if name not in numbers:
                    numbers[name] = _numbers(arrays[index[name]], fmts[name])
            a, b = (numbers[name] for name in candidate.columns)
            usable = pc.and_(pc.is_valid(a), pc.is_valid(b))
            if candidate.kind == "projected":
                rows = pc.indices_nonzero(usable).to_pylist()
                for at, x, y in zip(rows, a.take(rows).to_pylist(), b.take(rows).to_pylist(), strict=True):
                    placing._place(candidate, first + at, x, y)
                continue
            lat, lon = a, b
            number = arrow_values.number
            inside = pc.and_(
                usable,
                pc.and_(
                    pc.and_(pc.greater_equal(lat, number(-90.0)), pc.less_equal(lat, number(90.0))),
                    pc.and_(pc.greater_equal(lon, number(-180.0)), pc.less_equal(lon, number(180.0))),
                ),
            )
            inside = pc.fill_null(inside, arrow_values.boolean(False))
            candidate.placed += pc.sum(inside).as_py() or 0
            blocks = kept.setdefault(id(candidate), [])
            room = placing.MAX_POINTS - sum(len(block[0]) for block in blocks)
            if room > 0:
                rows = pc.indices_nonzero(inside).slice(0, room)
                blocks.append((pc.add(rows, arrow_values.unsigned(first)), lon.take(rows), lat.take(rows)))
        first += len(arrays[0])
    for candidate in found:
        if blocks := kept.get(id(candidate)):
            numbers, lons, lats = (pa.chunked_array([b[i] for b in blocks]).combine_chunks() for i in range(3))
            candidate.far = far_rows(numbers, lons, lats)


def far_rows(numbers, lons, lats) -> tuple[int, list[int]]:
    """placing.far_rows of arrays, without a Python float per point held at once: the medians
    and the 90th percentile picked from pyarrow's sort (the same element sorted() gives), each
    distance by the same math.hypot, a slice of points at a time."""
    import math
    from array import array

    import pyarrow.compute as pc

    count = len(numbers)
    if count < 5:
        return 0, []

    def kth(values, k: int) -> float:
        return values[pc.array_sort_indices(values)[k].as_py()].as_py()

    mid_lon, mid_lat = kth(lons, count // 2), kth(lats, count // 2)
    scale = math.cos(math.radians(mid_lat))
    distances = array("d")
    for start in range(0, count, 10_000):
        for lon, lat in zip(lons.slice(start, 10_000).to_pylist(), lats.slice(start, 10_000).to_pylist(), strict=True):
            distances.append(math.hypot((lon - mid_lon) * 111.32 * scale, (lat - mid_lat) * 110.57))
    measured = arrow_values.floats(distances)
    within = kth(measured, int(0.9 * (count - 1)))
    limit = max(placing.OUTLIER_MIN_KM, placing.OUTLIER_FACTOR * within)
    far = numbers.filter(pc.greater(measured, arrow_values.number(limit)))
    return len(far), far.slice(0, placing.ROWS_NAMED).to_pylist()


def _numbers(array, fmt: str | None):
    """float64 values of a coordinate column, null where placing.try_all skips the row
    (a missing mark, a value the number rules do not read)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values, plain = batch_typing.plain_numbers(array, "number", fmt)
    values = pc.if_else(plain, values, arrow_values.null(pa.float64()))
    others = pc.indices_nonzero(pc.invert(plain)).to_pylist()
    if not others:
        return values
    convert = cols.converter("number", fmt)
    listed = values.to_pylist()
    for at, raw in zip(others, array.take(others).to_pylist(), strict=True):
        if cols.is_missing(raw):
            continue
        try:
            listed[at] = convert(raw.strip())
        except ValueError:
            continue
    return arrow_values.optional_floats(listed)


def _shapes(candidate: placing.Candidate, array, first: int) -> None:
    for at, raw in enumerate(array.to_pylist()):
        if not cols.is_missing(raw):
            placing._try_shape(candidate, first + at, raw)
