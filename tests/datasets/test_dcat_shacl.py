"""The DCAT-AP 3 catalogue against the official SHACL shapes of DCAT-AP 3.0.1.

The shapes are read from `../shared/specs/dcat-ap-3.0.1/` (SEMIC's own files, not copied
into the repository); the tests skip with a reason where that folder is absent. They run
as the EU validator's full mode does: the combined shapes with RDFS inference, then the
mandatory/cardinality shapes together with the class-range shapes.
"""

from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib import namespace as ns

from hackkit.extensions import db
from hackkit.services import curated
from tests.datasets.helpers import import_file, write_csv
from tests.datasets.test_dcat import CSV, curate

pyshacl = pytest.importorskip("pyshacl")
PUBLIC_CONTACT = "opendata@city.example"


def _specs_dir() -> Path | None:
    """`shared/specs/dcat-ap-3.0.1` beside the checkout (or beside a folder of worktrees)."""
    for parent in Path(__file__).resolve().parents[2].parents:
        candidate = parent / "shared" / "specs" / "dcat-ap-3.0.1"
        if candidate.is_dir():
            return candidate
    return None


SPECS = _specs_dir()
needs_specs = pytest.mark.skipif(SPECS is None, reason="../shared/specs/dcat-ap-3.0.1 (official DCAT-AP shapes) absent")


def shapes(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(SPECS / name, format="turtle")
    return graph


def results(data: Graph, shapes_graph: Graph, severity: str = "Violation") -> list[str]:
    """Readable lines for each result of the given severity (empty: conforms)."""
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph, inference="rdfs", allow_warnings=True)
    query = f"""
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?focus ?path ?value ?message WHERE {{
            ?r a sh:ValidationResult ; sh:resultSeverity sh:{severity} ; sh:focusNode ?focus .
            OPTIONAL {{ ?r sh:resultPath ?path }} OPTIONAL {{ ?r sh:value ?value }}
            OPTIONAL {{ ?r sh:resultMessage ?message }}
        }}"""
    return sorted(f"{row.focus} {row.path} {row.value}: {row.message}" for row in report.query(query))


def assert_none(lines: list[str]) -> None:
    assert not lines, f"{len(lines)} results:\n" + "\n".join(lines)


def catalogue(client, path: str, fmt: str) -> Graph:
    response = client.get(path)
    assert response.status_code == 200
    return Graph().parse(data=response.get_data(as_text=True), format=fmt)


@pytest.fixture
def full_catalogue(app, tmp_path):
    """The curated demo catalogue plus a dataset with every optional field filled in."""
    with app.app_context():
        curated.load_curated(db.session)
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="stations", title="Bike stations", license="CC-BY-4.0")
    import_file(app, write_csv(tmp_path, "b.csv", "x\n1\n"), slug="numbers", title="Numbers", license="ODbL-1.0")
    curate(
        app,
        "stations",
        description="Where to find a bike.",
        publisher="City of Antwerp",
        contact="data@antwerpen.example",
        keywords=["bike", "mobility"],
        themes=["TRAN", "REGI"],
        spatial="Antwerp",
        update_frequency="monthly",
        temporal_start=date(2024, 1, 1),
        temporal_end=date(2024, 12, 31),
    )


@pytest.fixture
def app_settings() -> dict:
    return {"HACKKIT_CATALOG_CONTACT": PUBLIC_CONTACT}


SERIALIZATIONS = [("/catalog.ttl", "turtle"), ("/catalog.jsonld", "json-ld"), ("/catalog.rdf", "xml")]


@needs_specs
@pytest.mark.parametrize(("path", "fmt"), SERIALIZATIONS)
def test_the_catalogue_has_no_violation_of_the_combined_dcat_ap_shapes(client, full_catalogue, path, fmt):
    data = catalogue(client, path, fmt)
    assert_none(results(data, shapes("dcat-ap-SHACL.ttl")))


@needs_specs
def test_the_catalogue_has_no_violation_of_the_mandatory_and_range_shapes(client, full_catalogue):
    data = catalogue(client, "/catalog.ttl", "turtle")
    assert_none(results(data, shapes("shapes.ttl", "range.ttl")))


@needs_specs
def test_a_fully_described_dataset_fills_in_every_recommended_property(client, full_catalogue):
    """No warning about the dataset, its distributions, contact, place or licence.

    Warnings elsewhere ask for facts the hub does not record (the catalogue's language and
    licence, the kind of publisher, the time span of a dataset that has none) and stay.
    """
    data = catalogue(client, "/catalog.ttl", "turtle")
    recommended = shapes("shapes.ttl", "range.ttl", "shapes_recommended.ttl")
    stations = URIRef("http://localhost/datasets/stations#dataset")
    about = {
        stations,
        *(
            o
            for p in (ns.DCAT.distribution, ns.DCAT.contactPoint, ns.DCTERMS.spatial)
            for o in data.objects(stations, p)
        ),
    }
    about |= {o for d in data.objects(stations, ns.DCAT.distribution) for o in data.objects(d, ns.DCTERMS.license)}
    assert len(about) == 7  # the dataset, three distributions, its contact, its place, its licence
    warnings = results(data, recommended, "Warning")
    assert_none([line for line in warnings if line.split(" ", 1)[0] in {str(node) for node in about}])


@needs_specs
def test_an_empty_catalogue_conforms_too(client):
    data = catalogue(client, "/catalog.ttl", "turtle")
    assert_none(results(data, shapes("dcat-ap-SHACL.ttl")))
    assert_none(results(data, shapes("shapes.ttl", "range.ttl")))
