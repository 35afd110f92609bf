"""Real city files from ../shared/realdata, read in place: every one imports without a flag."""

from pathlib import Path

import pytest

from hackkit.ingest import read_table


def _realdata() -> Path:
    """../shared/realdata from the project root (a worktree sits one folder deeper)."""
    root = Path(__file__).resolve().parents[2]
    found = [base / "shared" / "realdata" for base in (root.parent, root.parent.parent)]
    return next((path for path in found if path.is_dir()), found[0])


REALDATA = _realdata()
pytestmark = pytest.mark.skipif(not REALDATA.is_dir(), reason=f"no real-data corpus at {REALDATA}")
BELGIUM = {"lat": (49.4, 51.6), "lon": (2.5, 6.5)}


def rows_of(table):
    return [row for chunk in table.chunks(50) for row in chunk]


def types_of(table):
    return {c.name: c.type for c in table.columns}


def in_belgium(rows, lat, lon):
    points = [(r[lat], r[lon]) for r in rows if r[lat] is not None]
    assert points
    (lat_lo, lat_hi), (lon_lo, lon_hi) = BELGIUM["lat"], BELGIUM["lon"]
    return all(lat_lo <= a <= lat_hi and lon_lo <= b <= lon_hi for a, b in points)


@pytest.mark.parametrize(
    "name",
    ["glascontainer", "grenzendistrict", "inkomensvolgenswoonplaatsperdistrict", "openbaartoilet", "speelterrein"],
)
def test_antwerp_files_read_with_semicolon_header_and_utf8(name):
    table = read_table(REALDATA / "antwerp_2012" / f"{name}.csv")
    assert table.report["delimiter"] == ";" and table.header and table.source.encoding == "utf-8"
    assert table.rows > 5


@pytest.mark.parametrize("name", ["glascontainer", "openbaartoilet", "speelterrein", "ziekenhuis"])
def test_antwerp_points_are_found_in_wgs84_inside_belgium(name):
    table = read_table(REALDATA / "antwerp_2012" / f"{name}.csv")
    geometry = table.geometry
    assert geometry["type"] == "point" and (geometry["lat"], geometry["lon"]) == ("point_lat", "point_lng")
    assert in_belgium(rows_of(table), "point_lat", "point_lng")


def test_glass_containers_postcodes_stay_text_and_null_marker_is_missing():
    table = read_table(REALDATA / "antwerp_2012" / "glascontainer.csv")
    assert types_of(table)["postcode"] == "text"
    assert types_of(table)["glascontainer_nr"] == "text"  # "041": a code with a leading zero
    rows = rows_of(table)
    assert {r["postcode"] for r in rows} >= {"2660", "2000"}
    assert not any(v == "<Null>" for r in rows for v in r.values())


def test_toilets_mojibake_is_repaired_and_excel_times_become_times():
    table = read_table(REALDATA / "antwerp_2012" / "openbaartoilet.csv")
    rows = rows_of(table)
    texts = " ".join(str(v) for r in rows for v in r.values() if isinstance(v, str))
    assert "café" in texts and "Ã" not in texts
    assert types_of(table)["mabu"] == "time"
    assert "08:30:00" in {r["mabu"] for r in rows}
    assert types_of(table)["x_coord"] == "number" and types_of(table)["obdd"] == "date"


def test_district_polygons_from_lnglat_lists_become_geojson_polygons():
    import json

    table = read_table(REALDATA / "antwerp_2012" / "grenzendistrict.csv")
    assert table.geometry["type"] == "geojson" and table.geometry["from"]["kind"] == "lnglat"
    rows = rows_of(table)
    assert len(rows) == 9
    for row in rows:
        shape = json.loads(row[table.geometry["column"]])
        assert shape["type"] == "Polygon"
        lon, lat = shape["coordinates"][0][0]
        assert 51.0 < lat < 51.45 and 4.2 < lon < 4.6


def test_income_decimal_commas_are_numbers_and_x_is_missing():
    table = read_table(REALDATA / "antwerp_2012" / "inkomensvolgenswoonplaatsperdistrict.csv")
    types = types_of(table)
    assert all(types[f"data_{year}"] == "number" for year in range(2000, 2010))
    first = rows_of(table)[0]
    assert first["data_2000"] == pytest.approx(10486.6265494)


