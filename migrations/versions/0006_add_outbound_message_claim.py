"""add outbound message claim

A worker claims an email (claimed_until) and commits before the SMTP call, so no database
lock is held while the mail server answers; a claim that runs out is sent again by the sweep.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 18:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

import surveys.db

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbound_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_until", surveys.db.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbound_message", schema=None) as batch_op:
        batch_op.drop_column("claimed_until")
