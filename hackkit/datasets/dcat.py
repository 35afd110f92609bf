"""The published catalogue as DCAT-AP 3 (https://semiceu.github.io/DCAT-AP/releases/3.0.0/).

One rdflib graph, serialized as Turtle, JSON-LD or RDF/XML. Vocabulary IRIs (themes, file
types, licences, frequencies) come from services.eu_vocab so harvesting reads back what
this writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app, url_for
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from hackkit.models import Dataset, DatasetVersion
from hackkit.services import eu_vocab
from hackkit.services.dataset_meta import LICENSES, slugify

GSP = Namespace("http://www.opengis.net/ont/geosparql#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PREFIXES = {"dcat": DCAT, "dct": DCTERMS, "foaf": FOAF, "vcard": VCARD, "skos": SKOS, "xsd": XSD, "gsp": GSP}
SERIALIZATIONS = {
    "ttl": ("turtle", "text/turtle"),
    "jsonld": ("json-ld", "application/ld+json"),
    "rdf": ("xml", "application/rdf+xml"),
}


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _date_time(moment: datetime) -> Literal:
    return Literal(_utc(moment).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def _agent(graph: Graph, name: str) -> URIRef:
    """A foaf:Agent per publisher name, shared by every dataset it publishes."""
    agent = URIRef(url_for("dcat.catalog", _external=True) + "#agent-" + slugify(name))
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(name)))
    return agent


def _contact_point(graph: Graph, contact: str, name: str) -> BNode:
    kind = BNode()
    graph.add((kind, RDF.type, VCARD.Kind))
    graph.add((kind, VCARD.fn, Literal(name or contact)))
    if EMAIL.match(contact):
        graph.add((kind, VCARD.hasEmail, URIRef("mailto:" + contact)))
    elif re.match(r"^https?://\S+$", contact):
        graph.add((kind, VCARD.hasURL, URIRef(contact)))
    else:
        graph.add((kind, VCARD.note, Literal(contact)))
    return kind


def _bbox(version: DatasetVersion) -> str | None:
    """WKT envelope of a point dataset, from the importer's column statistics."""
    spec = version.geometry or {}
    if spec.get("type") != "point":
        return None
    stats = {c["name"]: c for c in version.columns}
    lat, lon = stats.get(spec.get("lat"), {}), stats.get(spec.get("lon"), {})
    bounds = [lon.get("min"), lat.get("min"), lon.get("max"), lat.get("max")]
    if any(not isinstance(b, (int, float)) for b in bounds):
        return None
    west, south, east, north = bounds
    return f"POLYGON(({west} {south},{east} {south},{east} {north},{west} {north},{west} {south}))"


def _distribution(graph: Graph, dataset_ref: URIRef, ref: URIRef, url: str, fmt: str, title: str, **extra) -> URIRef:
    code, media = eu_vocab.FORMATS[fmt]
    graph.add((dataset_ref, DCAT.distribution, ref))
    graph.add((ref, RDF.type, DCAT.Distribution))
    graph.add((ref, DCTERMS.title, Literal(title)))
    graph.add((ref, DCAT.accessURL, URIRef(url)))
    graph.add((ref, DCAT.downloadURL, URIRef(url)))
    graph.add((ref, DCTERMS["format"], URIRef(eu_vocab.FILE_TYPE + code)))
    graph.add((ref, DCAT.mediaType, URIRef(eu_vocab.IANA_MEDIA_TYPES + media)))
    for key, value in extra.items():
        if value is not None:
            graph.add((ref, {"license": DCTERMS.license, "modified": DCTERMS.modified}[key], value))
    return ref