def test_irail_stations_comma_utf8_names_and_empty_numbers():
    table = read_table(REALDATA / "belgium_irail" / "stations.csv")
    assert table.report["delimiter"] == "," and table.geometry["lat"] == "latitude"
    rows = rows_of(table)
    assert rows[0]["name"] == "'s Hertogenbosch"
    assert types_of(table)["official_transfer_time"] == "integer"
    assert any(r["official_transfer_time"] is None for r in rows)
    assert any("è" in (r["alternative_fr"] or "") or "é" in (r["alternative_fr"] or "") for r in rows)
    assert in_belgium([r for r in rows if r["country_code"] == "be"], "latitude", "longitude")


def test_hospitals_and_playgrounds_keep_codes_as_text():
    for name, column in [("ziekenhuis", "id_complex"), ("speelterrein", "id")]:
        table = read_table(REALDATA / "antwerp_2012" / f"{name}.csv")
        assert types_of(table)[column] == "text"
        assert types_of(table)["postcode"] == "text"


# Every file of the corpus, as a careful person reading it would get it: rows, some column
# types, the geometry kind and count, and a known value (with accents where the file has them).
# A file not listed here (the corpus grows) must still import, with a report that is JSON.
EXPECTED = {
    "amsterdam/EtenDrinken.csv": (
        778,
        {"latitude": "number", "zipcode": "text", "datepattern_startdate": "date", "lastupdated": "datetime"},
        {"Point": 778},
        ("title", "café"),
    ),
    "amsterdam/GEBIED_STADSDELEN.csv": (
        8,
        {"objectnummer": "integer", "opp_m2": "integer", "lng": "number"},
        {"Polygon": 8},
        ("stadsdeel", "Nieuw-West"),
    ),
    "amsterdam/MARKTEN.csv": (45, {"gemeente": "boolean"}, {"Point": 45}, ("locatie", "Waterlooplein")),
    "antwerp_2012/glascontainer.csv": (551, {"postcode": "text"}, {"Point": 551}, ("straatnaam", "MACCABILAAN")),
    "antwerp_2012/grenzendistrict.csv": (9, {"districtcode": "integer"}, {"Polygon": 9}, ("districtnaam", "ANTWERPEN")),
    "antwerp_2012/inkomensvolgenswoonplaatsperdistrict.csv": (
        50,
        {"data_2000": "number"},
        {},
        ("gebieden", "Antwerpen"),
    ),
    "antwerp_2012/openbaartoilet.csv": (
        121,
        {"mabu": "time", "obdd": "date"},
        {"Point": 121},
        ("omschrijving", "café"),
    ),
    "antwerp_2012/speelterrein.csv": (184, {"begindatum": "date"}, {"Point": 184}, ("naam", "Waterpoortpark")),
    "antwerp_2012/ziekenhuis.csv": (15, {"totale_cap": "integer"}, {"Point": 15}, ("label", "Joostens")),
    "belgium_irail/stations.csv": (729, {"latitude": "number"}, {"Point": 729}, ("alternative_fr", "è")),
    "berlin_odis/bezirksgrenzen.geojson": (
        12,
        {"gemeinde_schluessel": "text"},
        {"MultiPolygon": 12},
        ("gemeinde_name", "Schöneberg"),
    ),
    "brussels_mobility/bicyclepump.csv": (
        6,
        {"gid": "integer", "fid": "text"},
        {"Point": 6},
        ("name_fr", "Pompe à vélo"),
    ),
    "chicago_socrata/rows.json": (
        24,
        {"ward": "text", "latitude": "number", "free_mulch": "boolean", "zip_code": "text"},
        {"Point": 24},
        ("community_area_name", "Douglas"),
    ),
    "columbia_mo_arcgis/us-mo-columbia-0.json": (
        43,
        {"houseno": "integer", "city_limit": "text", "z": "text", "xcoord": "number"},
        {"Point": 43},
        ("city", "ASHLAND"),
    ),
    "helsinki_bikecounts/Helsingin_pyorailijamaarat.csv": (
        28464,
        {"paivamaara": "datetime", "baana": "integer"},
        {},
        ("paivamaara", "2014-01-01 00:00:00"),
    ),
    "helsinki_bikecounts/pyoralaskentapisteiden_sijainnit.csv": (
        16,
        {"x": "number", "y": "number"},
        {"Point": 16},
        ("column_1", "Eteläesplanadi"),
    ),
    "paris/sanisettesparis.csv": (615, {"acces_pmr": "boolean"}, {"MultiPoint": 615}, ("horaire", "équipement")),
    "seattle_socrata/Fremont_Bridge_Hourly_Bicycle_Counts_by_Month_October_2012_to_present.csv": (
        57624,
        {"date": "datetime", "fremont_bridge_east_sidewalk": "integer"},
        {},
        ("date", "2019-04-30 23:00:00"),
    ),
    "vienna/vie_101.csv": (
        644,
        {"district_code": "text", "ref_date": "date", "pop_total": "integer", "pop_men": "integer"},
        {},
        ("ref_date", "1869-12-31"),
    ),
}
CORPUS = (
    sorted(
        str(p.relative_to(REALDATA))
        for p in REALDATA.rglob("*")
        if p.is_file() and p.suffix in (".csv", ".json", ".geojson")
    )
    if REALDATA.is_dir()
    else []
)


