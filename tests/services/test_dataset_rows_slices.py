"""OFFSET slices of a version's rows (what CKAN's datastore_search needs): several sort
columns with NULLs, distinct rows and their count, and streams that start and stop."""

import pytest

from hackkit.extensions import db
from hackkit.models import Dataset
from hackkit.services import dataset_rows
from hackkit.services.dataset_rows import RowQuery
from hackkit.services.errors import Invalid
from tests.datasets.helpers import import_file, write_csv

CSV = "wijk,score\nNoord,3\nZuid,\nNoord,1\nOost,3\nZuid,2\n"


@pytest.fixture
def version(app, tmp_path):
    import_file(app, write_csv(tmp_path, "w.csv", CSV), slug="wijken")
    with app.app_context():
        yield db.session.query(Dataset).one().current


def test_several_sort_columns_with_nulls_smallest(app, version):
    query = RowQuery(order=[("score", True), ("wijk", False)], offset=1)
    page = dataset_rows.fetch_slice(db.session, version, query, limit=3, time_limit_ms=1000)
    assert [(r["wijk"], r["score"]) for r in page["rows"]] == [("Oost", 3), ("Zuid", 2), ("Noord", 1)]
    assert page["total"] == 5


def test_distinct_rows_are_counted_as_distinct(app, version):
    query = RowQuery(fields=["wijk"], distinct=True, order=[("wijk", False)])
    page = dataset_rows.fetch_slice(db.session, version, query, limit=10, time_limit_ms=1000)
    assert [r["wijk"] for r in page["rows"]] == ["Noord", "Oost", "Zuid"] and page["total"] == 3
    sorted_elsewhere = RowQuery(fields=["wijk"], distinct=True, order=[("score", False)])
    with pytest.raises(Invalid):
        dataset_rows.fetch_slice(db.session, version, sorted_elsewhere, limit=10, time_limit_ms=1000)


def test_filtered_slices_count_the_matches_and_streams_honour_offset_and_limit(app, version):
    query = RowQuery(filters=[("wijk", "exact", "Zuid")])
    page = dataset_rows.fetch_slice(db.session, version, query, limit=0, time_limit_ms=1000)
    assert page["rows"] == [] and page["total"] == 2
    assert dataset_rows.fetch_slice(db.session, version, query, 1, 1000, count=False)["total"] is None
    streamed = list(dataset_rows.stream_rows(db.session, version, RowQuery(offset=1), limit=2))
    assert [r["_id"] for r in streamed] == [2, 3]
