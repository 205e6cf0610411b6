"""actions/procurement.py: what a contract search offers depends on where the person writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.procurement import ActionSearchContracts
from bot.procurement import service as svc

SAMPLE = (Path(__file__).resolve().parents[2] / "content" / "procurement" / "compranet"
          / "compranet_contratos_2017_muestra1pct.raw.csv")


@pytest.fixture
def contracts(app_db: str, tmp_path: Path) -> None:
    part = tmp_path / "parte.csv"
    part.write_text("".join(SAMPLE.read_text("utf-8").splitlines(keepends=True)[:300]), "utf-8")
    svc.load_source(str(part))


def _search(channel: str) -> Tracker:
    text = "contratos de la Comisión Federal de Electricidad"
    return Tracker("s-1", {}, {"text": text, "entities": [], "metadata": {"channel": channel}},
                   [], False, None, None, "")


@pytest.mark.usefixtures("contracts")
async def test_the_terminal_search_does_not_offer_to_follow_what_only_telegram_delivers(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """Leftover of round 5: the terminal offered «Seguir a esta institución», and pressing it
    only said that follows work in Telegram."""
    await ActionSearchContracts().run(dispatcher, _search("telegram"), domain)
    assert "Seguir a esta institución" in [b["title"] for b in dispatcher.messages[0]["buttons"]]
    dispatcher.messages.clear()
    await ActionSearchContracts().run(dispatcher, _search("terminal"), domain)
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert titles and "Seguir a esta institución" not in titles
    assert "Descargar CSV" in titles or any("CSV" in t for t in titles)  # the rest stays
