"""outcomes: what became of each project after the event, and the teams' progress updates

Revision ID: i19o_project_outcomes
Revises: i20f_calendar_token
Create Date: 2026-12-06 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i19o_project_outcomes'
down_revision = 'i20f_calendar_token'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('project_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('department', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('contacted', 'pilot', 'adopted', 'live', 'stopped')", name=op.f('ck_project_outcomes_status')),
    sa.CheckConstraint("status != 'live' OR url != ''", name=op.f('ck_project_outcomes_live_has_url')),
    sa.CheckConstraint("status != 'stopped' OR note != ''", name=op.f('ck_project_outcomes_stopped_has_reason')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_project_outcomes_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_project_outcomes_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_outcomes'))
    )
    with op.batch_alter_table('project_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_outcomes_submission_id'), ['submission_id'], unique=False)

    op.create_table('project_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_project_updates_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_project_updates_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_updates'))
    )
    with op.batch_alter_table('project_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_updates_submission_id'), ['submission_id'], unique=False)


def downgrade():
    with op.batch_alter_table('project_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_updates_submission_id'))
    op.drop_table('project_updates')
    with op.batch_alter_table('project_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_outcomes_submission_id'))
    op.drop_table('project_outcomes')
