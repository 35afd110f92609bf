"""Generated files with the problems real exports have: each reads right or fails clearly."""

import json

import pytest

from hackkit.ingest import IngestError, Overrides, read_table


def write(tmp_path, name, data: bytes | str, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return path


def rows_of(table):
    return [row for chunk in table.chunks(2) for row in chunk]


@pytest.mark.parametrize(
    "encoding,data",
    [
        ("utf-8", "naam;prijs\ncafé;3,5\nbrasserie;4\n"),
        ("utf-8-sig", "naam;prijs\ncafé;3,5\nbrasserie;4\n"),
        ("cp1252", "naam;prijs\ncafé;3,5\nbrasserie;4\n"),
        ("latin-1", "naam;prijs\ncafé;3,5\nbrasserie;4\n"),
    ],
)
def test_encodings_are_detected_and_accents_survive(tmp_path, encoding, data):
    table = read_table(write(tmp_path, "f.csv", data, encoding))
    rows = rows_of(table)
    assert rows[0] == {"naam": "café", "prijs": 3.5}
    assert table.columns[0].name == "naam"  # a BOM does not end up in the first name


def test_double_encoded_utf8_is_repaired(tmp_path):
    mangled = "naam\ncafé\nFloraliënlaan\n".encode().decode("cp1252").encode("utf-8")
    table = read_table(write(tmp_path, "f.csv", mangled))
    assert [r["naam"] for r in rows_of(table)] == ["café", "Floraliënlaan"]
    assert table.report["repaired_values"] == 2


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_detected(tmp_path, delimiter):
    data = delimiter.join(["id", "name", "score"]) + "\n" + delimiter.join(["1", "a, b; c", "2.5"]) + "\n"
    data = data.replace("a, b; c", '"a, b; c"') if delimiter in ",;" else data
    table = read_table(write(tmp_path, "f.txt", data))
    assert table.source.delimiter == delimiter
    assert rows_of(table) == [{"id": 1, "name": "a, b; c", "score": 2.5}]


def test_ragged_rows_are_padded_and_extra_fields_kept(tmp_path):
    table = read_table(write(tmp_path, "f.csv", "a,b,c\n1,2\n3,4,5,6\n7,8,9\n"))
    assert [c.name for c in table.columns] == ["a", "b", "c", "column_4"]
    assert rows_of(table)[0] == {"a": 1, "b": 2, "c": None, "column_4": None}
    assert table.report["ragged_rows"] == 2


@pytest.mark.parametrize("data", [b"", b"\n\n  \n", b"\xef\xbb\xbf"])
def test_empty_files_fail_with_one_clear_message(tmp_path, data):
    with pytest.raises(IngestError, match="empty|no rows"):
        read_table(write(tmp_path, "f.csv", data))


def test_single_column_file(tmp_path):
    table = read_table(write(tmp_path, "f.txt", "straat\nMeir\nGroenplaats, zuid\n"))
    assert [c.name for c in table.columns] == ["straat"]
    assert [r["straat"] for r in rows_of(table)] == ["Meir", "Groenplaats, zuid"]


def test_huge_field_is_read_whole(tmp_path):
    big = "x" * 1_000_000
    table = read_table(write(tmp_path, "f.csv", f'id,blob\n1,"{big}"\n2,small\n'))
    assert rows_of(table)[0]["blob"] == big


def test_formula_looking_cells_stay_plain_text(tmp_path):
    table = read_table(write(tmp_path, "f.csv", 'id,note\n1,=SUM(A1:A3)\n2,"@cmd"\n3,+31 3\n'))
    assert [r["note"] for r in rows_of(table)] == ["=SUM(A1:A3)", "@cmd", "+31 3"]


def test_types_missing_markers_and_leading_zero_codes(tmp_path):
    data = (
        "code;count;amount;big;flag;day;stamp;label\n"
        "0123;1;1.234,5;1,234,567.5;ja;01/02/2024;2024-02-01T10:00:00Z;x\n"
        "0456;NA;2,0;2.5;nee;15/02/2024;2024-02-01 11:30;<Null>\n"
        "0789;-;?;null;;28/02/2024;;y\n"
    )
    table = read_table(write(tmp_path, "f.csv", data))
    types = {c.name: c.type for c in table.columns}
    assert types == {
        "code": "text",
        "count": "integer",
        "amount": "number",
        "big": "number",
        "flag": "boolean",
        "day": "date",
        "stamp": "datetime",
        "label": "text",
    }
    rows = rows_of(table)
    assert rows[0]["amount"] == 1234.5 and rows[0]["big"] == 1234567.5 and rows[0]["code"] == "0123"
    assert rows[1]["count"] is None and rows[2]["amount"] is None and rows[1]["label"] is None
    assert str(rows[1]["day"]) == "2024-02-15" and rows[0]["stamp"].hour == 10


def test_headerless_file_gets_numbered_columns(tmp_path):
    table = read_table(write(tmp_path, "f.csv", "1,2.5,a\n2,3.5,b\n3,4.5,c\n"))
    assert not table.header
    assert [c.name for c in table.columns] == ["column_1", "column_2", "column_3"]
    assert len(rows_of(table)) == 3


def test_names_are_cleaned_and_titles_kept(tmp_path):
    table = read_table(write(tmp_path, "f.csv", "Straat Naam,Straat naam,2020 (€),\na,b,1,2\n"))
    assert [c.name for c in table.columns] == ["straat_naam", "straat_naam_2", "c_2020", "column_4"]
    assert table.columns[2].title == "2020 (€)"


def test_overrides_change_any_guess(tmp_path):
    path = write(tmp_path, "f.csv", "1;2\n3;4\n")
    table = read_table(path, Overrides(header=True, types={"c_1": "text"}))
    assert [c.name for c in table.columns] == ["c_1", "c_2"]
    assert rows_of(table) == [{"c_1": "3", "c_2": 4}]
    with pytest.raises(IngestError, match="Row 1, column c_2: '4' is not a valid boolean"):
        list(read_table(path, Overrides(header=True, types={"c_2": "boolean"})).chunks())
    single = read_table(path, Overrides(delimiter="none", header=False))
    assert rows_of(single) == [{"column_1": "1;2"}, {"column_1": "3;4"}]
    with pytest.raises(IngestError, match="no column"):
        read_table(path, Overrides(types={"nope": "text"}))


def test_lambert72_and_rd_new_coordinates_become_wgs84(tmp_path):
    lambert = read_table(write(tmp_path, "l.csv", "naam,x,y\nGroenplaats,152400,211700\nMeir,153100,211900\n"))
    assert lambert.geometry["from"]["crs"] == "EPSG:31370"
    row = rows_of(lambert)[0]
    assert 51.2 < row["latitude"] < 51.23 and 4.39 < row["longitude"] < 4.42
    rd = read_table(write(tmp_path, "r.csv", "naam,x_coord,y_coord\nDam,121400,487400\nZuid,120000,485000\n"))
    assert rd.geometry["from"]["crs"] == "EPSG:28992"
    row = rows_of(rd)[0]
    assert 52.35 < row["latitude"] < 52.38 and 4.88 < row["longitude"] < 4.91


def test_wkt_and_geojson_columns_are_found(tmp_path):
    wkt = read_table(write(tmp_path, "w.csv", 'id;wkt\n1;POINT (4.4 51.2)\n2;"LINESTRING (4.4 51.2, 4.5 51.3)"\n'))
    assert wkt.geometry["from"]["kind"] == "wkt"
    assert json.loads(rows_of(wkt)[0]["geometry"]) == {"type": "Point", "coordinates": [4.4, 51.2]}
    shape = json.dumps({"type": "Point", "coordinates": [4.4, 51.2]}).replace('"', '""')
    gj = read_table(write(tmp_path, "g.csv", f'id;shape\n1;"{shape}"\n'))
    assert {k: gj.geometry[k] for k in ("type", "column", "detected", "detected_message", "placed")} == {
        "type": "geojson",
        "column": "shape",
        "detected": "shapes written as GeoJSON in column shape",
        "detected_message": {"id": "shapes written as GeoJSON in column %(column)s", "params": {"column": "shape"}},
        "placed": 1,
    }
    assert json.loads(rows_of(gj)[0]["shape"])["coordinates"] == [4.4, 51.2]


def test_geojson_json_and_xlsx_files(tmp_path):
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "a", "n": 1},
                "geometry": {"type": "Point", "coordinates": [4.4, 51.2]},
            },
            {"type": "Feature", "properties": {"name": "b", "n": 2}, "geometry": None},
        ],
    }
    table = read_table(write(tmp_path, "f.geojson", json.dumps(collection)))
    assert table.report["format"] == "geojson" and table.geometry["type"] == "geojson"
    rows = rows_of(table)
    assert rows[0]["n"] == 1 and json.loads(rows[0][table.geometry["column"]])["type"] == "Point"
    assert rows[1][table.geometry["column"]] is None

    records = {"data": [{"id": "007", "v": 1.5, "ok": True}, {"id": "008", "v": None, "ok": False, "extra": "x"}]}
    table = read_table(write(tmp_path, "f.json", json.dumps(records)))
    assert {c.name: c.type for c in table.columns} == {"id": "text", "v": "number", "ok": "boolean", "extra": "text"}

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Naam", "Aantal", "Datum"])
    sheet.append(["Meir", 3, __import__("datetime").datetime(2024, 5, 1)])
    sheet.append(["Groenplaats", 4.5, __import__("datetime").datetime(2024, 5, 2)])
    book.save(tmp_path / "f.xlsx")
    table = read_table(tmp_path / "f.xlsx")
    assert {c.name: c.type for c in table.columns} == {"naam": "text", "aantal": "number", "datum": "date"}


@pytest.mark.parametrize(
    "data,message",
    [
        (b"\x00\x01\x02\x03binary\x00\x00" * 50, "not a table"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "xls"),
        (b"PK\x03\x04garbage", "cannot be opened"),
        (b'{"a": 1}', "no list of records"),
        (b"[1, 2", "not valid JSON"),
    ],
)
def test_unreadable_files_fail_with_one_clear_line(tmp_path, data, message):
    name = "f.json" if data.startswith((b"{", b"[")) else "f.bin"
    with pytest.raises(IngestError, match=message) as error:
        table = read_table(write(tmp_path, name, data))
        list(table.chunks())
    assert "\n" not in str(error.value)


def test_chunks_stream_a_big_file_without_holding_it(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w") as handle:
        handle.write("id,value\n")
        for i in range(50_000):
            handle.write(f"{i},{i * 0.5}\n")
    table = read_table(path)
    sizes = [len(chunk) for chunk in table.chunks(10_000)]
    assert sizes == [10_000] * 5 and table.rows == 50_000
