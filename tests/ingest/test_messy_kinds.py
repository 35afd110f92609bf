"""The kinds of real-world mess of issue 14, each in a small file written here."""

import json

import pytest

from hackkit.ingest import IngestError, Overrides, read_table
from hackkit.ingest.table import MAX_TITLE_CHARS


def write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding=encoding)
    return path


def rows_of(table):
    return [row for chunk in table.chunks(50) for row in chunk]


def notes_of(table):
    return " | ".join(table.report["notes"])


# 1. GeoJSON whose properties also hold coordinates


def feature(i, with_latlon):
    props = {"naam": f"Bank {i}", "lat": 51.21 + i / 1000 if with_latlon else None}
    props["lon"] = 4.40 + i / 1000 if with_latlon else None
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [4.40 + i / 1000, 51.21 + i / 1000]},
        "properties": props,
    }


def test_geojson_feature_geometry_wins_over_lat_lon_properties_filled_for_some(tmp_path):
    features = [feature(i, with_latlon=i < 6) for i in range(10)]
    path = write(tmp_path, "banken.geojson", json.dumps({"type": "FeatureCollection", "features": features}))
    table = read_table(path)
    assert table.geometry["type"] == "geojson" and table.geometry["column"] == "geometry"
    assert table.geometry["placed"] == 10
    assert sum(1 for row in rows_of(table) if row["geometry"]) == 10
    # The property pair is listed as a candidate the correction can choose, not used.
    offered = {json.dumps(c["override"], sort_keys=True): c for c in table.report["geometry_candidates"]}
    assert offered[json.dumps({"lat": "lat", "lon": "lon"}, sort_keys=True)]["placed"] == 6
    assert "Each feature's own geometry was used" in notes_of(table)


def test_geojson_geometry_property_is_read_only_when_features_have_no_geometry(tmp_path):
    point = json.dumps({"type": "Point", "coordinates": [4.41, 51.22]})
    without = [{"type": "Feature", "geometry": None, "properties": {"naam": "Bank", "geometry": point}}] * 3
    table = read_table(write(tmp_path, "a.geojson", json.dumps({"type": "FeatureCollection", "features": without})))
    assert table.geometry["column"] == "geometry_property" and table.geometry["placed"] == 3
    assert json.loads(rows_of(table)[0]["geometry_property"])["coordinates"] == [4.41, 51.22]

    other = {"type": "Point", "coordinates": [3.7, 51.05]}
    both = [{"type": "Feature", "geometry": other, "properties": {"naam": "Bank", "geometry": point}}] * 3
    table = read_table(write(tmp_path, "b.geojson", json.dumps({"type": "FeatureCollection", "features": both})))
    assert table.geometry["column"] == "geometry"
    assert json.loads(rows_of(table)[0]["geometry"])["coordinates"] == [3.7, 51.05]


# 2. Headerless CSV/TSV whose first row is all text


def test_headerless_tsv_whose_first_row_is_text_keeps_that_row_as_data(tmp_path):
    lines = [
        "De Koffiebar\t\thttps://example.org/koffiebar",
        "Bakkerij Peeters\tMeir 12\thttps://example.org/peeters",
        "Boekhandel Zuid\tLeopoldstraat 3\thttps://example.org/zuid",
        "Fietsherstel Noord\tDamplein 8\thttps://example.org/noord",
    ]
    table = read_table(write(tmp_path, "winkels.tsv", "\n".join(lines) + "\n"))
    assert table.header is False and table.rows == 4
    assert rows_of(table)[0]["column_1"] == "De Koffiebar"
    assert "read as data" in notes_of(table) and "https://example.org/koffiebar" in notes_of(table)


def test_first_row_with_the_same_pattern_as_its_column_is_data(tmp_path):
    content = "AB-101;Groen\nCD-202;Rood\nEF-303;Blauw\nGH-404;Geel\n"
    table = read_table(write(tmp_path, "codes.csv", content))
    assert table.header is False and table.rows == 4


def test_a_real_header_of_text_over_numbers_is_still_a_header(tmp_path):
    table = read_table(write(tmp_path, "h.csv", "naam;aantal\nMeir;3\nZuid;4\n"))
    assert table.header is True and table.rows == 2
    assert "read as column names" in notes_of(table) and '"aantal"' in notes_of(table)


# 3. Polygons as lng:lat|lng:lat text with two rings in one cell


SQUARE = "4.40:51.20|4.50:51.20|4.50:51.30|4.40:51.30|4.40:51.20"
HOLE = "4.44:51.24|4.46:51.24|4.46:51.26|4.44:51.26|4.44:51.24"
FAR_SQUARE = "4.60:51.20|4.70:51.20|4.70:51.30|4.60:51.30|4.60:51.20"


