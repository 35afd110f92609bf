"""The typed nodes DCAT-AP 3's range shapes ask for: every IRI the catalogue points at says its class.

A SHACL validator sees only the document it is given; it does not fetch the EU vocabularies.
So each theme, file type, media type, frequency and page the catalogue names is typed here
(with the label the shapes require), which is what the EU validator's full mode checks.
"""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS

from hackkit.services import eu_vocab
from hackkit.services.dataset_meta import THEMES

GSP = Namespace("http://www.opengis.net/ont/geosparql#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
THEME_SCHEME = URIRef(eu_vocab.DATA_THEME.rstrip("/"))


def document(graph: Graph, url: str) -> URIRef:
    """A web page (landing page, homepage) as the foaf:Document DCAT-AP says it is."""
    ref = URIRef(url)
    graph.add((ref, RDF.type, FOAF.Document))
    return ref


def theme_scheme(graph: Graph) -> URIRef:
    graph.add((THEME_SCHEME, RDF.type, SKOS.ConceptScheme))
    graph.add((THEME_SCHEME, DCTERMS.title, Literal("Data theme", lang="en")))
    return THEME_SCHEME


def theme(graph: Graph, code: str) -> URIRef:
    ref = URIRef(eu_vocab.DATA_THEME + code)
    graph.add((ref, RDF.type, SKOS.Concept))
    graph.add((ref, SKOS.inScheme, theme_scheme(graph)))
    graph.add((ref, SKOS.prefLabel, Literal(THEMES.get(code, code), lang="en")))
    return ref


def frequency(graph: Graph, name: str) -> URIRef:
    ref = URIRef(eu_vocab.FREQUENCY + eu_vocab.FREQUENCIES[name])
    graph.add((ref, RDF.type, DCTERMS.Frequency))
    graph.add((ref, SKOS.prefLabel, Literal(name, lang="en")))
    return ref


def file_type(graph: Graph, fmt: str) -> tuple[URIRef, URIRef]:
    """(dct:format, dcat:mediaType) of an importer format: the EU file type and the IANA type."""
    code, media = eu_vocab.FORMATS[fmt]
    format_ref = URIRef(eu_vocab.FILE_TYPE + code)
    graph.add((format_ref, RDF.type, DCTERMS.MediaTypeOrExtent))
    graph.add((format_ref, SKOS.prefLabel, Literal(code)))
    media_ref = URIRef(eu_vocab.IANA_MEDIA_TYPES + media)
    graph.add((media_ref, RDF.type, DCTERMS.MediaType))
    return format_ref, media_ref


def wkt_box(west: float, south: float, east: float, north: float) -> Literal:
    # GeoSPARQL: a WKT literal without a CRS IRI is in CRS84 (longitude first), as here.
    ring = f"{west} {south},{east} {south},{east} {north},{west} {north},{west} {south}"
    return Literal(f"POLYGON(({ring}))", datatype=GSP.wktLiteral)


def wkt_point(lon: float, lat: float) -> Literal:
    return Literal(f"POINT({lon} {lat})", datatype=GSP.wktLiteral)


PLANNED_AVAILABILITY = "http://publications.europa.eu/resource/authority/planned-availability/"
# ADMS licence types per hackkit licence id: what the licence asks of a re-user.
LICENCE_TYPE = "http://purl.org/adms/licencetype/"
LICENCE_TYPES = {
    "CC0-1.0": ("PublicDomain",),
    "CC-BY-4.0": ("Attribution",),
    "CC-BY-SA-4.0": ("Attribution", "ShareAlike"),
    "ODbL-1.0": ("Attribution", "ShareAlike"),
}


def _concept(graph: Graph, iri: str, label: str) -> URIRef:
    ref = URIRef(iri)
    graph.add((ref, RDF.type, SKOS.Concept))
    graph.add((ref, SKOS.prefLabel, Literal(label, lang="en")))
    return ref


def available(graph: Graph) -> URIRef:
    """Downloads served by the hub itself: meant to stay for the medium term, not experimental."""
    return _concept(graph, PLANNED_AVAILABILITY + "AVAILABLE", "available")


def licence(graph: Graph, iri: str, license_id: str, label: str) -> URIRef:
    ref = URIRef(iri)
    graph.add((ref, RDF.type, DCTERMS.LicenseDocument))
    graph.add((ref, RDFS.label, Literal(label)))
    for kind in LICENCE_TYPES.get(license_id, ()):
        graph.add((ref, DCTERMS.type, _concept(graph, LICENCE_TYPE + kind, kind)))
    return ref
