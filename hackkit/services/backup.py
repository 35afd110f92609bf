"""Backing up and restoring a whole hub: every table, every dataset's rows, every uploaded file.

A backup is one zip file:
- manifest.json: the format, the schema revision (Alembic), the row count of every table;
- tables/<table>.jsonl: each row of each table as one JSON object, the values as the database
  stores them (naive UTC date-times, JSON documents as JSON);
- datasets/<table>.jsonl: the rows of each dataset version's own table;
- files/<path>: anything else the hub keeps under its instance folder, except the secret
  key, the SQLite file itself and the demo passwords. Uploaded originals and screenshots are
  rows of stored_file_chunks (services.file_store) and so travel in tables/; a backup made
  before they moved into the database has them here, and restoring it moves them in
  (migration i18m_files_in_database).

Tables are read by reflection, not from the models, so a backup holds whatever the schema
has, and a restore can load a backup made by an earlier release: it migrates the empty
database to the backup's revision, loads the rows, then migrates up to the current one.
Values are written in a form both SQLite and PostgreSQL accept, so a backup moves a hub
from one to the other.

Restore only fills an empty database, in one transaction; the files are moved into place
after the rows committed. A backup that cannot be read changes nothing.
"""

from __future__ import annotations

import base64
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from hackkit.models.dataset import TABLE_PREFIX
from hackkit.services import dataset_tables
from hackkit.services.dataset_uploads import UPLOADS_DIR
from hackkit.services.errors import Conflict, Unreadable

