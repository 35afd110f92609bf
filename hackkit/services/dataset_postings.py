"""Row-id postings of a version's few-valued columns, to answer equality filters on several
of them without walking one column's index and looking every row up (SQLite only).

For each column with at most MAX_VALUES distinct values, the table `<version table>_postings`
holds one row per value: the sorted row ids (`_id`) of the rows holding it, as little-endian
uint32. A question with equality filters on two such columns (`category=X&district=Y`) reads
the two lists and intersects them (about 1 ms in numpy for 100,000 ids each); the rows holding
both, about a tenth of either list on the benchmark's million rows, are then the only ones
SQLite looks up (`_id IN (...)`) to test the other conditions, count and page. Without it both
SQLite and Datasette walk the index of one column and look up all 100,000 of its rows.

The query keeps every one of its own conditions, so the ids only narrow which rows are read;
a total taken from the ids alone (equality filters only) is exact because the lists are: one
GROUP BY of the version table, which never changes after its import (a new upload makes a new
table). PostgreSQL combines indexes itself (bitmap AND) and gets no postings.

numpy is imported where the lists are built or read, never at start-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    import numpy as np

MAX_VALUES = 1000  # a column with more values has an index selective enough on its own
# Past this many candidates the id list costs more to send and look up than the plain plan's
# index walk; the ids then only count questions that are equality filters alone.
MAX_CANDIDATES = 200_000
FIRST_CHUNK = 1024  # candidates read for a page in row order before four times as many
ROW_ID = "_id"  # dataset_tables.ROW_ID (that module imports this one)


def postings_table(table_name: str) -> str:
    return f"{table_name}_postings"


def _postings(table_name: str) -> sa.TableClause:
    return sa.table(postings_table(table_name), sa.column("col"), sa.column("value"), sa.column("row_ids"))


def build(conn: Connection, table: sa.Table, columns: list[str]) -> None:
    """Write the postings of every column in `columns` (the indexed ones: their GROUP BY walks
    the index) that has at most MAX_VALUES distinct values. SQLite only; 0.13 s of CPU per
    posted column of 1M rows, and one value's list in memory at a time (11 bytes a row)."""
    if conn.dialect.name != "sqlite" or not columns:
        return
    import numpy as np

    target = postings_table(table.name)
    # Names are ours: a generated table name and cleaned column names.
    conn.exec_driver_sql(
        f'CREATE TABLE "{target}" (col TEXT NOT NULL, value NOT NULL, row_ids BLOB NOT NULL, UNIQUE (col, value))'
    )
    insert = f'INSERT INTO "{target}" (col, value, row_ids) VALUES (?, ?, ?)'  # noqa: S608
    for name in columns:
        # Counted first along the column's index, up to one past the limit: a column of many
        # values is then passed over without listing the ids of its first thousand values and
        # deleting them again (0.1 s a column: 7 of the benchmark's 9, 0.86 -> 0.2 s in all).
        values = conn.exec_driver_sql(
            f'SELECT count(*) FROM (SELECT DISTINCT "{name}" FROM "{table.name}" '  # noqa: S608
            f'WHERE "{name}" IS NOT NULL LIMIT {MAX_VALUES + 1})'
        ).scalar()
        if values > MAX_VALUES:
            continue
        # The value stored as it is (`value` has no type, so no affinity converts it); a
        # question finds it back through the version table's own comparison (_read).
        groups = conn.exec_driver_sql(
            f'SELECT "{name}", group_concat("{ROW_ID}") FROM "{table.name}" '  # noqa: S608
            f'WHERE "{name}" IS NOT NULL GROUP BY "{name}"'
        )
        for count, (value, ids) in enumerate(groups, start=1):
            if count > MAX_VALUES:
                groups.close()  # stops the walk of a column with many values early
                conn.exec_driver_sql(f'DELETE FROM "{target}" WHERE col = ?', (name,))  # noqa: S608
                break
            found = np.fromstring(ids, dtype="<u4", sep=",")
            del ids
            # group_concat follows the index (value, then _id), but SQLite does not promise an
            # order: sorted in place, in linear time for a sorted list.
            found.sort(kind="stable")
            conn.exec_driver_sql(insert, (name, value, memoryview(found)))


_POSTED: dict[tuple[str, str], frozenset[str]] = {}  # (database, table name) -> its posted columns
_POSTED_SIZE = 1024


