"""Declarative base shared by every model, and column types used across aggregates."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic alter and drop them, which SQLite batch mode needs.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(sa.types.TypeDecorator):
    """An aware UTC datetime on every database.

    SQLite drops the offset, so we store naive UTC and hand back aware values; a naive
    value given to us is refused rather than guessed, because a deadline in the wrong
    zone is a lost submission.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give it a time zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


_decode_json = json.JSONDecoder().decode


def read_json(text: str | bytes):
    """How the database's JSON column values are read (the engines' `json_deserializer`).

    The same values as json.loads, cheaper: most lists on a busy page are empty (a project's
    credited people and screenshots, a team's missing skills) and come back without parsing,
    and PostgreSQL's bytes skip json.loads' guess of their encoding: they are UTF-8, the
    client encoding config.engine_options asks for. A gallery of 60 projects reads about 250
    such values."""
    if isinstance(text, (bytes, bytearray)):
        text = text.decode("utf-8", "surrogatepass")  # as json.loads decodes bytes
    if text == "[]":
        return []
    if text == "{}":
        return {}
    return _decode_json(text)


def utcnow() -> datetime:
    return datetime.now(UTC)


SQLITE_MMAP_BYTES = 1 << 30  # address space, not memory: at most 1 GiB of the file is mapped


@sa.event.listens_for(sa.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite ignores foreign keys unless asked, and WAL lets readers work during a write.

    The file is also read through a memory map: a page is then read from the operating
    system's cache where it lies instead of being copied into each connection's own small
    page cache, which a dataset query touching 100,000 rows of a 1M-row table would do a page
    at a time (a quarter less CPU for such a count). The map is shared by every connection
    and process; it counts towards RSS only as pages are read."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.close()
