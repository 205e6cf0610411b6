"""What /mis_datos says about a proposal's contact, in the words of the channel it came from."""

from __future__ import annotations

from bot.proposals.personal_data import describe_proposals


def _row(folio: str, channel: str, info: str | None) -> dict[str, object]:
    return {"folio": folio, "contacto": {"canal": channel, "chat": "x", "correo_o_telefono": info}}


def test_a_terminal_contact_is_not_called_this_chat() -> None:
    """Round 6's leftover: /mis_datos in the terminal said «este chat», which nobody keeps there."""
    lines = describe_proposals([_row("P-2026-000001", "terminal", "ana@example.org")])
    assert lines[1] == ("• Contacto para que el STL te busque sobre tu propuesta: ana@example.org, "
                        "en 1 propuesta.")
    assert not any("chat" in line for line in lines)
    none = describe_proposals([_row("P-2026-000002", "terminal", None)])
    assert "ninguno (no dejaste correo ni teléfono)" in none[1]


def test_a_telegram_contact_is_still_this_chat() -> None:
    lines = describe_proposals([_row("P-2026-000003", "telegram", "5512345678")])
    assert lines[1] == "• Contacto para avisarte cómo va: este chat (5512345678), en 1 propuesta."
