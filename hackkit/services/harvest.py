"""Harvesting: copy datasets from a CKAN portal or a DCAT catalogue into this hub.

Every file goes through `datasets.import_dataset`, so a harvested dataset obeys every import
rule (atomic, versioned, reported). A dataset harvested before (same identity at its source,
whether it came through CKAN or DCAT) gets a new version instead of a twin, and none at all
when the file's SHA-256 is the one harvested last time (its metadata still follows the
source). One bad resource or dataset is reported and skipped; only a source that cannot be
read at all raises.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from hackkit import permissions
from hackkit.models import Dataset, DatasetVersion
from hackkit.services import datasets
from hackkit.services import harvest_sources as sources
from hackkit.services.dataset_meta import RESERVED_SLUGS, SLUG, TEXT_LIMITS, clean_metadata, slugify
from hackkit.services.errors import Invalid, ServiceError, Unreadable

TIMEOUT = 30  # seconds per request; a portal slower than this is reported, not waited for
CKAN_PAGE = 100
USER_AGENT = "hackkit-harvester (+https://github.com/hackkit)"


class FetchError(Exception):
    """A resource could not be downloaded; the message says why, in one line."""


@dataclass
class HarvestEntry:
    title: str
    source_url: str
    outcome: str = "failed"  # created | updated | unchanged (the same file as before) | failed
    slug: str | None = None
    version: int | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class HarvestReport:
    kind: str  # CKAN or DCAT
    entries: list[HarvestEntry] = field(default_factory=list)

    @property
    def harvested(self) -> list[HarvestEntry]:
        return [e for e in self.entries if e.outcome != "failed"]


def harvest(
    session: Session,
    actor,
    source: str,
    work_dir: Path,
    *,
    draft: bool = False,
    limit: int | None = None,
    max_bytes: int = 50 * 1024 * 1024,
) -> HarvestReport:
    """Import up to `limit` datasets from `source`: a CKAN portal (or any URL of its
    Action API), or a DCAT catalogue as a URL or a file path (Turtle, JSON-LD, RDF/XML)."""
    permissions.require(actor, "datasets.import")
    http = requests.Session()
    http.headers["User-Agent"] = USER_AGENT
    try:
        kind, candidates = _read_source(http, source, limit)
    except FetchError as error:
        raise Unreadable(f"{source}: {error}") from None
    report = HarvestReport(kind)
    run = _Run(session, actor, http, _harvested_identities(session), work_dir, draft, max_bytes)
    for candidate in candidates:
        entry = HarvestEntry(candidate.title, candidate.source_url)
        report.entries.append(entry)
        entry.problems += [f"skipped {label}: not a format the importer reads" for label in candidate.unusable]
        if not candidate.resources:
            entry.problems.append("no CSV, GeoJSON, JSON or XLSX file to import")
            continue
        run.import_candidate(candidate, entry)
    return report


def _read_source(http: requests.Session, source: str, limit: int | None) -> tuple[str, list[sources.Candidate]]:
    if not source.startswith(("http://", "https://")):
        path = Path(source)
        if not path.is_file():
            raise Invalid(_l("Give the address of a portal or catalogue, or a DCAT file."), {"source": [source]})
        return "DCAT", _dcat(path.read_bytes(), sources.rdf_format("", path.name), source, limit)
    response = _get(http, source, accept="text/turtle, application/ld+json, application/rdf+xml, application/json")
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    fmt = sources.rdf_format(content_type, source)
    if fmt:
        return "DCAT", _dcat(response.content, fmt, source, limit)
    body = _json_or_none(response)
    if sources.is_ckan_search(body):
        return "CKAN", _ckan(http, source, limit)
    if isinstance(body, (dict, list)) and "@context" in (body if isinstance(body, dict) else {}):
        return "DCAT", _dcat(response.content, "json-ld", source, limit)
    # A portal's home page: ask for its CKAN Action API, else follow a DCAT link it advertises.
    api = sources.ckan_site(source) + "/api/3/action/package_search"
    try:
        body = _json_or_none(_get(http, api + "?rows=0"))
    except FetchError:
        body = None
    if sources.is_ckan_search(body):
        return "CKAN", _ckan(http, api, limit)
    advertised = sources.advertised_catalogue(response.text, source) if content_type == "text/html" else None
    if advertised:
        url, fmt = advertised
        return "DCAT", _dcat(_get(http, url).content, fmt, url, limit)
    raise Unreadable(_l("%(url)s is neither a CKAN portal nor a DCAT catalogue.", url=source))


def _dcat(data: bytes, fmt: str | None, source: str, limit: int | None) -> list[sources.Candidate]:
    try:
        graph = sources.parse_rdf(data, fmt)
    except ValueError as error:
        raise Unreadable(_l("%(source)s is not readable RDF: %(reason)s", source=source, reason=str(error))) from None
    found = []
    for candidate in sources.dcat_candidates(graph):
        if limit is not None and len(found) >= limit:
            break
        found.append(candidate)
    return found


def _ckan(http: requests.Session, url: str, limit: int | None) -> list[sources.Candidate]:
    """Every package of package_search, a page at a time, keeping the caller's q/fq."""
    site = sources.ckan_site(url)
    api = site + "/api/3/action/package_search"
    # A package_search URL with q/fq narrows the harvest to what that search finds.
    given = parse_qsl(urlsplit(url).query) if "package_search" in url else []
    query = {k: v for k, v in given if k in ("q", "fq", "sort")}
    # Pages in id order, as ckanext-harvest does: a dataset added while paging shifts the
    # later pages by one at most, and the one then seen twice is skipped by its id.
    query.setdefault("sort", "id asc")
    found: list[sources.Candidate] = []
    seen: set = set()
    start = 0
    while limit is None or len(found) < limit:
        rows = CKAN_PAGE if limit is None else min(CKAN_PAGE, limit - len(found))
        body = _json_or_none(_get(http, f"{api}?{urlencode({**query, 'rows': rows, 'start': start})}"))
        if not sources.is_ckan_search(body):
            raise Unreadable(_l("%(url)s did not answer like CKAN's package_search.", url=api))
        results = body["result"]["results"]
        fresh = [p for p in results if isinstance(p, dict) and p.get("id") not in seen]
        seen.update(p.get("id") for p in fresh)
        found += [sources.ckan_candidate(site, p) for p in fresh]
        start += len(results)
        if not results or start >= int(body["result"].get("count") or 0):
            break
    return found[:limit] if limit is not None else found


