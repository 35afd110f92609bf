"""What the file store (hackkit/services/file_store.py) holds, for tests that check no upload
was left behind or that a file was kept."""

from __future__ import annotations

from hackkit.extensions import db
from hackkit.services import file_store


def stored_names(app, folder: str) -> list[str]:
    with app.app_context():
        return file_store.names(db.session, folder)


def stored_bytes(app, name: str) -> bytes | None:
    with app.app_context():
        return file_store.read_bytes(db.session, name)


def originals(app) -> list[str]:
    return stored_names(app, file_store.ORIGINALS)


def screenshots(app) -> list[str]:
    return stored_names(app, file_store.SCREENSHOTS)
