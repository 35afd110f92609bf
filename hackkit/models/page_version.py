"""One counter per part of the hub visitors see, for the public page cache (hackkit/pagecache.py)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hackkit.models.base import Base


class PageVersion(Base):
    """`scope` is "global", "event:<id>" or "dataset:<id>"; `version` goes up with every
    committed write that changes what a visitor sees of it. A scope nobody wrote yet has no row
    (version 0)."""

    __tablename__ = "page_versions"

    scope: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)
