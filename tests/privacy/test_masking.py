"""Personal data typed into free text is masked in Mexican formats; places and dates stay."""

from __future__ import annotations

import pytest

from bot.privacy.masking import mask_personal_data

MASKED = {
    "llámame al 55 1234 5678": "llámame al [teléfono]",
    "o al +52 722-123-4567 en la tarde": "o al [teléfono] en la tarde",
    "tel (722) 123 4567": "tel [teléfono]",
    "whats 5512345678.": "whats [teléfono].",
    "cel 044 55 1234 5678": "cel [teléfono]",
    "escribe a ana.perez+x@gmail.com.mx": "escribe a [correo]",
    "mi CURP es GODE561231HDFRRN09": "mi CURP es [CURP]",
    "RFC: GODE561231GR8": "RFC: [RFC]",
    "rfc gode561231": "rfc [RFC]",
    "vivo en Calle Morelos 123, col. Centro": "vivo en [domicilio], col. Centro",
    "Av. Juárez #45 int. 3, Toluca": "[domicilio], Toluca",
    "calle 5 de Mayo número 20": "[domicilio]",
    "en calle Hidalgo No. 8": "en [domicilio]",
    "Mz. 5 Lt. 12 en la unidad": "[domicilio] en la unidad",
}

KEPT = [
    "en la calle 5 de mayo hay baches",
    "folio P-2026-000123 del 2026-01-15",
    "costó 1,500,000 pesos en 2025",
    "faltan 3 camiones en la avenida principal",
    "Programa de Gobierno Abierto 2024-2027",
]


@pytest.mark.parametrize("text", list(MASKED))
def test_masks_personal_data(text: str) -> None:
    assert mask_personal_data(text) == MASKED[text]


@pytest.mark.parametrize("text", KEPT)
def test_keeps_places_dates_and_amounts(text: str) -> None:
    assert mask_personal_data(text) == text
