"""page_versions: a counter per event, per dataset and one for everything, for the public page cache

Revision ID: i18v_page_versions
Revises: i18m_files_in_database
Create Date: 2026-12-06 10:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "i18v_page_versions"
down_revision = "i18m_files_in_database"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "page_versions",
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_page_versions")),
    )


def downgrade():
    op.drop_table("page_versions")
