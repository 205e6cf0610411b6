"""info_requests: body, folio and filing date of requests people follow through the bot

Stored only with consent (``consent_id``); never the request text. ``chat_id`` and the reminder
columns send one reminder the day after the due date; ``outcome`` is what the person answered.

Revision ID: 0007_info_requests
Revises: 0006_procurement_flags
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_info_requests"
down_revision = "0006_procurement_flags"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "info_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_key", sa.String(64), nullable=False),
        sa.Column("consent_id", sa.Integer(), sa.ForeignKey("consents.id"), nullable=False),
        sa.Column("body_key", sa.String(40), nullable=True),
        sa.Column("folio", sa.String(60), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("extended_on", sa.Date(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("reminder_claimed_at", sa.DateTime(), nullable=True),
        sa.Column("reminder_sent_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(30), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("person_key", "folio", name="uq_info_requests_person_folio"),
    )
    op.create_index("ix_info_requests_person_key", "info_requests", ["person_key"])


def downgrade() -> None:
    op.drop_index("ix_info_requests_person_key", table_name="info_requests")
    op.drop_table("info_requests")
