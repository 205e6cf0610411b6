"""proposals, status history, adhesions, consents, contacts and the notification outbox

Revision ID: 0002_proposals
Revises: 0001
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_proposals"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("folio", sa.String(20), unique=True),
        sa.Column("intake_key", sa.String(64), nullable=False, unique=True),
        sa.Column("author_key", sa.String(64), nullable=False, index=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("theme", sa.String(40), nullable=False, index=True),
        sa.Column("municipality_code", sa.String(5), nullable=False, index=True),
        sa.Column("municipality", sa.String(80), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("causes", sa.Text()),
        sa.Column("effects", sa.Text()),
        sa.Column("affected", sa.Text()),
        sa.Column("solution", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("status_reason", sa.Text()),
        sa.Column("duplicate_of_id", sa.Integer(), sa.ForeignKey("proposals.id")),
        sa.Column("created_at", sa.DateTime(), nullable=False, index=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "proposal_status_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("proposal_id", sa.Integer(), sa.ForeignKey("proposals.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("from_status", sa.String(20)),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "proposal_adhesions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("proposal_id", sa.Integer(), sa.ForeignKey("proposals.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("supporter_key", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("proposal_id", "supporter_key", name="uq_adhesion"),
    )
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_key", sa.String(64), nullable=False, index=True),
        sa.Column("purpose", sa.String(40), nullable=False),
        sa.Column("notice_version", sa.String(20), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime()),
    )
    op.create_table(
        "proposal_contacts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("proposal_id", sa.Integer(), sa.ForeignKey("proposals.id", ondelete="CASCADE"),
                  nullable=False, unique=True),
        sa.Column("consent_id", sa.Integer(), sa.ForeignKey("consents.id"), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("address", sa.String(80), nullable=False),
        sa.Column("contact_info", sa.String(200)),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel", sa.String(20), nullable=False, index=True),
        sa.Column("address", sa.String(80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), index=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    for table in ("notifications", "proposal_contacts", "consents", "proposal_adhesions",
                  "proposal_status_changes", "proposals"):
        op.drop_table(table)
