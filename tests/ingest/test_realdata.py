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
