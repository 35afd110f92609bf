"""The data catalogue's rules: importing files as dataset versions, curating, who sees what.

Every entry point (CLI, web upload, POST /api/v1/datasets) calls `import_dataset`, so an
import behaves the same everywhere: atomic, versioned, and reported.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from hackkit import permissions
from hackkit.i18n import importer_message
from hackkit.ingest import IngestError, Overrides, collector, read_table
from hackkit.models import Dataset, DatasetVersion
from hackkit.models.base import utcnow
from hackkit.services import dataset_tables, file_store
from hackkit.services.dataset_meta import clean_metadata, slugify
from hackkit.services.errors import Conflict, Invalid, NotFound, Unreadable
from hackkit.services.transactions import rolls_back

log = logging.getLogger(__name__)
ORIGINAL_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".json", ".geojson"}


@dataclass
class ImportResult:
    dataset: Dataset
    version: DatasetVersion
    created: bool  # a new dataset, rather than a new version of an existing one
    unchanged: bool = False  # the file and settings equal an existing version's: nothing was made
    previous: DatasetVersion | None = None  # what the public saw before this import


class SystemActor:
    """The server itself (CLI, setup): whoever runs commands there controls the database."""

    is_authenticated = True
    role = "organizer"
    id = None


def clean_file_name(name: str | None) -> str:
    """The uploader's file name as we show it: no folders (either slash), no control
    characters (NUL, newlines: they break headers and PostgreSQL text), at most 200
    characters with the extension kept. It is only ever shown; files get names we make."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = " ".join("".join(" " if unicodedata.category(c)[0] == "C" else c for c in base).split())
    base = base.lstrip(".") or "upload"
    if len(base) > 200:
        stem, dot, suffix = base.rpartition(".")
        base = stem[: 199 - len(suffix)] + dot + suffix if dot and len(suffix) <= 10 else base[:200]
    return base


def can_see_drafts(actor) -> bool:
    return permissions.can(actor, "datasets.view_drafts")


def import_dataset(
    session: Session,
    actor,
    path: Path,
    *,
    original_name: str | None = None,
    metadata: dict[str, Any] | None = None,
    draft: bool = False,
    overrides: Overrides | None = None,
    notes: str = "",
    new_dataset: bool = False,
) -> ImportResult:
    """Read `path` into a new table and record it as a new dataset or a new version.

    Only a slug named in `metadata` selects an existing dataset (a version is never added
    because file names or titles match); without one the dataset is new, at a free slug.
    `new_dataset` refuses an existing slug instead. A draft version keeps its rows beside
    the published one until an organizer publishes it. A file and settings equal to the
    dataset's current or newest version make nothing (`unchanged`). Raises Unreadable
    (nothing is left behind) when the file cannot be read.
    """
    permissions.require(actor, "datasets.import")
    original_name = clean_file_name(original_name or path.name)
    wanted = {k: v for k, v in (metadata or {}).items() if v is not None and v != ""}
    wanted.setdefault("title", Path(original_name).stem.replace("_", " ").replace("-", " ").strip() or "Dataset")
    named = "slug" in wanted
    if not named:
        wanted["slug"] = free_slug(session, wanted["title"] or original_name)
    clean = clean_metadata(wanted)
    dataset = session.scalar(sa.select(Dataset).where(Dataset.slug == clean["slug"])) if named else None
    if dataset is not None and new_dataset:
        raise Conflict(
            _l(
                "There is already a dataset at %(slug)s. Choose another address, or add a new version of it.",
                slug=clean["slug"],
            ),
            {"slug": [_l("This address is taken.")]},
        )
    checksum, settings = file_checksum(path), settings_of(overrides)
    if dataset is not None:
        same = identical_version(dataset, checksum, settings)
        if same is not None:
            _update_metadata(dataset, clean, metadata)  # curation given with the file still applies
            session.commit()
            return ImportResult(dataset, same, created=False, unchanged=True)

    # Reading, converting and storing make millions of short-lived values: see collector.
    with collector.paused():
        try:
            table = read_table(path, overrides)
        except IngestError as error:
            raise unreadable(error) from error

        table_name = dataset_tables.new_table_name()
        try:
            conn = session.connection()
            columns, count = dataset_tables.load(conn, table_name, table)
            columns = dataset_tables.column_stats(conn, table_name, columns, count)
            stored = _keep_original(session, path, original_name)
            created = dataset is None
            if created:
                # A new dataset's draft state is the dataset's own: its first version is its data.
                dataset = Dataset(**clean, status="draft" if draft else "published")
                session.add(dataset)
            else:
                _update_metadata(dataset, clean, metadata)
            previous = None if created else dataset.current
            number = 1
            if dataset.id is not None:
                latest = sa.select(sa.func.max(DatasetVersion.number)).where(DatasetVersion.dataset_id == dataset.id)
                number += session.scalar(latest) or 0
            publish = created or not draft
            version = DatasetVersion(
                dataset=dataset,
                number=number,
                table_name=table_name,
                created_by_id=getattr(actor, "id", None),
                notes=notes,
                original_name=original_name[:255],
                original_path=stored,
                format=table.source.format,
                row_count=count,
                columns=columns,
                geometry=table.geometry,
                report=table.report,
                checksum=checksum,
                settings=settings,
                published_at=utcnow() if publish else None,
            )
            session.add(version)
            if publish:
                dataset.current_number = number
            session.commit()
        except BaseException as error:
            session.rollback()
            _discard(session, table_name)
            if isinstance(error, IngestError):
                raise unreadable(error) from error
            if isinstance(error, IntegrityError):
                raise Conflict(_l("Another import of this dataset finished first. Try again.")) from error
            raise
        return ImportResult(dataset, version, created, previous=previous)


