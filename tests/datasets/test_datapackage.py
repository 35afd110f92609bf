"""datapackage.json per dataset, checked by frictionless itself (library and command line),
schema and data both; and the schema.org Dataset JSON-LD of the dataset page."""

import json
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import frictionless
import pytest
import requests

from hackkit.extensions import db
from hackkit.models import Dataset
from tests.datasets.helpers import import_file, write_csv

CURATED = Path(__file__).resolve().parents[2] / "datasets"
# Every column type the importer makes (times as Excel writes them), empty cells, a formula-like
# text and decimal commas.
CSV = (
    "id;naam;lat;lon;open;sinds;gemeld;uur;bedrag;opmerking\n"
    "1;Meir;51.218;4.41;ja;2020-01-05;2024-03-01 08:30:00;1899-12-30T08:30:00;1.234,5;=SUM(A1)\n"
    "2;Zuid;51.2;4.39;nee;2021-03-01;2024-03-02 17:00:00;1899-12-30T17:00:15;12;\n"
    "3;Noord;;;ja;;;;-3,25;gewoon\n"
)


def import_places(app, tmp_path, **metadata):
    import_file(app, write_csv(tmp_path, "places.csv", CSV), slug="places", title="Places", **metadata)


def frictionless_cli() -> str:
    path = Path(sys.executable).parent / "frictionless"
    return str(path) if path.exists() else shutil.which("frictionless") or pytest.skip("no frictionless command")


def test_datapackage_describes_the_csv_download_with_its_table_schema(client, app, tmp_path):
    import_places(app, tmp_path, license="CC-BY-4.0")
    package = client.get("/datasets/places/datapackage.json").get_json()
    assert package["name"] == "places" and package["title"] == "Places"
    assert package["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    (resource,) = package["resources"]
    assert resource["path"] == "http://localhost/api/v1/datasets/places/rows.csv"
    types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
    assert types == {
        "id": "integer",
        "naam": "string",
        "lat": "number",
        "lon": "number",
        "open": "boolean",
        "sinds": "date",
        "gemeld": "datetime",
        "uur": "time",
        "bedrag": "number",
        "opmerking": "string",
    }
    detail = client.get("/api/v1/datasets/places").get_json()
    assert detail["datapackage_url"] == "http://localhost/datasets/places/datapackage.json"
    assert 'href="http://localhost/datasets/places/datapackage.json"' in client.get("/datasets/places").text
    assert client.get("/datasets/nope/datapackage.json").status_code == 404
    # Version 2 (other bytes: an identical file would make no version); version 1 keeps its own package.
    import_file(app, write_csv(tmp_path, "places.csv", CSV + "\n"), slug="places", license="CC-BY-4.0")
    old = client.get("/api/v1/datasets/places?_version=1").get_json()["datapackage_url"]
    assert old == "http://localhost/datasets/places/datapackage.json?version=1"
    package = client.get(old.removeprefix("http://localhost")).get_json()
    assert package["resources"][0]["path"].endswith("/rows.csv?_version=1") and package["version"] == "1.0.0"
    assert client.get("/datasets/places/datapackage.json?version=7").status_code == 404


def test_draft_datapackages_are_hidden_like_the_draft(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="secret", draft=True)
    assert client.get("/datasets/secret/datapackage.json").status_code == 404


def test_frictionless_validates_schema_and_data_over_http(app, live_server, tmp_path):
    import_places(app, tmp_path, license="CC0-1.0")
    with app.app_context():
        dataset = db.session.query(Dataset).filter_by(slug="places").one()
        dataset.temporal_start, dataset.keywords, dataset.publisher = date(2024, 1, 1), ["x"], "City"
        db.session.commit()
    # The districts have a GeoJSON geometry column: its cells must validate as GeoJSON too.
    import_file(app, CURATED / "districts" / "districts.geojson", slug="districts", title="Districts")
    for slug, rows in (("places", 3), ("districts", 9)):
        url = f"{live_server}/datasets/{slug}/datapackage.json"
        report = frictionless.validate(url)
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        assert report.tasks[0].stats["rows"] == rows
        result = subprocess.run(
            [frictionless_cli(), "validate", "--json", url], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        assert json.loads(result.stdout)["valid"] is True


def test_frictionless_reports_bad_data_so_the_check_can_fail(app, live_server, tmp_path):
    """The same validation, against a package whose schema the data breaks, is not valid."""
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="places")
    package = requests.get(f"{live_server}/datasets/places/datapackage.json", timeout=30).json()
    for field in package["resources"][0]["schema"]["fields"]:
        if field["name"] == "naam":
            field["type"] = "integer"
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps(package))
    result = subprocess.run([frictionless_cli(), "validate", "--json", str(path)], capture_output=True, text=True)
    assert result.returncode != 0 and json.loads(result.stdout)["valid"] is False


@pytest.mark.parametrize("slug", sorted(p.parent.name for p in CURATED.glob("*/datapackage.json")))
def test_curated_packages_pass_frictionless_validate(slug):
    report = frictionless.validate(str(CURATED / slug / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_dataset_page_has_complete_schema_org_json_ld(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="places", title="Places", license="CC0-1.0")
    with app.app_context():
        dataset = db.session.query(Dataset).filter_by(slug="places").one()
        dataset.description, dataset.publisher, dataset.spatial = "Places in the city.", "City of Antwerp", "Antwerp"
        dataset.keywords, dataset.temporal_start, dataset.temporal_end = ["bike"], date(2024, 1, 1), date(2024, 6, 30)
        db.session.commit()
    page = client.get("/datasets/places").get_data(as_text=True)
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    ld = json.loads(blocks[0])
    assert ld["@context"] == "https://schema.org/" and ld["@type"] == "Dataset"
    assert ld["name"] == "Places" and ld["description"] == "Places in the city."
    assert ld["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert ld["creator"] == ld["publisher"] == {"@type": "Organization", "name": "City of Antwerp"}
    assert ld["spatialCoverage"]["@type"] == "Place" and ld["spatialCoverage"]["name"] == "Antwerp"
    assert ld["temporalCoverage"] == "2024-01-01/2024-06-30"
    assert ld["keywords"] == ["bike"]
    downloads = {d["contentUrl"]: d["encodingFormat"] for d in ld["distribution"]}
    assert downloads["http://localhost/api/v1/datasets/places/rows.csv"] == "text/csv"
    assert client.get("/api/v1/datasets/places/rows.csv").status_code == 200
