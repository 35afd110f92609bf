"""submissions: the template a project started from, and the district it is about

Revision ID: a3c5e7f9b1d2
Revises: 7b7d0f227d7d
Create Date: 2026-11-26 03:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c5e7f9b1d2'
down_revision = "7b7d0f227d7d"
branch_labels = None
depends_on = None


def upgrade():
    # Both optional: existing projects get "" (no template, no district).
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template', sa.String(length=80), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('district', sa.String(length=120), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('district')
        batch_op.drop_column('template')