def _get(http: requests.Session, url: str, accept: str | None = None, stream: bool = False) -> requests.Response:
    try:
        response = http.get(url, timeout=TIMEOUT, stream=stream, headers={"Accept": accept} if accept else None)
    except requests.RequestException as error:
        raise FetchError(f"could not be reached ({type(error).__name__})") from None
    if response.status_code >= 400:
        response.close()
        raise FetchError(f"answered HTTP {response.status_code}")
    return response


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _harvested_identities(session: Session) -> dict[str, int]:
    """Identity at the source -> dataset id, from earlier harvests and from source URLs."""
    known: dict[str, int] = {}
    for dataset_id, source_url in session.execute(sa.select(Dataset.id, Dataset.source_url)):
        if source_url:
            known[source_url] = dataset_id
    for dataset_id, report in session.execute(sa.select(DatasetVersion.dataset_id, DatasetVersion.report)):
        for identity in (report or {}).get("harvest", {}).get("identities", []):
            known[identity] = dataset_id
    return known


@dataclass
class _Run:
    """What every dataset of one harvest shares."""

    session: Session
    actor: Any
    http: requests.Session
    known: dict[str, int]  # identity at the source -> dataset id
    work_dir: Path
    draft: bool
    max_bytes: int

    def import_candidate(self, candidate: sources.Candidate, entry: HarvestEntry) -> None:
        """Its first file that imports becomes the next version (or a new dataset)."""
        names = [*candidate.identities, candidate.source_url]
        existing_id = next((self.known[name] for name in names if name in self.known), None)
        existing = self.session.get(Dataset, existing_id) if existing_id is not None else None
        metadata = _fit({**candidate.metadata, "source_url": candidate.source_url})
        hint = candidate.slug_hint or candidate.title
        metadata["slug"] = existing.slug if existing else _free_slug(self.session, hint)
        for resource in candidate.resources:
            try:
                with tempfile.TemporaryDirectory(dir=self.work_dir) as tmp:
                    path = _download(self.http, resource, Path(tmp), self.max_bytes)
                    # The same bytes as the current version (the rule of identical imports).
                    same = existing is not None and datasets.identical_version(
                        existing, datasets.file_checksum(path), {}
                    )
                    if same:
                        self._same_file(existing, metadata, entry)
                        return
                    result = datasets.import_dataset(
                        self.session,
                        self.actor,
                        path,
                        original_name=resource.name,
                        metadata=metadata,
                        draft=self.draft,
                        notes=f"Harvested from {resource.url}",
                    )
            except (FetchError, ServiceError) as error:
                entry.problems.append(f"skipped {resource.url}: {error}")
                continue
            # Remembered on the version, so the next harvest finds it even without a web address.
            harvested = {"identities": candidate.identities}
            result.version.report = {**result.version.report, "harvest": harvested}
            self.session.commit()
            for identity in candidate.identities:
                self.known[identity] = result.dataset.id
            entry.outcome = "created" if result.created else ("unchanged" if result.unchanged else "updated")
            entry.slug, entry.version = result.dataset.slug, result.version.number
            return

    def _same_file(self, existing: Dataset, metadata: dict[str, Any], entry: HarvestEntry) -> None:
        """The source's file is the one harvested last time: no new version, new metadata."""
        datasets.update_dataset(self.session, self.actor, existing, metadata)
        entry.outcome = "unchanged"
        entry.slug, entry.version = existing.slug, existing.current.number if existing.current else None