def _update_metadata(dataset: Dataset, clean: dict[str, Any], given: dict[str, Any] | None) -> None:
    """Fields given with a new version's file replace the dataset's; the slug never changes."""
    for key, value in clean.items():
        if key in (given or {}) and key != "slug":
            setattr(dataset, key, value)


def unreadable(error: IngestError) -> Unreadable:
    """The importer's failure for the organizer; `reason` alone serves other wordings."""
    reason = importer_message(error.message)
    out = Unreadable(_l("This file cannot be imported: %(reason)s", reason=reason))
    out.reason = reason
    return out


def free_slug(session: Session, hint: str) -> str:
    """A slug from `hint` that no dataset has yet: `name`, `name-2`, `name-3`, ..."""
    base = slugify(hint)[:70].strip("-") or "dataset"
    taken = set(session.scalars(sa.select(Dataset.slug).where(Dataset.slug.startswith(base))))
    candidate, counter = base, 2
    while candidate in taken:
        candidate, counter = f"{base}-{counter}", counter + 1
    return candidate


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# The server's limits travel in Overrides but are no choice about how to read a file: the web
# form, API and CLI carry the configured one and other imports do not, so a version's settings
# leave them out and the same file with the same choices is recognised from every entry point.
SERVER_LIMITS = frozenset({"max_field_chars"})


def settings_of(overrides: Overrides | dict[str, Any] | None) -> dict[str, Any]:
    """The reading choices that were made: what differs from Overrides' defaults (left to the
    importer), without the server's limits. Also takes a version's stored settings, so ones
    stored before a field was added compare the same way."""
    if overrides is None:
        return {}
    given = overrides if isinstance(overrides, dict) else asdict(overrides)
    defaults = asdict(Overrides())
    return {
        k: v for k, v in given.items() if v not in (None, {}, []) and v != defaults.get(k) and k not in SERVER_LIMITS
    }


def identical_version(dataset: Dataset, checksum: str, settings: dict[str, Any]) -> DatasetVersion | None:
    """The current or newest version read from the same bytes with the same settings."""
    for version in (dataset.current, dataset.latest):
        if version is not None and version.checksum == checksum and settings_of(version.settings) == settings:
            return version
    return None


