"""Numeric columns of a version table as numpy arrays, kept per process, to count the rows of a
full-text search with numeric conditions (`_search=bike tram&amount__gt=500`) without looking
each match up (SQLite only).

Such a count was the FTS5 matches joined to the rows: 115,000 matches of two common words on
the benchmark's million rows, each row looked up for its amount (60 ms of the request's 70).
Here FTS5 lists the matching row ids in one string (group_concat, 25 ms), numpy reads the
amounts of those ids from the column's array and counts the ones that pass (1 ms).

The arrays are exact: read from the table by the same driver (64-bit integers and floats, NULL
kept apart), and the comparisons are SQL's (a NULL passes none of them but `not` and `isnull`).
A column holding anything but its own type, or a table whose row ids are not 1..rows, gets no
array and is counted as before. A version's table never changes after its import (a new
upload makes a new table with a new name), so an array stays true for as long as it is kept.

Read once per process and column (0.3-0.45 s of CPU for 1M rows, nearly all of it the driver
making a Python float of each value; outside the request's time limit: `prepare`), at most
MAX_ROWS rows, and at most MAX_BYTES for all of them together (least recently used out first):
9 bytes a row (8 for the value, 1 for NULL). Only the count uses them; the page is still read
by SQL. numpy is imported here only when a column is read or a count made, never at start-up.
PostgreSQL searches through its GIN index and gets none.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hackkit.services.dataset_tables import ROW_ID

if TYPE_CHECKING:
    import numpy as np

    from hackkit.models import DatasetVersion

DTYPES = {"integer": "<i8", "number": "<f8"}  # column type -> array type
PYTHON_TYPES = {"integer": int, "number": float}  # what the driver gives for a value of each
OPS = ("exact", "not", "in", "isnull", "gt", "gte", "lt", "lte")
MAX_ROWS = 2_000_000  # the read takes 0.3 s of CPU per million rows; larger tables count as before
MAX_BYTES = 32 << 20  # all arrays of one process together: three columns of a million rows
CAPPED_BATCH = 4  # a capped count reads matches this many times its cap at a time
READ_ROWS = 65_536  # rows fetched at a time while a column is read: little memory in between


@dataclass(frozen=True)
class NumericColumn:
    """A column's values by row id (`values[_id - 1]`), NULL as 0 or NaN and marked in `nulls`."""

    values: np.ndarray
    nulls: np.ndarray

    @property
    def nbytes(self) -> int:
        return self.values.nbytes + self.nulls.nbytes


class _Arrays:
    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, NumericColumn] = OrderedDict()
        self._unusable: set[tuple] = set()  # columns found to hold other values: not read again
        self._lock = threading.Lock()

    @staticmethod
    def columns(version: DatasetVersion, query) -> list[str] | None:
        """The numeric columns of `query`'s filters when it is a search with conditions on
        integer and number columns only (and at least one), else None."""
        if not query.search or query.distinct or not query.filters:
            return None
        if not 0 < (version.row_count or 0) <= MAX_ROWS:
            return None
        types = {c["name"]: c["type"] for c in version.columns}
        # A condition on the row id (_id, not one of the data's columns) is left to SQL.
        if not all(types.get(name) in DTYPES and op in OPS for name, op, _value in query.filters):
            return None
        return sorted({name for name, _op, _value in query.filters})

    @staticmethod
    def _key(conn, table: str, column: str) -> tuple:
        return (conn.engine.url.database or "", table, column)

    def prepare(self, conn, version: DatasetVersion, query) -> None:
        """Read the arrays `query` counts with, if they are not kept yet: outside the request's
        time limit (fetch_page), which is meant for the question, not for this."""
        if conn.dialect.name != "sqlite":
            return
        types = {c["name"]: c["type"] for c in version.columns}
        for name in self.columns(version, query) or ():
            key = self._key(conn, version.table_name, name)
            with self._lock:
                if key in self._entries or key in self._unusable:
                    continue
            column = _read(conn.connection.driver_connection, version.table_name, name, types[name], version.row_count)
            with self._lock:
                if column is None:
                    self._unusable.add(key)
                    continue
                self._entries[key] = column
                used = sum(c.nbytes for c in self._entries.values())
                while used > self.max_bytes and self._entries:
                    used -= self._entries.popitem(last=False)[1].nbytes

    def count(self, conn, version: DatasetVersion, query, match: str, cap: int | None = None) -> int | None:
        """The number of rows matching `query` (FTS5's `match` and its numeric conditions), or
        None when it is not that kind of question or its arrays are not kept. With `cap`, the
        matches are read a few at a time, in row order, until more than `cap` rows pass."""
        names = self.columns(version, query)
        if names is None or conn.dialect.name != "sqlite":
            return None
        kept = {}
        with self._lock:
            for name in names:
                key = self._key(conn, version.table_name, name)
                if key not in self._entries:
                    return None
                self._entries.move_to_end(key)
                kept[name] = self._entries[key]
        import numpy as np

        raw = conn.connection.driver_connection
        batch = None if cap is None else CAPPED_BATCH * (cap + 1)
        total, after = 0, 0
        while True:
            ids = _matches(raw, version.table_name, match, after, batch)
            # The full-text table holds one entry per row of its table (built from it after
            # the load), so each id is a row: its position in the arrays is id - 1. An id
            # that is no row (a full-text table out of step) is left to SQL's join.
            if len(ids) and (ids.min() < 1 or ids.max() > version.row_count):
                return None
            keep = np.ones(len(ids), dtype=bool)
            for name, op, value in query.filters:
                keep &= _passes(kept[name], ids - 1, op, value)
            total += int(np.count_nonzero(keep))
            if batch is None or len(ids) < batch or total > cap:
                return total
            after = int(ids.max())


