"""What another portal offers, read into one shape: CKAN packages and DCAT datasets become
`Candidate`s (metadata in hackkit's terms, plus the files that could become a version).

Nothing here touches the database; services.harvest decides what to import.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urljoin, urlsplit

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS

from hackkit.services import eu_vocab
from hackkit.services.dataset_meta import FREQUENCIES, SLUG

PREFERRED_FORMATS = ("csv", "geojson", "xlsx", "json")  # the first that imports becomes the version
VCARD = "http://www.w3.org/2006/vcard/ns#"
SCHEMA = "http://schema.org/"
RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
    "text/n3": "n3",
}
RDF_SUFFIXES = {".ttl": "turtle", ".jsonld": "json-ld", ".rdf": "xml", ".xml": "xml", ".nt": "nt", ".n3": "n3"}


@dataclass
class Resource:
    url: str
    format: str  # an importer format: csv, geojson, xlsx, json
    name: str  # the original file name to keep
    label: str = ""  # what the source calls it (a DCAT distribution's IRI), to choose among files


@dataclass
class Candidate:
    title: str
    identities: list[str]  # what names this dataset at its source; a match means "same dataset"
    source_url: str  # a web page of the dataset at its source ("" when it has none)
    slug_hint: str
    metadata: dict[str, Any]
    resources: list[Resource] = field(default_factory=list)
    unusable: list[str] = field(default_factory=list)  # resources in formats the importer cannot read


def file_name(url: str, fmt: str, fallback: str) -> str:
    name = PurePosixPath(urlsplit(url).path).name
    return name if name.lower().endswith("." + fmt) and name.lower() != f"rows.{fmt}" else f"{fallback}.{fmt}"


def _ordered(resources: list[Resource]) -> list[Resource]:
    return sorted(resources, key=lambda r: PREFERRED_FORMATS.index(r.format))


# --- CKAN -------------------------------------------------------------------------------


def is_ckan_search(body: Any) -> bool:
    return (
        isinstance(body, dict)
        and body.get("success") is True
        and isinstance(body.get("result"), dict)
        and isinstance(body["result"].get("results"), list)
    )


def ckan_site(api_url: str) -> str:
    """The portal's address, from any URL of its Action API (or the portal itself)."""
    for marker in ("/api/3/action", "/api/action"):
        if marker in api_url:
            return api_url.split(marker, 1)[0].rstrip("/")
    return api_url.split("?", 1)[0].rstrip("/")


def _extras(package: dict) -> dict[str, str]:
    return {str(e.get("key")): str(e.get("value") or "") for e in package.get("extras") or [] if isinstance(e, dict)}


def _listish(value: str) -> list[str]:
    """A CKAN extra that may hold a JSON list or a comma-separated one."""
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = value.split(",")
    return [str(v).strip() for v in (parsed if isinstance(parsed, list) else [parsed]) if str(v).strip()]


def ckan_candidate(site: str, package: dict) -> Candidate:
    name = str(package.get("name") or package.get("id") or "")
    extras = _extras(package)
    organization = package.get("organization") or {}
    licence = eu_vocab.licence_id(str(package.get("license_id") or "")) or eu_vocab.licence_id(
        str(package.get("license_url") or "")
    )
    themes = [eu_vocab.theme_code(t) for t in _listish(extras.get("theme", ""))]
    themes += [eu_vocab.theme_code(str(g.get("name") or "")) for g in package.get("groups") or []]
    metadata: dict[str, Any] = {
        "title": package.get("title") or name,
        "description": package.get("notes") or "",
        "publisher": organization.get("title") or package.get("author") or package.get("maintainer") or "",
        "contact": package.get("maintainer_email") or package.get("author_email") or "",
        "keywords": [str(t.get("name")) for t in package.get("tags") or [] if isinstance(t, dict) and t.get("name")],
        "themes": [t for t in themes if t],
        # ckanext-dcat's and hackkit's names for a place in words (ckanext-spatial's `spatial`
        # is GeoJSON, which this field cannot hold).
        "spatial": extras.get("spatial_text") or extras.get("spatial_uri_label") or "",
        "temporal_start": extras.get("temporal_start", "")[:10] or None,
        "temporal_end": extras.get("temporal_end", "")[:10] or None,
        "update_frequency": _frequency(extras.get("frequency", "")),
    }
    if licence:
        metadata["license"] = licence
    elif package.get("license_title") or package.get("license_id"):
        metadata["license"] = "other"
        metadata["description"] += f"\n\nLicence: {package.get('license_title') or package.get('license_id')}"
    page = f"{site}/dataset/{name}"
    candidate = Candidate(
        title=str(metadata["title"]),
        identities=[page, f"{site}/dataset/{package.get('id')}", *_same_dataset_elsewhere(package, extras)],
        source_url=page,
        slug_hint=name,
        metadata=metadata,
    )
    for resource in package.get("resources") or []:
        url, fmt = _resource_file(site, resource)
        if fmt is None or not url.startswith(("http://", "https://")):
            candidate.unusable.append(f"{resource.get('name') or url} ({resource.get('format') or 'no format'})")
            continue
        candidate.resources.append(Resource(url, fmt, file_name(url, fmt, name)))
    candidate.resources = _ordered(candidate.resources)
    return candidate


