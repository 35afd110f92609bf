"""outbox: e-mail and webhook deliveries waiting for the worker

Revision ID: i20o_outbox
Revises: i19o_project_outcomes
Create Date: 2026-12-06 07:20:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'i20o_outbox'
down_revision = 'i19o_project_outcomes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('dedupe_key', sa.String(length=200), nullable=True),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('recipient', sa.String(length=2000), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
        sa.Column('claimed_until', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('last_response', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint(sa.text("channel IN ('mail', 'webhook')"), name=op.f('ck_outbox_channel')),
        sa.CheckConstraint(sa.text("status IN ('pending', 'retrying', 'sent', 'dead')"), name=op.f('ck_outbox_status')),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_outbox_event_id_events'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outbox_user_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
        sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_dedupe_key')),
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_user_id'), ['user_id'], unique=False)


def downgrade():
    op.drop_table('outbox')
