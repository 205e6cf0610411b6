"""privacy: notifications know their proposal; contact and notification addresses indexed

Lets ``/borrar`` find a person's contacts and notifications by address, and the contact purge
(``participa privacy purge``) remove a closed proposal's notifications with its contact.

Revision ID: 0003_privacy
Revises: 0002_proposals
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_privacy"
down_revision = "0002_proposals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot add a foreign key to an existing table in place.
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("proposal_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_notifications_proposal_id", "proposals", ["proposal_id"], ["id"],
                                 ondelete="CASCADE")
        batch.create_index("ix_notifications_proposal_id", ["proposal_id"])
        batch.create_index("ix_notifications_address", ["address"])
    op.create_index("ix_proposal_contacts_address", "proposal_contacts", ["address"])


def downgrade() -> None:
    op.drop_index("ix_proposal_contacts_address", table_name="proposal_contacts")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_index("ix_notifications_address")
        batch.drop_index("ix_notifications_proposal_id")
        batch.drop_constraint("fk_notifications_proposal_id", type_="foreignkey")
        batch.drop_column("proposal_id")