def _frequency(value: str) -> str:
    return value if value in FREQUENCIES else eu_vocab.frequency_name(value) or ""


def _same_dataset_elsewhere(package: dict, extras: dict[str, str]) -> list[str]:
    """Web addresses that name this dataset in the portal's DCAT catalogue too: the dataset
    page (hackkit's `ckan_url`, DCAT's landing page) and ckanext-dcat's `uri`/`guid`/
    `identifier` extras. Matching on them keeps one dataset one, however it is harvested."""
    found = [str(package.get("ckan_url") or "")] + [extras.get(key, "") for key in ("uri", "guid", "identifier")]
    return [value for value in found if value.startswith(("http://", "https://"))]


def _resource_file(site: str, resource: dict) -> tuple[str, str | None]:
    """The address and importer format of a resource's file. The uploaded original when the
    portal names it (hackkit's `original_url`: the very bytes the source imported) before the
    DataStore copy at `url`."""
    original = str(resource.get("original_url") or "")
    if original.startswith(("http://", "https://")):
        fmt = eu_vocab.format_name(resource.get("original_format"), original)
        if fmt:
            return original, fmt
    url = urljoin(site + "/", str(resource.get("url") or ""))
    return url, eu_vocab.format_name(resource.get("format"), resource.get("mimetype"), url)


# --- DCAT -------------------------------------------------------------------------------


def rdf_format(content_type: str, location: str) -> str | None:
    if content_type in RDF_FORMATS:
        return RDF_FORMATS[content_type]
    suffix = PurePosixPath(urlsplit(location).path).suffix.lower()
    return RDF_SUFFIXES.get(suffix)


class _AlternateLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        kind = (found.get("type") or "").lower()
        if tag == "link" and "alternate" in (found.get("rel") or "").lower().split() and kind in RDF_FORMATS:
            self.found.append((found.get("href") or "", RDF_FORMATS[kind]))


def advertised_catalogue(html: str, page_url: str) -> tuple[str, str] | None:
    """The DCAT catalogue a web page points to with <link rel="alternate" type="text/turtle">
    (or JSON-LD, RDF/XML): how a portal's home page says where its catalogue is."""
    parser = _AlternateLinks()
    parser.feed(html)
    for href, fmt in parser.found:
        if href:
            return urljoin(page_url, href), fmt
    return None


def parse_rdf(data: bytes, fmt: str | None) -> Graph:
    """A graph from Turtle, JSON-LD or RDF/XML; tries each when the format is unknown."""
    errors = []
    for candidate in [fmt] if fmt else ["turtle", "json-ld", "xml"]:
        try:
            return Graph().parse(data=data.decode("utf-8-sig"), format=candidate)
        except Exception as error:  # rdflib raises many kinds; any means "not this format"
            errors.append(f"{candidate}: {str(error).splitlines()[0][:200] if str(error) else type(error).__name__}")
    raise ValueError("; ".join(errors))


def _text(graph: Graph, node, *props) -> str:
    """A literal, English or language-less first, of the first property that has one."""
    for prop in props:
        values = [v for v in graph.objects(node, prop) if isinstance(v, Literal)]
        if values:
            values.sort(key=lambda v: {None: 0, "en": 1}.get(v.language, 2))
            return str(values[0]).strip()
    return ""


def _name_of(graph: Graph, node) -> str:
    if isinstance(node, Literal):
        return str(node)
    return _text(graph, node, FOAF.name, SKOS.prefLabel, RDFS.label, URIRef(VCARD + "fn"))


