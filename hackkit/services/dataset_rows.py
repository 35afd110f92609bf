"""Reading a dataset version's rows: filters, full-text search, sort, keyset pages, streams.

The parameters follow DESIGN.md ("JSON API"): `col=v`, `col__op=v`, `_search`, `_sort`,
`_sort_desc`, `_size`, `_next`, `_fields`. Every value is parsed by the column's type here,
so a bad one is a 400 with a message and never reaches the database as a surprise.

The limits below are checked here for every reader of rows (the /api/v1 rows API, its CSV
and GeoJSON streams, CKAN's datastore_search and /datastore/dump): a number no 64-bit column
can hold makes SQLite raise OverflowError and PostgreSQL refuse the whole query, and tens of
thousands of values overflow the drivers' parameter limits. docs/api.md lists them.
"""

from __future__ import annotations

import base64
import bisect
import functools
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session

from hackkit.models import DatasetVersion
from hackkit.services import dataset_arrays, dataset_postings, dataset_tables
from hackkit.services.errors import Invalid
from hackkit.services.transactions import rolls_back

OPERATORS = ("exact", "not", "contains", "startswith", "gt", "gte", "lt", "lte", "in", "isnull")
TEXT_ONLY = {"contains", "startswith"}
RESERVED = {"_search", "_sort", "_sort_desc", "_size", "_next", "_fields", "_version", "_total"}
# `_total`: how the matching rows are counted for a page. exact (the default) counts them all;
# capped stops at TOTAL_CAP ("more than 10,000"), none does not count (total is null): a new
# question over a big table is then answered at the cost of its first page only.
COUNTS = ("exact", "capped", "none")
TOTAL_CAP = 10_000
DEFAULT_SIZE, MAX_SIZE = 100, 1000
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1  # what an integer column, an id and an OFFSET can hold
MAX_FILTERS = 100  # filter conditions in one query
MAX_FILTER_VALUES = 1000  # values compared with in one query, all conditions together (`in` lists count each)
TRUE, FALSE = {"1", "true", "yes"}, {"0", "false", "no"}


class QueryTooSlow(Invalid):
    """The database needed longer than the per-query time limit."""


@dataclass
class RowQuery:
    filters: list[tuple[str, str, Any]] = field(default_factory=list)
    search: str | None = None
    sort: str | None = None
    desc: bool = False
    size: int = DEFAULT_SIZE
    after: tuple[Any, int] | None = None  # (sort value, _id) of the last row already seen
    fields: list[str] | None = None
    total: int | None = None  # carried by a _next token
    count: str = "exact"  # one of COUNTS
    total_capped: bool = False  # the total is TOTAL_CAP and more rows match (carried by a _next token)
    # Readers that page by OFFSET (the CKAN datastore API) may sort by several columns
    # and ask for distinct rows; keyset pages use `sort`/`desc` above.
    order: list[tuple[str, bool]] = field(default_factory=list)  # (column, descending)
    offset: int = 0
    distinct: bool = False


def _bad(field_name: str, message) -> Invalid:
    return Invalid(message, {field_name: [message]})


def plain_text(raw: str, key: str) -> str:
    """`raw` unless it holds a NUL character: no stored value can (PostgreSQL refuses them in
    text), and sent to the database it fails the whole query instead of matching nothing."""
    if "\x00" in raw:
        raise _bad(key, _l("%(name)s contains a NUL character, which no value can hold.", name=key[:60]))
    return raw


def whole_number(number: int, key: str, low: int = INT64_MIN) -> int:
    """`number` when a 64-bit column (and an OFFSET or LIMIT) can hold it and it is at least `low`."""
    if not low <= number <= INT64_MAX:
        raise _bad(
            key,
            _l(
                "%(name)s takes a whole number from %(low)d to %(high)d.",
                name=key[:60],
                low=max(low, INT64_MIN),
                high=INT64_MAX,
            ),
        )
    return number


def check_list_length(count: int, key: str) -> None:
    """Refuse a list of values before it is parsed, however long it is."""
    if count > MAX_FILTER_VALUES:
        raise _bad(
            key,
            _l("A query compares with at most %(max)d values; %(name)s has %(count)d.",
               max=MAX_FILTER_VALUES, name=key[:60], count=count),
        )  # fmt: skip


