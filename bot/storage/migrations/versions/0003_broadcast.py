"""broadcast: subscribers and their topics, campaigns, deliveries and sender heartbeats

Revision ID: 0003_broadcast
Revises: 0002_telegram
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_broadcast"
down_revision = "0002_telegram"
# Subscribers reference consents (created by 0002_proposals, another branch from 0001).
depends_on = "0002_proposals"
branch_labels = None


def upgrade() -> None:
    op.create_table(
        "subscribers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False, unique=True),
        sa.Column("chat_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("consent_id", sa.Integer(), sa.ForeignKey("consents.id"), nullable=False),
        sa.Column("municipality_code", sa.String(5), index=True),
        sa.Column("municipality", sa.String(80)),
        sa.Column("pending_step", sa.String(20)),
        sa.Column("pending_since", sa.DateTime()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "subscription_topics",
        sa.Column("subscriber_id", sa.Integer(),
                  sa.ForeignKey("subscribers.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("topic", sa.String(40), primary_key=True, index=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("image", sa.String(500)),
        sa.Column("button_text", sa.String(64)),
        sa.Column("button_url", sa.String(500)),
        sa.Column("topic", sa.String(40), nullable=False),
        sa.Column("municipalities", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("scheduled_at", sa.DateTime(), index=True),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime()),
        sa.Column("finished_at", sa.DateTime()),
        sa.Column("total", sa.Integer()),
        sa.Column("sent", sa.Integer()),
        sa.Column("blocked", sa.Integer()),
        sa.Column("failed", sa.Integer()),
        sa.Column("unknown", sa.Integer()),
        sa.Column("skipped", sa.Integer()),
        sa.Column("duration_seconds", sa.Float()),
        sa.Column("rate", sa.Float()),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("campaign_id", sa.Integer(),
                  sa.ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False),
        sa.Column("subscriber_id", sa.Integer(),
                  sa.ForeignKey("subscribers.id", ondelete="SET NULL"), index=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("claimed_by", sa.String(80)),
        sa.Column("lane", sa.Integer()),
        sa.Column("claimed_at", sa.DateTime()),
        sa.Column("finished_at", sa.DateTime()),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(200)),
        sa.UniqueConstraint("campaign_id", "subscriber_id", name="uq_delivery"),
    )
    op.create_index("ix_deliveries_campaign_state", "deliveries", ["campaign_id", "state"])
    op.create_table(
        "broadcast_senders",
        sa.Column("sender_id", sa.String(80), primary_key=True),
        sa.Column("token", sa.String(120), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("broadcast_senders")
    op.drop_index("ix_deliveries_campaign_state", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_table("campaigns")
    op.drop_table("subscription_topics")
    op.drop_table("subscribers")