def test_lnglat_rings_become_polygons_with_holes_and_multipolygons(tmp_path):
    unclosed = "4.40:51.20|4.50:51.20|4.50:51.30|4.40:51.30"
    bowtie = "4.40:51.20|4.50:51.30|4.50:51.20|4.40:51.30|4.40:51.20"
    content = (
        f"naam;polygon\nMet gat;{SQUARE}|{HOLE}\nTwee delen;{SQUARE}|{FAR_SQUARE}\nOpen;{unclosed}\nStrik;{bowtie}\n"
    )
    table = read_table(write(tmp_path, "districten.csv", content))
    assert table.geometry["from"]["kind"] == "lnglat"
    shapes = [json.loads(row["geometry"]) for row in rows_of(table)]
    assert shapes[0]["type"] == "Polygon" and len(shapes[0]["coordinates"]) == 2
    assert shapes[1]["type"] == "MultiPolygon" and len(shapes[1]["coordinates"]) == 2
    assert shapes[2]["type"] == "Polygon" and shapes[2]["coordinates"][0][0] == shapes[2]["coordinates"][0][-1]
    assert shapes[3]["type"] == "MultiPolygon"  # the crossing outline mended into two triangles
    notes = notes_of(table)
    assert "Rows 3: a shape's outline did not end where it began; the importer closed it." in notes
    assert "Rows 4: a shape was invalid" in notes


# 4. Epoch timestamps


def test_epoch_seconds_and_milliseconds_in_date_columns_become_date_times(tmp_path):
    content = "id,created_at,EditDate,aantal\n1,1452271364,1555565323000,1452271364\n2,1452271400,1555565400000,17\n"
    table = read_table(write(tmp_path, "arcgis.csv", content))
    types = {c.name: c.type for c in table.columns}
    assert types == {"id": "integer", "created_at": "datetime", "editdate": "datetime", "aantal": "integer"}
    first = rows_of(table)[0]
    assert first["created_at"].isoformat() == "2016-01-08T16:42:44"
    assert first["editdate"].isoformat() == "2019-04-18T05:28:43"


def test_the_date_correction_accepts_epoch_numbers_and_yyyymmdd(tmp_path):
    content = "meting,stand\n1452271364,3\n1555565323000,4\n20150322,5\n"
    table = read_table(write(tmp_path, "m.csv", content), Overrides(types={"meting": "datetime"}))
    values = [row["meting"].isoformat() for row in rows_of(table)]
    assert values == ["2016-01-08T16:42:44", "2019-04-18T05:28:43", "2015-03-22T00:00:00"]
    table = read_table(write(tmp_path, "m2.csv", content), Overrides(types={"meting": "date"}))
    assert [row["meting"].isoformat() for row in rows_of(table)] == ["2016-01-08", "2019-04-18", "2015-03-22"]


def test_numbers_without_a_date_name_stay_numbers(tmp_path):
    table = read_table(write(tmp_path, "n.csv", "bezoekers\n1452271364\n1452271400\n"))
    assert table.columns[0].type == "integer"


# 5. Several candidate coordinate pairs


def test_the_pair_that_places_most_rows_wins_and_far_rows_are_named(tmp_path):
    lines = ["naam;lat.x;lon.x;lat.y;lon.y;rdx;rdy"]
    for i in range(12):
        lat_x = f"{52.37 + i / 1000:.4f}" if i < 3 else ""
        lon_x = f"{4.89 + i / 1000:.4f}" if i < 3 else ""
        rd = (f"{121000 + i * 10}", f"{487000 + i * 10}") if i < 8 else ("", "")
        lines.append(f"Plek {i};{lat_x};{lon_x};{52.37 + i / 1000:.4f};{4.89 + i / 1000:.4f};{rd[0]};{rd[1]}")
    lines.append("Ver weg;;;-33.86;151.21;;")  # Sydney: placed, far from the rest, kept
    table = read_table(write(tmp_path, "plekken.csv", "\n".join(lines) + "\n"))
    assert (table.geometry["lat"], table.geometry["lon"]) == ("lat_y", "lon_y")
    placed = {c["detected"]: c["placed"] for c in table.report["geometry_candidates"]}
    assert sorted(placed.values()) == [3, 8, 13]
    offered = [c["override"] for c in table.report["geometry_candidates"]]
    assert {"x": "rdx", "y": "rdy", "crs": "EPSG:28992"} in offered and {"lat": "lat_x", "lon": "lon_x"} in offered
    notes = notes_of(table)
    assert "lat_y/lon_y: 13; lat_x/lon_x: 3; rdx/rdy (Dutch RD New): 8" in notes
    assert "Rows far away from where the other rows are: 13 (1 in all)." in notes
    assert table.geometry["outliers"] == 1 and len(rows_of(table)) == 13
    chosen = read_table(write(tmp_path, "p2.csv", "\n".join(lines) + "\n"), Overrides(geometry=offered[-1]))
    assert chosen.geometry["from"] == {"x": "rdx", "y": "rdy", "crs": "EPSG:28992"}


# 6. Ragged rows, in every header mode


@pytest.mark.parametrize("header", [None, True, False])
def test_ragged_rows_are_reported_with_their_line_numbers(tmp_path, header):
    content = "naam\tstraat\tnummer\nA\tMeir\t1\nB\tZuid\t2\nC Kerkstraat\t3\nD\tNoord\t4\n"
    table = read_table(write(tmp_path, "r.tsv", content), Overrides(header=header))
    assert table.ragged == 1 and table.report["ragged_lines"] == [4]
    assert "do not have 3 fields like the others: lines 4 (1 in all)" in notes_of(table)