def geometry_kinds(table, rows):
    import json
    from collections import Counter

    geometry = table.geometry
    if geometry is None:
        return Counter()
    if geometry["type"] == "point":
        return Counter(
            {"Point": sum(1 for r in rows if r[geometry["lat"]] is not None and r[geometry["lon"]] is not None)}
        )
    return Counter(json.loads(r[geometry["column"]])["type"] for r in rows if r[geometry["column"]])


@pytest.mark.parametrize("name", CORPUS or ["(none)"])
def test_every_corpus_file_imports_as_a_careful_reader_would(name):
    import json

    table = read_table(REALDATA / name)
    rows = rows_of(table)
    json.dumps(table.report)  # the report is stored and served as JSON
    assert len(rows) == table.rows
    if name not in EXPECTED:
        return
    count, types, kinds, (column, known) = EXPECTED[name]
    assert table.rows == count
    assert {k: types_of(table)[k] for k in types} == types
    assert dict(geometry_kinds(table, rows)) == kinds
    if table.geometry:
        assert table.geometry["placed"] == sum(kinds.values())
    assert any(known in str(r[column]) for r in rows), f"no {known!r} in {column}"


def test_vienna_title_line_is_skipped_and_dots_are_missing():
    table = read_table(REALDATA / "vienna" / "vie_101.csv")
    assert table.report["title_lines"] == 1 and table.header
    rows = rows_of(table)
    assert sum(1 for r in rows if r["pop_men"] is None) == 207
    assert {r["sub_district_code"] for r in rows} == {None}


def test_berlin_feature_geometry_keeps_pankows_hole_and_slivers():
    import json

    table = read_table(REALDATA / "berlin_odis" / "bezirksgrenzen.geojson")
    pankow = next(r for r in rows_of(table) if r["gemeinde_name"] == "Pankow")
    shape = json.loads(pankow["geometry"])
    assert len(shape["coordinates"]) == 4 and sorted(len(p) for p in shape["coordinates"]) == [1, 1, 1, 2]


def test_brussels_lambert_wkt_and_helsinki_gk25_land_where_the_cities_are():
    import json

    pumps = read_table(REALDATA / "brussels_mobility" / "bicyclepump.csv")
    for row in rows_of(pumps):
        lon, lat = json.loads(row["geometry"])["coordinates"]
        assert 50.75 < lat < 50.95 and 4.25 < lon < 4.50
    counters = read_table(REALDATA / "helsinki_bikecounts" / "pyoralaskentapisteiden_sijainnit.csv")
    assert counters.geometry["from"]["crs"] == "EPSG:3879"
    for row in rows_of(counters):
        assert 60.1 < row["latitude"] < 60.3 and 24.8 < row["longitude"] < 25.1


def test_amsterdam_districts_prefer_the_polygons_and_offer_the_other_candidates():
    table = read_table(REALDATA / "amsterdam" / "GEBIED_STADSDELEN.csv")
    assert table.geometry["from"]["column"] == "wkt_lng_lat"
    offered = [c["override"] for c in table.report["geometry_candidates"]]
    assert {"lat": "lat", "lon": "lng"} in offered and {"column": "wkt_lat_lng", "kind": "wkt"} in offered