def _keep_original(session: Session, path: Path, original_name: str) -> str:
    """A copy of the uploaded file in the file store (in the import's transaction), under a
    name we make, never the uploader's; returns the version's original_path."""
    suffix = Path(original_name).suffix.lower()
    name = file_store.new_name(file_store.ORIGINALS, suffix if suffix in ORIGINAL_SUFFIXES else ".bin")
    file_store.put_file(session, name, path)
    return name.removeprefix(file_store.ORIGINALS + "/")


def _discard(session: Session, table_name: str) -> None:
    try:
        with session.get_bind().begin() as conn:
            dataset_tables.drop(conn, table_name)
    except Exception:  # the failure that brought us here matters more; an orphan is swept at setup
        log.exception("could not drop %s after a failed import", table_name)


def drop_orphan_tables(session: Session) -> list[str]:
    """Drop version tables that no version names (an import killed half-way). Run at setup."""
    known = set(session.scalars(sa.select(DatasetVersion.table_name)))
    with session.get_bind().begin() as conn:
        orphans = dataset_tables.orphan_tables(conn, known)
        for name in orphans:
            dataset_tables.drop(conn, name)
    return orphans


# Built once: the dataset page, its API and every gallery (the districts' map) ask on each
# request, and building the statement cost more CPU than running it. The versions come in the
# same statement (a dataset has a handful): one round trip instead of two for each of those.
_DATASET_BY_SLUG = sa.select(Dataset).where(Dataset.slug == sa.bindparam("slug")).options(joinedload(Dataset.versions))


def get_dataset(session: Session, actor, slug: str) -> Dataset:
    """A dataset this actor may see; drafts look absent to everyone but organizers."""
    dataset = session.execute(_DATASET_BY_SLUG, {"slug": slug}).unique().scalar_one_or_none()
    if dataset is None or (dataset.status == "draft" and not can_see_drafts(actor)):
        raise NotFound(_l("There is no dataset %(slug)s.", slug=slug))
    return dataset


def version_number(raw: Any, field: str) -> int:
    """A version number as someone typed it (`_version` in a query, `version` in a form or
    body): ASCII digits only, because str.isdigit also says yes to "²", which int() refuses."""
    text = str(raw) if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    if not (text.isascii() and text.isdigit()):
        message = _l("_version is a version number.") if field == "_version" else _l("version is a version number.")
        raise Invalid(message, {field: [message]})
    return int(text)


def get_version(dataset: Dataset, number: int | None = None, actor=None) -> DatasetVersion:
    """The public version by default; an earlier one by number. Drafts only for organizers."""
    if number is None:
        if dataset.current is None:
            raise NotFound(_l("This dataset has no data yet."))
        return dataset.current
    for version in dataset.versions:
        if version.number == number and (not version.is_draft or can_see_drafts(actor)):
            return version
    raise NotFound(_l("This dataset has no version %(n)d.", n=number))


@rolls_back
def update_dataset(session: Session, actor, dataset: Dataset, changes: dict[str, Any]) -> Dataset:
    """Change curation fields (and draft/published). The slug is permanent: scripts use it."""
    permissions.require(actor, "datasets.edit")
    changes = {k: v for k, v in changes.items() if k != "slug"}
    for key, value in clean_metadata(changes).items():
        setattr(dataset, key, value)
    session.commit()
    return dataset


def visible_datasets(session: Session, actor) -> list[Dataset]:
    query = sa.select(Dataset).options(selectinload(Dataset.versions)).order_by(Dataset.title)
    if not can_see_drafts(actor):
        query = query.where(Dataset.status == "published")
    return list(session.scalars(query))


def published_datasets(session: Session) -> list[Dataset]:
    """What the hub publishes to other portals (DCAT-AP): never drafts, whoever asks."""
    query = sa.select(Dataset).where(Dataset.status == "published").options(selectinload(Dataset.versions))
    return list(session.scalars(query.order_by(Dataset.slug)))
