"""Campaign text: a small, safe formatting language turned into Telegram HTML.

Editors write plain text with three marks, and nothing else is interpreted:

- ``*negritas*`` → bold, ``_cursivas_`` → italic (the marks must touch a word on
  the inside and not on the outside, so ``gobierno_abierto`` or ``2*3*4`` stay as
  written);
- ``[texto](https://…)`` → a link (http and https only; anything else stays text);
- ``\\*``, ``\\_``, ``\\[``, ``\\]``, ``\\\\`` → the character itself.

Every other character is escaped, so ``<``, ``&`` or a pasted HTML tag reach the
reader as typed and can never break the message. Telegram counts a message's
length after parsing (4,096 for text, 1,024 for an image caption), in UTF-16
units (an emoji counts 2), so the length is checked on the plain text that way.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from bot.i18n import _

MAX_TEXT = 4096
MAX_CAPTION = 1024

_ESCAPE = r"\\(?P<esc>[*_\[\]\\])"
_LINK = r"\[(?P<label>[^\]\n]+)\]\((?P<url>[^)\s]+)\)"
_BOLD = r"(?<![\w*\\])\*(?P<bold>[^*\s](?:[^*\n]*?[^*\s\\])?)\*(?![\w*])"
_ITALIC = r"(?<![\w\\])_(?P<italic>[^_\s](?:[^_\n]*?[^_\s\\])?)_(?!\w)"
_TOKEN = re.compile("|".join((_ESCAPE, _LINK, _BOLD, _ITALIC)))
_URL_OK = re.compile(r"^https?://[^\s<>\"']+\.[^\s<>\"']+$", re.IGNORECASE)


@dataclass
class Formatted:
    """The same text as Telegram HTML and as the plain text the reader will see."""

    html: str
    plain: str
    warnings: list[str] = field(default_factory=list)

    @property
    def length(self) -> int:
        return utf16_length(self.plain)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _render(text: str, warnings: list[str], in_link: bool = False) -> tuple[str, str]:
    html_parts: list[str] = []
    plain_parts: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        html_parts.append(_escape(text[position : match.start()]))
        plain_parts.append(text[position : match.start()])
        position = match.end()
        kind = match.lastgroup
        if kind == "esc":
            html_parts.append(_escape(match["esc"]))
            plain_parts.append(match["esc"])
        elif kind in ("label", "url"):
            label, url = match["label"], match["url"]
            inner_html, inner_plain = _render(label, warnings, in_link=True)
            if in_link or not _URL_OK.match(url):
                if not in_link:
                    warnings.append(_(
                        "El enlace «{label}» no empieza con https:// (o http://): se muestra como texto."
                    ).format(label=label))
                html_parts.append(_escape(match.group(0)))
                plain_parts.append(match.group(0))
                continue
            html_parts.append(f'<a href="{html.escape(url, quote=True)}">{inner_html}</a>')
            plain_parts.append(inner_plain)
        else:
            tag = "b" if kind == "bold" else "i"
            inner_html, inner_plain = _render(match[kind or "italic"], warnings, in_link)
            html_parts.append(f"<{tag}>{inner_html}</{tag}>")
            plain_parts.append(inner_plain)
    html_parts.append(_escape(text[position:]))
    plain_parts.append(text[position:])
    return "".join(html_parts), "".join(plain_parts)


def format_campaign_text(text: str) -> Formatted:
    """Editor text → Telegram HTML (everything not a mark escaped) and its plain reading."""
    warnings: list[str] = []
    cleaned = text.replace("\r\n", "\n").strip()
    rendered_html, plain = _render(cleaned, warnings)
    return Formatted(rendered_html, plain, warnings)


def length_problem(formatted: Formatted, with_image: bool) -> str | None:
    """A Spanish explanation when the text is empty or too long for one Telegram message."""
    if not formatted.plain.strip():
        return _("El texto de la campaña está vacío.")
    limit = MAX_CAPTION if with_image else MAX_TEXT
    if formatted.length > limit:
        where = _("con imagen (pie de foto)") if with_image else _("sin imagen")
        return _(
            "El texto mide {length} caracteres y Telegram acepta hasta {limit} {where}. Acórtalo "
            "(los emojis cuentan doble)."
        ).format(length=f"{formatted.length:,}", limit=f"{limit:,}", where=where)
    return None
