"""pyarrow's CSV reader (arrow_csv) and the column-wise passes built on it (batch_convert,
batch_placing) give what the csv module and the row-by-row passes give: the same records,
the same guesses and report, the same rows, the same placed coordinates, the same errors."""

from __future__ import annotations

import random
import sys

import pytest

from hackkit.ingest import IngestError, Overrides, arrow_csv, batch_typing, read_table, text

pytest.importorskip("pyarrow")


def test_blank_means_what_str_strip_means_over_all_of_unicode():
    import pyarrow as pa
    import pyarrow.compute as pc

    chars = [chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF]
    kept = pc.match_substring_regex(pa.array(chars), arrow_csv.NOT_SPACE).to_pylist()
    assert [c for c, k in zip(chars, kept, strict=True) if k != bool(c.strip())] == []


TRICKY = (
    'a,b,c\r\n1,"x, y",3\r\n'
    '2,"multi\nline ""quoted""",4\n'
    '5,"a"b,6\n'  # text after a closing quote
    '7,5" pipe,8\r'  # a stray quote inside a value, an old Mac line end
    "\n   \n,,\n \t, ,\u00a0\n"  # blank records of every kind
    "9,café,\u3000x\n"
    '10,"",\n'
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin_1"])
def test_records_are_the_csv_modules(tmp_path, encoding):
    path = tmp_path / "tricky.csv"
    path.write_bytes(TRICKY.encode(encoding, errors="replace"))
    expected = list(text.iter_records(path, encoding, ","))
    got = [
        list(row)
        for arrays in arrow_csv.batches(path, encoding, ",")
        for row in zip(*(a.to_pylist() for a in arrays), strict=True)
    ]
    assert got == expected
    skipped = [
        list(row)
        for arrays in arrow_csv.batches(path, encoding, ",", skip=2)
        for row in zip(*(a.to_pylist() for a in arrays), strict=True)
    ]
    assert skipped == expected[2:]


def test_a_quote_left_open_runs_to_the_end_of_the_file_in_both(tmp_path):
    path = tmp_path / "open.csv"
    path.write_text('a,b\n1,"open\n2,3\n')
    got = [a.to_pylist() for arrays in arrow_csv.batches(path, "utf-8", ",") for a in arrays]
    assert (
        got
        == [["a", "1"], ["b", "open\n2,3\n"]]
        == [list(c) for c in zip(*text.iter_records(path, "utf-8", ","), strict=True)]
    )


def test_undecodable_bytes_are_replaced_as_the_csv_module_replaces_them(tmp_path):
    path = tmp_path / "cp.csv"
    path.write_bytes(b"a;b\n1;caf\xe9 \x81\n")
    got = [a.to_pylist() for arrays in arrow_csv.batches(path, "cp1252", ";") for a in arrays]
    assert (
        got
        == [["a", "1"], ["b", "caf\u00e9 \ufffd"]]
        == [list(c) for c in zip(*text.iter_records(path, "cp1252", ";"), strict=True)]
    )


@pytest.mark.parametrize(
    "content",
    ["a,b\n1,2\n3\n", "a,b\n1,2\n3,4,5\n", "title\na,b\n1,2\n"],
    ids=["short record", "long record", "a title line"],
)
def test_files_the_readers_disagree_on_are_left_to_the_csv_module(tmp_path, content):
    path = tmp_path / "odd.csv"
    path.write_text(content)
    with pytest.raises(arrow_csv.NotPlain):
        list(arrow_csv.batches(path, "utf-8", ","))
    assert read_table(path).fast is False


def _edge_file(tmp_path, rng: random.Random, rows: int = 3000):
    head = "id;whole;amount;kommagetal;code;flag;day;when;dmy;label;wkt;lat;lon;x;y"
    lines = [head]
    for i in range(rows):
        lines.append(
            ";".join(
                [
                    str(i),
                    rng.choice(["0", "-0", "7", " 42 ", "NA", "", "x", "123456789012345678", "-12"]),
                    rng.choice(["0.5", "-0.0", "-0", "3", "1e5", " 2.25\t", "n.v.t.", ".", "-", "51.219400"]),
                    rng.choice(["1,5", "-2,25", "3", "1.234,5", "12 345,5", ""]),
                    rng.choice(["007", "0", "12", "0012"]),
                    rng.choice(["true", "FALSE", " yes ", "nee", "NA", "Waar"]),
                    rng.choice(["2024-01-31", " 2024-02-29 ", "2023-12-01", "NA", "2024-1-5", "0001-01-01"]),
                    rng.choice(["2024-01-31 08:30", "2024-01-31T08:30:00Z", ""]),
                    rng.choice(["31/01/2024", "1-2-2023", ""]),
                    rng.choice(["café", "cafÃ©", "plain", "  spaced  ", "null", "", "Ünïcode", "x"]),
                    rng.choice(["POINT (4.4 51.2)", "POINT (4.41 51.21)", ""]),
                    rng.choice([f"{rng.uniform(51.1, 51.3):.6f}", "", "NA", "95.5", "51,2", " 51.2 "]),
                    rng.choice([f"{rng.uniform(4.3, 4.5):.6f}", "4", "-181.0", "x"]),
                    rng.choice([f"{rng.uniform(140000, 160000):.2f}", "152000", ""]),
                    rng.choice([f"{rng.uniform(200000, 220000):.2f}", "211000", "?"]),
                ]
            )
        )
    path = tmp_path / "edges.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _read(path, overrides=None, monkeypatch=None):
    table = read_table(path, overrides)
    rows = [{k: repr(v) for k, v in row.items()} for chunk in table.chunks(700) for row in chunk]
    columns = [[repr(v) for v in values] for batch in table.column_batches() for values in batch]
    return table, rows, columns


@pytest.mark.parametrize("seed", range(4))
def test_a_file_read_by_pyarrow_imports_as_read_by_the_csv_module(tmp_path, monkeypatch, seed):
    path = _edge_file(tmp_path, random.Random(seed))
    chosen = [
        None,
        Overrides(geometry={"x": "x", "y": "y", "crs": "31370"}),
        Overrides(types={"whole": "text", "day": "datetime"}),
    ]
    for overrides in chosen[: 1 + seed % 3]:
        fast, fast_rows, fast_columns = _read(path, overrides)
        assert fast.fast
        with monkeypatch.context() as patched:
            patched.setattr(batch_typing, "available", lambda: False)
            slow, slow_rows, slow_columns = _read(path, overrides)
        assert not slow.fast
        assert fast.report == slow.report and fast.geometry == slow.geometry
        assert [c.__dict__ for c in fast.columns] == [c.__dict__ for c in slow.columns]
        assert fast_rows == slow_rows and fast_columns == slow_columns
        if overrides is None:
            kinds = {c.name: (c.type, c.fmt) for c in fast.columns}
    assert kinds["flag"] == ("boolean", None) and kinds["day"] == ("date", "ymd")  # 2024-1-5 too


def test_dates_booleans_and_numbers_are_converted_as_row_by_row(tmp_path, monkeypatch):
    lines = ["day;flag;n;note"] + [
        f"{d};{f};{n};é{i}"
        for i, (d, f, n) in enumerate(
            zip(
                ["2024-01-31", " 2024-02-29", "2024-1-05", "NA", "2020-12-31 ", "0999-05-05"] * 50,
                ["true", "No", " ja ", "", "FAUX", "oui"] * 50,
                ["1", "-0", "2.5", "1e5", "x", "9223372036854775807"] * 50,
                strict=True,
            )
        )
    ]
    path = tmp_path / "kinds.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fast = _read(path)
    assert {c.name: c.type for c in fast[0].columns} == {
        "day": "date",
        "flag": "boolean",
        "n": "number",
        "note": "text",
    }
    monkeypatch.setattr(batch_typing, "available", lambda: False)
    slow = _read(path)
    assert fast[1:] == slow[1:]


def test_a_value_that_does_not_fit_a_correction_is_named_as_row_by_row(tmp_path, monkeypatch):
    lines = ["a;b"] + [f"{i};{i}" for i in range(1, 3000)]
    lines[1500] = "1500;oops"  # the first bad value in row order is in column b...
    lines[2000] = "nope;2000"  # ...though column a also has one, later
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n")
    overrides = Overrides(types={"a": "integer", "b": "integer"})

    def error():
        with pytest.raises(IngestError) as raised:
            _read(path, overrides)
        return str(raised.value)

    fast = error()
    monkeypatch.setattr(batch_typing, "available", lambda: False)
    assert error() == fast
    assert "Row 1500, column b" in fast


def test_dates_as_text_are_what_sqlalchemy_stores_in_sqlite(tmp_path, monkeypatch):
    import sqlalchemy as sa
    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    store = sa.Date().dialect_impl(dialect).bind_processor(dialect)
    days = ["2024-01-31", " 2024-02-29 ", "0999-05-05", "0001-01-01", "2024-1-5", "NA", "9999-12-31"]
    path = tmp_path / "days.csv"
    path.write_text("day;n\n" + "".join(f"{d};{i}\n" for i, d in enumerate(days * 3)))
    for available in (True, False):
        monkeypatch.setattr(batch_typing, "available", lambda available=available: available)
        table = read_table(path)
        assert table.fast is available and table.columns[0].type == "date"
        as_dates = [v for batch in table.column_batches() for v in batch[0]]
        as_text = [v for batch in table.column_batches(dates_as_text=True) for v in batch[0]]
        assert as_text == [None if v is None else store(v) for v in as_dates]
        assert as_text[:5] == ["2024-01-31", "2024-02-29", "0999-05-05", "0001-01-01", "2024-01-05"]


@pytest.mark.parametrize("seed", range(5))
def test_outliers_from_arrays_are_those_from_lists(seed):
    import pyarrow as pa

    from hackkit.ingest import batch_placing, placing

    rng = random.Random(seed)
    count = rng.choice([5, 6, 120, 25_000])
    lons = [rng.choice([rng.uniform(4.3, 4.5), -0.0, 0.0, rng.uniform(-180, 180)]) for _ in range(count)]
    lats = [rng.choice([rng.uniform(51.1, 51.3), rng.uniform(-90, 90)]) for _ in range(count)]
    numbers = sorted(rng.sample(range(1, 10 * count), count))
    expected = placing.far_rows(numbers, lons, lats)
    got = batch_placing.far_rows(
        pa.array(numbers, pa.uint64()), pa.array(lons, pa.float64()), pa.array(lats, pa.float64())
    )
    assert got == expected
