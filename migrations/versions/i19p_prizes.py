"""prizes, their winners, and the prize settings (several prizes per project, ceremony step)

Revision ID: i19p_prizes
Revises: i20w_webhooks
Create Date: 2026-12-06 07:25:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'i19p_prizes'
down_revision = 'i20w_webhooks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'prizes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('value', sa.String(length=200), nullable=False),
        sa.Column('sponsor_name', sa.String(length=200), nullable=False),
        sa.Column('sponsor_url', sa.String(length=500), nullable=False),
        sa.Column('sponsor_logo', sa.LargeBinary(), nullable=True),
        sa.Column('scope', sa.String(length=20), nullable=False),
        sa.Column('challenge_id', sa.Integer(), nullable=True),
        sa.Column('max_winners', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint(sa.text("kind IN ('money', 'pilot', 'item')"), name=op.f('ck_prizes_kind')),
        sa.CheckConstraint(
            sa.text("scope IN ('event', 'challenge', 'public_vote', 'jury_choice')"), name=op.f('ck_prizes_scope')
        ),
        sa.CheckConstraint(sa.text('max_winners >= 1'), name=op.f('ck_prizes_max_winners')),
        sa.CheckConstraint(
            sa.text("(scope = 'challenge') = (challenge_id IS NOT NULL)"), name=op.f('ck_prizes_challenge_scope')
        ),
        sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_prizes_challenge_id_challenges'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_prizes_event_id_events'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_prizes')),
    )
    with op.batch_alter_table('prizes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prizes_event_id'), ['event_id'], unique=False)

    op.create_table(
        'prize_winners',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('prize_id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
        sa.Column('confirmed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_prize_winners_confirmed_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['prize_id'], ['prizes.id'], name=op.f('fk_prize_winners_prize_id_prizes'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_prize_winners_submission_id_submissions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_prize_winners')),
        sa.UniqueConstraint('prize_id', 'submission_id', name='uq_prize_winners_prize_submission'),
    )
    with op.batch_alter_table('prize_winners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prize_winners_prize_id'), ['prize_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prize_winners_submission_id'), ['submission_id'], unique=False)

    op.create_table(
        'prize_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('several_prizes_per_project', sa.Boolean(), nullable=False),
        sa.Column('ceremony_step', sa.Integer(), nullable=True),
        sa.Column('ceremony_updated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_prize_settings_event_id_events'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_prize_settings')),
        sa.UniqueConstraint('event_id', name=op.f('uq_prize_settings_event_id')),
    )


def downgrade():
    op.drop_table('prize_settings')
    with op.batch_alter_table('prize_winners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prize_winners_submission_id'))
        batch_op.drop_index(batch_op.f('ix_prize_winners_prize_id'))
    op.drop_table('prize_winners')
    with op.batch_alter_table('prizes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prizes_event_id'))
    op.drop_table('prizes')
