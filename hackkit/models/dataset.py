"""City datasets: curated metadata, and one physical table per imported version."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hackkit.models.base import Base, UTCDateTime, utcnow

DATASET_STATUSES = ("draft", "published")
# Physical tables of dataset versions start with this; nothing else in the schema may.
TABLE_PREFIX = "dsv_"


class Dataset(Base):
    __tablename__ = "datasets"
    __table_args__ = (sa.CheckConstraint(sa.text("status IN ('draft', 'published')"), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    publisher: Mapped[str] = mapped_column(sa.String(200), default="")
    contact: Mapped[str] = mapped_column(sa.String(200), default="")
    license: Mapped[str] = mapped_column(sa.String(64), default="")  # an id from services.datasets.LICENSES
    themes: Mapped[list] = mapped_column(sa.JSON, default=list)  # EU data-theme codes (ECON, TRAN, ...)
    keywords: Mapped[list] = mapped_column(sa.JSON, default=list)
    spatial: Mapped[str] = mapped_column(sa.String(200), default="")
    temporal_start: Mapped[date | None] = mapped_column(sa.Date)
    temporal_end: Mapped[date | None] = mapped_column(sa.Date)
    update_frequency: Mapped[str] = mapped_column(sa.String(20), default="")
    source_url: Mapped[str] = mapped_column(sa.String(500), default="")
    status: Mapped[str] = mapped_column(sa.String(20), default="published")
    # The number of the version the public sees. Drafts and rolled-back versions keep their
    # rows but are not it; `current` below is the one place that reads this.
    current_number: Mapped[int | None] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    versions: Mapped[list[DatasetVersion]] = relationship(
        back_populates="dataset", order_by="DatasetVersion.number", cascade="all, delete-orphan"
    )

    @property
    def current(self) -> DatasetVersion | None:
        """The version the public sees (pages, API, CKAN, DCAT, maps): never an unpublished draft."""
        for version in self.versions:
            if version.number == self.current_number:
                return version
        return None

    @property
    def latest(self) -> DatasetVersion | None:
        """The newest version, draft or not: what an organizer checks and corrects."""
        return self.versions[-1] if self.versions else None

    @property
    def public_versions(self) -> list[DatasetVersion]:
        """Versions that were published at some time (drafts never were), oldest first."""
        return [v for v in self.versions if v.published_at is not None]

    @property
    def public_versions_current_first(self) -> list[DatasetVersion]:
        """The public versions with the current one first, then newest first (CKAN's resources)."""
        rest = [v for v in reversed(self.public_versions) if v is not self.current]
        return ([self.current] if self.current else []) + rest


class DatasetVersion(Base):
    """One successful import. Its rows live in `table_name`, created by the importer."""

    __tablename__ = "dataset_versions"
    __table_args__ = (sa.UniqueConstraint("dataset_id", "number", name="uq_dataset_versions_dataset_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(sa.ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    table_name: Mapped[str] = mapped_column(sa.String(63), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    original_name: Mapped[str] = mapped_column(sa.String(255), default="")
    original_path: Mapped[str] = mapped_column(sa.String(255), default="")  # server-made, under the instance
    format: Mapped[str] = mapped_column(sa.String(20))
    row_count: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    columns: Mapped[list] = mapped_column(sa.JSON, default=list)  # name, title, type, stats
    geometry: Mapped[dict | None] = mapped_column(sa.JSON)
    report: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: a draft, never shown
    checksum: Mapped[str] = mapped_column(sa.String(64), default="")  # sha256 of the original
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # the reading overrides used

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    dataset: Mapped[Dataset] = relationship(back_populates="versions")
