"""`participa privacy`: the retention purge and requests handled by the STL, on a real database."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from bot.cli import app
from bot.config import get_settings
from bot.proposals import service as svc
from bot.storage.db import session_scope
from bot.storage.models import StatusChange

runner = CliRunner()



def closed_proposal(sender: str, days_ago: int) -> str:
    draft = svc.Draft(theme="movilidad", municipality_code="15106", municipality="Toluca",
                      problem="Baches en la avenida Colón", causes=None, effects=None,
                      affected=None, solution="Bachear y dar mantenimiento")
    proposal = svc.submit(draft, intake_key=uuid.uuid4().hex, sender=sender, channel="telegram",
                          consent=True, contact_info="ana@example.org")
    assert proposal.folio
    svc.set_status(proposal.folio, "no_procede", "STL", note="No es competencia del estado")
    with session_scope() as session:
        session.execute(update(StatusChange).values(
            created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=days_ago)))
    return proposal.folio


def test_purge_dry_run_then_for_real(app_db: str) -> None:
    folio = closed_proposal("tg-5001", days_ago=400)
    dry = runner.invoke(app, ["privacy", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Contactos de propuestas cerradas hace más de 6 meses (se borrarían): 1" in dry.output
    assert svc.get(folio) is not None and svc.get(folio).contact is not None  # type: ignore[union-attr]
    done = runner.invoke(app, ["privacy", "purge"])
    assert "(borrados): 1" in done.output
    assert svc.get(folio).contact is None  # type: ignore[union-attr]
    again = runner.invoke(app, ["privacy", "purge"])
    assert again.exit_code == 0 and "(borrados): 1" not in again.output


def test_purge_months_option_and_setting(app_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    closed_proposal("tg-5002", days_ago=40)
    assert "(borrados): 0" in runner.invoke(app, ["privacy", "purge"]).output
    monkeypatch.setenv("CONTACT_RETENTION_MONTHS", "1")
    get_settings.cache_clear()
    assert "hace más de 1 meses (se borrarían): 1" in runner.invoke(
        app, ["privacy", "purge", "--dry-run"]).output
    assert "hace más de 2 meses (borrados): 0" in runner.invoke(
        app, ["privacy", "purge", "--months", "2"]).output


def test_export_and_erase_for_requests_received_outside_the_bot(app_db: str) -> None:
    folio = closed_proposal("tg-5003", days_ago=1)
    exported = runner.invoke(app, ["privacy", "export", "tg-5003"])
    data = json.loads(exported.output)
    assert data["datos"]["propuestas"][0]["folio"] == folio
    refused = runner.invoke(app, ["privacy", "erase", "tg-5003"], input="n\n")
    assert refused.exit_code == 1 and svc.mine("tg-5003")
    erased = runner.invoke(app, ["privacy", "erase", "tg-5003", "--yes"])
    assert erased.exit_code == 0 and "contactos: 1" in erased.output and "✓ listo." in erased.output
    assert svc.mine("tg-5003") == []
    assert "No había datos" in runner.invoke(app, ["privacy", "erase", "tg-5003", "--yes"]).output
