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
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from hackkit.datasets import dcat_vocab as vocab
from hackkit.datasets.dataset_json import point_bounds
from hackkit.models import Dataset, DatasetVersion
from hackkit.services import eu_vocab
from hackkit.services.dataset_meta import LICENSES, slugify

GSP = vocab.GSP
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "skos": SKOS,
    "xsd": XSD,
    "gsp": GSP,
    "locn": vocab.LOCN,
    "dcatap": DCATAP,
}
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


def _location(graph: Graph, dataset: Dataset, version: DatasetVersion | None) -> BNode | None:
    """dct:spatial: the place's name and, where the rows give it, a bounding box and centroid."""
    bounds = point_bounds(version) if version else None
    if not dataset.spatial and bounds is None:
        return None
    location = BNode()
    graph.add((location, RDF.type, DCTERMS.Location))
    if dataset.spatial:
        graph.add((location, SKOS.prefLabel, Literal(dataset.spatial)))
    if bounds is not None:
        west, south, east, north = bounds
        graph.add((location, DCAT.bbox, vocab.wkt_box(west, south, east, north)))
        graph.add((location, DCAT.centroid, vocab.wkt_point((west + east) / 2, (south + north) / 2)))
    return location


def _distribution(
    graph: Graph, dataset_ref: URIRef, ref: URIRef, url: str, fmt: str, title: str, description: str, **extra
) -> URIRef:
    format_ref, media_ref = vocab.file_type(graph, fmt)
    graph.add((dataset_ref, DCAT.distribution, ref))
    graph.add((ref, RDF.type, DCAT.Distribution))
    graph.add((ref, DCTERMS.title, Literal(title)))
    graph.add((ref, DCTERMS.description, Literal(description, lang="en")))
    graph.add((ref, DCAT.accessURL, URIRef(url)))
    graph.add((ref, DCAT.downloadURL, URIRef(url)))
    graph.add((ref, DCTERMS["format"], format_ref))
    graph.add((ref, DCAT.mediaType, media_ref))
    graph.add((ref, DCATAP.availability, vocab.available(graph)))
    for key, value in extra.items():
        if value is not None:
            graph.add((ref, {"license": DCTERMS.license, "modified": DCTERMS.modified}[key], value))
    return ref


def add_dataset(
    graph: Graph, catalog: URIRef, dataset: Dataset, default_publisher: str, default_contact: str = ""
) -> URIRef:
    page = url_for("datasets.detail", slug=dataset.slug, _external=True)
    ref = URIRef(page + "#dataset")
    version = dataset.current
    graph.add((catalog, DCAT.dataset, ref))
    graph.add((ref, RDF.type, DCAT.Dataset))
    graph.add((ref, DCTERMS.title, Literal(dataset.title)))
    graph.add((ref, DCTERMS.description, Literal(dataset.description or dataset.title)))
    graph.add((ref, DCTERMS.identifier, Literal(dataset.slug)))
    graph.add((ref, DCAT.landingPage, vocab.document(graph, page)))
    publisher = dataset.publisher or default_publisher
    graph.add((ref, DCTERMS.publisher, _agent(graph, publisher)))
    # The dataset's own contact, else the publisher's public one from the settings.
    contact = dataset.contact or default_contact
    if contact:
        graph.add((ref, DCAT.contactPoint, _contact_point(graph, contact, publisher)))
    for keyword in dataset.keywords or []:
        graph.add((ref, DCAT.keyword, Literal(keyword)))
    for theme in dataset.themes or []:
        graph.add((ref, DCAT.theme, vocab.theme(graph, theme)))
    if dataset.update_frequency in eu_vocab.FREQUENCIES:
        graph.add((ref, DCTERMS.accrualPeriodicity, vocab.frequency(graph, dataset.update_frequency)))
    location = _location(graph, dataset, version)
    if location is not None:
        graph.add((ref, DCTERMS.spatial, location))
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
        vocab.licence(graph, iri, dataset.license, LICENSES[dataset.license][0])
    page = str(ref).removesuffix("#dataset")
    csv_url = url_for("api.dataset_rows_csv", slug=dataset.slug, _external=True)
    about = "Every row of the current version"
    csv_title = f"{dataset.title} (CSV)"
    _distribution(graph, ref, URIRef(page + "#csv"), csv_url, "csv", csv_title, f"{about}, as CSV.", **extra)
    if version.geometry:
        geojson_url = url_for("api.dataset_rows_geojson", slug=dataset.slug, _external=True)
        title = f"{dataset.title} (GeoJSON)"
        described = f"{about}, as GeoJSON features in WGS84."
        _distribution(graph, ref, URIRef(page + "#geojson"), geojson_url, "geojson", title, described, **extra)
    if version.original_path and version.format in eu_vocab.FORMATS:
        original_url = url_for("datasets.original", slug=dataset.slug, _external=True)
        title = f"{dataset.title} ({version.original_name or 'original file'})"
        described = "The file the current version was imported from, as uploaded."
        _distribution(graph, ref, URIRef(page + "#original"), original_url, version.format, title, described, **extra)


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
    graph.add((catalog, FOAF.homepage, vocab.document(graph, url_for("datasets.index", _external=True))))
    graph.add((catalog, DCAT.themeTaxonomy, vocab.theme_scheme(graph)))
    earliest = latest = None
    for dataset in datasets:
        add_dataset(graph, catalog, dataset, config["HACKKIT_CATALOG_PUBLISHER"], config["HACKKIT_CATALOG_CONTACT"])
        moment = _utc(dataset.current.created_at if dataset.current else dataset.updated_at)
        latest = moment if latest is None or moment > latest else latest
        created = _utc(dataset.created_at)
        earliest = created if earliest is None or created < earliest else earliest
    if latest is not None:
        graph.add((catalog, DCTERMS.modified, _date_time(latest)))
    if earliest is not None:
        graph.add((catalog, DCTERMS.issued, _date_time(earliest)))
    return graph


def serialize(graph: Graph, kind: str) -> str:
    fmt = SERIALIZATIONS[kind][0]
    if fmt == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, indent=2)
    return graph.serialize(format=fmt)
