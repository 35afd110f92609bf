"""The physical tables that hold a dataset version's rows.

One table per version, named `dsv_<random>`, with real column types, an index per
column that can use one, and full-text search (FTS5 on SQLite, a GIN expression index on
PostgreSQL). Loading happens in a new table; the caller records it only on success and
drops it on failure, so a failed import leaves nothing behind.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from itertools import chain
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hackkit.ingest import Table
from hackkit.models.dataset import TABLE_PREFIX
from hackkit.services import dataset_postings

ROW_ID = "_id"  # keyset pagination and FTS rowid; never a user column (cleaned names never start with _)
SQL_TYPES = {
    "integer": sa.BigInteger,
    "number": lambda: sa.Float(53),
    "boolean": sa.Boolean,
    "date": sa.Date,
    "datetime": sa.DateTime,
    "time": lambda: sa.String(15),
    "text": sa.Text,
    "geojson": sa.Text,
}
INDEX_MAX_TEXT = 200  # longer texts are prose or shapes: nobody filters them by equality
HISTOGRAM_BINS = 10
FTS_BUILD_HASH_BYTES = 8 << 20  # FTS5's in-memory terms while the index is built (its default: 1 MB)
FTS_DEFAULT_HASH_BYTES = 1 << 20


VERSION_TABLE = re.compile(rf"^{TABLE_PREFIX}[0-9a-f]{{12}}$")


def new_table_name() -> str:
    return TABLE_PREFIX + secrets.token_hex(6)


def sa_table(name: str, columns: list[dict[str, Any]], metadata: sa.MetaData | None = None) -> sa.Table:
    """The SQLAlchemy description of a version table (kept out of the models' metadata)."""
    row_id = sa.Column(ROW_ID, sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    # Always quoted: a city file's column may be called `nothing`, `do` or `filter`, words
    # SQLite reserves that SQLAlchemy does not know to quote.
    cols = [sa.Column(c["name"], SQL_TYPES[c["type"]](), quote=True) for c in columns]
    return sa.Table(name, metadata or sa.MetaData(), row_id, *cols)


# FTS5 refuses columns of these names (its own hidden columns): such a column stays out of
# full-text search (on both databases, so `_search` answers the same) but is filtered as any other.
FTS5_RESERVED = frozenset({"rowid", "rank"})


def text_columns(columns: list[dict[str, Any]]) -> list[str]:
    """The columns `_search` looks in."""
    return [c["name"] for c in columns if c["type"] == "text" and c["name"] not in FTS5_RESERVED]


def fts_document(columns: list[dict[str, Any]]):
    """PostgreSQL: the text searched by _search. The GIN index and the query both use this
    expression, with literals rather than parameters, so the planner can match them."""
    parts = [sa.func.coalesce(sa.column(name), sa.literal_column("''")) for name in text_columns(columns)]
    # `||` rather than concat_ws: PostgreSQL only indexes immutable functions.
    document = parts[0]
    for part in parts[1:]:
        document = document.op("||")(sa.literal_column("' '")).op("||")(part)
    return sa.func.to_tsvector(sa.literal_column("'simple'::regconfig"), document)


def load(conn: Connection, name: str, table_data: Table, chunk_size: int = 5000) -> tuple[list[dict[str, Any]], int]:
    """Create table `name` and stream the rows into it. Returns (column dicts, row count)."""
    columns = [
        {"name": c.name, "title": c.title, "type": c.type, "max_length": c.max_length} for c in table_data.columns
    ]
    table = sa_table(name, columns)
    table.create(conn)
    count = 0
    if conn.dialect.name == "sqlite":
        count = _load_sqlite(conn, table, table_data, chunk_size)
    else:
        for chunk in table_data.chunks(chunk_size):
            for row in chunk:
                count += 1
                row[ROW_ID] = count
            conn.execute(table.insert(), chunk)
    # The planner's statistics come from column_stats, which the import runs next: it counts
    # what ANALYZE would count again.
    add_indexes(conn, table, columns, analyze=False)
    return columns, count


def _load_sqlite(conn: Connection, table: sa.Table, table_data: Table, chunk_size: int) -> int:
    """The rows as parameters of prepared INSERTs (executemany), in the caller's transaction:
    SQLAlchemy's per-row work for `table.insert()` cost as much as SQLite's own. Values pass the
    same bind processors SQLAlchemy applies (dates and date-times stored as it stores them),
    a column at a time, but two: dates come as the text SQLAlchemy's DATE stores (isoformat,
    `2024-03-05`), and numbers are floats already (its FLOAT processor is float())."""
    names = [c.name for c in table_data.columns]
    processors = [
        table.c[c.name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        if c.type not in ("date", "number")
        else None
        for c in table_data.columns
    ]
    width = len(names) + 1
    quoted = ", ".join(f'"{n}"' for n in [ROW_ID, *names])
    marks = "(" + ", ".join("?" * width) + ")"
    # Rows go in `group` at a time, as one statement of many VALUES: each statement's step
    # gives the GIL up and takes it back, and a step per row (a million) kept the read-ahead
    # thread waiting for those gaps (0.45 s less CPU for the importing thread, 1,000,000 rows).
    # The same values in the same order: the rows and their ids are those of one row a step.
    group = _rows_per_statement(conn, width)
    # Names are ours: a generated table name and cleaned column names (lower-case ASCII and _).
    one = f'INSERT INTO "{table.name}" ({quoted}) VALUES {marks}'  # noqa: S608
    many = f'INSERT INTO "{table.name}" ({quoted}) VALUES ' + ", ".join([marks] * group)  # noqa: S608
    # sqlite3's own executemany on the transaction's connection: it takes the statements'
    # parameters as slices of one flat list, as they are made (SQLAlchemy wants a list of tuples).
    driver = conn.connection.driver_connection
    count = 0
    for values in table_data.column_batches(dates_as_text=True):
        for i, process in enumerate(processors):
            if process is not None:
                values[i] = [None if v is None else process(v) for v in values[i]]
        rows = len(values[0]) if values else 0
        # chain.from_iterable: the same flat list made in C (0.30 -> 0.17 s for 1,000,000 rows).
        flat = list(chain.from_iterable(zip(range(count + 1, count + rows + 1), *values, strict=True)))
        grouped = rows // group * group * width  # the values that fill whole statements
        if grouped:
            driver.executemany(many, (flat[i : i + group * width] for i in range(0, grouped, group * width)))
        if grouped < len(flat):
            driver.executemany(one, (flat[i : i + width] for i in range(grouped, len(flat), width)))
        count += rows
    return count


ROWS_PER_STATEMENT = 50  # the only size measured (a million steps become 20,000)


def _rows_per_statement(conn: Connection, width: int) -> int:
    """Rows per INSERT, within this SQLite's limit on parameters in one statement (250,000
    in this build, 32,766 by default, 999 before 3.32)."""
    limit = conn.connection.driver_connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(ROWS_PER_STATEMENT, limit // width))


def is_indexed(column: dict[str, Any]) -> bool:
    """Whether the column gets an index of its own."""
    return column["type"] != "geojson" and not (column["type"] == "text" and column["max_length"] > INDEX_MAX_TEXT)


def add_indexes(conn: Connection, table: sa.Table, columns: list[dict[str, Any]], analyze: bool = True) -> None:
    """Indexes after the load: building them once is much faster than keeping them up to date."""
    for position, column in enumerate(columns):
        if is_indexed(column):
            sa.Index(f"{table.name}_i{position}", table.c[column["name"]]).create(conn)
    dataset_postings.build(conn, table, [c["name"] for c in columns if is_indexed(c)])
    if conn.dialect.name == "sqlite" and analyze:
        # Statistics for the planner (sqlite_stat1: rows per value of each index), so that of
        # two equality filters the more selective index drives the query. PostgreSQL's
        # autovacuum gathers its own. 1.3 s for 1M rows and 9 indexes.
        conn.exec_driver_sql(f'ANALYZE "{table.name}"')
    texts = text_columns(columns)
    if not texts:
        return
    if conn.dialect.name == "sqlite":
        quoted = ", ".join(f'"{n}"' for n in texts)
        # columnsize=0: no row of token counts per document (the %_docsize table), which only
        # bm25() and the rank column read; a search here matches and orders by rowid. Writing
        # those million rows was a third of the rebuild (1.7 -> 1.0 s for 1,000,000 rows).
        conn.exec_driver_sql(
            f'CREATE VIRTUAL TABLE "{table.name}_fts" USING fts5({quoted}, '
            f"content='{table.name}', content_rowid='{ROW_ID}', columnsize=0)"
        )
        _rebuild_fts(conn, f"{table.name}_fts")
    else:
        expression = fts_document(columns).compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
        conn.exec_driver_sql(f'CREATE INDEX "{table.name}_fts" ON "{table.name}" USING gin (({expression}))')


def _rebuild_fts(conn: Connection, fts: str) -> None:
    """FTS5's 'rebuild', with room for more terms in memory before each flush to disk: fewer,
    larger segments to write and merge (1.68 -> 1.34 s of CPU for 1,000,000 rows, 8 MB more
    memory while it runs; searches as fast). The default is put back afterwards, for any
    later change to the table."""
    try:
        conn.exec_driver_sql(f'INSERT INTO "{fts}"("{fts}", rank) VALUES(\'hashsize\', {FTS_BUILD_HASH_BYTES})')
        roomy = True
    except sa.exc.OperationalError:  # an SQLite before the option: the default size
        roomy = False
    conn.exec_driver_sql(f'INSERT INTO "{fts}"("{fts}") VALUES(\'rebuild\')')
    if roomy:
        conn.exec_driver_sql(f'INSERT INTO "{fts}"("{fts}", rank) VALUES(\'hashsize\', {FTS_DEFAULT_HASH_BYTES})')


def drop(conn: Connection, name: str) -> None:
    if not name.startswith(TABLE_PREFIX):
        raise ValueError(f"not a dataset table: {name}")
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}_fts"')
    conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{dataset_postings.postings_table(name)}"')
    conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')


def orphan_tables(conn: Connection, known: set[str]) -> list[str]:
    """Version tables no version names: left by an import that was killed mid-way."""
    names = sa.inspect(conn).get_table_names()
    return [n for n in names if VERSION_TABLE.match(n) and n not in known]


def column_stats(conn: Connection, name: str, columns: list[dict[str, Any]], rows: int) -> list[dict[str, Any]]:
    """Null count, distinct count, min/max and a small histogram for numbers, per column; on
    SQLite also the planner's statistics (`planner_statistics`).

    Each is asked so that the column's index (built just before) answers it: the nulls are a
    range of the index, the lowest and highest values its two ends, and the distinct values
    one walk along it (`SELECT DISTINCT`) instead of a sort. One statement computing every
    aggregate of every column was 4x slower, and count/min/max together scanned the index."""
    table = sa_table(name, columns)
    out = []
    for column in columns:
        col = table.c[column["name"]]
        stats = dict(column)
        if column["type"] == "geojson":
            nulls = rows - conn.scalar(sa.select(sa.func.count(col)))
            stats.update(nulls=nulls, distinct=None, min=None, max=None)
            out.append(stats)
            continue
        if is_indexed(column):
            present = col.is_not(None)
            nulls = conn.scalar(sa.select(sa.func.count()).select_from(table).where(col.is_(None)))
            low = conn.scalar(sa.select(col).where(present).order_by(col.asc()).limit(1))
            high = conn.scalar(sa.select(col).where(present).order_by(col.desc()).limit(1))
        else:  # long texts: no index to ask, one scan for the three
            counted, low, high = conn.execute(sa.select(sa.func.count(col), sa.func.min(col), sa.func.max(col))).one()
            nulls = rows - counted
        distinct = conn.scalar(sa.select(sa.func.count()).select_from(sa.select(col).distinct().subquery()))
        distinct -= 1 if nulls else 0  # DISTINCT lists NULL once; count(DISTINCT col) does not
        stats.update(nulls=nulls, distinct=distinct, min=_plain(low), max=_plain(high))
        if column["type"] in ("integer", "number") and low is not None and high is not None:
            stats["histogram"] = _histogram(conn, col, float(low), float(high))
        out.append(stats)
    if conn.dialect.name == "sqlite":
        planner_statistics(conn, name, out, rows)
    return out


def planner_statistics(conn: Connection, name: str, stats: list[dict[str, Any]], rows: int) -> None:
    """SQLite: what `ANALYZE` writes in sqlite_stat1 for the table's indexes (rows per value,
    so that of two equality filters the more selective index drives the query), from the
    counts column_stats made, instead of ANALYZE walking every index once more (0.45 s of
    CPU for 1,000,000 rows). PostgreSQL's autovacuum gathers its own.

    The same figures as ANALYZE's (tests/services/test_dataset_stats.py compares them): an
    index's rows, then its rows per distinct key rounded up, NULL counting as one key, and
    2 written as 1 when nearly every key is distinct."""
    if not rows:
        conn.exec_driver_sql(f'ANALYZE "{name}"')  # nothing to walk: ANALYZE says it its own way
        return
    figures = []
    for position, column in enumerate(stats):
        if not is_indexed(column):
            continue
        keys = column["distinct"] + (1 if column["nulls"] else 0)
        per_key = (rows + keys - 1) // keys
        if per_key == 2 and rows * 10 <= keys * 11:
            per_key = 1
        figures.append((name, f"{name}_i{position}", f"{rows} {per_key}"))
    if not figures:
        figures.append((name, None, str(rows)))  # a table without indexes: its row count
    conn.exec_driver_sql("ANALYZE sqlite_schema")  # makes sqlite_stat1 if the hub has none yet
    conn.exec_driver_sql("DELETE FROM sqlite_stat1 WHERE tbl = ?", (name,))
    conn.exec_driver_sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", figures)
    conn.exec_driver_sql("ANALYZE sqlite_schema")  # and makes this connection's planner read them


def _plain(value):
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _histogram(conn: Connection, col, low: float, high: float) -> dict[str, Any]:
    """Rows per tenth of [low, high], each row in bin floor((value - low) / width) (clamped).

    The bin only grows with the value, so each bin is a range of values: the first value of
    each bin is looked up along the column's index (from just below low + k * width, where
    rounding cannot yet reach bin k) and each range counted on the index. A GROUP BY on the
    bin sorted every row: 1.6 s of CPU for five columns of 1,000,000 rows."""
    width = (high - low) / HISTOGRAM_BINS or 1.0
    bucket = sa.cast(sa.func.floor((sa.cast(col, sa.Float(53)) - low) / width), sa.Integer)
    margin = max(abs(width), abs(low), abs(high)) * 1e-9  # far beyond any rounding of the bin
    starts = []
    for k in range(1, HISTOGRAM_BINS):
        below = low + k * width - margin
        found = conn.execute(sa.select(col).where(col >= below, bucket >= k).order_by(col).limit(1)).first()
        if found is None:
            break  # no value reaches bin k, nor any later bin
        starts.append(found[0])
    counts = [0] * HISTOGRAM_BINS
    edges = [None, *starts, None]
    for index, (start, end) in enumerate(zip(edges, edges[1:], strict=False)):
        where = [col.is_not(None)]
        if start is not None:
            where.append(col >= start)
        if end is not None:
            where.append(col < end)
        counts[index] = conn.scalar(sa.select(sa.func.count()).select_from(col.table).where(*where))
    return {"low": low, "high": high, "counts": counts}


def _histogram_grouped(conn: Connection, col, low: float, high: float) -> dict[str, Any]:
    """The histogram as one GROUP BY on the bin (slow, kept to check _histogram against)."""
    width = (high - low) / HISTOGRAM_BINS or 1.0
    bucket = sa.cast(sa.func.floor((sa.cast(col, sa.Float(53)) - low) / width), sa.Integer)
    counts = [0] * HISTOGRAM_BINS
    for index, count in conn.execute(sa.select(bucket, sa.func.count()).where(col.is_not(None)).group_by(bucket)):
        counts[min(max(int(index), 0), HISTOGRAM_BINS - 1)] += count
    return {"low": low, "high": high, "counts": counts}
