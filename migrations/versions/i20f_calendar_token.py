"""users: the hashed secret of the personal calendar address

Revision ID: i20f_calendar_token
Revises: i16r_results_snapshot
Create Date: 2026-12-06 04:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i20f_calendar_token'
down_revision = 'i16r_results_snapshot'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_token_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_calendar_token_hash'), ['calendar_token_hash'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_calendar_token_hash'), type_='unique')
        batch_op.drop_column('calendar_token_hash')