def add_dataset(graph: Graph, catalog: URIRef, dataset: Dataset, default_publisher: str) -> URIRef:
    page = url_for("datasets.detail", slug=dataset.slug, _external=True)
    ref = URIRef(page + "#dataset")
    version = dataset.current
    graph.add((catalog, DCAT.dataset, ref))
    graph.add((ref, RDF.type, DCAT.Dataset))
    graph.add((ref, DCTERMS.title, Literal(dataset.title)))
    graph.add((ref, DCTERMS.description, Literal(dataset.description or dataset.title)))
    graph.add((ref, DCTERMS.identifier, Literal(dataset.slug)))
    graph.add((ref, DCAT.landingPage, URIRef(page)))
    publisher = dataset.publisher or default_publisher
    graph.add((ref, DCTERMS.publisher, _agent(graph, publisher)))
    if dataset.contact:
        graph.add((ref, DCAT.contactPoint, _contact_point(graph, dataset.contact, publisher)))
    for keyword in dataset.keywords or []:
        graph.add((ref, DCAT.keyword, Literal(keyword)))
    for theme in dataset.themes or []:
        graph.add((ref, DCAT.theme, URIRef(eu_vocab.DATA_THEME + theme)))
    if dataset.update_frequency in eu_vocab.FREQUENCIES:
        frequency = eu_vocab.FREQUENCY + eu_vocab.FREQUENCIES[dataset.update_frequency]
        graph.add((ref, DCTERMS.accrualPeriodicity, URIRef(frequency)))
    bbox = _bbox(version) if version else None
    if dataset.spatial or bbox:
        location = BNode()
        graph.add((ref, DCTERMS.spatial, location))
        graph.add((location, RDF.type, DCTERMS.Location))
        if dataset.spatial:
            graph.add((location, SKOS.prefLabel, Literal(dataset.spatial)))
        if bbox:
            graph.add((location, DCAT.bbox, Literal(bbox, datatype=GSP.wktLiteral)))
    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        graph.add((ref, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        for prop, day in ((DCAT.startDate, dataset.temporal_start), (DCAT.endDate, dataset.temporal_end)):
            if isinstance(day, date):
                graph.add((period, prop, Literal(day.isoformat(), datatype=XSD.date)))
    graph.add((ref, DCTERMS.issued, _date_time(dataset.created_at)))
    modified = max(_utc(dataset.updated_at), _utc(version.created_at)) if version else _utc(dataset.updated_at)
    graph.add((ref, DCTERMS.modified, _date_time(modified)))
    if version is not None:
        _add_distributions(graph, ref, dataset, version)
    return ref


def _add_distributions(graph: Graph, ref: URIRef, dataset: Dataset, version: DatasetVersion) -> None:
    iri = eu_vocab.licence_iri(dataset.license)
    extra: dict[str, Any] = {
        "license": URIRef(iri) if iri else None,
        "modified": _date_time(version.created_at),
    }
    if iri:
        graph.add((URIRef(iri), RDF.type, DCTERMS.LicenseDocument))
        graph.add((URIRef(iri), RDFS.label, Literal(LICENSES[dataset.license][0])))
    page = str(ref).removesuffix("#dataset")
    csv_url = url_for("api.dataset_rows_csv", slug=dataset.slug, _external=True)
    _distribution(graph, ref, URIRef(page + "#csv"), csv_url, "csv", f"{dataset.title} (CSV)", **extra)
    if version.geometry:
        geojson_url = url_for("api.dataset_rows_geojson", slug=dataset.slug, _external=True)
        title = f"{dataset.title} (GeoJSON)"
        _distribution(graph, ref, URIRef(page + "#geojson"), geojson_url, "geojson", title, **extra)
    if version.original_path and version.format in eu_vocab.FORMATS:
        original_url = url_for("datasets.original", slug=dataset.slug, _external=True)
        title = f"{dataset.title} ({version.original_name or 'original file'})"
        _distribution(graph, ref, URIRef(page + "#original"), original_url, version.format, title, **extra)


def catalog_graph(datasets: Iterable[Dataset]) -> Graph:
    config = current_app.config
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    catalog = URIRef(url_for("dcat.catalog", _external=True))
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(config["HACKKIT_CATALOG_TITLE"])))
    graph.add((catalog, DCTERMS.description, Literal(config["HACKKIT_CATALOG_DESCRIPTION"])))
    graph.add((catalog, DCTERMS.publisher, _agent(graph, config["HACKKIT_CATALOG_PUBLISHER"])))
    graph.add((catalog, FOAF.homepage, URIRef(url_for("datasets.index", _external=True))))
    graph.add((catalog, DCAT.themeTaxonomy, URIRef(eu_vocab.DATA_THEME.rstrip("/"))))
    latest = None
    for dataset in datasets:
        add_dataset(graph, catalog, dataset, config["HACKKIT_CATALOG_PUBLISHER"])
        moment = _utc(dataset.current.created_at if dataset.current else dataset.updated_at)
        latest = moment if latest is None or moment > latest else latest
    if latest is not None:
        graph.add((catalog, DCTERMS.modified, _date_time(latest)))
    return graph


def serialize(graph: Graph, kind: str) -> str:
    fmt = SERIALIZATIONS[kind][0]
    if fmt == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, indent=2)
    return graph.serialize(format=fmt)
