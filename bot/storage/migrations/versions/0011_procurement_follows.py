"""procurement_follows: chats that follow a buyer or supplier, and the new contracts to tell them

A follow holds a Telegram chat id (to deliver), so it is stored only with the person's consent
(``consent_id``) and deleted by ``/baja``, ``/borrar`` and the retention purge. An alert is one
new contract for one follow, unique per (follow, ocid, contract) so it is queued once; it keeps
no chat id and goes with its follow (ON DELETE CASCADE).

Revision ID: 0011_procurement_follows
Revises: 0010_procurement_search
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_procurement_follows"
down_revision = "0010_procurement_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "procurement_follows",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_hash", sa.String(64), nullable=False),
        sa.Column("consent_id", sa.Integer(), sa.ForeignKey("consents.id"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("target", sa.String(500), nullable=False),
        sa.Column("label", sa.String(500), nullable=False),
        sa.Column("seen_release_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("chat_id", "kind", "target", name="uq_procurement_follow"),
    )
    op.create_index("ix_procurement_follows_chat_id", "procurement_follows", ["chat_id"])
    op.create_index("ix_procurement_follows_chat_hash", "procurement_follows", ["chat_hash"])
    op.create_table(
        "procurement_follow_alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("follow_id", sa.Integer(),
                  sa.ForeignKey("procurement_follows.id", ondelete="CASCADE"), nullable=False),
        sa.Column("ocid", sa.String(200), nullable=False),
        sa.Column("contract_id", sa.String(200), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("claim", sa.String(32)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime()),
        sa.UniqueConstraint("follow_id", "ocid", "contract_id", name="uq_procurement_follow_alert"),
    )
    op.create_index("ix_procurement_follow_alerts_state", "procurement_follow_alerts",
                    ["state", "follow_id"])


def downgrade() -> None:
    op.drop_index("ix_procurement_follow_alerts_state", table_name="procurement_follow_alerts")
    op.drop_table("procurement_follow_alerts")
    op.drop_index("ix_procurement_follows_chat_hash", table_name="procurement_follows")
    op.drop_index("ix_procurement_follows_chat_id", table_name="procurement_follows")
    op.drop_table("procurement_follows")
