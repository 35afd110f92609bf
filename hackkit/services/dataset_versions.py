"""What an organizer does with a dataset's versions: publish a draft, roll back, unpublish,
delete, and see what a version would change compared with the published one.

The public only ever sees `Dataset.current` (the version named by `current_number`) of a
published dataset; these services are the only ones that move it, besides an import.
"""

from __future__ import annotations

import codecs
import logging
import tempfile
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from hackkit import permissions
from hackkit.ingest import Overrides
from hackkit.models import Dataset, DatasetVersion
from hackkit.models.base import utcnow
from hackkit.services import dataset_tables, datasets, file_store
from hackkit.services.datasets import ImportResult
from hackkit.services.errors import Conflict, Invalid, NotFound, ServiceError
from hackkit.services.transactions import rolls_back

log = logging.getLogger(__name__)


def _version(dataset: Dataset, number: int) -> DatasetVersion:
    for version in dataset.versions:
        if version.number == number:
            return version
    raise NotFound(_l("This dataset has no version %(n)d.", n=number))


def _make_current(session: Session, dataset: Dataset, version: DatasetVersion) -> DatasetVersion:
    if version.published_at is None:
        version.published_at = utcnow()
    dataset.current_number = version.number
    session.commit()
    return version


@rolls_back
def publish_version(session: Session, actor, dataset: Dataset, number: int | None = None) -> DatasetVersion:
    """Make a version (by default the newest) the one the public sees, and publish the dataset."""
    permissions.require(actor, "datasets.edit")
    version = _version(dataset, number) if number is not None else dataset.latest
    if version is None:
        raise Conflict(_l("This dataset has no data yet."))
    dataset.status = "published"
    return _make_current(session, dataset, version)


@rolls_back
def rollback(session: Session, actor, dataset: Dataset, number: int | None = None) -> DatasetVersion:
    """Show an earlier version again (by default the published one before the current).
    The later versions stay, so the step can be undone by publishing them."""
    permissions.require(actor, "datasets.edit")
    current = dataset.current_number or 0
    if number is None:
        earlier = [v for v in dataset.public_versions if v.number < current]
        if not earlier:
            raise Conflict(_l("There is no earlier version to roll back to."))
        version = earlier[-1]
    else:
        version = _version(dataset, number)
        if version.number >= current:
            raise Invalid(
                _l("Version %(n)d is not earlier than the current version %(current)d.", n=number, current=current),
                {"version": [_l("Choose an earlier version.")]},
            )
    return _make_current(session, dataset, version)


@rolls_back
def unpublish(session: Session, actor, dataset: Dataset) -> Dataset:
    """Hide the dataset from everyone but organizers; its versions stay as they are."""
    permissions.require(actor, "datasets.edit")
    dataset.status = "draft"
    session.commit()
    return dataset


@rolls_back
def delete_dataset(session: Session, actor, dataset: Dataset, *, confirm: bool) -> str:
    """Delete the dataset, every version's table and every original file. Asks first:
    without `confirm` nothing happens."""
    permissions.require(actor, "datasets.delete")
    if not confirm:
        raise Invalid(
            _l("Deleting %(slug)s removes all its versions and files for good; confirm to go on.", slug=dataset.slug),
            {"confirm": [_l("Confirm that the dataset is to be deleted.")]},
        )
    slug = dataset.slug
    tables = [v.table_name for v in dataset.versions]
    file_store.delete(session, [file_store.of_original(v.original_path) for v in dataset.versions])
    session.delete(dataset)
    session.commit()
    # After the commit: a table that cannot be dropped now is an orphan, swept at the next start.
    try:
        with session.get_bind().begin() as conn:
            for name in tables:
                dataset_tables.drop(conn, name)
    except Exception:
        log.exception("could not drop the tables of deleted dataset %s", slug)
    return slug


@rolls_back
def correct_version(
    session: Session,
    actor,
    dataset: Dataset,
    version: DatasetVersion,
    overrides: Overrides,
    *,
    draft: bool,
    notes: str = "",
) -> ImportResult:
    """Read `version`'s original again with the organizer's corrections, as a new version.

    Type corrections name columns; when the header, delimiter or encoding change, the
    columns are new, so their types are guessed again. Earlier corrections the form does
    not repeat are kept. On failure the dataset is as it was, and the message says so.
    """
    permissions.require(actor, "datasets.import")
    stored = file_store.get(session, file_store.of_original(version.original_path))
    if stored is None:
        raise Conflict(_l("The original file of this version is no longer kept."))
    earlier = version.settings or {}
    if _rereads(version, overrides):
        overrides.types = {}
    else:
        detected = {c["name"]: c["type"] for c in version.report.get("columns", [])}
        added = _importer_columns(version.geometry)
        changed = {k: v for k, v in overrides.types.items() if detected.get(k) != v}
        overrides.types = {
            k: v for k, v in {**earlier.get("types", {}), **changed}.items() if k in detected and k not in added
        }
        if overrides.geometry is None and earlier.get("geometry"):
            overrides.geometry = earlier["geometry"]
    try:
        with tempfile.TemporaryDirectory() as scratch:  # the importer reads a file on this machine
            path = Path(scratch) / Path(stored.name).name
            file_store.copy_to(session, stored, path)
            return datasets.import_dataset(
                session,
                actor,
                path,
                original_name=version.original_name,
                metadata={"slug": dataset.slug},
                overrides=overrides,
                draft=draft,
                notes=notes,
            )
    except ServiceError as error:
        reason = getattr(error, "reason", None) or error.message
        failed = type(error)(
            _l("The change could not be applied: %(reason)s The dataset is unchanged.", reason=reason), error.errors
        )
        raise failed from error


def _rereads(version: DatasetVersion, overrides: Overrides) -> bool:
    """Whether the corrections read the file differently, so that its columns may change."""
    report = version.report or {}
    delimiter = report.get("delimiter") or "none"
    return (
        (overrides.header is not None and overrides.header != report.get("header"))
        or (overrides.delimiter is not None and overrides.delimiter != delimiter)
        or (overrides.encoding is not None and _codec(overrides.encoding) != _codec(report.get("encoding")))
    )


def _codec(name: str | None) -> str | None:
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return name


def _importer_columns(geometry: dict | None) -> set[str]:
    """Columns the importer added (converted coordinates): not in the file, so not correctable."""
    if not geometry or "from" not in geometry:
        return set()
    return {geometry[k] for k in ("lat", "lon", "column") if k in geometry}


def changes(old: DatasetVersion | None, new: DatasetVersion) -> dict[str, Any]:
    """What publishing `new` would change for people using `old`: columns added, removed and
    retyped, and the row count."""
    if old is None or old is new:
        return {"compared_with": None, "added": [], "removed": [], "retyped": [], "rows": (None, new.row_count)}
    before = {c["name"]: c["type"] for c in old.columns}
    after = {c["name"]: c["type"] for c in new.columns}
    return {
        "compared_with": old.number,
        "added": [name for name in after if name not in before],
        "removed": [name for name in before if name not in after],
        "retyped": [
            (name, before[name], after[name]) for name in after if name in before and before[name] != after[name]
        ],
        "rows": (old.row_count, new.row_count),
    }
