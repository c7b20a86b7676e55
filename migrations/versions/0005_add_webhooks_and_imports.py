"""add webhooks and imports

Webhook subscriptions, their outbox of events and deliveries, and the provenance of
imported responses (whose row key stops a second import of the same row).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 17:28:56.914773

"""

import sqlalchemy as sa
from alembic import op

import surveys.db

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "webhook_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", surveys.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_event")),
        sa.UniqueConstraint("message_id", name=op.f("uq_webhook_event_message_id")),
    )
    op.create_table(
        "webhook",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("disabled_at", surveys.db.UTCDateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", surveys.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["officer.id"], name=op.f("fk_webhook_created_by_id_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook")),
    )
    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", surveys.db.UTCDateTime(), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_attempt_at", surveys.db.UTCDateTime(), nullable=True),
        sa.Column("delivered_at", surveys.db.UTCDateTime(), nullable=True),
        sa.Column("created_at", surveys.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('queued', 'delivered', 'failed')",
            name=op.f("ck_webhook_delivery_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["webhook_event.id"],
            name=op.f("fk_webhook_delivery_event_id_webhook_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["webhook.id"],
            name=op.f("fk_webhook_delivery_webhook_id_webhook"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_delivery")),
        sa.UniqueConstraint("event_id", "webhook_id", name=op.f("uq_webhook_delivery_event_id")),
    )
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_webhook_delivery_next_attempt_at"), ["next_attempt_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_webhook_delivery_webhook_id"), ["webhook_id"], unique=False
        )

    op.create_table(
        "imported_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("row_key", sa.String(length=120), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("sector", sa.String(length=32), nullable=True),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", surveys.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by_id"], ["officer.id"], name=op.f("fk_imported_row_imported_by_id_officer")
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response.id"],
            name=op.f("fk_imported_row_response_id_response"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
            name=op.f("fk_imported_row_round_id_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_row")),
        sa.UniqueConstraint("response_id", name=op.f("uq_imported_row_response_id")),
        sa.UniqueConstraint("round_id", "row_key", name=op.f("uq_imported_row_round_id")),
    )


def downgrade():
    op.drop_table("imported_row")
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_delivery_webhook_id"))
        batch_op.drop_index(batch_op.f("ix_webhook_delivery_next_attempt_at"))

    op.drop_table("webhook_delivery")
    op.drop_table("webhook")
    op.drop_table("webhook_event")