def check_query(query: RowQuery, key: str = "filters") -> RowQuery:
    """The limits every row query keeps, whoever built it; `key` names the parameter that
    carried the filters. Values were range-checked as they were parsed (parse_value)."""
    if len(query.filters) > MAX_FILTERS:
        raise _bad(key, _l("A query takes at most %(max)d filters.", max=MAX_FILTERS))
    values = sum(len(value) if op == "in" else 1 for _name, op, value in query.filters)
    check_list_length(values, key)
    whole_number(query.offset, "offset", low=0)
    return query


def parse_value(column: dict[str, Any], raw: str, key: str):
    """The filter value `raw` as the column's type, or a 400 naming the parameter."""
    kind = column["type"]
    raw = plain_text(raw, key)
    try:
        if kind == "integer":
            return whole_number(int(raw), key)
        if kind == "number":
            value = float(raw)
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError(raw)
            return value
        if kind == "boolean":
            lowered = raw.strip().lower()
            if lowered not in TRUE | FALSE:
                raise ValueError(raw)
            return lowered in TRUE
        if kind == "date":
            return date.fromisoformat(raw)
        if kind == "datetime":
            return datetime.fromisoformat(raw).replace(tzinfo=None)
    except ValueError:
        raise _bad(
            key,
            _l("%(value)s is not a valid %(type)s for %(column)s.", value=raw[:40], type=kind, column=column["name"]),
        ) from None
    return raw


def parse_row_query(args: Mapping[str, Any], version: DatasetVersion) -> RowQuery:
    """Read the query string (a werkzeug MultiDict or a dict of lists) into a RowQuery."""
    columns = {c["name"]: c for c in version.columns}
    query = RowQuery()
    for key in args:
        values = args.getlist(key) if hasattr(args, "getlist") else list(args[key])
        if key.startswith("_"):
            if key not in RESERVED:
                raise _bad(key, _l("Unknown parameter %(name)s.", name=key))
            continue
        name, _sep, op = key.partition("__")
        op = op or "exact"
        if name not in columns:
            raise _bad(key, _l("There is no column %(name)s.", name=name))
        if op not in OPERATORS:
            raise _bad(key, _l("Unknown operator %(op)s; use one of: %(ops)s.", op=op, ops=", ".join(OPERATORS)))
        column = columns[name]
        if column["type"] == "geojson" and op != "isnull":
            raise _bad(key, _l("Geometry columns can only be filtered with __isnull."))
        if op in TEXT_ONLY and column["type"] not in ("text", "time"):
            raise _bad(key, _l("%(op)s only works on text columns.", op=op))
        for raw in values:
            if op == "isnull":
                lowered = raw.strip().lower()
                if lowered not in TRUE | FALSE:
                    raise _bad(key, _l("__isnull takes true or false."))
                value: Any = lowered in TRUE
            elif op == "in":
                parts = raw.split(",")
                check_list_length(len(parts), key)
                value = [parse_value(column, part, key) for part in parts]
            elif op in TEXT_ONLY:
                value = plain_text(raw, key)
            else:
                value = parse_value(column, raw, key)
            query.filters.append((name, op, value))
            check_query(query, key)  # as each arrives: the limit names the parameter that crossed it

    count = args.get("_total") or "exact"
    if count not in COUNTS:
        raise _bad("_total", _l("_total is one of: %(values)s.", values=", ".join(COUNTS)))
    query.count = count
    query.search = plain_text(args.get("_search") or "", "_search").strip() or None
    if query.search and not dataset_tables.text_columns(version.columns):
        raise _bad("_search", _l("This dataset has no text to search."))
    sort, sort_desc = args.get("_sort"), args.get("_sort_desc")
    if sort and sort_desc:
        raise _bad("_sort", _l("Give _sort or _sort_desc, not both."))
    query.sort, query.desc = (sort_desc, True) if sort_desc else (sort or None, False)
    if query.sort is not None and (query.sort not in columns or columns[query.sort]["type"] == "geojson"):
        raise _bad("_sort", _l("There is no sortable column %(name)s.", name=query.sort))
    size = args.get("_size")
    if size is not None:
        if not (str(size).isascii() and str(size).isdigit()) or not 1 <= int(size) <= MAX_SIZE:  # not "²"
            raise _bad("_size", _l("_size is a whole number from 1 to %(max)d.", max=MAX_SIZE))
        query.size = int(size)
    fields = args.get("_fields")
    if fields:
        query.fields = [f.strip() for f in fields.split(",") if f.strip()]
        unknown = [f for f in query.fields if f not in columns]
        if unknown:
            raise _bad("_fields", _l("There is no column %(name)s.", name=unknown[0]))
    if args.get("_next"):
        query.after = decode_token(args["_next"], query, columns)
    return check_query(query)


