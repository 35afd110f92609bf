"""Columns named like SQL's own words: a city file may have a column `nothing`, `rank` or
`rowid`. The import keeps the name, and filters, sorting and full-text search work on it."""

import pytest

from tests.datasets.helpers import import_file, write_csv

NAMES = ["nothing", "rowid", "rank", "select", "order", "group", "do", "filter", "window", "values", "check", "key"]


@pytest.mark.parametrize("name", NAMES)
def test_a_column_named_like_an_sql_word_imports_and_is_filtered_sorted_and_searched(app, client, tmp_path, name):
    csv = f"place;{name}\nMeir;alpha\nZuid;beta\nNoord;alpha\n"
    import_file(app, write_csv(tmp_path, "words.csv", csv), slug="words")
    filtered = client.get(f"/api/v1/datasets/words/rows?{name}=alpha&_sort=place&_fields=place,{name}")
    assert filtered.status_code == 200, filtered.get_data(as_text=True)
    assert [row["place"] for row in filtered.get_json()["rows"]] == ["Meir", "Noord"]
    assert [row[name] for row in filtered.get_json()["rows"]] == ["alpha", "alpha"]
    assert client.get("/api/v1/datasets/words/rows?_search=Zuid").get_json()["total"] == 1
    csv_out = client.get(f"/api/v1/datasets/words/rows.csv?{name}=beta").get_data(as_text=True)
    assert csv_out.splitlines()[1].startswith("Zuid")
