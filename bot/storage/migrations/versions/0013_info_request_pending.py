"""info_request_pending: the request helper's open question, so it survives a restart

One row per person key (HMAC of the sender, never a chat id): the step, the body keys from the
bot's own list, a filing's folio and date once given, and when the row stops counting (half an
hour). Never the request text.

Revision ID: 0013_info_request_pending
Revises: 0012_cocreation
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_info_request_pending"
down_revision = "0012_cocreation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "info_request_pending",
        sa.Column("person_key", sa.String(64), primary_key=True),
        sa.Column("step", sa.String(20), nullable=False),
        sa.Column("body_key", sa.String(40), nullable=True),
        sa.Column("candidate_keys", sa.JSON(), nullable=False),
        sa.Column("folio", sa.String(60), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("body_known", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_info_request_pending_expires_at", "info_request_pending", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_info_request_pending_expires_at", table_name="info_request_pending")
    op.drop_table("info_request_pending")