# Limits


def test_column_names_over_200_characters_are_refused(tmp_path):
    title = "x" * (MAX_TITLE_CHARS + 1)
    with pytest.raises(IngestError, match="names longer than 200 characters are refused"):
        read_table(write(tmp_path, "t.csv", f"id;{title}\n1;2\n"), Overrides(header=True))


def test_fields_over_the_limit_are_refused_with_the_setting_named(tmp_path):
    path = write(tmp_path, "f.csv", "id;tekst\n1;kort\n2;" + "a" * 5000 + "\n")
    with pytest.raises(IngestError, match="Line 3, column 2 holds 5000 characters.*HACKKIT_DATASET_MAX_FIELD_CHARS"):
        read_table(path, Overrides(max_field_chars=4000))
    assert read_table(path).rows == 2


def test_a_title_line_above_the_header_is_skipped_and_said(tmp_path):
    content = "Bevolking per wijk;;;\nwijk;jaar;mannen;vrouwen\nNoord;2015;10;12\nZuid;2015;11;13\nOost;2015;9;8\n"
    table = read_table(write(tmp_path, "t.csv", content))
    assert [c.name for c in table.columns] == ["wijk", "jaar", "mannen", "vrouwen"] and table.rows == 3
    assert "The first line (Bevolking per wijk) is a title above the table" in notes_of(table)


# Exports that are JSON but neither records nor GeoJSON


def test_esri_json_attributes_geometry_declared_dates_and_text(tmp_path):
    esri = {
        "geometryType": "esriGeometryPolygon",
        "spatialReference": {"wkid": 4326},
        "fields": [
            {"name": "NAAM", "type": "esriFieldTypeString"},
            {"name": "CODE", "type": "esriFieldTypeString"},
            {"name": "GEWIJZIGD", "type": "esriFieldTypeDate"},
        ],
        "features": [
            {
                "attributes": {"NAAM": "Zuid", "CODE": "01", "GEWIJZIGD": 1555565323000},
                "geometry": {"rings": [[[4.4, 51.2], [4.4, 51.3], [4.5, 51.3], [4.5, 51.2], [4.4, 51.2]]]},
            },
            {
                "attributes": {"NAAM": "Noord", "CODE": "2", "GEWIJZIGD": 1452271364000},
                "geometry": {"rings": [[[4.4, 51.3], [4.4, 51.4], [4.5, 51.4], [4.5, 51.3], [4.4, 51.3]]]},
            },
        ],
    }
    table = read_table(write(tmp_path, "wijken.json", json.dumps(esri)))
    assert {c.name: c.type for c in table.columns} == {
        "naam": "text",
        "code": "text",
        "gewijzigd": "datetime",
        "geometry": "geojson",
    }
    rows = rows_of(table)
    assert rows[0]["gewijzigd"].isoformat() == "2019-04-18T05:28:43" and rows[1]["code"] == "2"
    assert json.loads(rows[0]["geometry"])["type"] == "Polygon" and table.geometry["placed"] == 2


def test_socrata_rows_json_reads_positional_rows_without_bookkeeping_columns(tmp_path):
    columns = [
        {"name": "sid", "fieldName": ":sid", "dataTypeName": "meta_data"},
        {"name": "created_at", "fieldName": ":created_at", "dataTypeName": "meta_data"},
        {"name": "NAAM", "fieldName": "naam", "dataTypeName": "text"},
        {"name": "WIJK", "fieldName": "wijk", "dataTypeName": "text"},
        {"name": "LATITUDE", "fieldName": "latitude", "dataTypeName": "number"},
        {"name": "LONGITUDE", "fieldName": "longitude", "dataTypeName": "number"},
    ]
    data = [["row-1", 1555565323, "Brug", "04", "51.21", "4.40"], ["row-2", 1555565324, "Sluis", "12", "51.22", "4.41"]]
    path = write(tmp_path, "rows.json", json.dumps({"meta": {"view": {"columns": columns}}, "data": data}))
    table = read_table(path)
    assert [c.name for c in table.columns] == ["naam", "wijk", "latitude", "longitude"]
    assert table.geometry["lat"] == "latitude" and rows_of(table)[0]["wijk"] == "04"


def test_any_import_leaves_no_file_behind(tmp_path):
    path = write(tmp_path, "a.csv", "naam;polygon\nA;" + SQUARE + "\n")
    rows_of(read_table(path))
    with pytest.raises(IngestError):
        read_table(write(tmp_path, "b.csv", "id;" + "x" * 300 + "\n1;2\n"), Overrides(header=True))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]


def test_a_sparse_first_data_row_is_not_taken_for_a_title(tmp_path):
    content = "A12;;;\nB13;Meir;3;4\nC14;Zuid;5;6\nD15;Noord;7;8\n"
    table = read_table(write(tmp_path, "s.csv", content), Overrides(header=False))
    assert table.rows == 4 and table.report["title_lines"] == 0
