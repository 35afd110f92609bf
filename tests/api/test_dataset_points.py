"""/api/v1/datasets/<slug>/points: every row's location packed for the map (float32 lon, lat)."""

import json
from array import array
from pathlib import Path

import pytest

from hackkit.services import dataset_points
from tests.api.test_datasets_api import token_for
from tests.datasets.helpers import import_file, write_csv

STOPS = "id;naam;soort;lat;lon\n1;Meir;bus;51.218;4.41\n2;Zuid;tram;51.2;4.39\n3;Noord;bus;51.23;4.42\n4;Leeg;bus;;\n"


def unpack(body: bytes) -> list[tuple[float, float]]:
    """(lon, lat) pairs, rounded past float32's last digits, in a fixed order."""
    numbers = array("f", body)
    assert array("f").itemsize == 4 and len(body) % 8 == 0
    return sorted((round(numbers[i], 5), round(numbers[i + 1], 5)) for i in range(0, len(numbers), 2))


def test_points_are_every_located_row_as_float32_longitude_latitude(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", STOPS), slug="stops")
    response = client.get("/api/v1/datasets/stops/points")
    assert response.status_code == 200
    assert response.mimetype == "application/octet-stream"
    # The row without a location is left out.
    assert unpack(response.data) == [(4.39, 51.2), (4.41, 51.218), (4.42, 51.23)]


def test_points_take_the_rows_api_filters_and_search(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", STOPS), slug="stops")
    assert unpack(client.get("/api/v1/datasets/stops/points?soort=bus").data) == [(4.41, 51.218), (4.42, 51.23)]
    assert unpack(client.get("/api/v1/datasets/stops/points?_search=Zuid").data) == [(4.39, 51.2)]
    assert len(unpack(client.get("/api/v1/datasets/stops/points?naam__in=Meir,Zuid,Leeg").data)) == 2
    assert client.get("/api/v1/datasets/stops/points?soort=tram&naam=Meir").data == b""
    bad = client.get("/api/v1/datasets/stops/points?kleur=rood")
    assert bad.status_code == 400 and "kleur" in bad.get_json()["errors"]


def test_points_of_shapes_are_their_first_vertex(client, app, tmp_path):
    square = [[[4.40, 51.20], [4.41, 51.20], [4.41, 51.21], [4.40, 51.20]]]
    shapes = {
        "stop": {"type": "Point", "coordinates": [4.42, 51.23]},
        "park": {"type": "Polygon", "coordinates": square},
        "nowhere": None,
    }
    features = [{"type": "Feature", "properties": {"name": k}, "geometry": v} for k, v in shapes.items()]
    path = tmp_path / "places.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    import_file(app, path, slug="places")
    assert unpack(client.get("/api/v1/datasets/places/points").data) == [(4.4, 51.2), (4.42, 51.23)]


@pytest.mark.parametrize("question", ["", "?n__gte=0"])  # every row (from the file), or a filtered stream
def test_points_of_many_rows_come_in_chunks_with_nothing_lost(client, app, tmp_path, monkeypatch, question):
    monkeypatch.setattr(dataset_points, "CHUNK_ROWS", 7)
    lines = ["n;lat;lon"] + [f"{i};{51 + i / 1000:.3f};{4 + i / 1000:.3f}" for i in range(50)]
    import_file(app, write_csv(tmp_path, "a.csv", "\n".join(lines) + "\n"), slug="many")
    response = client.get("/api/v1/datasets/many/points" + question)
    assert unpack(response.data) == [(round(4 + i / 1000, 5), round(51 + i / 1000, 5)) for i in range(50)]


def test_all_points_are_written_once_and_then_sent_from_their_file(client, app, tmp_path, monkeypatch):
    _slug, table = import_file(app, write_csv(tmp_path, "a.csv", STOPS), slug="stops")
    first = client.get("/api/v1/datasets/stops/points").data
    saved = Path(app.instance_path) / "map-points" / f"{table}.points"
    assert saved.read_bytes() == first and len(first) == 3 * 8
    saved.write_bytes(first[:8])  # what is in the file is what is sent: the table is not read again
    assert client.get("/api/v1/datasets/stops/points").data == first[:8]
    # A filtered question is not the file's: it reads the table.
    assert len(client.get("/api/v1/datasets/stops/points?soort=bus").data) == 2 * 8
    # Past the size limit the least recently used files go, never the one just written.
    monkeypatch.setattr(dataset_points, "CACHE_MAX_BYTES", 30)
    _slug, other = import_file(app, write_csv(tmp_path, "b.csv", STOPS), slug="more")
    assert len(client.get("/api/v1/datasets/more/points").data) == 3 * 8
    assert sorted(p.name for p in saved.parent.iterdir()) == [f"{other}.points"]


def test_points_answer_again_with_304_for_the_same_version(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", STOPS), slug="stops")
    first = client.get("/api/v1/datasets/stops/points")
    assert first.headers["Cache-Control"] == "private, no-cache" and first.headers["ETag"] and first.data
    again = client.get("/api/v1/datasets/stops/points", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/api/v1/datasets/stops/points?soort=bus", headers={"If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200 and len(unpack(other.data)) == 2
    # A new version is a new table: the old tag no longer matches.
    import_file(app, write_csv(tmp_path, "b.csv", STOPS.replace("51.2;4.39", "51.1;4.3")), slug="stops")
    newer = client.get("/api/v1/datasets/stops/points", headers={"If-None-Match": first.headers["ETag"]})
    assert newer.status_code == 200 and (4.3, 51.1) in unpack(newer.data)


def test_a_drafts_points_are_only_for_organizers(client, app, auth, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", STOPS), slug="secret", draft=True)
    assert client.get("/api/v1/datasets/secret/points").status_code == 404
    participant = token_for(client, auth, "participant")
    assert client.get("/api/v1/datasets/secret/points", headers=participant).status_code == 404
    organizer = token_for(client, auth, "organizer")
    response = client.get("/api/v1/datasets/secret/points", headers=organizer)
    assert response.status_code == 200 and len(unpack(response.data)) == 3


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/datasets/nothing/points", 404),
        ("/api/v1/datasets/stops/points?_version=9", 404),
        ("/api/v1/datasets/numbers/points", 400),  # no locations
    ],
)
def test_points_refusals(client, app, tmp_path, url, status):
    import_file(app, write_csv(tmp_path, "a.csv", STOPS), slug="stops")
    import_file(app, write_csv(tmp_path, "b.csv", "x;y\n1;2\n"), slug="numbers")
    response = client.get(url)
    assert response.status_code == status
    assert response.is_json and "error" in response.get_json()
