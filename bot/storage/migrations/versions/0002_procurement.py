"""procurement: OCDS releases, processes, contracts, parties and saved searches

Revision ID: 0002_procurement
Revises: 0001
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_procurement"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "procurement_releases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ocid", sa.String(200), nullable=False),
        sa.Column("release_id", sa.String(200), nullable=False),
        sa.Column("compiled", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("date", sa.DateTime()),
        sa.Column("tags", sa.String(300), nullable=False, server_default=""),
        sa.Column("source", sa.String(1000), nullable=False),
        sa.Column("raw_json", sa.Text(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("ocid", "release_id", "compiled", name="uq_procurement_release"),
    )
    op.create_index("ix_procurement_releases_ocid", "procurement_releases", ["ocid"])
    op.create_table(
        "procurement_processes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ocid", sa.String(200), nullable=False, unique=True),
        sa.Column("title", sa.Text(), nullable=False, server_default=""),
        sa.Column("buyer_name", sa.String(500), nullable=False, server_default=""),
        sa.Column("method", sa.String(40), nullable=False, server_default=""),
        sa.Column("method_details", sa.String(500), nullable=False, server_default=""),
        sa.Column("method_rationale", sa.Text(), nullable=False, server_default=""),
        sa.Column("tender_start", sa.DateTime()),
        sa.Column("tender_end", sa.DateTime()),
        sa.Column("emergency_reason", sa.String(300), nullable=False, server_default=""),
        sa.Column("publisher", sa.String(500), nullable=False, server_default=""),
        sa.Column("source_url", sa.String(1000), nullable=False, server_default=""),
        sa.Column("date", sa.DateTime()),
        sa.Column("state_json", sa.Text(), nullable=False),
    )
    op.create_index("ix_procurement_processes_method", "procurement_processes", ["method"])
    op.create_table(
        "procurement_contracts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "process_id",
            sa.Integer(),
            sa.ForeignKey("procurement_processes.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("ocid", sa.String(200), nullable=False),
        sa.Column("contract_id", sa.String(200), nullable=False, server_default=""),
        sa.Column("title", sa.Text(), nullable=False, server_default=""),
        sa.Column("buyer_name", sa.String(500), nullable=False, server_default=""),
        sa.Column("supplier_names", sa.Text(), nullable=False, server_default=""),
        sa.Column("supplier_keys", sa.Text(), nullable=False, server_default=""),
        sa.Column("amount_cents", sa.BigInteger()),
        sa.Column("currency", sa.String(3), nullable=False, server_default=""),
        sa.Column("date_signed", sa.DateTime()),
        sa.Column("year", sa.Integer()),
        sa.Column("method", sa.String(40), nullable=False, server_default=""),
        sa.Column("emergency", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("item_key", sa.String(300), nullable=False, server_default=""),
        sa.Column(
            "signed_before_tender_closed", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
        sa.Column("above_median", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("median_cents", sa.BigInteger()),
        sa.Column("source_url", sa.String(1000), nullable=False, server_default=""),
        sa.Column("subject_text", sa.Text(), nullable=False, server_default=""),
        sa.Column("search_text", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index("ix_procurement_contracts_process_id", "procurement_contracts", ["process_id"])
    op.create_index("ix_procurement_contracts_year", "procurement_contracts", ["year"])
    op.create_index("ix_procurement_contracts_emergency", "procurement_contracts", ["emergency"])
    op.create_index(
        "ix_procurement_contracts_amount", "procurement_contracts", ["currency", "amount_cents"]
    )
    op.create_index("ix_procurement_contracts_item", "procurement_contracts", ["item_key"])
    op.create_table(
        "procurement_parties",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "process_id",
            sa.Integer(),
            sa.ForeignKey("procurement_processes.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("name_key", sa.String(500), nullable=False),
        sa.Column("roles", sa.String(300), nullable=False, server_default=""),
    )
    op.create_index("ix_procurement_parties_process_id", "procurement_parties", ["process_id"])
    op.create_index("ix_procurement_parties_name_key", "procurement_parties", ["name_key"])
    op.create_table(
        "procurement_queries",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("params_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("procurement_queries")
    op.drop_table("procurement_parties")
    op.drop_table("procurement_contracts")
    op.drop_table("procurement_processes")
    op.drop_table("procurement_releases")
