"""cluster suggestions: groups of similar proposals suggested by ``participa review cluster``

Revision ID: 0005_cluster_suggestions
Revises: 0004_one_history
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_cluster_suggestions"
down_revision = "0004_one_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proposal_cluster_suggestions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("theme", sa.String(40), nullable=False, index=True),
        sa.Column("label", sa.String(120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("municipalities", sa.JSON(), nullable=False),
        sa.Column("quotes", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("group_id", sa.Integer(), sa.ForeignKey("proposal_groups.id", ondelete="SET NULL")),
        sa.Column("decided_by", sa.String(60)),
        sa.Column("decided_at", sa.DateTime()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "proposal_cluster_suggestion_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("suggestion_id", sa.Integer(),
                  sa.ForeignKey("proposal_cluster_suggestions.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("proposal_id", sa.Integer(), sa.ForeignKey("proposals.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.UniqueConstraint("suggestion_id", "proposal_id", name="uq_cluster_suggestion_member"),
    )


def downgrade() -> None:
    op.drop_table("proposal_cluster_suggestion_members")
    op.drop_table("proposal_cluster_suggestions")
