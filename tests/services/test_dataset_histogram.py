"""Column histograms counted along the index give the counts of a GROUP BY on the bin."""

import random

import pytest
import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.services import dataset_tables


def _columns(rng: random.Random) -> dict[str, list]:
    count = 3000
    return {
        "edges": [rng.choice([0, 10, 20, 30, 100, 99, 1, None]) for _ in range(count)],  # on the bin edges
        "tenths": [rng.choice([0.1, 0.2, 0.3, 0.7, 0.9, 1.0, 0.6, -0.0]) for _ in range(count)],
        "spread": [rng.uniform(-1e6, 1e6) if rng.random() < 0.9 else None for _ in range(count)],
        "big": [1e15 + rng.randint(0, 3) * 0.125 for _ in range(count)],  # rounding at a large magnitude
        "ids": list(range(1, count + 1)),
        "one": [42] * count,
        "skewed": [rng.choice([1, 2, 3]) if rng.random() < 0.99 else 10**12 for _ in range(count)],
    }


@pytest.mark.parametrize("seed", range(3))
def test_histograms_along_the_index_are_those_of_a_group_by(app, seed):
    values = _columns(random.Random(seed))
    kinds = {"edges": "integer", "ids": "integer", "one": "integer", "skewed": "integer"}
    columns = [{"name": name, "type": kinds.get(name, "number"), "max_length": 0} for name in values]
    name = dataset_tables.new_table_name()
    with app.app_context(), db.engine.begin() as conn:
        table = dataset_tables.sa_table(name, columns)
        table.create(conn)
        rows = [dict(zip(values, row, strict=True)) for row in zip(*values.values(), strict=True)]
        conn.execute(table.insert(), [{dataset_tables.ROW_ID: i + 1, **row} for i, row in enumerate(rows)])
        dataset_tables.add_indexes(conn, table, columns)
        for column in columns:
            col = table.c[column["name"]]
            low, high = conn.execute(sa.select(sa.func.min(col), sa.func.max(col))).one()
            fast = dataset_tables._histogram(conn, col, float(low), float(high))
            assert fast == dataset_tables._histogram_grouped(conn, col, float(low), float(high)), column["name"]
            assert sum(fast["counts"]) == sum(v is not None for v in values[column["name"]])
        dataset_tables.drop(conn, name)
