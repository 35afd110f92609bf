"""The dataset map preview page (/maps/datasets/<slug>): who may see it and what it loads.

What the map draws is checked in a real browser (tests/browser/test_maps.py).
"""

import json

from hackkit.datasets import map_preview
from tests.datasets.helpers import import_file, write_csv

POINTS = "id;naam;lat;lon\n1;Meir;51.218;4.41\n2;Zuid;51.2;4.39\n3;Noord;51.23;4.42\n4;Oost;51.21;4.44\n"


def test_map_page_loads_every_point_packed_by_url_under_the_map_policy(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", POINTS), slug="stops", title="Stops")
    response = client.get("/maps/datasets/stops")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '.loadUrl("/datasets/stops/map-points")' in html
    assert "/maps/assets/hackkit-maps/hackkit-points.js" in html
    assert "Meir" not in html  # the rows come by URL, not inside the page
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    detail = client.get("/datasets/stops").get_data(as_text=True)
    assert 'src="/maps/datasets/stops"' in detail and "first" not in detail


def _shapes(tmp_path, count: int):
    features = [
        {
            "type": "Feature",
            "properties": {"name": f"park {i}"},
            "geometry": {"type": "Polygon", "coordinates": [[[4.4, 51.2], [4.41, 51.2], [4.41, 51.21], [4.4, 51.2]]]},
        }
        for i in range(count)
    ]
    path = tmp_path / "parks.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_shapes_are_drawn_as_shapes_and_a_big_dataset_of_them_as_points_with_no_cap(client, app, tmp_path, monkeypatch):
    import_file(app, _shapes(tmp_path, 3), slug="parks", title="Parks")
    html = client.get("/maps/datasets/parks").get_data(as_text=True)
    assert "/api/v1/datasets/parks/rows.geojson?_fields=geometry" in html and "hackkitPoints" not in html
    monkeypatch.setattr(map_preview, "MAX_SHAPES", 2)
    html = client.get("/maps/datasets/parks").get_data(as_text=True)
    assert '.loadUrl("/datasets/parks/map-points")' in html and "rows.geojson" not in html
    assert len(client.get("/datasets/parks/map-points").data) == 3 * 8  # every row, none capped
    assert "The map shows the first" not in client.get("/datasets/parks").get_data(as_text=True)


def test_no_map_for_a_dataset_without_locations_or_one_you_may_not_see(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", "x;y\n1;2\n"), slug="numbers", title="Numbers")
    import_file(app, write_csv(tmp_path, "b.csv", POINTS), slug="secret", title="Secret", draft=True)
    assert client.get("/maps/datasets/numbers").status_code == 404
    assert "iframe" not in client.get("/datasets/numbers").get_data(as_text=True)
    assert client.get("/maps/datasets/secret").status_code == 404
    assert client.get("/api/v1/datasets/secret/points").status_code == 404
    assert client.get("/datasets/secret/map-points").status_code == 404
    assert client.get("/maps/datasets/nothing").status_code == 404


def test_an_organizer_previews_a_drafts_points_with_the_session_of_the_page(client, app, auth, tmp_path):
    import_file(app, write_csv(tmp_path, "b.csv", POINTS), slug="secret", title="Secret", draft=True)
    auth.login_as("participant")
    assert client.get("/datasets/secret/map-points").status_code == 404
    auth.logout()
    auth.login_as("organizer")
    assert '.loadUrl("/datasets/secret/map-points")' in client.get("/maps/datasets/secret").get_data(as_text=True)
    response = client.get("/datasets/secret/map-points")
    assert response.status_code == 200 and len(response.data) == 4 * 8
    assert response.headers["Cache-Control"] == "private, no-cache"
