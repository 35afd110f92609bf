"""Uploaded files kept in the database, so that every hub instance can serve them.

A file is one row of `stored_files` and its bytes in rows of `stored_file_chunks`, each at
most services.file_store.CHUNK_BYTES long: a large original streams out one chunk at a
time, and an upload is written in the same transaction as the row that names it, so a
crash leaves no stray file behind.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hackkit.models.base import Base, UTCDateTime, utcnow


class StoredFile(Base):
    __tablename__ = "stored_files"

    # Made by the server: a folder and a random name, e.g. "dataset-originals/3fa9....csv".
    name: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    chunk_count: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoredFileChunk(Base):
    __tablename__ = "stored_file_chunks"

    file_name: Mapped[str] = mapped_column(sa.ForeignKey("stored_files.name", ondelete="CASCADE"), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
