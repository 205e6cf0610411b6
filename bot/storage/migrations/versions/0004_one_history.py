"""one history: join the four heads (procurement, broadcast, privacy, web) into one

The domains were migrated on separate branches, so ``alembic upgrade head`` failed and a new
migration's parent was a guess. From here on the history is linear: a new migration names
``0004_one_history`` (or whatever is the single head then) as its ``down_revision``.
Databases at any of the old heads, or at all four, upgrade to this one without changes.

Revision ID: 0004_one_history
Revises: 0002_procurement, 0003_broadcast, 0003_privacy, 0003_web
Create Date: 2026-12-06
"""

revision = "0004_one_history"
down_revision = ("0002_procurement", "0003_broadcast", "0003_privacy", "0003_web")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
