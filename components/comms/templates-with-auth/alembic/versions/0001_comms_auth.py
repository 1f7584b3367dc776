"""comms email tokens and verifications

Revision ID: 0001_comms_auth
Revises: 0001_auth_users
Create Date: 2026-12-07 00:00:00

The comms service's tables refer to auth's users, so its revision follows
auth's first one (a branch of its own once the project has revised auth's
tables: ``db merge`` joins them). Accounts that exist when the service is
added are marked verified: they signed in without verification before, and
``AUTH_REQUIRE_VERIFIED_EMAIL`` must not lock them out.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0001_comms_auth"
down_revision: str | Sequence[str] | None = "0001_auth_users"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the token and verification tables; verify the existing users."""
    op.create_table(
        "comms_email_tokens",
        sa.Column(
            "token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        ),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False
        ),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_comms_email_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_comms_email_tokens")),
    )
    op.create_index(
        op.f("ix_comms_email_tokens_user_id"), "comms_email_tokens", ["user_id"]
    )
    verifications = op.create_table(
        "comms_email_verifications",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("verified_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_comms_email_verifications_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_comms_email_verifications")),
    )
    users = sa.table("users", sa.column("id", sa.Integer()))
    op.execute(
        sa.insert(verifications).from_select(
            ["user_id", "verified_at"],
            sa.select(users.c.id, sa.func.current_timestamp()),
        )
    )


def downgrade() -> None:
    """Drop the comms tables."""
    op.drop_table("comms_email_verifications")
    op.drop_index(
        op.f("ix_comms_email_tokens_user_id"), table_name="comms_email_tokens"
    )
    op.drop_table("comms_email_tokens")
