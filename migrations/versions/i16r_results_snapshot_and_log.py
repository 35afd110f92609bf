"""judging: the published results snapshot and the log of who published or withdrew them

Revision ID: i16r_results_snapshot
Revises: a3c5e7f9b1d2
Create Date: 2026-12-06 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i16r_results_snapshot'
down_revision = 'i14_versions_current'
branch_labels = None
depends_on = None


def upgrade():
    # Results already published keep no snapshot: they are read live until published again.
    with op.batch_alter_table('judging_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('results_snapshot', sa.JSON(), nullable=True))
    op.create_table('results_publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('missing', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("action IN ('published', 'unpublished')", name=op.f('ck_results_publications_action')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_results_publications_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_results_publications_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_results_publications'))
    )
    with op.batch_alter_table('results_publications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_results_publications_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('results_publications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_results_publications_event_id'))
    op.drop_table('results_publications')
    with op.batch_alter_table('judging_settings', schema=None) as batch_op:
        batch_op.drop_column('results_snapshot')
