"""procurement flags by OCP code: tender period length and number of tenderers per contract

R003 (short tender period) and R018 (single bid) need the length of the tender period and the
number of tenderers; ``signed_early_known`` says whether a contract has the two dates the
"signed before the tender closed" flag compares. NULL / false mean the data did not say, so a
search can tell "no flag" from "could not be computed". Rows loaded before this migration get
their values on the next ``participa procurement load`` of their file.

Revision ID: 0006_procurement_flags
Revises: 0005_cluster_suggestions
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_procurement_flags"
down_revision = "0005_cluster_suggestions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("procurement_contracts") as batch:
        batch.add_column(sa.Column("tender_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("tenderers", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column(
                "signed_early_known", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("procurement_contracts") as batch:
        batch.drop_column("signed_early_known")
        batch.drop_column("tenderers")
        batch.drop_column("tender_days")
