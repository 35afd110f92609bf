"""The schema.org Dataset JSON-LD of a dataset page, read as linked data with rdflib.

The page says `"@context": "https://schema.org/"`; rdflib would fetch that over the network,
so the tests hand it the part of schema.org's context these properties use (its `@vocab`
is http://schema.org/, and `url`/`contentUrl` are IRIs) instead.
"""

import json
import re

from rdflib import Graph, Namespace, URIRef
from rdflib import namespace as ns

from tests.datasets.helpers import import_file, write_csv
from tests.datasets.test_dcat import CSV, curate

SDO = Namespace("http://schema.org/")
SCHEMA_ORG_CONTEXT = {"@vocab": str(SDO), "url": {"@type": "@id"}, "contentUrl": {"@type": "@id"}}


def page_json_ld(client, slug: str) -> dict:
    page = client.get(f"/datasets/{slug}").get_data(as_text=True)
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    doc = json.loads(blocks[0])
    assert doc["@context"] == "https://schema.org/"  # what search engines expect to see
    return doc


def as_graph(doc: dict) -> Graph:
    return Graph().parse(data=json.dumps({**doc, "@context": SCHEMA_ORG_CONTEXT}), format="json-ld")


def the(graph: Graph, subject, prop):
    values = list(graph.objects(subject, prop))
    assert len(values) == 1, f"{subject} {prop}: {values}"
    return values[0]


def test_the_dataset_is_the_catalogue_dataset_in_the_catalogue_with_its_box_and_downloads(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="stations", title="Bike stations", license="CC0-1.0")
    curate(app, "stations", spatial="Antwerp")
    graph = as_graph(page_json_ld(client, "stations"))

    dataset = URIRef("http://localhost/datasets/stations#dataset")
    assert (dataset, ns.RDF.type, SDO.Dataset) in graph
    # The same IRI as the dataset in the DCAT-AP catalogue, which it says it belongs to.
    dcat = Graph().parse(data=client.get("/catalog.ttl").get_data(as_text=True), format="turtle")
    assert (dataset, ns.RDF.type, ns.DCAT.Dataset) in dcat
    catalogue = the(graph, dataset, SDO.includedInDataCatalog)
    assert catalogue == URIRef("http://localhost/catalog")
    assert (catalogue, ns.RDF.type, SDO.DataCatalog) in graph
    assert str(the(graph, catalogue, SDO.name)) == "hackkit open data catalogue"

    place = the(graph, dataset, SDO.spatialCoverage)
    assert (place, ns.RDF.type, SDO.Place) in graph and str(the(graph, place, SDO.name)) == "Antwerp"
    shape = the(graph, place, SDO.geo)
    assert (shape, ns.RDF.type, SDO.GeoShape) in graph
    # Lower corner then upper corner, latitude first: the stations lie in 51.2-51.218 N, 4.39-4.41 E.
    assert str(the(graph, shape, SDO.box)) == "51.2 4.39 51.218 4.41"

    downloads = {str(the(graph, d, SDO.encodingFormat)): d for d in graph.objects(dataset, SDO.distribution)}
    assert set(downloads) == {"text/csv", "application/geo+json"}  # the original is a CSV too
    urls = {str(the(graph, d, SDO.contentUrl)) for d in graph.objects(dataset, SDO.distribution)}
    assert urls == {
        "http://localhost/api/v1/datasets/stations/rows.csv",
        "http://localhost/api/v1/datasets/stations/rows.geojson",
        "http://localhost/datasets/stations/original",
    }
    for url in urls:
        assert client.get(url.removeprefix("http://localhost")).status_code == 200
    for download in graph.objects(dataset, SDO.distribution):
        assert (download, ns.RDF.type, SDO.DataDownload) in graph


def test_a_table_without_a_location_offers_no_geojson_and_no_box(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "b.csv", "x\n1\n"), slug="numbers", title="Numbers")
    doc = page_json_ld(client, "numbers")
    assert "spatialCoverage" not in doc
    graph = as_graph(doc)
    dataset = URIRef("http://localhost/datasets/numbers#dataset")
    formats = [str(the(graph, d, SDO.encodingFormat)) for d in graph.objects(dataset, SDO.distribution)]
    assert sorted(formats) == ["text/csv", "text/csv"]  # the rows and the original file
    assert the(graph, dataset, SDO.includedInDataCatalog) == URIRef("http://localhost/catalog")