def encode_token(query: RowQuery, value: Any, row_id: int, total: int | None) -> str:
    """The keyset position, plus the total: a version's table never changes, so the count
    made for the first page stays true and later pages need not count again."""
    if isinstance(value, (date, datetime)):
        value = value.isoformat()
    payload = [query.sort, query.desc, value, row_id, total] + ([True] if query.total_capped else [])
    payload = json.dumps(payload, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_token(token: str, query: RowQuery, columns: dict[str, dict]) -> tuple[Any, int]:
    problem = _bad("_next", _l("This _next token is not valid for this query."))
    try:
        padded = token + "=" * (-len(token) % 4)
        sort, desc, value, row_id, total, *capped = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        raise problem from None
    if capped not in ([], [True]) or (total is None) != (query.count == "none"):
        raise problem
    # Typed exactly as encode_token writes them: JSON's true is also a Python int, and a
    # number past 64 bits would reach the database; a forged token is a 400 like any other.
    if sort != query.sort or not isinstance(desc, bool) or desc != query.desc:
        raise problem
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (row_id, 0 if total is None else total)):
        raise problem
    if not INT64_MIN <= row_id <= INT64_MAX or (total is not None and not 0 <= total <= INT64_MAX):
        raise problem
    if isinstance(value, (list, dict)):
        raise problem
    query.total, query.total_capped = total, bool(capped)
    if sort is not None and value is not None:
        value = parse_value(columns[sort], str(value) if not isinstance(value, str) else value, "_next")
        if columns[sort]["type"] == "boolean" and isinstance(value, str):
            raise problem
    return value, row_id


def _condition(table: sa.Table, name: str, op: str, value, dialect: str):
    col = table.c[name]
    if op == "exact":
        return col == value
    if op == "not":
        return sa.or_(col != value, col.is_(None))
    if op == "contains":  # case-sensitive on both databases (SQLite's LIKE is not)
        finder = sa.func.instr(col, value) if dialect == "sqlite" else sa.func.strpos(col, value)
        return finder > 0
    if op == "startswith":
        return sa.func.substr(col, 1, len(value)) == value
    if op == "in":
        return col.in_(value)
    if op == "isnull":
        return col.is_(None) if value else col.is_not(None)
    return {"gt": col > value, "gte": col >= value, "lt": col < value, "lte": col <= value}[op]


def _fts_source(table: sa.Table, query: RowQuery, dialect: str):
    """SQLite's full-text table for a search, or None. A search reads the matches from it
    in row order (FTS5 keeps them by rowid) joined to the rows: a first page then stops at
    its last row instead of listing every match of two common words before the first one
    (`_id IN (SELECT rowid ... MATCH)`), and a count looks each match up once."""
    if not query.search or dialect != "sqlite":
        return None
    return sa.table(f"{table.name}_fts", sa.column("rowid", sa.Integer))


class _MatchesFirst(sa.sql.expression.Join):
    """The full-text matches joined to the rows, read in that order: SQLite's CROSS JOIN
    keeps its left side as the outer loop. Left to choose, the planner may walk an index of
    the rows (`category = ...`) and search the full text again for each of 100,000 of them."""

    inherit_cache = True


@compiles(_MatchesFirst)
def _compile_matches_first(join, compiler, **kw) -> str:
    matches, _sep, rest = compiler.visit_join(join, **kw).partition(" JOIN ")  # left is one table
    return f"{matches} CROSS JOIN {rest}"


def _from(table: sa.Table, fts):
    return table if fts is None else _MatchesFirst(fts, table, table.c[dataset_tables.ROW_ID] == fts.c.rowid)


def _where(table: sa.Table, version: DatasetVersion, query: RowQuery, dialect: str) -> list:
    clauses = [_condition(table, name, op, value, dialect) for name, op, value in query.filters]
    if query.search:
        if dialect == "sqlite":
            # The full-text table is joined in FROM (_from).
            clauses.append(sa.text(f'"{table.name}_fts" MATCH :q').bindparams(q=fts_match(query.search)))
        else:
            document = dataset_tables.fts_document(version.columns)
            clauses.append(
                document.op("@@")(sa.func.plainto_tsquery(sa.literal_column("'simple'::regconfig"), query.search))
            )
    return clauses


