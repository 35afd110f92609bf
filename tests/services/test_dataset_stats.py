"""Column statistics asked of the indexes give the plain aggregates, and on SQLite the planner's
statistics written from them are those ANALYZE writes."""

import datetime
import random

import pytest
import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.services import dataset_tables


def _values(rng: random.Random, count: int) -> dict[str, tuple[str, list]]:
    day = datetime.date(2024, 1, 1)
    return {
        "ids": ("integer", list(range(1, count + 1))),
        # Nearly all distinct: ANALYZE writes 1 row per value there, not 2.
        "nearly": ("integer", [i // 2 if i < count // 12 else i for i in range(count)]),
        "twos": ("integer", [i // 2 for i in range(count)]),
        "sparse": (
            "number",
            [rng.choice([-0.0, 0.5, 1e15, -3.25]) if rng.random() < 0.3 else None for _ in range(count)],
        ),
        "empty": ("number", [None] * count),
        "flags": ("boolean", [rng.choice([True, False, None]) for _ in range(count)]),
        "days": ("date", [day + datetime.timedelta(days=rng.randint(0, 400)) for _ in range(count)]),
        "words": ("text", [rng.choice(["Berchem", "berchem", "Zurenborg", "", None, "Ædegem"]) for _ in range(count)]),
        "prose": ("text", [("long " * 60) + str(rng.randint(0, 5)) for _ in range(count)]),  # not indexed
        "shape": (
            "geojson",
            ['{"type": "Point", "coordinates": [4.4, 51.2]}' if i % 3 else None for i in range(count)],
        ),
    }


def _load(conn, rng: random.Random, count: int):
    values = _values(rng, count)
    columns = [
        {"name": name, "type": kind, "max_length": max((len(v) for v in data if isinstance(v, str)), default=0)}
        for name, (kind, data) in values.items()
    ]
    name = dataset_tables.new_table_name()
    table = dataset_tables.sa_table(name, columns)
    table.create(conn)
    rows = [dict(zip(values, row, strict=True)) for row in zip(*(data for _, data in values.values()), strict=True)]
    if rows:
        conn.execute(table.insert(), [{dataset_tables.ROW_ID: i + 1, **row} for i, row in enumerate(rows)])
    dataset_tables.add_indexes(conn, table, columns, analyze=False)
    return name, table, columns, values


@pytest.mark.parametrize("seed", range(2))
def test_column_stats_are_the_plain_aggregates(app, seed):
    with app.app_context(), db.engine.begin() as conn:
        name, table, columns, values = _load(conn, random.Random(seed), 1200)
        stats = dataset_tables.column_stats(conn, name, columns, 1200)
        for column, got in zip(columns, stats, strict=True):
            col, kind = table.c[column["name"]], column["type"]
            present = [v for v in values[column["name"]][1] if v is not None]
            assert got["nulls"] == 1200 - len(present), column["name"]
            if kind == "geojson":
                assert (got["distinct"], got["min"], got["max"]) == (None, None, None)
                continue
            ordered = sa.cast(col, sa.Integer) if kind == "boolean" else col
            low, high, distinct = conn.execute(
                sa.select(sa.func.min(ordered), sa.func.max(ordered), sa.func.count(sa.distinct(col)))
            ).one()
            if kind == "boolean" and low is not None:
                low, high = bool(low), bool(high)
            expected = [dataset_tables._plain(v) for v in (low, high)]
            assert [got["min"], got["max"], got["distinct"]] == [*expected, distinct], column["name"]
        dataset_tables.drop(conn, name)


@pytest.mark.parametrize("count", [1200, 7, 1])
def test_planner_statistics_are_those_analyze_writes(app, count):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("sqlite_stat1 is SQLite's")
        with db.engine.begin() as conn:
            name, _, columns, _ = _load(conn, random.Random(count), count)
            dataset_tables.column_stats(conn, name, columns, count)
            query = "SELECT idx, stat FROM sqlite_stat1 WHERE tbl = ? ORDER BY idx"
            written = conn.exec_driver_sql(query, (name,)).all()
            conn.exec_driver_sql(f'ANALYZE "{name}"')
            assert written == conn.exec_driver_sql(query, (name,)).all()
            assert len(written) == 8  # every column but the long text and the shape has an index
            dataset_tables.drop(conn, name)
