"""Merge the two 0013 heads (info_request_pending, procurement_search_words): no schema change

Both branches reached integration at once; alembic needs one head to upgrade to. The lead may
re-chain one 0013 after the other at merge and drop this file.

Revision ID: 0014_merge_0013_heads
Revises: 0013_info_request_pending, 0013_procurement_search_words
Create Date: 2026-12-06
"""

revision = "0014_merge_0013_heads"
down_revision = ("0013_info_request_pending", "0013_procurement_search_words")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
