"""telegram: deep-link sources and blocked chats, keyed by a hash of the chat id

Revision ID: 0002_telegram
Revises: 0001
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_telegram"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "telegram_deep_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("chat_hash", sa.String(64), nullable=False),
        sa.Column("first_seen", sa.Date(), nullable=False),
        sa.UniqueConstraint("code", "chat_hash", name="uq_telegram_deep_link"),
    )
    op.create_index("ix_telegram_deep_links_code", "telegram_deep_links", ["code"])
    op.create_table(
        "telegram_blocked_chats",
        sa.Column("chat_hash", sa.String(64), primary_key=True),
        sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("telegram_blocked_chats")
    op.drop_index("ix_telegram_deep_links_code", table_name="telegram_deep_links")
    op.drop_table("telegram_deep_links")