def fts_match(search: str) -> str:
    """SQLite: the FTS5 query of `_search`, each word quoted: FTS5 syntax in the user's words
    must not be a syntax error."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in search.split())


def _direction(col, desc: bool, dialect: str):
    """NULL sorts as the smallest value, on both databases; descending is the exact reverse."""
    if desc:
        return col.desc().nulls_last() if dialect != "sqlite" else col.desc()
    return col.asc().nulls_first() if dialect != "sqlite" else col.asc()


def _order(table: sa.Table, query: RowQuery, dialect: str, row_id=None) -> list:
    row_id = table.c[dataset_tables.ROW_ID] if row_id is None else row_id
    if query.order:
        clauses = [_direction(table.c[name], desc, dialect) for name, desc in query.order]
        return clauses if query.distinct else clauses + [row_id]
    if query.distinct:
        return []
    if query.sort is None:
        return [row_id]
    return [_direction(table.c[query.sort], query.desc, dialect), row_id.desc() if query.desc else row_id]


def _after(table: sa.Table, query: RowQuery, row_id=None):
    value, last_id = query.after
    row_id = table.c[dataset_tables.ROW_ID] if row_id is None else row_id
    if query.sort is None:
        return row_id > last_id
    col = table.c[query.sort]
    if value is not None:
        # A bound value of the column's type: SQLAlchemy refuses `col > True` written plainly,
        # and a page sorted by a boolean column has True or False as its last value.
        value = sa.literal(value, col.type)
    if not query.desc:
        if value is None:
            return sa.or_(sa.and_(col.is_(None), row_id > last_id), col.is_not(None))
        return sa.or_(col > value, sa.and_(col == value, row_id > last_id))
    if value is None:
        return sa.and_(col.is_(None), row_id < last_id)
    return sa.or_(col < value, sa.and_(col == value, row_id < last_id), col.is_(None))


@functools.lru_cache(maxsize=256)
def _cached_table(name: str, columns: tuple[tuple[str, str], ...]) -> sa.Table:
    return dataset_tables.sa_table(name, [{"name": n, "type": t} for n, t in columns])


def version_table(version: DatasetVersion) -> sa.Table:
    """The version's table, one object per table and column list: SQLAlchemy caches the SQL
    compiled for a statement by the Table object it reads, so a new object per request would
    compile every query again (and fill that cache with copies)."""
    return _cached_table(version.table_name, tuple((c["name"], c["type"]) for c in version.columns))


def matching(version: DatasetVersion, query: RowQuery, dialect: str) -> tuple[sa.Table, sa.FromClause, list]:
    """The version's table, what to select from (with the full-text table joined for a
    search) and the conditions of the query's filters and search: for other readers of the
    same rows (the map's points)."""
    check_query(query)
    table = version_table(version)
    return table, _from(table, _fts_source(table, query, dialect)), _where(table, version, query, dialect)


def select_rows(version: DatasetVersion, query: RowQuery, dialect: str, keyset: bool = True, among=None):
    """The statement of the matching rows in order; `among` (from narrowing) adds the row ids
    the postings allow, which changes which rows are read, not which rows match."""
    check_query(query)
    table = version_table(version)
    fts = _fts_source(table, query, dialect)
    # Row order by the full-text rowid (the same number as _id) lets SQLite read the matches
    # in order instead of sorting them all.
    row_id = None if fts is None else fts.c.rowid
    clauses = _where(table, version, query, dialect)
    if keyset and query.after is not None:
        clauses.append(_after(table, query, row_id))
    if among is not None:
        clauses.append(among)
    names = query.fields or [c["name"] for c in version.columns]
    if query.distinct:
        # Only the asked-for columns: the row id would make every row distinct.
        unsorted = [name for name, _desc in query.order if name not in names]
        if unsorted:
            raise _bad("sort", _l("With distinct, sort only by columns you ask for (not %(name)s).", name=unsorted[0]))
        statement = sa.select(*[table.c[n] for n in names]).select_from(_from(table, fts)).distinct().where(*clauses)
        return table, statement.order_by(*_order(table, query, dialect))
    wanted = [table.c[dataset_tables.ROW_ID]] + [table.c[n] for n in names if n != dataset_tables.ROW_ID]
    if query.sort and query.sort not in names:
        wanted.append(table.c[query.sort])
    statement = sa.select(*wanted).select_from(_from(table, fts)).where(*clauses)
    return table, statement.order_by(*_order(table, query, dialect, row_id))


def count_rows(version: DatasetVersion, query: RowQuery, dialect: str, cap: int | None = None, narrowed=None):
    """The count of the matching rows; with `narrowed` (Candidates), only those rows are read:
    the id list drives the loop and each row is looked up by its id."""
    table = version_table(version)
    where = _where(table, version, query, dialect)
    fts = _fts_source(table, query, dialect)
    source = _from(table, fts)
    if narrowed is not None:
        ids = dataset_postings.listed(narrowed.as_json())
        source = _MatchesFirst(ids, table, table.c[dataset_tables.ROW_ID] == ids.c.value)
    if fts is not None and not query.filters and not query.distinct:
        # Words alone: the full-text index holds one entry per row of its table (built from
        # it, and neither changes after the import), so its matches are counted without
        # looking up each row.
        source = fts
    if cap is not None and not query.distinct:
        # Stops after cap + 1 matches: enough to say "more than cap".
        inner = sa.select(sa.literal(1)).select_from(source).where(*where)
        return sa.select(sa.func.count()).select_from(inner.limit(cap + 1).subquery())
    if query.distinct:
        names = query.fields or [c["name"] for c in version.columns]
        inner = sa.select(*[table.c[n] for n in names]).select_from(source).distinct().where(*where)
        return sa.select(sa.func.count()).select_from(inner.subquery())
    return sa.select(sa.func.count()).select_from(source).where(*where)


def narrowing(conn, version: DatasetVersion, query: RowQuery) -> dataset_postings.Candidates | None:
    """The rows `query` can match by the postings of the version's few-valued columns, or None:
    asked as usual (no postings for its filters, PostgreSQL, a search or distinct rows)."""
    if conn.dialect.name != "sqlite" or query.search or query.distinct:
        return None
    return dataset_postings.candidates(conn, version_table(version), query.filters)


def _among(version: DatasetVersion, narrowed: dataset_postings.Candidates | None):
    """The condition that reads only the candidates (all of them), or None."""
    if narrowed is None or not narrowed.sendable:
        return None
    return dataset_postings.among(version_table(version).c[dataset_tables.ROW_ID], narrowed.as_json())


def _narrowed_rows(conn, version: DatasetVersion, query: RowQuery, narrowed, limit: int) -> list:
    """The first `limit` rows of `query` read among its candidates: all of them in one
    statement for a sorted page (the database sorts the matches), a few at a time in row
    order, where a page needs only as many as hold its rows."""
    dialect, row_id = conn.dialect.name, version_table(version).c[dataset_tables.ROW_ID]
    if query.sort is not None or query.order:
        _table, statement = select_rows(version, query, dialect, among=_among(version, narrowed))
        return conn.execute(statement.limit(limit)).mappings().all()
    rows: list = []
    for chunk in narrowed.chunks(None if query.after is None else query.after[1]):
        _table, statement = select_rows(version, query, dialect, among=dataset_postings.among(row_id, chunk))
        rows += conn.execute(statement.limit(limit - len(rows))).mappings().all()
        if len(rows) >= limit:
            break
    return rows


RANK_STEP = 1000  # one sampled value for every this many rows of a column, in its order
RANKED_TYPES = ("integer", "number", "date", "datetime")  # stored values Python orders as SQLite does
# Sampling walks the whole column once (0.2 s of CPU for 1M rows), outside the request's time
# limit (HACKKIT_DATASET_QUERY_MS, 1 s by default): past this many rows the one slow answer it
# makes would be too slow, and those tables are counted as before.
RANKED_MAX_ROWS = 2_000_000
# op: (an upper bound?, counted from the rows strictly below the value?) - col >= v is every
# row but those < v, col > v every row but those <= v.
BOUNDS = {"gt": (False, False), "gte": (False, True), "lt": (True, True), "lte": (True, False)}


@dataclass(frozen=True)
class _Ranks:
    """A column's values in order, one every RANK_STEP rows, each with the number of rows
    below it (`lower`) and up to and including it (`upper`); `rows` is the count of
    non-NULL values. Any value falls between two samples with fewer than RANK_STEP rows
    strictly between them, so a range count reads at most that many index entries."""

    values: list
    lower: list[int]
    upper: list[int]
    rows: int


class _RankIndex:
    """Exact counts of a range on one column (`number >= 51234`) without walking the
    range: the sampled ranks above, read off the column's index once per process and table
    (about 3,000 small index lookups for 1M rows), then each count is two bisections and an
    index scan of under RANK_STEP entries. SQLite only: a version's table never changes, so
    the ranks stay true; PostgreSQL counts as before."""

    def __init__(self, size: int = 256):
        self.size = size
        self._entries: OrderedDict[tuple[str, str], _Ranks] = OrderedDict()
        self._lock = threading.Lock()

    def ranks(self, conn, table: str, column: str) -> _Ranks:
        key = (table, column)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        ranks = self._sample(conn, table, column)
        with self._lock:
            self._entries[key] = ranks
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return ranks

    @staticmethod
    def _sample(conn, table: str, column: str) -> _Ranks:
        # Names are ours: a generated table name and a cleaned column name.
        col, source = f'"{column}"', f'"{table}"'

        def one(sql: str, *params):
            return conn.exec_driver_sql(sql, params).scalar()

        values, lower, upper = [], [], []
        value = one(f"SELECT min({col}) FROM {source}")  # noqa: S608
        below = 0
        while value is not None:
            through = below + one(f"SELECT count(*) FROM {source} WHERE {col} = ?", value)  # noqa: S608
            values.append(value)
            lower.append(below)
            upper.append(through)
            # The next sample: the value at the next multiple of RANK_STEP after this value's rows.
            skip = -through % RANK_STEP
            found = conn.exec_driver_sql(
                f"SELECT {col} FROM {source} WHERE {col} > ? ORDER BY {col} LIMIT 1 OFFSET ?",  # noqa: S608
                (value, skip),
            ).first()
            if found is None:
                rows = through + one(f"SELECT count(*) FROM {source} WHERE {col} > ?", value)  # noqa: S608
                return _Ranks(values, lower, upper, rows)
            between = one(f"SELECT count(*) FROM {source} WHERE {col} > ? AND {col} < ?", value, found[0])  # noqa: S608
            value, below = found[0], through + between
        return _Ranks(values, lower, upper, 0)  # no values at all

    @staticmethod
    def column(version: DatasetVersion, query: RowQuery) -> str | None:
        """The column when `query` is one or two range conditions on one ranked column (and
        nothing else), else None."""
        if query.search or query.distinct or not 1 <= len(query.filters) <= 2:
            return None
        if (version.row_count or 0) > RANKED_MAX_ROWS:
            return None
        names = {name for name, _op, _value in query.filters}
        ops = [op for _name, op, _value in query.filters]
        if len(names) != 1 or not all(op in BOUNDS for op in ops):
            return None
        name = names.pop()
        if next(c for c in version.columns if c["name"] == name)["type"] not in RANKED_TYPES:
            return None
        if len(ops) == 2 and BOUNDS[ops[0]][0] == BOUNDS[ops[1]][0]:
            return None  # two lower (or two upper) bounds
        return name

    def prepare(self, conn, version: DatasetVersion, query: RowQuery) -> None:
        """Sample the column `query` counts a range of, if it has not been: outside the
        request's time limit (fetch_page), which is meant for the question, not for this."""
        name = self.column(version, query)
        if name is not None:
            self.ranks(conn, version.table_name, name)

    def count(self, conn, version: DatasetVersion, query: RowQuery) -> int | None:
        """The exact number of rows matching `query` when it is a range on a sampled column
        (see column and prepare), else None: counted as any other question."""
        name = self.column(version, query)
        if name is None:
            return None
        with self._lock:
            ranks = self._entries.get((version.table_name, name))
        if ranks is None:
            return None
        table = version_table(version)
        process = table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        count = ranks.rows
        for _name, op, bound in query.filters:
            is_upper, strict = BOUNDS[op]
            bound = process(bound) if process else bound
            # Rows below an upper bound are the matches; rows below a lower one are not.
            below = self._below(conn, version.table_name, name, ranks, bound, strict)
            count = below - (ranks.rows - count) if is_upper else count - below
        return max(count, 0)

    @staticmethod
    def _below(conn, table: str, column: str, ranks: _Ranks, bound, strict: bool) -> int:
        """Rows with column < bound (strict) or <= bound."""
        i = (bisect.bisect_left if strict else bisect.bisect_right)(ranks.values, bound) - 1
        col, source, compare = f'"{column}"', f'"{table}"', "<" if strict else "<="
        if i < 0:
            sql, params = f"SELECT count(*) FROM {source} WHERE {col} {compare} ?", (bound,)  # noqa: S608
            return conn.exec_driver_sql(sql, params).scalar()
        sql = f"SELECT count(*) FROM {source} WHERE {col} > ? AND {col} {compare} ?"  # noqa: S608
        return ranks.upper[i] + conn.exec_driver_sql(sql, (ranks.values[i], bound)).scalar()


RANKS = _RankIndex()


class _TotalsCache:
    """Counts of matching rows, remembered per version table and filter.

    A version's table never changes after its import (a new upload makes a new table with
    a new random name), so a count once made stays true for as long as the table exists.
    On an event day many people ask the same filtered questions ("category = graffiti");
    counting 100,000 matching rows again for each of them is the slowest part of a page.
    Bounded, per process, least recently used out first.
    """

    def __init__(self, size: int = 4096):
        self.size = size
        self._entries: OrderedDict[tuple, int] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(version: DatasetVersion, query: RowQuery, dialect: str, cap: int | None = None) -> tuple:
        filters = tuple(sorted(repr(item) for item in query.filters))
        fields = tuple(query.fields or ()) if query.distinct else ()
        return (version.table_name, dialect, filters, query.search, query.distinct, fields, cap)

    def total(
        self,
        conn,
        version: DatasetVersion,
        query: RowQuery,
        dialect: str,
        cap: int | None = None,
        narrowed: dataset_postings.Candidates | None = None,
    ) -> int:
        """The number of matching rows; with `cap`, at most cap + 1 of them are counted."""
        key = self.key(version, query, dialect, cap)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        total = RANKS.count(conn, version, query) if dialect == "sqlite" else None
        if total is None and dialect == "sqlite" and query.search:
            total = dataset_arrays.ARRAYS.count(conn, version, query, fts_match(query.search), cap)
        if total is None and narrowed is not None and narrowed.alone:
            total = len(narrowed.ids)  # equality filters only: the candidates are the matches
        if total is not None and cap is not None:
            total = min(total, cap + 1)  # what the capped count says: cap, and whether more match
        elif total is None:
            if narrowed is not None and not narrowed.sendable:
                narrowed = None
            total = conn.execute(count_rows(version, query, dialect, cap, narrowed)).scalar_one()
        with self._lock:
            self._entries[key] = total
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return total


TOTALS = _TotalsCache()


@rolls_back
def fetch_page(session: Session, version: DatasetVersion, query: RowQuery, time_limit_ms: int) -> dict[str, Any]:
    """One page: {"rows", "next" (token or None), "total"}, each query under the time limit."""
    conn = session.connection()
    dialect = conn.dialect.name
    if dialect == "sqlite" and query.count != "none" and query.total is None:
        RANKS.prepare(conn, version, query)
        dataset_arrays.ARRAYS.prepare(conn, version, query)
    with time_limit(conn, time_limit_ms):
        narrowed = narrowing(conn, version, query)
        if narrowed is not None and narrowed.sendable:
            result = _narrowed_rows(conn, version, query, narrowed, query.size + 1)
        else:
            _table, statement = select_rows(version, query, dialect)
            result = conn.execute(statement.limit(query.size + 1)).mappings().all()
        total = query.total
        if query.count == "none":
            total = None
        elif total is None and not query.filters and not query.search:
            total = version.row_count  # counted once at import; the table never changes
        elif total is None and query.count == "capped":
            total = TOTALS.total(conn, version, query, dialect, cap=TOTAL_CAP, narrowed=narrowed)
            query.total_capped = total > TOTAL_CAP
            total = min(total, TOTAL_CAP)
        elif total is None:
            total = TOTALS.total(conn, version, query, dialect, narrowed=narrowed)
    has_more = len(result) > query.size
    result = result[: query.size]
    names = query.fields or [c["name"] for c in version.columns]
    make = json_row_maker(version, names)
    rows = [make(row) for row in result]
    token = None
    if has_more and result:
        last = result[-1]
        token = encode_token(query, last[query.sort] if query.sort else None, last[dataset_tables.ROW_ID], total)
    page = {"rows": rows, "next": token, "total": total}
    if query.count == "capped":
        page["total_capped"] = query.total_capped
    return page


def fetch_slice(
    session: Session, version: DatasetVersion, query: RowQuery, limit: int, time_limit_ms: int, count: bool = True
) -> dict[str, Any]:
    """`limit` rows from `query.offset` on (OFFSET paging, for clients that only know that,
    like CKAN's datastore_search) as row mappings, and the total when `count`."""
    conn = session.connection()
    dialect = conn.dialect.name
    rows: list = []
    total = None
    with time_limit(conn, time_limit_ms):
        narrowed = narrowing(conn, version, query)
        _table, statement = select_rows(version, query, dialect, keyset=False, among=_among(version, narrowed))
        if limit:
            rows = conn.execute(statement.limit(limit).offset(query.offset)).mappings().all()
        if count and not (query.filters or query.search or query.distinct):
            total = version.row_count  # counted once at import; the table never changes
        elif count:
            total = TOTALS.total(conn, version, query, dialect, narrowed=narrowed)
    return {"rows": rows, "total": total}


def json_row_maker(version: DatasetVersion, names: list[str]):
    """A function that turns one row into its JSON object, the columns in `names` order:
    geometry parsed, dates and date-times as ISO text. The column types are looked up once,
    not for every row of a page or a stream."""
    types = {c["name"]: c["type"] for c in version.columns}
    shapes = [n for n in names if types.get(n) == "geojson"]

    def make(row: Mapping[str, Any]) -> dict[str, Any]:
        out = {name: row[name] for name in names}
        for name in shapes:
            if out[name] is not None:
                out[name] = json.loads(out[name])
        for name, value in out.items():
            if isinstance(value, (date, datetime)):
                out[name] = value.isoformat()
        return out

    return make


def to_json_row(version: DatasetVersion, row: Mapping[str, Any], names: list[str]) -> dict[str, Any]:
    return json_row_maker(version, names)(row)


def stream_rows(
    session: Session, version: DatasetVersion, query: RowQuery, limit: int | None = None
) -> Iterator[Mapping[str, Any]]:
    """Every matching row in order (from `query.offset`, at most `limit`), fetched in
    batches (a server-side cursor on PostgreSQL).

    Not a generator: the statement runs and its first row is fetched before this returns,
    so whatever the database refuses is an error answer before a stream's first byte, not
    a file that breaks off in the middle. It runs on a connection of its own, closed when
    the rows run out: the request's session ends its transaction (after_request hooks
    commit) before the stream is read, and that would end a server-side cursor with it."""
    if limit is not None:
        whole_number(limit, "limit", low=0)
    conn = session.get_bind().connect()
    try:
        among = _among(version, narrowing(conn, version, query))
        _table, statement = select_rows(version, query, conn.dialect.name, keyset=False, among=among)
        if query.offset:
            statement = statement.offset(query.offset)
        if limit is not None:
            statement = statement.limit(limit)
        rows = conn.execution_options(stream_results=True, yield_per=2000).execute(statement).mappings()
        first = next(rows, None)
    except BaseException:
        conn.close()
        raise
    return RowStream(conn, first, rows)


class RowStream:
    """The rows of stream_rows, read on a connection of their own. Reading to the end, or
    close(), gives the connection back. The views also close it when their answer is closed
    (a HEAD request, a client gone before the first byte): a generator that never started
    would keep the connection, its transaction and its locks until garbage collection."""

    def __init__(self, conn, first: Mapping[str, Any] | None, rows) -> None:
        self._conn, self._first, self._rows = conn, first, rows

    def __iter__(self) -> RowStream:
        return self

    def __next__(self) -> Mapping[str, Any]:
        if self._first is not None:
            row, self._first = self._first, None
            return row
        if self._conn is None:
            raise StopIteration
        try:
            return next(self._rows)
        except BaseException:  # the end (StopIteration) or a failure: either way we are done
            self.close()
            raise

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()


class time_limit:  # noqa: N801 - used like a function: `with time_limit(conn, ms):`
    """Stop a query that runs longer than `ms` and report it as a 400 with advice."""

    def __init__(self, conn, ms: int):
        self.conn, self.ms = conn, ms

    def __enter__(self):
        if not self.ms:
            return self
        if self.conn.dialect.name == "sqlite":
            deadline = time.monotonic() + self.ms / 1000
            raw = self.conn.connection.driver_connection
            raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        else:
            self.conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(self.ms)}")
        return self

    def __exit__(self, kind, error, _tb):
        if self.ms and self.conn.dialect.name == "sqlite":
            self.conn.connection.driver_connection.set_progress_handler(None, 0)
        elif self.ms and not isinstance(error, sa.exc.DBAPIError):
            self.conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
        if isinstance(error, sa.exc.OperationalError) and _is_timeout(error):
            raise QueryTooSlow(
                _l("This query took longer than %(ms)d ms. Add filters, or download rows.csv instead.", ms=self.ms)
            ) from error
        return False


def _is_timeout(error: sa.exc.OperationalError) -> bool:
    text = str(error.orig).lower()
    return "interrupted" in text or "statement timeout" in text or "canceling statement" in text