def _without_row_ids(http: requests.Session, url: str) -> str:
    """A CKAN DataStore dump address that leaves out the DataStore's own `_id` column: the
    rows as the source has them. The column names come from datastore_search (limit 0)."""
    parts = urlsplit(url)
    if "/datastore/dump/" not in parts.path or "fields" in dict(parse_qsl(parts.query)):
        return url
    site, resource_id = url.split("/datastore/dump/", 1)
    resource_id = resource_id.split("?", 1)[0].split("/", 1)[0]
    query = urlencode({"resource_id": resource_id, "limit": 0})
    body = _json_or_none(_get(http, f"{site}/api/3/action/datastore_search?{query}"))
    fields = (body or {}).get("result", {}).get("fields") if isinstance(body, dict) else None
    names = [f.get("id") for f in fields or [] if isinstance(f, dict) and f.get("id") not in (None, "_id")]
    if not names:
        return url
    extra = urlencode({"fields": ",".join(names)})
    return f"{url}{'&' if parts.query else '?'}{extra}"


def _download(http: requests.Session, resource: sources.Resource, folder: Path, max_bytes: int) -> Path:
    response = _get(http, _without_row_ids(http, resource.url), stream=True)
    with response:
        if response.headers.get("Content-Type", "").split(";")[0].strip().lower() == "text/html":
            raise FetchError("the address answered with a web page, not a data file")
        if int(response.headers.get("Content-Length") or 0) > max_bytes:
            raise FetchError(f"larger than the upload limit of {max_bytes // (1024 * 1024)} MB")
        path = folder / f"download.{resource.format}"
        size = 0
        try:
            with path.open("wb") as handle:
                for chunk in response.iter_content(64 * 1024):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(f"larger than the upload limit of {max_bytes // (1024 * 1024)} MB")
                    handle.write(chunk)
        except requests.RequestException as error:
            raise FetchError(f"the download broke off: {type(error).__name__}") from None
    return path


def _fit(metadata: dict[str, Any]) -> dict[str, Any]:
    """The source's metadata, cut to what hackkit accepts: a field it cannot take is dropped
    rather than failing the dataset (a 300-character title is shortened, a bad date left out)."""
    fitted = {k: v for k, v in metadata.items() if v not in (None, "", [])}
    for key, limit in TEXT_LIMITS.items():
        if isinstance(fitted.get(key), str) and len(fitted[key]) > limit:
            fitted[key] = fitted[key][: limit - 1].rstrip() + "…"
    fitted["keywords"] = [k for k in fitted.get("keywords", []) if len(k) <= 60][:30]
    fitted.setdefault("title", "Dataset")
    for _ in range(len(fitted)):
        try:
            clean_metadata(fitted)
            break
        except Invalid as error:
            for key in error.errors:
                fitted.pop(key, None)
            fitted.setdefault("title", "Dataset")
    return fitted


def _free_slug(session: Session, hint: str) -> str:
    base = slugify(hint)[:72].strip("-") or "dataset"
    if not SLUG.match(base) or base in RESERVED_SLUGS:
        base = "dataset"
    taken = set(session.scalars(sa.select(Dataset.slug).where(Dataset.slug.like(base + "%"))))
    slug, n = base, 1
    while slug in taken or slug in RESERVED_SLUGS:
        n += 1
        slug = f"{base}-{n}"
    return slug