def _http(node) -> str:
    text = str(node) if node is not None else ""
    return text if isinstance(node, (URIRef, Literal)) and text.startswith(("http://", "https://")) else ""


def _contact(graph: Graph, dataset) -> str:
    for point in graph.objects(dataset, DCAT.contactPoint):
        email = graph.value(point, URIRef(VCARD + "hasEmail"))
        if email is not None:
            return str(email).removeprefix("mailto:")
        url = graph.value(point, URIRef(VCARD + "hasURL"))
        return str(url) if url is not None else _name_of(graph, point)
    return ""


def _temporal(graph: Graph, dataset) -> tuple[str | None, str | None]:
    for period in graph.objects(dataset, DCTERMS.temporal):
        start = graph.value(period, DCAT.startDate) or graph.value(period, URIRef(SCHEMA + "startDate"))
        end = graph.value(period, DCAT.endDate) or graph.value(period, URIRef(SCHEMA + "endDate"))
        return (str(start)[:10] if start else None, str(end)[:10] if end else None)
    return None, None


def dcat_candidates(graph: Graph) -> Iterator[Candidate]:
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        yield dcat_candidate(graph, dataset)


def dcat_candidate(graph: Graph, dataset) -> Candidate:
    title = _text(graph, dataset, DCTERMS.title) or "Dataset"
    identifier = _text(graph, dataset, DCTERMS.identifier)
    landing = next((_http(p) for p in graph.objects(dataset, DCAT.landingPage) if _http(p)), "")
    identities = [i for i in (str(dataset) if isinstance(dataset, URIRef) else "", landing, identifier) if i]
    publisher = graph.value(dataset, DCTERMS.publisher)
    start, end = _temporal(graph, dataset)
    distributions = list(graph.objects(dataset, DCAT.distribution))
    licences = [graph.value(d, DCTERMS.license) for d in distributions] + [graph.value(dataset, DCTERMS.license)]
    licence_values = [str(v) for v in licences if v is not None]
    spatial = next((_name_of(graph, s) for s in graph.objects(dataset, DCTERMS.spatial) if _name_of(graph, s)), "")
    metadata: dict[str, Any] = {
        "title": title,
        "description": _text(graph, dataset, DCTERMS.description),
        "publisher": _name_of(graph, publisher) if publisher is not None else "",
        "contact": _contact(graph, dataset),
        "keywords": sorted({str(k).strip() for k in graph.objects(dataset, DCAT.keyword) if str(k).strip()}),
        "themes": sorted({c for t in graph.objects(dataset, DCAT.theme) if (c := eu_vocab.theme_code(str(t)))}),
        "spatial": spatial,
        "temporal_start": start,
        "temporal_end": end,
        "update_frequency": eu_vocab.frequency_name(str(graph.value(dataset, DCTERMS.accrualPeriodicity) or "")) or "",
    }
    mapped = [eu_vocab.licence_id(v) for v in licence_values]
    if any(mapped):
        metadata["license"] = next(m for m in mapped if m)
    elif licence_values:
        metadata["license"] = "other"
        metadata["description"] += f"\n\nLicence: {licence_values[0]}"
    slug_hint = identifier if SLUG.match(identifier or "") else ""
    source_url = landing or _http(dataset) or _http(Literal(identifier))
    candidate = Candidate(title, identities, source_url, slug_hint, metadata)
    for distribution in distributions:
        url = _http(graph.value(distribution, DCAT.downloadURL)) or _http(graph.value(distribution, DCAT.accessURL))
        fmt = eu_vocab.format_name(
            str(graph.value(distribution, DCTERMS["format"]) or ""),
            str(graph.value(distribution, DCAT.mediaType) or ""),
            url,
        )
        label = _text(graph, distribution, DCTERMS.title) or url or str(distribution)
        if fmt is None or not url:
            candidate.unusable.append(label)
            continue
        candidate.resources.append(Resource(url, fmt, file_name(url, fmt, slug_hint or "data"), str(distribution)))
    # Of several files in one format, the uploaded original first (hackkit and others mark it
    # "original"): the same bytes whichever way the dataset is harvested, so an unchanged
    # source is recognised by its checksum. Then by address, so every run picks the same one.
    candidate.resources.sort(
        key=lambda r: (PREFERRED_FORMATS.index(r.format), "original" not in r.label + r.url, r.url)
    )
    return candidate
