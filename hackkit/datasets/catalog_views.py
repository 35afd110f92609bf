"""The machine-readable catalogue: DCAT-AP at /catalog(.ttl|.jsonld|.rdf), for portals that harvest."""

from __future__ import annotations

from flask import Blueprint, Response, request

from hackkit.extensions import db
from hackkit.services import datasets

bp = Blueprint("dcat", __name__)
NEGOTIATED = {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/rdf+xml": "rdf"}  # first: default


def _catalog_response(kind: str) -> Response:
    from hackkit.datasets import dcat  # here: rdflib costs every worker ~15 MB and 50 ms at start

    # Published datasets only, whoever asks: harvesters copy this into other portals.
    graph = dcat.catalog_graph(datasets.published_datasets(db.session))
    response = Response(dcat.serialize(graph, kind), mimetype=dcat.SERIALIZATIONS[kind][1])
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/catalog")
def catalog():
    """The catalogue's IRI: Turtle unless the client asks for JSON-LD or RDF/XML."""
    best = request.accept_mimetypes.best_match(list(NEGOTIATED), default="text/turtle")
    return _catalog_response(NEGOTIATED[best])


@bp.route("/catalog.<any(ttl, jsonld, rdf):kind>")
def catalog_file(kind: str):
    return _catalog_response(kind)
