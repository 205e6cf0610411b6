"""Mask personal data a citizen typed into free text, in Mexican formats.

Anonymised outputs (the reviewers' default exports, the CLI listing, proposals shown to other
citizens) must not carry the phone number, e-mail, CURP, RFC or street address someone wrote
inside the problem or the solution. Only the admin's contact export shows them. The masks are
deliberately greedy: hiding a few extra words is better than publishing a phone number.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.i18n import _

_SEP = r"[\s.\-]?"
EMAIL_RE = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
# CURP: 4 letters, birth date, sex (H/M/X), state, 3 consonants, homonym digit/letter, check digit.
CURP_RE = re.compile(r"\b[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d\b",
                     re.IGNORECASE)
# RFC: 4 letters (3 for companies), date, optional 3-character homoclave.
RFC_RE = re.compile(r"\b[A-ZÑ&]{3,4}\d{6}(?:[A-Z\d]{3})?\b", re.IGNORECASE)
# Phones: 10 national digits (2+4+4 or 3+3+4), optional +52 / 52 / 1 and old 044/045 prefixes.
PHONE_RE = re.compile(
    r"(?<![\w\-/])(?:\+?52" + _SEP + r"(?:1" + _SEP + r")?|0?4[45]" + _SEP + r")?"
    r"(?:\(\d{2}\)\s?\d{4}" + _SEP + r"\d{4}|\(\d{3}\)\s?\d{3}" + _SEP + r"\d{4}"
    r"|\d{2}" + _SEP + r"\d{4}" + _SEP + r"\d{4}|\d{3}" + _SEP + r"\d{3}" + _SEP + r"\d{4})(?![\w/])"
)
_STREET = (r"calle|c\.|av|avenida|avda|blvd|boulevard|bulevar|calz|calzada|priv|privada|cerrada|"
           r"cda|callej[oó]n|andador|prol|prolongaci[oó]n|circuito|cto|retorno|carretera|camino")
_NUMBER = r"(?:#\s*|n[uú]m(?:ero)?\.?\s*|no\.?\s*)?\d{1,5}(?:\s?[a-z])?\b"
_INNER = r"(?:\s*(?:,\s*)?(?:int(?:erior)?\.?|depto\.?|departamento|dpto\.?)\s*\w+)?"
# A street type, up to six words of name, then a house number ("Calle 5 de Mayo 20", "Av. Juárez
# #45 int. 3"); or a lot in a housing estate ("Mz. 5 Lt. 12").
ADDRESS_RE = re.compile(
    r"\b(?:" + _STREET + r")\.?\s+(?:[^\s,;:\n]+\s+){0,5}?" + _NUMBER + r"(?!\s+de\b)" + _INNER
    + r"|\b(?:mz|manzana)\.?\s*\w{1,4}\s*,?\s*(?:lt|lote)\.?\s*\w{1,4}\b",
    re.IGNORECASE,
)

MASKS: list[tuple[re.Pattern[str], Callable[[], str]]] = [
    (EMAIL_RE, lambda: _("[correo]")),
    (CURP_RE, lambda: _("[CURP]")),
    (RFC_RE, lambda: _("[RFC]")),
    (ADDRESS_RE, lambda: _("[domicilio]")),
    (PHONE_RE, lambda: _("[teléfono]")),
]


def mask_personal_data(text: str) -> str:
    """``text`` with phones, e-mails, CURP, RFC and street addresses replaced by a label."""
    for pattern, label in MASKS:
        text = pattern.sub(label(), text)
    return text
