"""webhooks: addresses an event's organizers register for its happenings

Revision ID: i20w_webhooks
Revises: i20o_outbox
Create Date: 2026-12-06 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i20w_webhooks'
down_revision = 'i20o_outbox'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'webhooks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('secret', sa.String(length=100), nullable=False),
        sa.Column('format', sa.String(length=10), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint(sa.text("format IN ('json', 'slack')"), name=op.f('ck_webhooks_format')),
        sa.CheckConstraint(sa.text("language IN ('en', 'nl')"), name=op.f('ck_webhooks_language')),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_webhooks_created_by_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_webhooks_event_id_events'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhooks')),
    )
    with op.batch_alter_table('webhooks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhooks_event_id'), ['event_id'], unique=False)


def downgrade():
    op.drop_table('webhooks')
