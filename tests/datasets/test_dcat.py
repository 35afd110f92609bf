"""The DCAT-AP 3 catalogue: parsed back with rdflib, every mandatory property present."""

import json
from datetime import date

import pytest
from rdflib import Graph, URIRef
from rdflib import namespace as ns

from hackkit.extensions import db
from hackkit.models import Dataset
from hackkit.services import curated
from tests.datasets.helpers import import_file, write_csv

CSV = "id,name,lat,lon,opened\n1,Meir,51.218,4.41,2020-01-05\n2,Zuid,51.2,4.39,2021-03-01\n"
EU = "http://publications.europa.eu/resource/authority/"
VCARD = "http://www.w3.org/2006/vcard/ns#"


def parse(client, url: str, fmt: str, content_type: str) -> Graph:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == content_type
    return Graph().parse(data=response.get_data(as_text=True), format=fmt)


def both_serializations(client):
    return [
        parse(client, "/catalog.ttl", "turtle", "text/turtle"),
        parse(client, "/catalog.jsonld", "json-ld", "application/ld+json"),
    ]


def one(graph: Graph, subject, prop):
    values = list(graph.objects(subject, prop))
    assert values, f"{subject} has no {prop}"
    return values[0]


def curate(app, slug: str, **fields):
    with app.app_context():
        dataset = db.session.query(Dataset).filter_by(slug=slug).one()
        for key, value in fields.items():
            setattr(dataset, key, value)
        db.session.commit()


def check_mandatory(graph: Graph) -> list:
    """DCAT-AP 3 mandatory properties of Catalogue, Dataset, Distribution and Agent."""
    catalog = next(graph.subjects(ns.RDF.type, ns.DCAT.Catalog))
    for prop in (ns.DCTERMS.title, ns.DCTERMS.description):
        assert str(one(graph, catalog, prop))
    assert str(one(graph, one(graph, catalog, ns.DCTERMS.publisher), ns.FOAF.name))
    datasets = list(graph.objects(catalog, ns.DCAT.dataset))
    assert set(datasets) == set(graph.subjects(ns.RDF.type, ns.DCAT.Dataset))
    for dataset in datasets:
        for prop in (ns.DCTERMS.title, ns.DCTERMS.description, ns.DCTERMS.identifier):
            assert str(one(graph, dataset, prop))
        assert str(one(graph, one(graph, dataset, ns.DCTERMS.publisher), ns.FOAF.name))
        for distribution in graph.objects(dataset, ns.DCAT.distribution):
            assert (distribution, ns.RDF.type, ns.DCAT.Distribution) in graph
            assert isinstance(one(graph, distribution, ns.DCAT.accessURL), URIRef)
    for agent in graph.subjects(ns.RDF.type, ns.FOAF.Agent):
        assert str(one(graph, agent, ns.FOAF.name))
    return datasets