FORMAT = "hackkit-backup/1"
CHUNK = 2000
# Rows holding bytes (a file store chunk is 1 MiB) are read and written a few at a time.
BINARY_CHUNK = 4
# Instance files that are not the hub's data: the session key (a restored hub makes its own),
# the SQLite database itself (its rows are in tables/), and the demo passwords in clear.
SKIPPED_FILES = ("secret_key", "demo-logins.txt")
SKIPPED_SUFFIXES = (".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".sqlite3-journal")
# Folders of work in progress, not data: an upload being imported (or left by a crash).
SKIPPED_FOLDERS = (UPLOADS_DIR,)


# -- values ------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:  # stored naive UTC everywhere; keep it so
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return {"$base64": base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def _decoder(column_type: sa.types.TypeEngine) -> Callable[[Any], Any]:
    """Turns a JSON value back into what this column takes."""
    if isinstance(column_type, sa.DateTime):
        return datetime.fromisoformat
    if isinstance(column_type, sa.Date):
        return date.fromisoformat
    if isinstance(column_type, sa.Time):
        return time.fromisoformat
    if isinstance(column_type, sa.Numeric) and not isinstance(column_type, sa.Float):
        return Decimal
    if isinstance(column_type, sa.LargeBinary):
        return lambda value: base64.b64decode(value["$base64"])
    return lambda value: value


def _batch(table: sa.Table) -> int:
    return BINARY_CHUNK if any(isinstance(c.type, sa.LargeBinary) for c in table.columns) else CHUNK


def _rows_as_lines(conn: Connection, table: sa.Table) -> Iterator[bytes]:
    result = conn.execution_options(yield_per=_batch(table)).execute(sa.select(table))
    for row in result.mappings():
        yield json.dumps(dict(row), default=_encode, ensure_ascii=False).encode("utf-8") + b"\n"


# -- which tables ------------------------------------------------------------------------


def _hub_tables(conn: Connection) -> list[sa.Table]:
    """Every table of the hub but Alembic's and the dataset versions' own, in dependency order."""
    names = [
        name
        for name in sa.inspect(conn).get_table_names()
        if name != "alembic_version" and not name.startswith(TABLE_PREFIX)
    ]
    metadata = sa.MetaData()
    metadata.reflect(conn, only=names)
    return metadata.sorted_tables


def current_revision(conn: Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _dataset_versions(conn: Connection) -> list[tuple[str, list[dict]]]:
    versions = sa.table("dataset_versions", sa.column("table_name"), sa.column("columns", sa.JSON))
    return [(row.table_name, row.columns) for row in conn.execute(sa.select(versions.c.table_name, versions.c.columns))]


def _instance_files(instance_path: Path) -> Iterator[Path]:
    for path in sorted(instance_path.rglob("*")):
        if path.relative_to(instance_path).parts[0] in SKIPPED_FOLDERS:
            continue
        if path.is_file() and path.name not in SKIPPED_FILES and not path.name.endswith(SKIPPED_SUFFIXES):
            yield path


# -- backup ------------------------------------------------------------------------------


def backup(engine: Engine, instance_path: str | Path, target: str | Path) -> dict:
    """Write everything to the zip file `target`; returns the manifest."""
    instance_path = Path(instance_path)
    target = Path(target)
    partial = target.with_name(target.name + ".partial")
    manifest: dict[str, Any] = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat()}
    # One read transaction: on PostgreSQL REPEATABLE READ gives every table the same moment.
    with engine.connect() as conn, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        manifest["revision"] = current_revision(conn)
        manifest["database"] = conn.dialect.name
        manifest["tables"] = {}
        for table in _hub_tables(conn):
            lines = _rows_as_lines(conn, table)
            manifest["tables"][table.name] = _write_lines(archive, f"tables/{table.name}.jsonl", lines)
        manifest["datasets"] = {}
        for table_name, columns in _dataset_versions(conn):
            table = dataset_tables.sa_table(table_name, columns)
            manifest["datasets"][table_name] = _write_lines(
                archive, f"datasets/{table_name}.jsonl", _rows_as_lines(conn, table)
            )
        manifest["files"] = []
        for path in _instance_files(instance_path):
            relative = path.relative_to(instance_path).as_posix()
            archive.write(path, f"files/{relative}")
            manifest["files"].append(relative)
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    partial.replace(target)  # a backup that stopped half-way never looks like a whole one
    return manifest


def _write_lines(archive: zipfile.ZipFile, name: str, lines: Iterator[bytes]) -> int:
    count = 0
    with archive.open(name, "w", force_zip64=True) as member:
        for line in lines:
            member.write(line)
            count += 1
    return count


# -- restore -----------------------------------------------------------------------------


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError) as error:
        raise Unreadable("this is not a hackkit backup (no readable manifest.json)") from error
    if manifest.get("format") != FORMAT:
        raise Unreadable(f"unknown backup format {manifest.get('format')!r}; this hub reads {FORMAT}")
    return manifest


def open_backup(source: str | Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as error:
        raise Unreadable(f"cannot read {source}: {error}") from error


def ensure_empty(conn: Connection) -> None:
    for table in _hub_tables(conn):
        if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar():
            raise Conflict(
                f"the database already holds data (table {table.name}); restore into a new, empty database "
                "(point HACKKIT_DATABASE_URL at it)"
            )


def restore(
    engine: Engine,
    source: str | Path,
    instance_path: str | Path,
    migrate: Callable[[str | None], None],
) -> dict[str, int]:
    """Restore a backup into an empty database; returns rows per table.

    `migrate(revision)` brings the database schema to a revision (None: the newest).
    Order: read and check the files first, then the rows in one transaction, then put
    the files in place and migrate up, so a bad backup leaves the hub as it was.
    """
    instance_path = Path(instance_path).resolve()
    with open_backup(source) as archive:
        manifest = read_manifest(archive)
        with engine.connect() as conn:
            ensure_empty(conn)
        with tempfile.TemporaryDirectory(dir=instance_path) as scratch:
            staged = _stage_files(archive, manifest, instance_path, Path(scratch))
            migrate(manifest.get("revision"))
            restored = _restore_rows(engine, archive, manifest)
            for temporary, target in staged:
                target.parent.mkdir(parents=True, exist_ok=True)
                temporary.replace(target)
    migrate(None)
    restored["files"] = len(staged)
    return restored


def _restore_rows(engine: Engine, archive: zipfile.ZipFile, manifest: dict) -> dict[str, int]:
    """Load every table and dataset table of the backup, in one transaction."""
    restored: dict[str, int] = {}
    with engine.begin() as conn:
        ensure_empty(conn)
        tables = {table.name: table for table in _hub_tables(conn)}
        missing = sorted(set(manifest["tables"]) - set(tables))
        if missing:
            raise Conflict(f"the database has no table {', '.join(missing)}: it is not at the backup's revision")
        for table in tables.values():  # dependency order: parents before children
            if table.name in manifest["tables"]:
                restored[table.name] = _load_lines(conn, table, archive, f"tables/{table.name}.jsonl")
                _reset_sequence(conn, table)
        known = dict(_dataset_versions(conn))
        for table_name in manifest["datasets"]:
            columns = known.get(table_name)
            if columns is None or not dataset_tables.VERSION_TABLE.match(table_name):
                raise Unreadable(f"the backup holds rows for an unknown dataset table {table_name}")
            table = dataset_tables.sa_table(table_name, columns)
            table.create(conn)
            restored[table_name] = _load_lines(conn, table, archive, f"datasets/{table_name}.jsonl")
            dataset_tables.add_indexes(conn, table, columns)
    return restored


def _load_lines(conn: Connection, table: sa.Table, archive: zipfile.ZipFile, name: str) -> int:
    decoders = {column.name: _decoder(column.type) for column in table.columns}
    batch = _batch(table)
    count = 0
    chunk: list[dict] = []
    with archive.open(name) as member:
        for line in member:
            row = json.loads(line)
            chunk.append({key: None if value is None else decoders[key](value) for key, value in row.items()})
            if len(chunk) >= batch:
                conn.execute(table.insert(), chunk)
                count += len(chunk)
                chunk = []
    if chunk:
        conn.execute(table.insert(), chunk)
        count += len(chunk)
    return count


def _reset_sequence(conn: Connection, table: sa.Table) -> None:
    """PostgreSQL: rows came with their ids, so the id sequence must continue after them."""
    if conn.dialect.name != "postgresql":
        return
    keys = list(table.primary_key.columns)
    if len(keys) != 1 or not isinstance(keys[0].type, sa.Integer):
        return
    key = keys[0]
    # Bound parameters and SQLAlchemy expressions: table names come from the database itself,
    # but nothing here is pasted into SQL text.
    sequence = conn.execute(sa.select(sa.func.pg_get_serial_sequence(f'"{table.name}"', key.name))).scalar()
    if sequence:
        highest = sa.select(sa.func.max(key)).scalar_subquery()
        conn.execute(sa.select(sa.func.setval(sequence, sa.func.coalesce(highest, 1), highest.is_not(None))))


def _stage_files(
    archive: zipfile.ZipFile, manifest: dict, instance_path: Path, scratch: Path
) -> list[tuple[Path, Path]]:
    """Unpack the backup's files into `scratch`; returns (staged copy, final place) pairs."""
    staged = []
    for relative in manifest["files"]:
        target = (instance_path / relative).resolve()
        # A backup is input: a name must not climb out of the instance folder.
        if instance_path not in target.parents or Path(relative).name in SKIPPED_FILES:
            raise Unreadable(f"the backup holds a file outside the instance folder: {relative}")
        temporary = scratch / str(len(staged))
        try:
            with archive.open(f"files/{relative}") as member, temporary.open("wb") as out:
                shutil.copyfileobj(member, out)
        except (KeyError, zipfile.BadZipFile) as error:
            raise Unreadable(f"the backup's copy of {relative} cannot be read: {error}") from error
        staged.append((temporary, target))
    return staged
