"""users: when the e-mail address was confirmed (needed to vote)

Revision ID: i13a_email_confirmed_at
Revises: a3c5e7f9b1d2
Create Date: 2026-12-06 04:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i13a_email_confirmed_at'
down_revision = "a3c5e7f9b1d2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', sa.DateTime(), nullable=True))
    # Accounts made before this existed (the CLI, the demo seed, organizers, earlier sign-ups)
    # keep voting: they count as confirmed since they were made.
    op.execute("UPDATE users SET email_confirmed_at = created_at")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_confirmed_at')