def test_catalogue_has_the_mandatory_and_recommended_properties_in_both_serializations(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="stations", title="Bike stations", license="CC-BY-4.0")
    import_file(app, write_csv(tmp_path, "b.csv", "x\n1\n"), slug="numbers", title="Numbers")
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
    )
    for graph in both_serializations(client):
        datasets = check_mandatory(graph)
        assert len(datasets) == 2
        stations = URIRef("http://localhost/datasets/stations#dataset")
        assert str(one(graph, stations, ns.DCTERMS.identifier)) == "stations"
        assert one(graph, stations, ns.DCAT.landingPage) == URIRef("http://localhost/datasets/stations")
        assert str(one(graph, one(graph, stations, ns.DCTERMS.publisher), ns.FOAF.name)) == "City of Antwerp"
        contact = one(graph, stations, ns.DCAT.contactPoint)
        assert one(graph, contact, URIRef(VCARD + "hasEmail")) == URIRef("mailto:data@antwerpen.example")
        assert {str(k) for k in graph.objects(stations, ns.DCAT.keyword)} == {"bike", "mobility"}
        assert set(graph.objects(stations, ns.DCAT.theme)) == {
            URIRef(EU + "data-theme/TRAN"),
            URIRef(EU + "data-theme/REGI"),
        }
        assert one(graph, stations, ns.DCTERMS.accrualPeriodicity) == URIRef(EU + "frequency/MONTHLY")
        location = one(graph, stations, ns.DCTERMS.spatial)
        assert "POLYGON((4.39 51.2," in str(one(graph, location, ns.DCAT.bbox))
        period = one(graph, stations, ns.DCTERMS.temporal)
        assert (period, ns.RDF.type, ns.DCTERMS.PeriodOfTime) in graph
        start = one(graph, period, ns.DCAT.startDate)
        assert start.datatype == ns.XSD.date and str(start) == "2024-01-01"
        assert not list(graph.objects(period, ns.DCAT.endDate))
        for prop in (ns.DCTERMS.issued, ns.DCTERMS.modified):
            assert one(graph, stations, prop).datatype == ns.XSD.dateTime
        parts = graph.objects(stations, ns.DCAT.distribution)
        distributions = {str(one(graph, d, ns.DCAT.downloadURL)): d for d in parts}
        csv = distributions["http://localhost/api/v1/datasets/stations/rows.csv"]
        assert one(graph, csv, ns.DCTERMS["format"]) == URIRef(EU + "file-type/CSV")
        assert one(graph, csv, ns.DCAT.mediaType) == URIRef("http://www.iana.org/assignments/media-types/text/csv")
        assert one(graph, csv, ns.DCTERMS.license) == URIRef(EU + "licence/CC_BY_4_0")
        geojson = distributions["http://localhost/api/v1/datasets/stations/rows.geojson"]
        assert one(graph, geojson, ns.DCTERMS["format"]) == URIRef(EU + "file-type/GEOJSON")
        assert "http://localhost/datasets/stations/original" in distributions
        # A dataset without a publisher of its own is published by the catalogue's publisher.
        numbers = URIRef("http://localhost/datasets/numbers#dataset")
        assert str(one(graph, one(graph, numbers, ns.DCTERMS.publisher), ns.FOAF.name)) == "hackkit"
        assert "http://localhost/api/v1/datasets/numbers/rows.geojson" not in {
            str(one(graph, d, ns.DCAT.downloadURL)) for d in graph.objects(numbers, ns.DCAT.distribution)
        }


def test_download_urls_of_the_catalogue_really_download(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="stations")
    graph = parse(client, "/catalog.ttl", "turtle", "text/turtle")
    urls = [str(url) for url in graph.objects(None, ns.DCAT.downloadURL)]
    assert len(urls) == 3
    for url in urls:
        response = client.get(url.removeprefix("http://localhost"))
        assert response.status_code == 200 and b"Meir" in response.data


def test_drafts_are_never_in_the_catalogue_even_for_organizers(client, app, auth, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="public", title="Public data")
    import_file(app, write_csv(tmp_path, "b.csv", CSV), slug="secret", title="Secret plans", draft=True)
    auth.login_as("organizer")
    for graph in both_serializations(client):
        titles = {str(t) for t in graph.objects(None, ns.DCTERMS.title)}
        assert "Public data" in titles and "Secret plans" not in titles
        assert "secret" not in graph.serialize(format="nt")


def test_an_empty_catalogue_is_still_a_valid_catalogue(client):
    for graph in both_serializations(client):
        assert check_mandatory(graph) == []
    assert client.get("/catalog.rdf").mimetype == "application/rdf+xml"


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [("application/ld+json", "json-ld"), ("text/turtle", "turtle"), ("application/rdf+xml", "xml"), ("*/*", "turtle")],
)
def test_the_catalogue_iri_answers_in_the_format_asked_for(client, app, tmp_path, accept, fmt):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="stations")
    response = client.get("/catalog", headers={"Accept": accept})
    graph = Graph().parse(data=response.get_data(as_text=True), format=fmt)
    assert (URIRef("http://localhost/catalog"), ns.RDF.type, ns.DCAT.Catalog) in graph


def test_json_ld_uses_readable_prefixes(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="stations")
    body = json.loads(client.get("/catalog.jsonld").data)
    assert body["@context"]["dcat"] == str(ns.DCAT)
    assert any(node.get("@type") == "dcat:Catalog" for node in body["@graph"])


def test_the_curated_catalogue_has_every_mandatory_property(client, app):
    with app.app_context():
        loaded = curated.load_curated(db.session)
    for graph in both_serializations(client):
        datasets = check_mandatory(graph)
        assert {str(one(graph, d, ns.DCTERMS.identifier)) for d in datasets} == set(loaded)
        for dataset in datasets:
            assert list(graph.objects(dataset, ns.DCAT.theme)) and list(graph.objects(dataset, ns.DCAT.keyword))
            assert len(list(graph.objects(dataset, ns.DCAT.distribution))) >= 2
    page = client.get("/datasets/").get_data(as_text=True)
    assert 'href="/catalog.ttl"' in page and 'href="/catalog.jsonld"' in page
