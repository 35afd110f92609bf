"""One way into the catalogue for every entry point: take the file (an upload or a path on
the server), keep it where a crash leaves nothing behind, import it, and remove it.

The web upload, `POST /api/v1/datasets` and `hackkit datasets import` all call
`import_file`, so they accept the same overrides and behave the same way.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from hackkit.ingest import Overrides
from hackkit.services import datasets
from hackkit.services.transactions import rolls_back

# Under the instance folder; backups skip it (see services.backup) and start-up empties it.
UPLOADS_DIR = "uploads-in-progress"
# Older than any import still running in another worker: a file this old was left by a crash.
LEFTOVER_AGE_SECONDS = 6 * 3600


class Upload(Protocol):
    """What werkzeug's FileStorage offers: a name and a way to write the bytes to a path."""

    filename: str | None

    def save(self, dst: str | os.PathLike) -> None: ...


@dataclass
class ImportRequest:
    """Everything besides the file that an import was asked to do."""

    metadata: dict[str, Any] = field(default_factory=dict)
    draft: bool = False
    overrides: Overrides | None = None
    notes: str = ""
    new_dataset: bool = False  # refuse an existing slug (the web form's "new dataset")


def uploads_dir(instance_path: str | Path) -> Path:
    return Path(instance_path) / UPLOADS_DIR


@rolls_back
def import_file(
    session: Session,
    actor,
    source: Upload | Path,
    instance_path: str | Path,
    wanted: ImportRequest,
) -> datasets.ImportResult:
    """Import an upload or a server-side file. An upload is written to a server-named file
    in the uploads-in-progress folder and removed whatever happens."""
    common = dict(
        metadata=wanted.metadata,
        draft=wanted.draft,
        overrides=wanted.overrides,
        notes=wanted.notes,
        new_dataset=wanted.new_dataset,
    )
    if isinstance(source, Path):
        return datasets.import_dataset(session, actor, source, original_name=source.name, **common)
    folder = uploads_dir(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(datasets.clean_file_name(source.filename)).suffix.lower()[:10]
    path = folder / (secrets.token_hex(12) + suffix)
    try:
        source.save(path)
        return datasets.import_dataset(session, actor, path, original_name=source.filename, **common)
    finally:
        path.unlink(missing_ok=True)


def clean_leftovers(instance_path: str | Path, now: float | None = None) -> list[str]:
    """Remove upload files left by a crashed import (run at start-up). Files younger than
    LEFTOVER_AGE_SECONDS may belong to an import another worker is running, so they stay."""
    folder = uploads_dir(instance_path)
    if not folder.is_dir():
        return []
    limit = (time.time() if now is None else now) - LEFTOVER_AGE_SECONDS
    removed = []
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed.append(path.name)
        except OSError:  # removed meanwhile by another worker's start-up
            continue
    return removed
