"""An allow-list for the Telegram HTML of a campaign before the dashboard shows it as markup.

``bot.campaigns.text`` already escapes everything but ``<b>``, ``<i>`` and
``<a href="http(s)://…">``. The preview marks that HTML safe, so it is parsed again here and
rebuilt from scratch: those three tags pass (a link gets only its checked ``href``), every
other tag, attribute or comment comes out as visible text. A bug upstream can then never
become script in an editor's browser.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from markupsafe import Markup

ALLOWED = ("b", "i", "a")
_URL_OK = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


class _AllowList(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        if tag in ("b", "i") and not attrs:
            self.out.append(f"<{tag}>")
        elif tag == "a" and len(attrs) == 1 and _URL_OK.match(href):
            self.out.append(f'<a href="{html.escape(href, quote=True)}" rel="noopener noreferrer">')
        else:
            self.out.append(html.escape(self.get_starttag_text() or f"<{tag}>", quote=False))
            return
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(html.escape(self.get_starttag_text() or f"<{tag}/>", quote=False))

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()
            self.out.append(f"</{tag}>")
        else:
            self.out.append(html.escape(f"</{tag}>", quote=False))

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        self.out.append(html.escape(f"<!--{data}-->", quote=False))

    def handle_decl(self, decl: str) -> None:
        self.out.append(html.escape(f"<!{decl}>", quote=False))

    def handle_pi(self, data: str) -> None:
        self.out.append(html.escape(f"<?{data}>", quote=False))

    def unknown_decl(self, data: str) -> None:
        self.out.append(html.escape(f"<![{data}]>", quote=False))


def telegram_html(value: str) -> Markup:
    """``value`` with only ``b``, ``i`` and http(s) ``a`` left as tags; safe to put in a page."""
    parser = _AllowList()
    parser.feed(value)
    parser.close()
    if parser.rawdata:  # an unfinished tag at the end stays text
        parser.out.append(html.escape(parser.rawdata, quote=False))
    closing = "".join(f"</{tag}>" for tag in reversed(parser.open))
    return Markup("".join(parser.out) + closing)
