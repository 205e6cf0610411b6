"""procurement search by whole words on PostgreSQL: a vocabulary and an array index

A trigram index answers ``search_text LIKE '%material%'`` by intersecting the posting lists of
every trigram of the word («mat», «ate», «ter»…), and the common ones hold most of a million
contracts: 60-250 ms per word before a single row is read, even when few contracts match. The
words a search looks for never contain a space, so «contains material» is the same as «has a
word that contains material». This migration keeps every word ever written in ``search_text`` in
``procurement_search_words`` (a statement trigger adds the words of new contracts; search text
only changes by deleting and inserting contracts, see rebuild_processes) and indexes each
contract's words as an array (GIN): a search looks up the vocabulary words that contain what was
written (a small table, with its own trigram index), then the contracts that have one of them,
with posting lists as long as the matches. Same answers as before; phrases with a space still go
through the trigram index. A supplier search («que le compraron a computer forms») looks for a
whole key in ``|key|key|``: the keys as an array (GIN) answer it exactly. SQLite keeps its FTS5
trigram table.

Revision ID: 0014_procurement_search_words
Revises: 0013_info_request_pending
Create Date: 2026-12-06
"""

from alembic import op

revision = "0014_procurement_search_words"
down_revision = "0013_info_request_pending"
branch_labels = None
depends_on = None

WORDS = "procurement_search_words"
# The words of a contract as the array the index holds (IMMUTABLE, so it can be indexed).
CONTRACT_WORDS = "string_to_array(search_text, ' ')"
SUPPLIER_KEYS = "string_to_array(supplier_keys, '|')"
ADD_WORDS = f"""
INSERT INTO {WORDS} (word)
SELECT DISTINCT w FROM {{source}}, unnest({CONTRACT_WORDS}) AS w WHERE w <> ''
ON CONFLICT DO NOTHING
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE TABLE {WORDS} (word text PRIMARY KEY)")
    op.execute(f"CREATE INDEX ix_{WORDS}_trgm ON {WORDS} USING gin (word gin_trgm_ops)")
    op.execute(
        f"""
        CREATE FUNCTION {WORDS}_add() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          {ADD_WORDS.format(source="new_contracts")};
          RETURN NULL;
        END $$
        """
    )
    op.execute(
        f"CREATE TRIGGER {WORDS}_ai AFTER INSERT ON procurement_contracts "
        f"REFERENCING NEW TABLE AS new_contracts FOR EACH STATEMENT EXECUTE FUNCTION {WORDS}_add()"
    )
    op.execute(ADD_WORDS.format(source="procurement_contracts"))
    op.execute(
        "CREATE INDEX ix_procurement_contracts_search_words ON procurement_contracts "
        f"USING gin (({CONTRACT_WORDS}))"
    )
    op.execute(
        "CREATE INDEX ix_procurement_contracts_search_suppliers ON procurement_contracts "
        f"USING gin (({SUPPLIER_KEYS}))"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_procurement_contracts_search_suppliers")
    op.execute("DROP INDEX IF EXISTS ix_procurement_contracts_search_words")
    op.execute(f"DROP TRIGGER IF EXISTS {WORDS}_ai ON procurement_contracts")
    op.execute(f"DROP FUNCTION IF EXISTS {WORDS}_add()")
    op.execute(f"DROP TABLE IF EXISTS {WORDS}")
