"""What a citizen reads about contracts: search results, totals, flags, the emergency view, CSV.

Texts come from content/procurement/search.yml; money, numbers and dates are
formatted with Babel for the current locale (``bot.i18n``), pesos shown as
"$1,234,567.89 MXN" in es_MX. Buttons carry short payloads
(≤ 60 bytes): the query itself is stored server-side under a 10-character id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from bot.i18n import _, format_day, format_money, format_number
from bot.procurement import service as svc
from bot.procurement.content import ProcurementContent, procurement_content
from bot.procurement.follow_dialogue import FOLLOW_SEARCH
from bot.procurement.service import ContractHit, SearchQuery, SearchResult
from bot.procurement.text import Name, name_index, understand

MAX_BUTTON = 40
FOLLOW_PAYLOAD = FOLLOW_SEARCH  # «Seguir a esta institución»: answered by the core, Telegram only
MAX_PAYLOAD_BYTES = 60
FAQ_WHAT_IS = "que_es_contratacion_emergencia"
FAQ_SIGNALS = "senales_contratos"
FAQ_HOW_TO_CHECK = "revisar_contrato"


@dataclass
class Answer:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    document: dict[str, str] | None = None
    query_id: str | None = None


def money(cents: int, currency: str) -> str:
    """$1,234,567.89 MXN for pesos (the code too: "$" alone is ambiguous); others keep their code."""
    amount = cents / 100
    if currency == "MXN":
        return f"{format_money(amount, 'MXN')} MXN"
    if currency and currency != "?":
        return f"{format_number(amount, format='#,##0.00')} {currency}"
    return f"{format_number(amount, format='#,##0.00')} " + _("(moneda no publicada)")


def _payload(intent: str, **entities: Any) -> str:
    payload = f"/{intent}" + (json.dumps(entities, separators=(",", ":")) if entities else "")
    assert len(payload.encode("utf-8")) <= MAX_PAYLOAD_BYTES, payload
    return payload


def _button(title: str, payload: str) -> dict[str, str]:
    if len(title) > MAX_BUTTON:
        title = title[: MAX_BUTTON - 1].rstrip() + "…"
    return {"title": title, "payload": payload}


def _faq(content: ProcurementContent, key: str, faq_id: str) -> dict[str, str]:
    return _button(content.buttons[key], _payload("elegir_tema", tema=faq_id))


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("{items} y {last}").format(items=", ".join(items[:-1]), last=items[-1])


def describe(query: SearchQuery, content: ProcurementContent) -> str:
    """" sobre «limpieza» de SECRETARÍA DE FINANZAS en 2017" — what the bot understood."""
    parts: list[str] = []
    if query.emergency:
        parts.append(" " + content.text("about_emergency"))
    if query.word_labels:
        parts.append(" " + content.text("about_words", words=" ".join(query.word_labels)))
    if query.supplier_labels:
        parts.append(" " + content.text("about_supplier", names=_join(list(query.supplier_labels))))
    if query.buyers:
        parts.append(" " + content.text("about_buyer", names=_join(list(query.buyers))))
    if query.methods:
        labels = [content.method_label(m) for m in query.methods]
        parts.append(" " + content.text("about_method", method=_join(labels)))
    if query.years:
        parts.append(" " + content.text("about_years", years=_join([str(y) for y in query.years])))
    return "".join(parts)


def _hit_text(n: int, hit: ContractHit, content: ProcurementContent) -> str:
    text = content.text(
        "result_item",
        n=n,
        title=hit.title or hit.ocid,
        buyer=hit.buyer or content.text("no_supplier"),
        supplier=hit.suppliers or content.text("no_supplier"),
        amount=money(hit.amount_cents, hit.currency)
        if hit.amount_cents is not None
        else content.text("no_amount"),
        date=format_day(hit.date, format="medium") if hit.date else content.text("no_date"),
        method=hit.method_details or content.method_label(hit.method),
        url=hit.url or content.text("no_url"),
    )
    flags: list[str] = []
    if hit.short_tender:
        flags.append(content.flags["short_tender"].format(days=hit.tender_days))
    if hit.single_bid:
        flags.append(content.flags["single_bid"])
    if hit.signed_early:
        flags.append(content.flags["signed_early"])
    if hit.above_median and hit.median_cents and hit.amount_cents:
        flags.append(
            content.flags["above_median"].format(
                ratio=format_number(hit.amount_cents / hit.median_cents, format="#,##0.#"),
                median=money(hit.median_cents, hit.currency),
            )
        )
    if flags:
        text += "\n   " + content.text("result_flags", flags="; ".join(flags))
    if hit.emergency_reason:
        text += "\n   " + content.text("emergency_reason", reason=hit.emergency_reason)
    return text


def hit_text(n: int, hit: ContractHit, content: ProcurementContent) -> str:
    """One contract as a search lists it (also in followers' alerts)."""
    return _hit_text(n, hit, content)


def _percent(part: int, whole: int) -> str:
    return format_number(part / whole if whole else 0, format="#,##0%")


def flags_text(result: SearchResult, content: ProcurementContent) -> str:
    """Each flag: its OCP code, cut-off, count here, and how much of the loaded data it covers."""
    lines = [content.text("flags_intro")]
    for name in svc.FLAGS:
        rule = content.flag_rules[name]
        label = (
            content.text("flag_code", code=rule.code, name=rule.name)
            if rule.code
            else content.text("flag_own", name=rule.name)
        )
        coverage = _percent(result.loaded_known.get(name, 0), result.loaded)
        known = result.known.get(name, 0)
        if result.loaded_known.get(name, 0) == 0:
            lines.append(content.text("flag_line_absent", label=label, needs=rule.needs))
            continue
        if known == 0:
            lines.append(
                content.text("flag_line_unknown", label=label, needs=rule.needs, coverage=coverage)
            )
            continue
        known_here = (
            content.messages["flag_known_here"].format(known=known, total=result.count)
            if known < result.count
            else ""
        )
        lines.append(
            content.text(
                "flag_line",
                label=label,
                count=format_number(result.flagged.get(name, 0)),
                total=format_number(known),
                threshold=rule.threshold.format(days=rule.days),
                coverage=coverage,
                known_here=known_here,
            )
        )
    if not any(result.flagged.values()):
        unknown = result.count - min(result.known.values(), default=0)
        if unknown:
            lines.append(
                content.text(
                    "flag_none_note",
                    unknown=format_number(unknown),
                    total=format_number(result.count),
                )
            )
    return "\n".join(lines)


def render_result(result: SearchResult, content: ProcurementContent, qid: str) -> Answer:
    about = describe(result.query, content)
    word = content.text("contract_one" if result.count == 1 else "contract_many")
    count = format_number(result.count)
    if result.capped:
        return _render_capped(result, content, qid, about, count)
    lines = [content.text("results_header", count=count, contracts_word=word, about=about)]
    if "MXN" in result.totals:
        lines.append(content.text("results_total", total=money(result.totals["MXN"], "MXN")))
    others = {c: t for c, t in result.totals.items() if c != "MXN"}
    if others:
        lines.append(
            content.text(
                "results_other_currency",
                count=sum(result.counts_by_currency[c] for c in others),
                amounts=", ".join(money(t, c) for c, t in sorted(others.items())),
            )
        )
    if result.no_amount:
        lines.append(content.text("results_no_amount", count=result.no_amount))
    first = result.page * svc.PAGE_SIZE + 1
    lines.append(content.text("results_page", first=first, last=first + len(result.hits) - 1))
    body = "\n\n".join(_hit_text(first + i, h, content) for i, h in enumerate(result.hits))
    summary = content.text("flags_summary", direct_share=_percent(result.direct, result.count))
    summary += "\n\n" + flags_text(result, content)
    text = " ".join(lines[:-1]) + "\n" + lines[-1] + "\n\n" + body + "\n\n" + summary
    return Answer(text=text, buttons=_result_buttons(result, content, qid), query_id=qid)


def _render_capped(
    result: SearchResult, content: ProcurementContent, qid: str, about: str, count: str
) -> Answer:
    """More matches than the bot adds up at once: says «más de …», shows the largest, and
    says how to get the totals (a narrower search, or the CSV)."""
    first = result.page * svc.PAGE_SIZE + 1
    label = " ".join(result.query.word_labels) or _join(list(result.query.supplier_labels))
    years = [h.date.year for h in result.hits if h.date]
    narrower = (
        content.text("capped_example_year", words=label, year=years[0])
        if years
        else content.text("capped_example_buyer", words=label, buyer=result.hits[0].buyer)
    )
    order = "results_capped_newest" if result.query.order == "date" else "results_capped_largest"
    text = (
        content.text("results_capped", count=count, about=about, example=narrower)
        + "\n"
        + content.text(order, first=first, last=first + len(result.hits) - 1)
        + "\n\n"
        + "\n\n".join(_hit_text(first + i, h, content) for i, h in enumerate(result.hits))
        + "\n\n"
        + content.text("results_capped_flags")
    )
    return Answer(text=text, buttons=_result_buttons(result, content, qid), query_id=qid)


def _result_buttons(result: SearchResult, content: ProcurementContent, qid: str) -> list[dict[str, str]]:
    buttons: list[dict[str, str]] = []
    if result.has_more:
        more = _payload("ver_mas_contratos", q=qid, p=result.page + 1)
        buttons.append(_button(content.buttons["more"], more))
    # The page on screen goes along (after the first), so «el segundo» typed means its second.
    csv = _payload("descargar_contratos", q=qid, p=result.page) if result.page else \
        _payload("descargar_contratos", q=qid)
    buttons.append(_button(content.buttons["csv"], csv))
    buttons.append(_faq(content, "signals", FAQ_SIGNALS))
    follow = follow_button(result.query, qid)
    if follow is not None:
        buttons.append(follow)
    return buttons


def follow_button(query: SearchQuery, qid: str) -> dict[str, str] | None:
    """«Seguir a esta institución» under a search that names one buyer or one supplier."""
    if len(query.buyers) + len(query.suppliers) != 1:
        return None
    title = _("Seguir a esta institución") if query.buyers else _("Seguir a esta empresa")
    return _button(title, f"{FOLLOW_PAYLOAD} {qid}")


def _suggestions(leftover: str, engine: Engine | None, content: ProcurementContent) -> list[dict[str, str]]:
    buttons: list[dict[str, str]] = []
    names = name_index(engine).suggestions(leftover)
    for buyer in svc.top_buyers(3, engine):
        if len(names) >= 3:
            break
        if all(n.display != buyer for n in names):
            names.append(Name(buyer, buyer, "buyer", frozenset(), frozenset()))
    for name in names[:3]:
        query = (
            SearchQuery(buyers=(name.display,))
            if name.kind == "buyer"
            else SearchQuery(suppliers=(name.key,), supplier_labels=(name.display,))
        )
        qid = svc.save_query(query, engine)
        buttons.append(_button(name.display, _payload("buscar_contratos", q=qid)))
    buttons.append(_button(content.buttons["largest"], _payload("buscar_contratos", q=_largest_id(engine))))
    buttons.append(_faq(content, "how_to_check", FAQ_HOW_TO_CHECK))
    return buttons


def _largest_id(engine: Engine | None) -> str:
    return svc.save_query(SearchQuery(order="amount"), engine)


def _no_data(content: ProcurementContent) -> Answer:
    return Answer(
        text=content.text("no_data"),
        buttons=[_faq(content, "how_to_check", FAQ_HOW_TO_CHECK), _faq(content, "what_is", FAQ_WHAT_IS)],
    )


def run_query(
    query: SearchQuery, page: int = 0, engine: Engine | None = None, leftover: str = ""
) -> Answer:
    """Search, then render results, or say nothing matched and suggest searches that do."""
    content = procurement_content()
    if svc.data_version(engine)[0] == 0:
        return _no_data(content)
    qid = svc.save_query(query, engine)
    try:
        result = svc.search(query, page, engine)
    except svc.SearchTimeout:
        largest = _payload("buscar_contratos", q=_largest_id(engine))
        return Answer(
            text=content.text("search_timeout", about=describe(query, content)),
            buttons=[_button(content.buttons["largest"], largest)],
            query_id=qid,
        )
    if result.count == 0:
        return Answer(
            text=content.text("no_results", about=describe(query, content)),
            buttons=_suggestions(leftover or " ".join(query.word_labels), engine, content),
            query_id=qid,
        )
    if not result.hits:
        return Answer(text=content.text("no_more"), buttons=[], query_id=qid)
    return render_result(result, content, qid)


def answer_text(text: str, engine: Engine | None = None) -> Answer:
    """A search written in the citizen's own words."""
    with svc.one_data_version():
        if svc.data_version(engine)[0] == 0:
            return _no_data(procurement_content())
        query, leftover = understand(text, engine)
        return run_query(query, 0, engine, leftover)


def answer_saved(qid: str, page: int = 0, engine: Engine | None = None) -> Answer:
    """A "ver más" or suggestion button: the stored query, at the given page."""
    content = procurement_content()
    if not qid:
        return Answer(text=content.text("more_no_search"), buttons=[])
    query = svc.saved_query(qid, engine)
    if query is None:
        return Answer(text=content.text("page_gone"), buttons=[])
    with svc.one_data_version():
        return run_query(query, max(0, page), engine)


THAT_ONE = 0  # «ese», «ese contrato»: the one on screen, when only one is


def answer_pick(qid: str, page: int, place: int, numbered: bool,
                engine: Engine | None = None) -> Answer:
    """One contract of the results on screen, typed as «el segundo», «el 7» or «ese».

    ``numbered``: ``place`` is the number printed next to it (a page on, «el 7»), or else its
    place on screen («el segundo»: the second shown); a number not on screen is read as a place.
    The reply keeps the list's buttons, so «y el tercero» works next.
    """
    content = procurement_content()
    query = svc.saved_query(qid, engine) if qid else None
    if query is None:
        return Answer(text=content.text("page_gone"), buttons=[])
    with svc.one_data_version():
        result = svc.search(query, max(0, page), engine)
    if not result.hits:
        return Answer(text=content.text("page_gone"), buttons=[])
    first = result.page * svc.PAGE_SIZE + 1
    last = first + len(result.hits) - 1
    buttons = _result_buttons(result, content, qid)
    if place == THAT_ONE and len(result.hits) > 1:
        return Answer(text=content.text("pick_which", first=first, last=last), buttons=buttons,
                      query_id=qid)
    if place == THAT_ONE:
        index = 0
    elif place == -1:
        index = len(result.hits) - 1
    elif numbered and first <= place <= last:
        index = place - first
    else:
        index = place - 1
    if not 0 <= index < len(result.hits):
        return Answer(text=content.text("pick_none", n=place, first=first, last=last),
                      buttons=buttons, query_id=qid)
    n = first + index
    text = content.text("pick_header", n=n, about=describe(query, content)) + "\n\n" + \
        _hit_text(n, result.hits[index], content)
    return Answer(text=text, buttons=buttons, query_id=qid)


def answer_emergency(engine: Engine | None = None) -> Answer:
    """Contracts the data itself marks as emergency ones, or an honest "none in these data"."""
    content = procurement_content()
    summary = svc.data_summary(engine)
    if summary.releases == 0:
        return _no_data(content)
    query = SearchQuery(emergency=True)
    result = svc.search(query, 0, engine)
    if result.count == 0:
        years = (
            _("{first} a {last}").format(first=summary.first_year, last=summary.last_year)
            if summary.first_year != summary.last_year
            else str(summary.first_year)
        )
        text = content.text(
            "emergency_none",
            processes=format_number(summary.processes),
            publishers=_join(summary.publishers[:4]) or _("varias fuentes"),
            years=years,
        )
        buttons = [
            _faq(content, "what_is", FAQ_WHAT_IS),
            _button(content.buttons["largest"], _payload("buscar_contratos", q=_largest_id(engine))),
            _button(
                content.buttons["direct"],
                _payload("buscar_contratos", q=svc.save_query(SearchQuery(methods=("direct",)), engine)),
            ),
        ]
        return Answer(text=text, buttons=buttons)
    qid = svc.save_query(query, engine)
    answer = render_result(result, content, qid)
    word = content.text("contract_one" if result.count == 1 else "contract_many")
    intro = content.text("emergency_some", count=result.count, contracts_word=word)
    answer.text = f"{intro}\n\n{answer.text}"
    return answer


def answer_csv(qid: str | None, directory: Path, engine: Engine | None = None) -> Answer:
    """The matching contracts as a CSV file the channel sends as a document."""
    content = procurement_content()
    query = svc.saved_query(qid, engine) if qid else None
    if query is None:
        return Answer(text=content.text("csv_no_search"), buttons=[])
    path, count = svc.export_csv(query, directory, engine)
    return Answer(
        text=content.text("csv_ready", count=format_number(count), about=describe(query, content)),
        document={"filename": path.name, "path": str(path)},
        query_id=qid,
    )


def answer_menu() -> Answer:
    content = procurement_content()
    return Answer(
        text=content.text("menu"),
        buttons=[
            _faq(content, "what_is", FAQ_WHAT_IS),
            _button(content.buttons["emergency"], "/contratos_emergencia"),
            _button(content.buttons["largest"], _payload("buscar_contratos", orden="monto")),
            _faq(content, "how_to_check", FAQ_HOW_TO_CHECK),
        ],
    )
