"""`hackkit datasets harvest`: from a CKAN-shaped portal over real HTTP, from a second hackkit's
DCAT-AP catalogue, and from a DCAT file; re-harvesting adds versions, bad files are skipped."""

import shutil
from datetime import date

import pytest
import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import Dataset
from hackkit.services import harvest
from tests.conftest import DB_KIND, make_app, migrate
from tests.datasets.helpers import import_file, write_csv
from tests.datasets.portal import Portal, ckan_package, serve

STATIONS = "id,name,lat,lon,docks\n1,Korenmarkt,51.054,3.721,20\n2,Sint-Pieters,51.036,3.710,35\n"
TREES = '[{"id": 1, "species": "Tilia", "height": 12.5}, {"id": 2, "species": "Acer", "height": 8}]'
XLSX_JUNK = b"PK\x03\x04 this is no spreadsheet at all"


def datasets_in(app) -> dict[str, Dataset]:
    with app.app_context():
        found = db.session.scalars(sa.select(Dataset).options(sa.orm.selectinload(Dataset.versions))).all()
        for dataset in found:
            db.session.expunge(dataset)
        return {d.slug: d for d in found}


def ghent_portal(portal: Portal, base: str) -> None:
    portal.add_file("/files/stations.csv", STATIONS)
    portal.add_file("/files/trees.json", TREES, "application/json")
    portal.add_file("/files/budget.xlsx", XLSX_JUNK, "application/vnd.ms-excel")
    portal.add_file("/files/report.pdf", b"%PDF-1.4", "application/pdf")
    portal.packages = [
        ckan_package(
            base,
            "bike-stations",
            "Bike stations",
            [{"path": "/files/report.pdf", "format": "PDF"}, {"path": "/files/stations.csv", "format": "CSV"}],
            tags=[{"display_name": "bike", "id": "t1", "name": "bike", "state": "active", "vocabulary_id": None}],
            groups=[{"name": "tran", "title": "Transport", "display_name": "Transport", "id": "g1"}],
            maintainer_email="data@stad.gent",
        ),
        ckan_package(
            base,
            "street-trees",
            "Street trees",
            [{"path": "/files/missing.csv", "format": "CSV"}, {"path": "/files/trees.json", "format": "JSON"}],
            license_id="cc-zero",
            license_title="Creative Commons CCZero",
            extras=[{"key": "theme", "value": '["http://publications.europa.eu/resource/authority/data-theme/ENVI"]'}],
        ),
        ckan_package(base, "budget", "Budget", [{"path": "/files/budget.xlsx", "format": "XLSX"}]),
    ]


def test_ckan_portal_is_harvested_with_its_metadata_and_bad_files_are_skipped(app, runner, monkeypatch):
    monkeypatch.setattr(harvest, "CKAN_PAGE", 2)  # three packages: two pages
    portal = Portal()
    with serve(portal) as base:
        ghent_portal(portal, base)
        result = runner.invoke(args=["datasets", "harvest", base])
        assert result.exit_code == 0, result.output
        assert "Harvested 2 of 3 datasets from CKAN source" in result.output
        assert "skipped report.pdf (PDF): not a format the importer reads" in result.output
        assert f"skipped {base}/files/missing.csv: answered HTTP 404" in result.output
        assert "failed   Budget" in result.output and "cannot be imported" in result.output
        found = datasets_in(app)
        assert set(found) == {"bike-stations", "street-trees"}
        stations = found["bike-stations"]
        assert (stations.title, stations.description, stations.publisher) == (
            "Bike stations",
            "About Bike stations.",
            "City of Ghent",
        )
        assert (stations.license, stations.keywords, stations.themes) == ("CC-BY-4.0", ["bike"], ["TRAN"])
        assert stations.source_url == f"{base}/dataset/bike-stations" and stations.contact == "data@stad.gent"
        assert stations.current.row_count == 2 and stations.current.original_name == "stations.csv"
        trees = found["street-trees"]
        assert (trees.license, trees.themes, trees.current.format) == ("CC0-1.0", ["ENVI"], "json")
        assert any("sort=id+asc&rows=2&start=2" in r for r in portal.requests)  # it paged, in id order

        # Harvesting again never makes twins; the same file makes no new version, but the
        # metadata follows the source; a changed file is a new version.
        portal.packages[0]["title"] = "Bike-share stations"
        again = runner.invoke(args=["datasets", "harvest", f"{base}/api/3/action/package_search"])
        assert again.exit_code == 0, again.output
        assert "0 new, 0 new versions, 2 unchanged" in again.output
        found = datasets_in(app)
        assert set(found) == {"bike-stations", "street-trees"}
        assert [v.number for v in found["bike-stations"].versions] == [1]
        assert found["bike-stations"].title == "Bike-share stations"
        portal.add_file("/files/stations.csv", STATIONS + "3,Dampoort,51.056,3.740,12\n")
        changed = runner.invoke(args=["datasets", "harvest", base])
        assert changed.exit_code == 0 and "1 new versions, 1 unchanged" in changed.output, changed.output
        assert [v.number for v in datasets_in(app)["bike-stations"].versions] == [1, 2]


