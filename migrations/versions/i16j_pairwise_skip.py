"""pairwise_votes: a judge's skip (no preference) is kept in the log but is not a comparison

Revision ID: i16j_pairwise_skip
Revises: i16j_texts_in_two_languages
Create Date: 2026-12-06 07:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "i16j_pairwise_skip"
down_revision = "i16j_texts_in_two_languages"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("pairwise_votes", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("skipped", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    op.execute(sa.text("DELETE FROM pairwise_votes WHERE skipped"))  # no way to write a skip before
    with op.batch_alter_table("pairwise_votes", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("skipped")
