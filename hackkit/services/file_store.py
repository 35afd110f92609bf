"""The one place uploaded files are kept: dataset originals and project screenshots.

Files live in the database (models.stored_file), not on one machine's disk, so every hub
instance behind the proxy serves what any of them received, and a backup carries them with
the rows. Names are made by the server: a folder and a random name, e.g.
"dataset-originals/3fa9....csv" (the same paths the instance folder used before, see
migration i18m_files_in_database). A file is written in the caller's transaction: it exists
only once the row that names it is committed, and a failure rolls both back.

Bytes go in and come out CHUNK_BYTES at a time, so a large original never sits whole in
memory, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hackkit.models.stored_file import StoredFile, StoredFileChunk

CHUNK_BYTES = 1024 * 1024
ORIGINALS = "dataset-originals"
SCREENSHOTS = "uploads/screenshots"


def of_original(original_path: str) -> str:
    """The stored name of a dataset version's original (DatasetVersion.original_path)."""
    return f"{ORIGINALS}/{original_path}" if original_path else ""


def of_screenshot(stored_name: str) -> str:
    """The stored name of a screenshot (SubmissionScreenshot.stored_name)."""
    return f"{SCREENSHOTS}/{stored_name}"


def new_name(folder: str, suffix: str) -> str:
    """A fresh server-made name in `folder`; `suffix` (".csv") must be one the caller allows."""
    return f"{folder}/{secrets.token_hex(12)}{suffix}"


def put(session: Session, name: str, source: BinaryIO | bytes) -> StoredFile:
    """Keep the bytes of `source` (a binary file or bytes) as `name`, in the session's
    transaction. Reads and writes one chunk at a time."""
    stored = StoredFile(name=name, size=0, chunk_count=0)
    session.add(stored)
    session.flush()
    chunks = _chunks_of(source)
    for number, data in enumerate(chunks):
        session.execute(sa.insert(StoredFileChunk), {"file_name": name, "number": number, "data": data})
        stored.size += len(data)
        stored.chunk_count = number + 1
    session.flush()
    return stored


def put_file(session: Session, name: str, path: Path) -> StoredFile:
    with path.open("rb") as source:
        return put(session, name, source)


def _chunks_of(source: BinaryIO | bytes) -> Iterator[bytes]:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        yield from (data[i : i + CHUNK_BYTES] for i in range(0, len(data), CHUNK_BYTES))
        return
    while chunk := source.read(CHUNK_BYTES):
        yield chunk


def get(session: Session, name: str) -> StoredFile | None:
    """The stored file's size and number of chunks, or None when there is no such file."""
    return session.get(StoredFile, name) if name else None


def names(session: Session, folder: str) -> list[str]:
    """The names of the files kept in `folder`, sorted."""
    query = sa.select(StoredFile.name).where(StoredFile.name.startswith(folder + "/", autoescape=True))
    return list(session.scalars(query.order_by(StoredFile.name)))


def chunks(session: Session, stored: StoredFile) -> Iterator[bytes]:
    """The file's bytes, one chunk (one query) at a time, read as the iterator is consumed."""
    select = sa.select(StoredFileChunk.data).where(
        StoredFileChunk.file_name == stored.name, StoredFileChunk.number == sa.bindparam("number")
    )
    return _read(session, select, stored.chunk_count)


def _read(session: Session | sa.Connection, select: sa.Select, count: int) -> Iterator[bytes]:
    for number in range(count):
        yield session.execute(select, {"number": number}).scalar_one()


def stream(engine: sa.Engine, stored: StoredFile) -> Iterator[bytes]:
    """The file's bytes for a response body: read on a connection of its own as the server
    sends them, after the request's session is gone, one chunk (one query) at a time."""
    select = sa.select(StoredFileChunk.data).where(
        StoredFileChunk.file_name == stored.name, StoredFileChunk.number == sa.bindparam("number")
    )
    return _stream(engine, select, stored.chunk_count)


def _stream(engine: sa.Engine, select: sa.Select, count: int) -> Iterator[bytes]:
    with engine.connect() as conn:
        yield from _read(conn, select, count)


def read_bytes(session: Session, name: str) -> bytes | None:
    """A small file (a screenshot) whole, or None when there is no such file."""
    stored = get(session, name)
    return None if stored is None else b"".join(chunks(session, stored))


def copy_to(session: Session, stored: StoredFile, target: Path) -> None:
    """Write the file to `target` on this machine (a re-import reads it from there)."""
    with target.open("wb") as out:
        for data in chunks(session, stored):
            out.write(data)


def delete(session: Session, names: Iterable[str]) -> None:
    """Remove these files (those that exist), in the session's transaction."""
    names = [name for name in names if name]
    if not names:
        return
    session.execute(sa.delete(StoredFileChunk).where(StoredFileChunk.file_name.in_(names)))
    session.execute(sa.delete(StoredFile).where(StoredFile.name.in_(names)))