def test_limit_and_draft_are_honoured(app, runner):
    portal = Portal()
    with serve(portal) as base:
        ghent_portal(portal, base)
        search = f"{base}/api/3/action/package_search?fq=organization:city-of-ghent"
        result = runner.invoke(args=["datasets", "harvest", search, "--limit", "1", "--draft"])
        assert result.exit_code == 0, result.output
        assert any("fq=organization" in r and "rows=1" in r for r in portal.requests)  # the search is kept
    found = datasets_in(app)
    assert list(found) == ["bike-stations"] and found["bike-stations"].status == "draft"


def test_nothing_harvested_exits_non_zero_and_leaves_nothing(app, runner):
    portal = Portal()
    with serve(portal) as base:
        portal.add_file("/files/budget.xlsx", XLSX_JUNK, "application/vnd.ms-excel")
        portal.packages = [ckan_package(base, "budget", "Budget", [{"path": "/files/budget.xlsx", "format": "XLSX"}])]
        result = runner.invoke(args=["datasets", "harvest", base])
        assert result.exit_code != 0 and "Nothing could be harvested." in result.output
        missing = runner.invoke(args=["datasets", "harvest", f"{base}/nothing-here.ttl"])
        assert missing.exit_code != 0 and f"{base}/nothing-here.ttl: answered HTTP 404" in missing.output
        html = runner.invoke(args=["datasets", "harvest", f"{base}/files/page.html"])
        assert html.exit_code != 0
    assert runner.invoke(args=["datasets", "harvest", "/no/such/catalog.ttl"]).exit_code != 0
    assert datasets_in(app) == {}


@pytest.fixture
def second_app(tmp_path, migrated_database, postgres_databases):
    """Another hub with its own database: the one that harvests."""
    if DB_KIND == "postgresql":
        url = postgres_databases.create()
        migrate(url, tmp_path / "second-template")
    else:
        shutil.copyfile(migrated_database.removeprefix("sqlite:///"), tmp_path / "second.sqlite3")
        url = "sqlite:///" + str(tmp_path / "second.sqlite3")
    other = make_app(tmp_path / "second", url)
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def publish_stations_and_a_draft(app, tmp_path, **metadata) -> None:
    """The first hub: a described, published "stations" dataset and a draft that must stay home."""
    import_file(app, write_csv(tmp_path, "s.csv", STATIONS), slug="stations", title="Bike stations")
    import_file(app, write_csv(tmp_path, "d.csv", STATIONS), slug="secret", title="Secret", draft=True)
    with app.app_context():
        dataset = db.session.scalar(sa.select(Dataset).where(Dataset.slug == "stations"))
        dataset.description, dataset.publisher, dataset.license = "Docks per station.", "City of Ghent", "CC-BY-4.0"
        dataset.keywords = ["bike", "mobility"]
        for name, value in metadata.items():
            setattr(dataset, name, value)
        db.session.commit()