def posted_columns(conn: Connection, table_name: str) -> frozenset[str]:
    """The columns of `table_name` with postings (none for a version imported before they
    existed, or on PostgreSQL). Remembered per process and database: a version's postings
    never change, and a version table's random name is never given to another."""
    if conn.dialect.name != "sqlite":
        return frozenset()
    key = (conn.engine.url.database or "", table_name)
    known = _POSTED.get(key)
    if known is not None:
        return known
    target = postings_table(table_name)
    exists = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (target,))
    if exists.first() is None:
        known = frozenset()
    else:
        known = frozenset(col for (col,) in conn.exec_driver_sql(f'SELECT DISTINCT col FROM "{target}"'))  # noqa: S608
    if len(_POSTED) >= _POSTED_SIZE:
        _POSTED.clear()
    _POSTED[key] = known
    return known


@dataclass
class Candidates:
    """The row ids a question's equality filters on posted columns leave (sorted), and whether
    those filters are the whole question: then the ids are exactly its matches."""

    ids: np.ndarray
    alone: bool
    _json: str | None = field(default=None, repr=False)

    @property
    def sendable(self) -> bool:
        """Few enough to send to the database as a list (see MAX_CANDIDATES)."""
        return len(self.ids) <= MAX_CANDIDATES

    def as_json(self) -> str:
        """The ids as one JSON array, made once for the page and the count."""
        if self._json is None:
            self._json = _json(self.ids)
        return self._json

    def chunks(self, after_id: int | None) -> Iterator[str]:
        """The ids past `after_id` in order, as JSON arrays of growing length (FIRST_CHUNK,
        then four times as many each time): a page in row order needs the first few only."""
        ids = self.ids
        if after_id is not None:
            ids = ids[int(ids.searchsorted(min(max(after_id, 0), 2**32 - 1), side="right")) :]
        start, size = 0, FIRST_CHUNK
        while start < len(ids):
            yield _json(ids[start : start + size])
            start, size = start + size, size * 4


def _json(ids: np.ndarray) -> str:
    return "[" + ",".join(map(str, ids.tolist())) + "]"


def candidates(conn: Connection, table: sa.Table, filters: list[tuple[str, str, Any]]) -> Candidates | None:
    """The Candidates of `filters` when two of them or more are equalities on posted columns
    (one column's index serves one filter as well), else None: the question is asked as usual."""
    posted = posted_columns(conn, table.name)
    equal = [(name, value) for name, op, value in filters if op == "exact" and name in posted]
    if len(equal) < 2:
        return None
    alone = len(equal) == len(filters)
    return Candidates(_intersection([_read(conn, table, name, value) for name, value in equal]), alone)


def _read(conn: Connection, table: sa.Table, name: str, value) -> np.ndarray:
    """The row ids of one value: its postings row, found by the value as the version table
    stores it (looked up with the table's own comparison, so both agree on what is equal)."""
    import numpy as np

    col = table.c[name]
    stored = sa.select(col).where(col == value).limit(1).scalar_subquery()
    postings = _postings(table.name)
    blob = conn.execute(sa.select(postings.c.row_ids).where(postings.c.col == name, postings.c.value == stored))
    found = blob.scalar()
    return np.frombuffer(found, dtype="<u4") if found is not None else np.zeros(0, dtype="<u4")


def _intersection(lists: list[np.ndarray]) -> np.ndarray:
    import numpy as np

    lists = sorted(lists, key=len)
    found = lists[0]
    for other in lists[1:]:
        if not len(found):
            break
        # Mark the shorter list's ids, keep the longer's that are marked: two passes, no sort.
        marks = np.zeros(int(max(found[-1], other[-1])) + 1, dtype=bool)
        marks[found] = True
        found = other[marks[other]]
    return found


def listed(ids_json: str) -> sa.TableValuedAlias:
    """The ids of a JSON array as a table of one column, `value` (SQLite's json_each)."""
    return sa.func.json_each(sa.bindparam("ids", ids_json)).table_valued("value")


def among(row_id: sa.ColumnElement, ids_json: str) -> sa.ColumnElement:
    """`row_id IN (ids)`: SQLite looks the rows up by id, in id order, so a page in row order
    stops at its last row."""
    return row_id.in_(sa.select(listed(ids_json).c.value).scalar_subquery())
