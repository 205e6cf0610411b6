"""One linear Alembic history, and models that match what the migrations create."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from bot.storage.db import alembic_config, make_engine, upgrade
from bot.storage.models import Base
from bot.storage.models.procurement import is_engine_search_object

OLD_HEADS = ["0002_procurement", "0003_broadcast", "0003_privacy", "0003_web"]


RASA_TABLES = {"events"}  # Rasa's SQL tracker store shares the database (its own schema)


def ours(name: str | None, type_: str, parent_names: object) -> bool:
    if is_engine_search_object(name):
        return False  # trigram indexes / FTS5 table: one engine each, made by migration 0010
    return type_ != "table" or name not in RASA_TABLES


def drift(engine: Engine) -> list[object]:
    """What ``alembic revision --autogenerate`` would write: empty when models and schema agree."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": ours})
        return list(compare_metadata(context, Base.metadata))


def the_head() -> str:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, heads
    return str(heads[0])


def test_the_history_has_one_head() -> None:
    """Linear since 0004_one_history: the single head descends from it."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert "0004_one_history" in {r.revision for r in script.walk_revisions(base="base", head=the_head())}


def test_models_and_migrations_do_not_drift(db_engine: Engine) -> None:
    assert drift(db_engine) == []


@pytest.mark.parametrize("old", [OLD_HEADS, *([head] for head in OLD_HEADS)],
                         ids=["all-old-heads", *OLD_HEADS])
def test_a_database_at_an_old_head_upgrades_to_the_one_head(old: list[str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    make_engine(url).dispose()
    for revision in old:
        command.upgrade(alembic_config(url), revision)
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert versions == [the_head()]
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    assert drift(engine) == []
    engine.dispose()