def test_a_second_hackkit_harvests_the_first_ones_dcat_catalogue(app, live_server, second_app, tmp_path):
    publish_stations_and_a_draft(
        app,
        tmp_path,
        themes=["TRAN"],
        spatial="Ghent",
        temporal_start=date(2024, 1, 1),
        temporal_end=date(2024, 12, 31),
        contact="data@stad.gent",
        update_frequency="monthly",
    )
    runner = second_app.test_cli_runner()
    result = runner.invoke(args=["datasets", "harvest", f"{live_server}/catalog.ttl"])
    assert result.exit_code == 0, result.output
    assert "Harvested 1 of 1 datasets from DCAT source" in result.output
    harvested = datasets_in(second_app)
    assert list(harvested) == ["stations"]
    copy = harvested["stations"]
    assert (copy.title, copy.description, copy.publisher, copy.license) == (
        "Bike stations",
        "Docks per station.",
        "City of Ghent",
        "CC-BY-4.0",
    )
    assert (sorted(copy.keywords), copy.themes, copy.spatial) == (["bike", "mobility"], ["TRAN"], "Ghent")
    assert (copy.temporal_start, copy.temporal_end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert (copy.contact, copy.update_frequency) == ("data@stad.gent", "monthly")
    assert copy.source_url == f"{live_server}/datasets/stations"
    assert copy.current.row_count == 2 and copy.current.geometry["lat"] == "lat"

    # The JSON-LD serialization of the same catalogue is the same dataset, with the same file.
    again = runner.invoke(args=["datasets", "harvest", f"{live_server}/catalog.jsonld"])
    assert again.exit_code == 0 and "1 unchanged" in again.output, again.output
    rdf_xml = runner.invoke(args=["datasets", "harvest", f"{live_server}/catalog.rdf", "--limit", "1"])
    assert rdf_xml.exit_code == 0, rdf_xml.output
    assert [v.number for v in datasets_in(second_app)["stations"].versions] == [1]
    # A new version at the source is a new version here.
    import_file(app, write_csv(tmp_path, "s2.csv", STATIONS + "3,Dampoort,51.056,3.740,12\n"), slug="stations")
    # A web page that advertises its catalogue (<link rel="alternate" type="text/turtle">) is enough.
    page = runner.invoke(args=["datasets", "harvest", f"{live_server}/datasets/"])
    assert page.exit_code == 0 and "from DCAT source" in page.output, page.output
    assert [v.number for v in datasets_in(second_app)["stations"].versions] == [1, 2]
    assert datasets_in(second_app)["stations"].current.row_count == 3


def test_a_dcat_file_is_harvested_from_disk(app, runner, tmp_path):
    portal = Portal()
    with serve(portal) as base:
        portal.add_file("/data/parking.csv", "id;naam;plaatsen\n1;Vrijdagmarkt;600\n2;Zuid;400\n")
        catalog = tmp_path / "catalog.ttl"
        catalog.write_text(
            f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<urn:example:catalog> a dcat:Catalog ; dct:title "Ghent" ; dct:description "x" ;
    dcat:dataset <urn:example:parking>, <urn:example:broken> .
<urn:example:parking> a dcat:Dataset ;
    dct:title "Parkeergarages"@nl, "Car parks"@en ; dct:description "Garages and their places."@en ;
    dct:identifier "parking" ; dcat:keyword "parking" ;
    dct:publisher [ a foaf:Agent ; foaf:name "Mobiliteitsbedrijf" ] ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/TRAN> ;
    dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2025-01-01"^^xsd:date ] ;
    dcat:distribution [ a dcat:Distribution ; dcat:accessURL <{base}/data/parking.csv> ;
        dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
        dct:license <http://publications.europa.eu/resource/authority/licence/CC0> ] .
<urn:example:broken> a dcat:Dataset ; dct:title "Broken" ; dct:description "Gone." ;
    dcat:distribution [ a dcat:Distribution ; dcat:downloadURL <{base}/data/gone.csv> ;
        dcat:mediaType <http://www.iana.org/assignments/media-types/text/csv> ] .
""",
            encoding="utf-8",
        )
        result = runner.invoke(args=["datasets", "harvest", str(catalog)])
        assert result.exit_code == 0, result.output
        assert "failed   Broken" in result.output and "gone.csv: answered HTTP 404" in result.output
        parking = datasets_in(app)["parking"]
        assert (parking.title, parking.publisher, parking.license, parking.themes) == (
            "Car parks",
            "Mobiliteitsbedrijf",
            "CC0-1.0",
            ["TRAN"],
        )
        assert parking.temporal_start == date(2025, 1, 1) and parking.current.row_count == 2
        # No web address at the source: the dataset's IRI still recognises it next time.
        assert parking.source_url == ""
        assert runner.invoke(args=["datasets", "harvest", str(catalog)]).exit_code == 0
        assert [v.number for v in datasets_in(app)["parking"].versions] == [1]  # same file, same version


def test_a_second_hackkit_harvests_the_first_one_through_its_ckan_api(app, live_server, second_app, tmp_path):
    publish_stations_and_a_draft(app, tmp_path)
    runner = second_app.test_cli_runner()

    # The hub's root URL: the harvester finds /api/3/action/package_search there.
    result = runner.invoke(args=["datasets", "harvest", live_server])

    assert result.exit_code == 0, result.output
    assert "CKAN" in result.output
    harvested = datasets_in(second_app)
    assert list(harvested) == ["stations"]  # the draft is not offered to anonymous harvesters
    copy = harvested["stations"]
    assert (copy.title, copy.description, copy.publisher, copy.license) == (
        "Bike stations",
        "Docks per station.",
        "City of Ghent",
        "CC-BY-4.0",
    )
    assert sorted(copy.keywords) == ["bike", "mobility"]
    assert copy.current.row_count == 2 and copy.current.geometry["lat"] == "lat"

    again = runner.invoke(args=["datasets", "harvest", live_server])
    assert again.exit_code == 0, again.output
    assert [v.number for v in datasets_in(second_app)["stations"].versions] == [1]  # unchanged: no copy, no version
