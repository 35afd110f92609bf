"""The rows API's faster plans give the answers the plain ones gave: full-text search read in
row order and joined to the rows, range counts from sampled ranks, rows converted to JSON and
CSV by column type. Checked against pandas on both databases, with NULLs, text and numbers."""

import io
import random
import re

import pandas as pd
import pytest

from hackkit.services import dataset_rows
from tests.api.test_dataset_rows import all_pages, load_trips, normalise, records, sort_frame
from tests.datasets.helpers import import_file

TEXT_COLUMNS = ("category", "district", "note")


@pytest.fixture
def trips(app, tmp_path, monkeypatch):
    # A sample every few rows, so that 257 rows have many samples, runs of equal values
    # longer than a step, and bounds between, on and outside them.
    monkeypatch.setattr(dataset_rows, "RANK_STEP", 7)
    return load_trips(app, tmp_path)


def matching(frame: pd.DataFrame, words: str) -> pd.Series:
    """Rows holding every word (as a whole word, any case) in one of their text columns."""
    found = pd.Series(True, index=frame.index)
    for word in words.lower().split():
        pattern = re.compile(rf"\b{re.escape(word)}\b")
        in_any = pd.Series(False, index=frame.index)
        for column in TEXT_COLUMNS:
            in_any |= frame[column].fillna("").str.lower().map(lambda text, p=pattern: bool(p.search(text)))
        found &= in_any
    return found


SEARCHES = [  # (words, filters, the same filters in pandas)
    ("busy", "", lambda f: f),
    ("busy square", "", lambda f: f),
    ("park", "score__gt=10", lambda f: f[f.score > 10]),
    ("park", "category=bus&district=Berchem", lambda f: f[(f.category == "bus") & (f.district == "Berchem")]),
    ("street", "score__isnull=true", lambda f: f[f.score.isna()]),
    ("bus", "amount__gte=20&amount__lt=80", lambda f: f[(f.amount >= 20) & (f.amount < 80)]),
    ("berchem quiet", "day__gte=2024-02-01", lambda f: f[f.day >= "2024-02-01"]),
]


@pytest.mark.parametrize("sort", [None, ("score", False), ("amount", True), ("day", False)], ids=str)
def test_search_with_filters_sorts_and_pages_matches_pandas(client, trips, sort):
    for words, filters, select in SEARCHES:
        url = f"/api/v1/datasets/trips/rows?_search={words}&{filters}"
        expected = select(trips)
        expected = expected[matching(expected, words)]
        if sort:
            column, desc = sort
            url += f"&_sort{'_desc' if desc else ''}={column}"
            expected = sort_frame(expected, column, desc)
        assert normalise(all_pages(client, url, size=5)) == normalise(records(expected)), url
        for count, total in (("exact", len(expected)), ("capped", len(expected)), ("none", None)):
            body = client.get(f"{url}&_size=3&_total={count}").get_json()
            assert body["total"] == total, (url, count)
    # The CSV stream and OFFSET pages (CKAN's datastore_search) read the same matches in order.
    csv = client.get("/api/v1/datasets/trips/rows.csv?_search=busy&score__gt=0").get_data(as_text=True)
    expected = trips[(trips.score > 0) & matching(trips, "busy")]
    assert pd.read_csv(io.StringIO(csv)).id.tolist() == expected.id.tolist()


def random_bound(rng: random.Random, column: str) -> str:
    if column == "score":
        return str(rng.randint(-7, 42))
    if column == "amount":
        return rng.choice(["0", "100", "50.5", f"{rng.uniform(-1, 101):.2f}"])
    if column == "id":
        return str(rng.randint(-1, 260))
    return f"2024-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"


OPS = {"gt": "__gt__", "gte": "__ge__", "lt": "__lt__", "lte": "__le__"}


def test_range_counts_on_one_column_are_exact(client, trips):
    """One or two bounds on one column, counted from the sampled ranks: values on a sample,
    between samples, below the first and past the last, runs of equal values, NULLs left out,
    and an empty range (the lower bound above the upper)."""
    rng = random.Random(9)
    for _ in range(60):
        column = rng.choice(["score", "amount", "id", "day"])
        ops = rng.sample(list(OPS), rng.choice([1, 2]))
        bounds = [(op, random_bound(rng, column)) for op in ops]
        query = "&".join(f"{column}__{op}={value}" for op, value in bounds)
        keep = pd.Series(True, index=trips.index)
        for op, value in bounds:
            typed = value if column == "day" else float(value)
            keep &= getattr(trips[column], OPS[op])(typed) & trips[column].notna()
        for count in ("exact", "capped"):
            body = client.get(f"/api/v1/datasets/trips/rows?{query}&_size=2&_total={count}").get_json()
            assert body["total"] == int(keep.sum()), (query, count)


def test_equality_on_two_columns_with_a_threshold_and_nulls(client, trips):
    cases = [
        (
            "category=bus&district=Berchem&score__gt=5",
            lambda f: (f.category == "bus") & (f.district == "Berchem") & (f.score > 5),
        ),
        (
            "category__isnull=true&district=Deurne&amount__lte=50",
            lambda f: f.category.isna() & (f.district == "Deurne") & (f.amount <= 50),
        ),
        ("district=Hoboken&score=3", lambda f: (f.district == "Hoboken") & (f.score == 3)),
        (
            "note=quiet street&open=true&day__lt=2024-02-10",
            lambda f: (f.note == "quiet street") & (f.open == True) & (f.day < "2024-02-10"),  # noqa: E712
        ),
    ]
    for query, select in cases:
        expected = trips[select(trips)]
        url = f"/api/v1/datasets/trips/rows?{query}"
        assert normalise(all_pages(client, url, size=4)) == normalise(records(expected)), query
        assert client.get(url + "&_size=1").get_json()["total"] == len(expected), query


def test_csv_cells_keep_their_form(client, app, tmp_path):
    """Cells as before the per-column writers: text made spreadsheet-safe, numbers as Python
    writes them, dates as ISO text, booleans as true/false, NULL as an empty cell."""
    (tmp_path / "cells.csv").write_text(
        "id,label,amount,day,flag\n1,=SUM(A1),1.5,2024-01-02,true\n2,-3,,2024-01-03,false\n"
        "3,,2,,\n4,+32 3 123,0.1,2024-02-29,true\n"
    )
    import_file(app, tmp_path / "cells.csv", slug="cells")
    text = client.get("/api/v1/datasets/cells/rows.csv").get_data(as_text=True)
    assert text.splitlines() == [
        "id,label,amount,day,flag",
        "1,'=SUM(A1),1.5,2024-01-02,true",
        "2,-3,,2024-01-03,false",
        "3,,2.0,,",
        "4,+32 3 123,0.1,2024-02-29,true",
    ]
    rows = client.get("/api/v1/datasets/cells/rows").get_json()["rows"]
    assert rows[0] == {"id": 1, "label": "=SUM(A1)", "amount": 1.5, "day": "2024-01-02", "flag": True}
    assert rows[2] == {"id": 3, "label": None, "amount": 2.0, "day": None, "flag": None}
