"""payment customers, subscriptions and webhook events

Revision ID: 0001_payment
Revises: (none: the base of the ``payment`` branch)
Create Date: 2026-12-07 00:00:00

The payment service's migrations form a branch of their own, so the service can
be added to a project that already has migrations: ``db upgrade`` applies
every branch, and ``db merge`` joins them before the next revision.
``user_id`` has no foreign key: the same tables serve projects with and without
users.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0001_payment"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("payment",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the payment_customers, payment_subscriptions and webhook event tables."""
    op.create_table(
        "payment_customers",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_customers")),
    )
    op.create_index(
        op.f("ix_payment_customers_user_id"),
        "payment_customers",
        ["user_id"],
        unique=True,
    )

    op.create_table(
        "payment_subscriptions",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column(
            "customer_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False
        ),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column(
            "status", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False
        ),
        sa.Column("plan", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column(
            "price_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True
        ),
        sa.Column("cancel_at_period_end", sa.Boolean(), nullable=False),
        sa.Column(
            "current_period_end", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True
        ),
        sa.Column("event_created", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_subscriptions")),
    )
    op.create_index(
        op.f("ix_payment_subscriptions_customer_id"),
        "payment_subscriptions",
        ["customer_id"],
    )
    op.create_index(
        op.f("ix_payment_subscriptions_user_id"), "payment_subscriptions", ["user_id"]
    )

    op.create_table(
        "payment_webhook_events",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("processed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_webhook_events")),
    )


def downgrade() -> None:
    """Drop the payment tables."""
    op.drop_table("payment_webhook_events")
    op.drop_index(
        op.f("ix_payment_subscriptions_user_id"), table_name="payment_subscriptions"
    )
    op.drop_index(
        op.f("ix_payment_subscriptions_customer_id"),
        table_name="payment_subscriptions",
    )
    op.drop_table("payment_subscriptions")
    op.drop_index(op.f("ix_payment_customers_user_id"), table_name="payment_customers")
    op.drop_table("payment_customers")
