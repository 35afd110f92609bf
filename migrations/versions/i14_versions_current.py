"""datasets: the public version is named (drafts and rollbacks), checksum and settings per version

Revision ID: i14_versions_current
Revises: a3c5e7f9b1d2
Create Date: 2026-12-06 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i14_versions_current'
down_revision = 'i13a_email_confirmed_at'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('datasets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('current_number', sa.Integer(), nullable=True))
    with op.batch_alter_table('dataset_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('checksum', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('settings', sa.JSON(), nullable=False, server_default='{}'))
    # Until now the newest version was always the public one, and every version was shown.
    op.execute(
        "UPDATE datasets SET current_number = "
        "(SELECT max(number) FROM dataset_versions WHERE dataset_versions.dataset_id = datasets.id)"
    )
    op.execute("UPDATE dataset_versions SET published_at = created_at")


def downgrade():
    with op.batch_alter_table('dataset_versions', schema=None) as batch_op:
        batch_op.drop_column('settings')
        batch_op.drop_column('checksum')
        batch_op.drop_column('published_at')
    with op.batch_alter_table('datasets', schema=None) as batch_op:
        batch_op.drop_column('current_number')
