"""`hackkit datasets import`: reports what it detected; unreadable files fail cleanly."""

import pytest

from tests.datasets.helpers import REALDATA, dataset_tables, write_csv


def test_import_prints_what_it_detected(runner, tmp_path):
    path = write_csv(tmp_path, "stops.csv", "id;name;lat;lon\n1;Meir;51.218;4.41\n2;Zuid;51.2;4.39\n")
    result = runner.invoke(args=["datasets", "import", str(path), "--title", "Stops", "--license", "CC-BY-4.0"])
    assert result.exit_code == 0, result.output
    for expected in (
        "stops (new dataset, published): 2 rows",
        "delimiter semicolon",
        "encoding utf-8",
        "lat",
        "number",
    ):
        assert expected in result.output
    assert "Geometry: points from the latitude/longitude columns lat/lon" in result.output
    again = runner.invoke(args=["datasets", "import", str(path), "--slug", "stops", "--draft"])
    assert "identical to version 1 of stops" in again.output  # the same file and settings: nothing new


def test_unreadable_file_exits_non_zero_with_one_line_and_nothing_left(runner, app, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a spreadsheet")
    result = runner.invoke(args=["datasets", "import", str(path)])
    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1 and "cannot be" in result.output
    assert dataset_tables(app, with_search_tables=True) == set()


def test_bad_licence_is_refused_before_anything_is_made(runner, app, tmp_path):
    result = runner.invoke(args=["datasets", "import", str(write_csv(tmp_path, "a.csv", "a\n1\n")), "--license", "x"])
    assert result.exit_code != 0 and "license" in result.output
    assert dataset_tables(app, with_search_tables=True) == set()


@pytest.mark.skipif(not REALDATA.is_dir(), reason="no real-data corpus")
def test_every_real_file_imports_without_flags(runner, app):
    for path in sorted(REALDATA.glob("*/*.csv")):
        result = runner.invoke(args=["datasets", "import", str(path)])
        assert result.exit_code == 0, f"{path.name}: {result.output}"
    assert len(dataset_tables(app)) >= 7
