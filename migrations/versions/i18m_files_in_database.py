"""stored_files, stored_file_chunks: uploads kept in the database, not on one machine's disk

Moves the dataset originals and screenshots of this instance folder into the new tables
(those a row still names), in chunks of 1 MiB. The files are removed from the folder only
once the migration has committed; a failed upgrade leaves them where they were. Downgrade
writes them back.

Revision ID: i18m_files_in_database
Revises: i16j_pairwise_skip
Create Date: 2026-12-06 10:50:00

"""

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from flask import current_app

# revision identifiers, used by Alembic.
revision = "i18m_files_in_database"
down_revision = "i16j_pairwise_skip"
branch_labels = None
depends_on = None

CHUNK_BYTES = 1024 * 1024
# Folder in the instance folder (and the stored name's prefix) -> the column naming its files.
FOLDERS = {
    "dataset-originals": ("dataset_versions", "original_path"),
    "uploads/screenshots": ("submission_screenshots", "stored_name"),
}

files = sa.table(
    "stored_files",
    sa.column("name", sa.String),
    sa.column("size", sa.BigInteger),
    sa.column("chunk_count", sa.Integer),
    sa.column("created_at", sa.DateTime),
)
chunks = sa.table(
    "stored_file_chunks",
    sa.column("file_name", sa.String),
    sa.column("number", sa.Integer),
    sa.column("data", sa.LargeBinary),
)


def _named(conn, table: str, column: str) -> list[str]:
    rows = conn.execute(sa.text(f"SELECT {column} FROM {table} WHERE {column} <> ''"))  # noqa: S608 (constants)
    return sorted({row[0] for row in rows})


def upgrade():
    op.create_table(
        "stored_files",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("chunk_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_stored_files")),
    )
    op.create_table(
        "stored_file_chunks",
        sa.Column("file_name", sa.String(length=120), nullable=False),
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_name"],
            ["stored_files.name"],
            name=op.f("fk_stored_file_chunks_file_name_stored_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("file_name", "number", name=op.f("pk_stored_file_chunks")),
    )
    conn = op.get_bind()
    instance = Path(current_app.instance_path)
    moved: list[Path] = []
    now = datetime.now(UTC).replace(tzinfo=None)  # stored naive UTC, as models.base.UTCDateTime does
    for folder, (table, column) in FOLDERS.items():
        for name in _named(conn, table, column):
            path = instance / folder / name
            if not path.is_file():
                continue  # already gone before this upgrade: the page says so, as it did
            count = size = 0
            conn.execute(files.insert().values(name=f"{folder}/{name}", size=0, chunk_count=0, created_at=now))
            with path.open("rb") as source:
                while data := source.read(CHUNK_BYTES):
                    conn.execute(chunks.insert().values(file_name=f"{folder}/{name}", number=count, data=data))
                    count, size = count + 1, size + len(data)
            conn.execute(files.update().where(files.c.name == f"{folder}/{name}").values(size=size, chunk_count=count))
            moved.append(path)

    # Only after the commit: should this or a later migration fail, the files are still there.
    @sa.event.listens_for(conn, "commit", once=True)
    def remove_moved_files(_conn):
        for path in moved:
            path.unlink(missing_ok=True)


def downgrade():
    conn = op.get_bind()
    instance = Path(current_app.instance_path)
    stored = conn.execute(sa.select(files.c.name, files.c.chunk_count)).all()
    for name, count in stored:
        folder, _, bare = name.rpartition("/")
        if folder not in FOLDERS or not bare or "/" in bare or bare.startswith("."):
            continue
        target = instance / folder / bare
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            for number in range(count):
                data = conn.execute(
                    sa.select(chunks.c.data).where(chunks.c.file_name == name, chunks.c.number == number)
                ).scalar_one()
                out.write(data)
    op.drop_table("stored_file_chunks")
    op.drop_table("stored_files")
