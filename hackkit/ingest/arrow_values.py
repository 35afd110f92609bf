"""pyarrow arrays and scalars made from their bytes, for the importer's kernels.

pyarrow's `pa.array()` and `pa.scalar()`, and a Python value handed to a compute function
(which goes through `pa.scalar()`), first ask whether the value is a pandas object, and that
question imports pandas: 44 MB of memory and 0.2 s in the middle of an import that never
uses it. The few arrays and scalars the import needs (sets of missing marks, fill values,
bounds) are made here from buffers instead, which asks nothing of pandas.
tests/ingest/test_arrow_values.py checks that an import leaves pandas unimported.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from functools import cache
from itertools import accumulate


def strings(values: Iterable[str]):
    """A string array of `values` (no None)."""
    import pyarrow as pa

    encoded = [value.encode() for value in values]
    offsets = array("i", [0, *accumulate(map(len, encoded))])
    return pa.StringArray.from_buffers(len(encoded), pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded)))


def floats(values: array):
    """A float64 array of an array("d") (no None), sharing its memory."""
    import pyarrow as pa

    assert values.typecode == "d"  # noqa: S101 - the buffer is read as doubles
    return pa.Array.from_buffers(pa.float64(), len(values), [None, pa.py_buffer(values)])


@cache
def string_set(values: frozenset[str]):
    """`values` as a sorted string array, for `pc.is_in`'s value_set (made once per set)."""
    return strings(sorted(values))


@cache
def string(value: str):
    return strings([value])[0]


@cache
def number(value: float):
    return floats(array("d", [value]))[0]


@cache
def boolean(value: bool):
    import pyarrow as pa

    return pa.Array.from_buffers(pa.bool_(), 1, [None, pa.py_buffer(bytes([1 if value else 0]))])[0]


def null(kind):
    """The null of pyarrow type `kind`."""
    import pyarrow as pa

    return pa.nulls(1, kind)[0]


def unsigned(value: int):
    """A uint64 scalar (what `pc.indices_nonzero` gives, so that adding keeps the type)."""
    import pyarrow as pa

    return pa.Array.from_buffers(pa.uint64(), 1, [None, pa.py_buffer(array("Q", [value]))])[0]


def positions(count: int):
    """The uint64 array 0, 1, ..., count - 1."""
    import pyarrow as pa

    return pa.Array.from_buffers(pa.uint64(), count, [None, pa.py_buffer(array("Q", range(count)))])


def optional_floats(values: list[float | None]):
    """A float64 array of `values`, null where a value is None."""
    import pyarrow as pa

    valid = bytearray((len(values) + 7) // 8)
    for at, value in enumerate(values):
        if value is not None:
            valid[at >> 3] |= 1 << (at & 7)  # Arrow's validity bitmap: least significant bit first
    data = array("d", [0.0 if value is None else value for value in values])
    return pa.Array.from_buffers(pa.float64(), len(values), [pa.py_buffer(valid), pa.py_buffer(data)])
