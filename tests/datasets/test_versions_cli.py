"""Versions and drafts from the command line: `hackkit datasets import|publish|rollback|unpublish|delete`.

What the public sees is checked through the public answers themselves (the JSON API, the
CKAN API, the map data), so a draft that leaks anywhere fails here.
"""

from tests import stored
from tests.datasets.helpers import dataset_tables, write_csv

STOPS = "id;name;lat;lon\n1;Meir;51.218;4.41\n2;Zuid;51.2;4.39\n"
STOPS_V2 = "id;name;lat;lon;kind\n1;Meir;51.218;4.41;tram\n2;Zuid;51.2;4.39;bus\n3;Noord;51.23;4.42;bus\n"


def run(runner, *args):
    return runner.invoke(args=["datasets", *map(str, args)])


def public_rows(client, slug: str) -> int:
    return client.get(f"/api/v1/datasets/{slug}").get_json()["row_count"]


def test_same_file_name_without_slug_makes_a_new_dataset_at_a_free_slug(runner, client, tmp_path):
    first = run(runner, "import", write_csv(tmp_path, "stops.csv", STOPS))
    (tmp_path / "later").mkdir()
    second = run(runner, "import", write_csv(tmp_path / "later", "stops.csv", STOPS_V2))
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert "new dataset" in second.output and "free slug stops-2" in second.output
    assert public_rows(client, "stops") == 2  # untouched by the second file
    assert public_rows(client, "stops-2") == 3


def test_a_draft_version_stays_hidden_until_published(runner, client, app, tmp_path):
    run(runner, "import", write_csv(tmp_path, "stops.csv", STOPS), "--slug", "stops")
    draft = run(runner, "import", write_csv(tmp_path, "v2.csv", STOPS_V2), "--slug", "stops", "--draft")
    assert draft.exit_code == 0, draft.output
    assert "version 2, a draft: the public still sees version 1" in draft.output
    assert "Compared with version 1: rows 2 -> 3; columns added: kind." in draft.output

    body = client.get("/api/v1/datasets/stops").get_json()
    assert body["row_count"] == 2 and [v["number"] for v in body["versions"]] == [1]
    assert client.get("/api/v1/datasets/stops/rows?_version=2").status_code == 404
    assert client.get("/api/v1/datasets/stops/rows.csv").get_data(as_text=True).count("\n") == 3
    package = client.get("/api/3/action/package_show?id=stops").get_json()["result"]
    assert len(package["resources"]) == 1 and package["version"] == "1"
    assert client.get("/api/3/action/datastore_search?resource_id=stops").get_json()["result"]["total"] == 2
    assert len(client.get("/api/v1/datasets/stops/points").data) == 2 * 8  # two points, not the draft's three
    assert "kind" not in client.get("/datasets/stops/datapackage.json").get_data(as_text=True)

    published = run(runner, "publish", "stops")
    assert published.exit_code == 0 and "the public sees version 2" in published.output
    assert public_rows(client, "stops") == 3
    assert len(client.get("/api/3/action/package_show?id=stops").get_json()["result"]["resources"]) == 2


def test_rollback_unpublish_and_delete(runner, client, app, tmp_path):
    run(runner, "import", write_csv(tmp_path, "stops.csv", STOPS), "--slug", "stops")
    run(runner, "import", write_csv(tmp_path, "v2.csv", STOPS_V2), "--slug", "stops")
    assert public_rows(client, "stops") == 3

    rolled = run(runner, "rollback", "stops")
    assert rolled.exit_code == 0 and "the public sees version 1" in rolled.output
    assert public_rows(client, "stops") == 2
    assert run(runner, "rollback", "stops").exit_code != 0  # nothing earlier than version 1
    assert run(runner, "publish", "stops", "--version", "2").exit_code == 0
    assert public_rows(client, "stops") == 3

    assert run(runner, "unpublish", "stops").exit_code == 0
    assert client.get("/api/v1/datasets/stops").status_code == 404
    assert "stops" not in client.get("/api/3/action/package_list").get_json()["result"]

    assert len(dataset_tables(app)) == 2 and len(stored.originals(app)) == 2
    refused = runner.invoke(args=["datasets", "delete", "stops"], input="n\n")
    assert refused.exit_code != 0 and len(dataset_tables(app)) == 2
    deleted = run(runner, "delete", "stops", "--yes")
    assert deleted.exit_code == 0, deleted.output
    assert dataset_tables(app, with_search_tables=True) == set()
    assert stored.originals(app) == []
    assert run(runner, "publish", "stops").exit_code != 0


