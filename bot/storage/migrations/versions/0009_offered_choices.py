"""offered_choices: the buttons last offered to each person, so typed answers survive a restart

One row per person key (HMAC of the sender, never a chat id): button titles and payloads, whether
they were the proposal summary, and when the row stops counting. No message text of the person.

Revision ID: 0009_offered_choices
Revises: 0008_attention
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_offered_choices"
down_revision = "0008_attention"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offered_choices",
        sa.Column("person_key", sa.String(64), primary_key=True),
        sa.Column("buttons", sa.JSON(), nullable=False),
        sa.Column("summary_shown", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("reminded", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_offered_choices_expires_at", "offered_choices", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_offered_choices_expires_at", table_name="offered_choices")
    op.drop_table("offered_choices")
