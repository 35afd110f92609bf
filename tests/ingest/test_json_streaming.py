"""JSON and GeoJSON are read as a stream: memory stays bounded by the chunk, not the file.

The files are written record by record, so the test itself never holds them whole either.
"""

from __future__ import annotations

import json
import tracemalloc

import pytest

from hackkit.ingest import IngestError, read_table

NOTE = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 40  # ~2,300 characters
ROWS = 12_000  # ~28 MB of JSON: loaded whole it would take several times that
PEAK_LIMIT = 8 * 1024 * 1024  # json.load of the same file peaks near 57 MB


def write_records(path, count: int, wrap: str) -> None:
    """`wrap`: "array" ([...]), "object" ({"meta": ..., "data": [...]}) or "geojson"."""
    with path.open("w", encoding="utf-8") as out:
        out.write(
            {"array": "[", "object": '{"meta": {"source": "test", "tags": [1, 2]}, "data": [', "geojson": ""}[wrap]
        )
        if wrap == "geojson":
            # "type" after "features" and a CRS: order in an object carries no meaning.
            out.write('{"features": [')
        for n in range(count):
            record = {"id": n, "name": f"Plek {n}", "amount": n / 4, "open": n % 2 == 0, "note": NOTE}
            if wrap == "geojson":
                lon, lat = 4.3 + (n % 1000) / 10_000, 51.1 + (n // 1000) / 10_000
                record = {
                    "type": "Feature",
                    "properties": record,
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                }
            out.write(("," if n else "") + json.dumps(record))
        out.write({"array": "]", "object": "]}", "geojson": '], "type": "FeatureCollection"}'}[wrap])


@pytest.mark.parametrize("wrap", ["array", "object", "geojson"])
def test_large_json_is_read_in_bounded_memory_and_every_row_is_right(tmp_path, wrap):
    path = tmp_path / ("big.geojson" if wrap == "geojson" else "big.json")
    write_records(path, ROWS, wrap)
    size = path.stat().st_size
    assert size > 25 * 1024 * 1024

    tracemalloc.start()
    try:
        table = read_table(path)
        count, amounts, last = 0, 0.0, None
        for chunk in table.chunks(500):
            count += len(chunk)
            amounts += sum(row["amount"] for row in chunk)
            last = chunk[-1]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert count == ROWS == table.rows
    assert amounts == sum(n / 4 for n in range(ROWS))
    assert last["id"] == ROWS - 1 and last["name"] == f"Plek {ROWS - 1}" and last["note"] == NOTE
    types = {c.name: c.type for c in table.columns}
    assert {k: types[k] for k in ("id", "name", "amount", "open", "note")} == {
        "id": "integer",
        "name": "text",
        "amount": "number",
        "open": "boolean",
        "note": "text",
    }
    if wrap == "geojson":
        assert table.report["format"] == "geojson" and table.geometry["type"] == "geojson"
        assert json.loads(last[table.geometry["column"]])["type"] == "Point"
    assert peak < PEAK_LIMIT, f"peak {peak / 2**20:.1f} MB while reading a {size / 2**20:.0f} MB file"


def test_latin1_json_and_a_single_feature_are_read(tmp_path):
    path = tmp_path / "latin.json"
    path.write_bytes('[{"naam": "café", "n": 1}, {"naam": "Floraliënlaan", "n": 2}]'.encode("latin-1"))
    rows = [r for chunk in read_table(path).chunks() for r in chunk]
    assert [r["naam"] for r in rows] == ["café", "Floraliënlaan"]

    feature = {"type": "Feature", "properties": {"name": "Meir"}, "geometry": {"type": "Point", "coordinates": [4, 51]}}
    path = tmp_path / "one.geojson"
    path.write_text(json.dumps(feature), encoding="utf-8")
    table = read_table(path)
    rows = [r for chunk in table.chunks() for r in chunk]
    assert len(rows) == 1 and rows[0]["name"] == "Meir"


@pytest.mark.parametrize(
    "text,message",
    [
        ('[{"a": 1}, {"a": 2}', "not valid JSON"),
        ('[{"a": 1}, 2]', "not a list of records"),
        ('{"a": 1, "b": [1, 2]}', "holds no list of records"),
        ('"just a string"', "not a list of records"),
        ('{"type": "FeatureCollection", "features": {}}', "no list of features"),
    ],
)
def test_json_that_is_not_records_fails_with_one_clear_message(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError, match=message):
        read_table(path)