def _matches(raw, table: str, match: str, after: int, limit: int | None) -> np.ndarray:
    """The row ids FTS5 finds for `match` (all, or the first `limit` past `after`), listed by
    SQLite in one string: a row of Python for each would cost twice the search itself."""
    import numpy as np

    fts = f'"{table}_fts"'  # a generated name
    if limit is None:
        sql, params = f"SELECT group_concat(rowid) FROM {fts} WHERE {fts} MATCH ?", (match,)  # noqa: S608
    else:
        sql = (
            f"SELECT group_concat(rowid) FROM (SELECT rowid FROM {fts} WHERE {fts} MATCH ? "  # noqa: S608
            "AND rowid > ? ORDER BY rowid LIMIT ?)"
        )
        params = (match, after, limit)
    listed = raw.execute(sql, params).fetchone()[0]
    return np.zeros(0, dtype=np.int64) if listed is None else np.fromstring(listed, dtype=np.int64, sep=",")


def _passes(column: NumericColumn, at: np.ndarray, op: str, value: Any) -> np.ndarray:
    """Which of the rows at positions `at` pass `name op value`, as SQL decides (dataset_rows)."""
    import numpy as np

    values, nulls = column.values[at], column.nulls[at]
    if op == "isnull":
        return nulls if value else ~nulls
    if op == "not":  # col != value OR col IS NULL
        return (values != value) | nulls
    if op == "in":
        hit = np.isin(values, value)
    else:
        compare = {"exact": "__eq__", "gt": "__gt__", "gte": "__ge__", "lt": "__lt__", "lte": "__le__"}[op]
        hit = getattr(values, compare)(value)
    return hit & ~nulls


def _read(raw, table: str, column: str, kind: str, rows: int) -> NumericColumn | None:
    """The column's values in row-id order, or None if the table's ids are not 1..rows or the
    column holds a value of another type (then an array would not answer as SQL does)."""
    import numpy as np

    # Names are ours: a generated table name and a cleaned column name.
    low, high = raw.execute(f'SELECT min("{ROW_ID}"), max("{ROW_ID}") FROM "{table}"').fetchone()  # noqa: S608
    if (low, high) != (1, rows):
        return None
    values = np.empty(rows, dtype=DTYPES[kind])
    nulls = np.zeros(rows, dtype=bool)
    allowed = {PYTHON_TYPES[kind], type(None)}
    cursor = raw.execute(f'SELECT "{column}" FROM "{table}" ORDER BY "{ROW_ID}"')  # noqa: S608
    start = 0
    try:
        while chunk := cursor.fetchmany(READ_ROWS):
            if start + len(chunk) > rows:
                return None
            part = [value for (value,) in chunk]
            found = set(map(type, part))
            if not found <= allowed:
                return None
            end = start + len(part)
            if kind == "number" or type(None) not in found:  # numpy reads None as NaN, for floats only
                values[start:end] = part
            else:
                objects = np.array(part, dtype=object)
                missing = np.equal(objects, None)
                objects[missing] = 0
                values[start:end] = objects.astype(values.dtype)
                nulls[start:end] = missing
            start = end
    finally:
        cursor.close()
    if start != rows:
        return None
    if kind == "number":
        nulls = np.isnan(values)  # SQLite stores no NaN (it becomes NULL): every NaN here is a NULL
    return NumericColumn(values, nulls)


ARRAYS = _Arrays()
