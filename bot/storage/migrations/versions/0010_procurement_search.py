"""procurement search at scale: trigram indexes (PostgreSQL) and an FTS5 trigram table (SQLite)

Contract search matches the normalised words a citizen wrote anywhere inside ``search_text``
(what was bought, buyer and suppliers) and ``supplier_keys``. Without an index that is a full
scan of every contract; at a million contracts it is seconds. PostgreSQL gets GIN trigram
indexes (pg_trgm), which answer ``LIKE '%word%'`` directly; SQLite gets an external-content FTS5
table with the trigram tokenizer, kept in step by triggers. Both answer exactly what the old
scan answered (same substring rule), so the two engines still give the same results. The text
is normalised in Python (lower case, no accents) before it is stored, so neither engine needs a
language configuration or unaccent. ``buyer_name`` gets a plain index for "contratos de la
Secretaría de Salud", and amount and date descending indexes serve the first page of a search.

A later ``batch_alter_table`` on ``procurement_contracts`` under SQLite recreates the table and
drops the triggers: such a migration must create them again (``sqlite_triggers`` below).

Revision ID: 0010_procurement_search
Revises: 0009_offered_choices
Create Date: 2026-12-06
"""

from alembic import op

revision = "0010_procurement_search"
down_revision = "0009_offered_choices"
branch_labels = None
depends_on = None

FTS = "procurement_contracts_fts"
COLUMNS = ("search_text", "supplier_keys")
ORDER_INDEXES = {
    "ix_procurement_contracts_amount_order": "amount_cents",
    "ix_procurement_contracts_date_order": "date_signed",
}


def sqlite_triggers() -> list[str]:
    """Keep the FTS5 table in step with procurement_contracts (external content)."""
    cols = ", ".join(COLUMNS)
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    return [
        f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON procurement_contracts BEGIN "
        f"INSERT INTO {FTS}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON procurement_contracts BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF {cols} ON procurement_contracts BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {FTS}(rowid, {cols}) VALUES (new.id, {new}); END",
    ]


def upgrade() -> None:
    op.create_index(
        "ix_procurement_contracts_buyer_name", "procurement_contracts", ["buyer_name"]
    )
    dialect = op.get_bind().dialect.name
    # The first page of "los contratos más grandes" / "recientes" walks these instead of sorting
    # every matching contract (SQLite puts NULL last in DESC order by itself).
    nulls_last = " NULLS LAST" if dialect == "postgresql" else ""
    for name, column in ORDER_INDEXES.items():
        op.execute(
            f"CREATE INDEX {name} ON procurement_contracts ({column} DESC{nulls_last}, id)"
        )
    if dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in COLUMNS:
            op.execute(
                f"CREATE INDEX ix_procurement_contracts_{column}_trgm ON procurement_contracts "
                f"USING gin ({column} gin_trgm_ops)"
            )
    elif dialect == "sqlite":
        op.execute(
            f"CREATE VIRTUAL TABLE {FTS} USING fts5({', '.join(COLUMNS)}, "
            "content='procurement_contracts', content_rowid='id', tokenize='trigram')"
        )
        for statement in sqlite_triggers():
            op.execute(statement)
        op.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for column in COLUMNS:
            op.execute(f"DROP INDEX IF EXISTS ix_procurement_contracts_{column}_trgm")
    elif dialect == "sqlite":
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {FTS}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {FTS}")
    for name in ORDER_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_index("ix_procurement_contracts_buyer_name", table_name="procurement_contracts")
