"""add api tokens and idempotency keys

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 17:29:21

"""

import sqlalchemy as sa
from alembic import op

import surveys.db

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "api_idempotency_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", surveys.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_api_idempotency_key_officer_id_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_idempotency_key")),
        sa.UniqueConstraint("officer_id", "key", name=op.f("uq_api_idempotency_key_officer_id")),
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("created_at", surveys.db.UTCDateTime(), nullable=False),
        sa.Column("expires_at", surveys.db.UTCDateTime(), nullable=True),
        sa.Column("revoked_at", surveys.db.UTCDateTime(), nullable=True),
        sa.CheckConstraint("scope IN ('read', 'write')", name=op.f("ck_api_token_scope_valid")),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_api_token_officer_id_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_officer_id"), ["officer_id"], unique=False)


def downgrade():
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_officer_id"))

    op.drop_table("api_token")
    op.drop_table("api_idempotency_key")
