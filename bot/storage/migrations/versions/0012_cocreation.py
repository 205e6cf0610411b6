"""proposal_followers (supporters told about status changes) and each proposal's public record

One row per supporter and proposal, stored only with their consent (``consent_id``): the person
key (HMAC of the sender), the channel and chat address the notification outbox needs.

Proposals get ``public_record`` (their author opted in), ``public_note`` and ``expected_date`` (the
STL's public note and expected date, Open311's status_notes and expected_datetime).

Revision ID: 0012_cocreation
Revises: 0011_procurement_follows
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_cocreation"
down_revision = "0011_procurement_follows"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("proposals", sa.Column("public_record", sa.Boolean(), nullable=False,
                                         server_default=sa.false()))
    op.add_column("proposals", sa.Column("public_note", sa.Text(), nullable=True))
    op.add_column("proposals", sa.Column("expected_date", sa.Date(), nullable=True))
    op.create_table(
        "proposal_followers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("proposal_id", sa.Integer(), sa.ForeignKey("proposals.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("follower_key", sa.String(64), nullable=False),
        sa.Column("consent_id", sa.Integer(), sa.ForeignKey("consents.id"), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("address", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("proposal_id", "follower_key", name="uq_proposal_follower"),
    )
    op.create_index("ix_proposal_followers_proposal_id", "proposal_followers", ["proposal_id"])
    op.create_index("ix_proposal_followers_follower_key", "proposal_followers", ["follower_key"])
    op.create_index("ix_proposal_followers_address", "proposal_followers", ["address"])


def downgrade() -> None:
    op.drop_index("ix_proposal_followers_address", table_name="proposal_followers")
    op.drop_index("ix_proposal_followers_follower_key", table_name="proposal_followers")
    op.drop_index("ix_proposal_followers_proposal_id", table_name="proposal_followers")
    op.drop_table("proposal_followers")
    op.drop_column("proposals", "expected_date")
    op.drop_column("proposals", "public_note")
    op.drop_column("proposals", "public_record")
