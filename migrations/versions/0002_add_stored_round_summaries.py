"""add stored round summaries

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 20:33:43.043051

"""

import sqlalchemy as sa
from alembic import op

import surveys.db

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "round_summary",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("computed_changes", sa.Integer(), nullable=False),
        sa.Column("computed_at", surveys.db.UTCDateTime(), nullable=True),
        sa.Column("queued_at", surveys.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
            name=op.f("fk_round_summary_round_id_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", name=op.f("pk_round_summary")),
    )


def downgrade():
    op.drop_table("round_summary")
