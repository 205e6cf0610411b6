"""attention requests: a person asks to talk to the STL's team, and their messages both ways

Revision ID: 0008_attention
Revises: 0007_info_requests
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_attention"
down_revision = "0007_info_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attention_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_key", sa.String(64), nullable=False, index=True),
        sa.Column("address", sa.String(80), nullable=False, index=True),
        sa.Column("consent_id", sa.Integer(), sa.ForeignKey("consents.id"), nullable=False,
                  index=True),
        sa.Column("status", sa.String(10), nullable=False, index=True),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("first_reply_at", sa.DateTime()),
        sa.Column("alerted_at", sa.DateTime()),
        sa.Column("closed_at", sa.DateTime(), index=True),
        sa.Column("closed_by", sa.String(60)),
        sa.Column("close_note", sa.Text()),
        sa.Column("acked", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "attention_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("request_id", sa.Integer(),
                  sa.ForeignKey("attention_requests.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("author", sa.String(10), nullable=False),
        sa.Column("staff_user", sa.String(60)),
        sa.Column("text", sa.Text()),
        sa.Column("withheld", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), index=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("attention_messages")
    op.drop_table("attention_requests")