def test_identical_import_says_so_and_makes_nothing(runner, app, tmp_path):
    path = write_csv(tmp_path, "stops.csv", STOPS)
    run(runner, "import", path, "--slug", "stops")
    again = run(runner, "import", path, "--slug", "stops")
    assert again.exit_code == 0
    assert "Nothing imported" in again.output and "identical to version 1 of stops" in again.output
    assert len(dataset_tables(app)) == 1
    # Other settings are another reading of the same bytes: that is a new version.
    other = run(runner, "import", path, "--slug", "stops", "--geometry", "none")
    assert "version 2" in other.output and len(dataset_tables(app)) == 2


def test_reading_overrides_header_delimiter_encoding(runner, client, tmp_path):
    headerless = write_csv(tmp_path, "names.csv", "Anna|Antwerpen\nBram|Gent\nCor|Brugge\n")
    result = run(runner, "import", headerless, "--slug", "names", "--header", "no", "--delimiter", "|")
    assert result.exit_code == 0, result.output
    assert "header no" in result.output and "delimiter pipe" in result.output
    body = client.get("/api/v1/datasets/names").get_json()
    assert body["row_count"] == 3 and [c["name"] for c in body["columns"]] == ["column_1", "column_2"]

    latin = tmp_path / "latin.csv"
    latin.write_bytes("naam;plaats\nJosé;Liège\n".encode("cp1252"))
    result = run(runner, "import", latin, "--slug", "latin", "--encoding", "windows-1252")
    assert result.exit_code == 0, result.output
    rows = client.get("/api/v1/datasets/latin/rows").get_json()["rows"]
    assert rows[0]["naam"] == "José" and rows[0]["plaats"] == "Liège"


def test_geometry_and_crs_overrides(runner, client, tmp_path):
    # Two candidate pairs: the override picks the second one.
    path = write_csv(
        tmp_path, "two.csv", "id;a_lat;a_lon;b_lat;b_lon\n1;51.2;4.4;50.85;4.35\n2;51.21;4.41;50.86;4.36\n"
    )
    result = run(runner, "import", path, "--slug", "two", "--geometry", "b_lat,b_lon")
    assert result.exit_code == 0, result.output
    geometry = client.get("/api/v1/datasets/two").get_json()["geometry"]
    assert (geometry["lat"], geometry["lon"]) == ("b_lat", "b_lon")

    rd = write_csv(tmp_path, "rd.csv", "id;px;py\n1;121000;487000\n2;122000;488000\n")
    result = run(runner, "import", rd, "--slug", "rd", "--geometry", "px,py", "--crs", "28992")
    assert result.exit_code == 0, result.output
    feature = client.get("/api/v1/datasets/rd/rows.geojson").get_json()["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    assert 52.3 < lat < 52.4 and 4.8 < lon < 4.95  # Amsterdam


def test_bad_overrides_are_one_clear_line_and_make_nothing(runner, app, tmp_path):
    path = write_csv(tmp_path, "a.csv", "a;b\n1;2\n")
    for args, word in (
        (["--encoding", "klingon"], "encoding"),
        (["--delimiter", ";;"], "delimiter"),
        (["--geometry", "a,b,c"], "geometry"),
        (["--geometry", "a,b", "--crs", "rd"], "EPSG"),
        (["--geometry", "nope"], "nope"),
    ):
        result = run(runner, "import", path, *args)
        assert result.exit_code != 0, args
        assert word in result.output and len(result.output.strip().splitlines()) == 1, result.output
    assert run(runner, "import", path, "--header", "maybe").exit_code != 0
    assert dataset_tables(app, with_search_tables=True) == set()


def test_a_dataset_is_read_with_all_its_versions_in_one_statement(runner, app, tmp_path):
    """The dataset page, its API and every gallery start by reading the dataset: with its
    versions, in one round trip."""
    from hackkit.extensions import db
    from hackkit.services import datasets
    from tests.conftest import counted_queries

    run(runner, "import", write_csv(tmp_path, "stops.csv", STOPS), "--slug", "stops")
    run(runner, "import", write_csv(tmp_path, "v2.csv", STOPS_V2), "--slug", "stops", "--draft")
    with app.app_context(), counted_queries() as statements:
        dataset = datasets.get_dataset(db.session, None, "stops")
        assert [version.number for version in dataset.versions] == [1, 2]
        assert datasets.get_version(dataset).number == 1  # the draft is not the public one
    assert len(statements) == 1, statements
