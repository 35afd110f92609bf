"""The dataset map preview page (/maps/datasets/<slug>) and its capped data for big datasets.

What the map draws is checked in a real browser (tests/browser/test_maps.py); these check
who may see it, what it loads, and the cap.
"""

import json

from hackkit.datasets import map_preview
from tests.datasets.helpers import import_file, write_csv

POINTS = "id;naam;lat;lon\n1;Meir;51.218;4.41\n2;Zuid;51.2;4.39\n3;Noord;51.23;4.42\n4;Oost;51.21;4.44\n"


def test_map_page_loads_the_rows_by_url_under_the_map_policy(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", POINTS), slug="stops", title="Stops")
    response = client.get("/maps/datasets/stops")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "/api/v1/datasets/stops/rows.geojson?_fields=lat,lon" in html
    assert "Meir" not in html  # the rows come by URL, not inside the page
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    detail = client.get("/datasets/stops").get_data(as_text=True)
    assert 'src="/maps/datasets/stops"' in detail and "first" not in detail


def test_big_dataset_map_loads_only_the_first_rows_and_says_so(client, app, tmp_path, monkeypatch):
    monkeypatch.setattr(map_preview, "MAX_FEATURES", 2)
    import_file(app, write_csv(tmp_path, "a.csv", POINTS), slug="stops", title="Stops")
    assert "/datasets/stops/map-features.geojson" in client.get("/maps/datasets/stops").get_data(as_text=True)
    features = json.loads(client.get("/datasets/stops/map-features.geojson").data)["features"]
    assert [f["geometry"]["coordinates"] for f in features] == [[4.41, 51.218], [4.39, 51.2]]
    assert "The map shows the first 2 of 4 rows." in client.get("/datasets/stops").get_data(as_text=True)


def test_no_map_for_a_dataset_without_locations_or_one_you_may_not_see(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", "x;y\n1;2\n"), slug="numbers", title="Numbers")
    import_file(app, write_csv(tmp_path, "b.csv", POINTS), slug="secret", title="Secret", draft=True)
    assert client.get("/maps/datasets/numbers").status_code == 404
    assert "iframe" not in client.get("/datasets/numbers").get_data(as_text=True)
    assert client.get("/maps/datasets/secret").status_code == 404
    assert client.get("/datasets/secret/map-features.geojson").status_code == 404
    assert client.get("/maps/datasets/nothing").status_code == 404
