"""events and announcements: texts in the other language; announcements: when last edited

Revision ID: i16j_texts_in_two_languages
Revises: i16j_submission_started_from
Create Date: 2026-12-06 07:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "i16j_texts_in_two_languages"
down_revision = "i16j_submission_started_from"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("translations", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("announcements", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("translations", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))


def downgrade():
    # Dropped in place (no copied table): a copy of events dropped on SQLite would cascade.
    with op.batch_alter_table("announcements", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.drop_column("translations")
    with op.batch_alter_table("events", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("translations")
