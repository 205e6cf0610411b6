"""From the releases of one contracting process to the rows search reads.

The current state of a process is the publisher's compiled release, or the
releases merged with ``ocdsmerge`` (the OCDS reference implementation, with the
bundled OCDS 1.1.5 schema), whichever is newer. Real publications bend the
standard (CDMX writes "adjudicación directa" under method "limited", the federal
data put suppliers on the contract, INAI has no item ids), so every field is
read defensively and the procedure type also looks at its written details.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import ocdsmerge

from bot.content.files import content_dir
from bot.procurement.content import ProcurementContent
from bot.textnorm import normalize_words as _normalize_words

log = logging.getLogger(__name__)


@lru_cache(maxsize=65536)
def normalize_words(text: str) -> str:
    """Cached: real data repeats the same buyer, supplier and item names thousands of times."""
    return _normalize_words(text)


def text_of(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return ""


def get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def parse_date(value: Any) -> dt.datetime | None:
    """An OCDS date as the publisher's wall-clock time (offset dropped, so the day never moves)."""
    text = text_of(value)
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = dt.datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    return parsed.replace(tzinfo=None)


def amount_cents(value: Any) -> tuple[int | None, str]:
    """(amount in cents, currency) of an OCDS Value object."""
    if not isinstance(value, dict):
        return None, ""
    amount = value.get("amount")
    currency = text_of(value.get("currency")).upper()[:3]
    if isinstance(amount, bool) or amount is None:
        return None, currency
    try:
        return round(float(amount) * 100), currency
    except (TypeError, ValueError):
        return None, currency


@lru_cache(maxsize=1)
def _merger():  # type: ignore[no-untyped-def]
    schema_path = content_dir() / "procurement" / "ocds_schema_1_1_5" / "release-schema.json"
    return ocdsmerge.Merger(schema=json.loads(schema_path.read_text("utf-8")))


def merge_releases(releases: list[dict[str, Any]]) -> dict[str, Any]:
    """Compile a process's releases; fall back to the newest one if they cannot be merged."""
    if len(releases) == 1:
        return releases[0]
    try:
        return dict(_merger().create_compiled_release(releases))
    except Exception as exc:  # bad dates or ids in real data: keep the newest release
        log.warning("releases not merged (%s); using the newest", type(exc).__name__)
        return max(releases, key=lambda r: text_of(r.get("date")))


def current_state(
    releases: list[tuple[bool, dt.datetime | None, dict[str, Any]]],
) -> tuple[dict[str, Any], dt.datetime | None]:
    """The newest of: the merged individual releases, and each publisher-compiled release."""
    candidates: list[tuple[dt.datetime, int, dict[str, Any]]] = []
    individual = [(date, data) for compiled, date, data in releases if not compiled]
    if individual:
        newest = max((d for d, _ in individual if d), default=None)
        candidates.append((newest or dt.datetime.min, 0, merge_releases([d for _, d in individual])))
    for compiled, date, data in releases:
        if compiled:
            candidates.append((date or dt.datetime.min, 1, data))
    date, _, state = max(candidates, key=lambda c: (c[0], c[1]))
    return state, (None if date == dt.datetime.min else date)


def procedure_type(method: str, details: str, rationale: str) -> str:
    """open / selective / limited / direct / unknown, reading the written details too."""
    written = normalize_words(f"{details} {rationale}")
    if method == "direct" or "adjudicacion directa" in written:
        return "direct"
    if method == "selective" or "invitacion" in written:
        return "selective"
    if method in ("open", "limited"):
        return method
    return "unknown"


def _names(orgs: Any) -> list[str]:
    seen: dict[str, str] = {}
    for org in dicts(orgs):
        name = text_of(org.get("name"))
        if name and normalize_words(name) not in seen:
            seen[normalize_words(name)] = name
    return list(seen.values())


def _looks_like_title(text: str) -> bool:
    return sum(1 for w in normalize_words(text).split() if w.isalpha() and len(w) > 2) >= 2


def _pick_title(*candidates: str) -> str:
    for text in candidates:
        if text and _looks_like_title(text):
            return text
    return next((t for t in candidates if t and t != "."), "")


def _first_url(*documents: Any) -> str:
    for docs in documents:
        for doc in dicts(docs):
            url = text_of(doc.get("url"))
            if url.startswith(("http://", "https://")):
                return url
    return ""


def _item_key(items: list[dict[str, Any]]) -> str:
    for item in items:
        cls = item.get("classification")
        if isinstance(cls, dict) and text_of(cls.get("id")):
            return normalize_words(f"{text_of(cls.get('scheme'))} {text_of(cls.get('id'))}")[:300]
    for item in items:
        desc = normalize_words(text_of(item.get("description")))
        if desc:
            return desc[:300]
    return ""


@dataclass
class ContractRow:
    contract_id: str
    title: str
    supplier_names: list[str]
    amount_cents: int | None
    currency: str
    date_signed: dt.datetime | None
    date: dt.datetime | None
    item_key: str
    url: str
    subject: str


@dataclass
class ProcessRow:
    ocid: str
    title: str
    buyer_name: str
    method: str
    method_details: str
    method_rationale: str
    procedure: str
    tender_start: dt.datetime | None
    tender_end: dt.datetime | None
    publisher: str
    source_url: str
    emergency_reason: str
    tenderers: int | None = None
    contracts: list[ContractRow] = field(default_factory=list)
    parties: dict[str, tuple[str, set[str]]] = field(default_factory=dict)


def _add_party(row: ProcessRow, name: str, role: str) -> None:
    key = normalize_words(name)
    if not key:
        return
    display, roles = row.parties.setdefault(key, (name, set()))
    if role:
        roles.add(role)


def _contract_rows(state: dict[str, Any], tender_title: str) -> list[ContractRow]:
    tender = get(state, "tender") or {}
    awards = dicts(state.get("awards"))
    by_id = {text_of(a.get("id")): a for a in awards}
    rows: list[ContractRow] = []
    contracts = dicts(state.get("contracts"))
    sources: list[tuple[dict[str, Any], dict[str, Any]]] = []
    if contracts:
        for contract in contracts:
            award = by_id.get(text_of(contract.get("awardID")))
            if award is None and len(awards) == 1:
                award = awards[0]
            sources.append((contract, award or {}))
    else:
        sources = [({}, award) for award in awards]
    for contract, award in sources:
        cents, currency = amount_cents(contract.get("value"))
        if cents is None:
            cents, currency = amount_cents(contract.get("valueWithTax"))
        if cents is None and award:
            cents, currency = amount_cents(award.get("value"))
        items = dicts(contract.get("items")) or dicts(award.get("items")) or dicts(tender.get("items"))
        signed = parse_date(contract.get("dateSigned"))
        date = (
            signed
            or parse_date(award.get("date"))
            or parse_date(get(contract, "period", "startDate"))
            or parse_date(state.get("date"))
        )
        title = _pick_title(
            text_of(contract.get("title")),
            text_of(contract.get("description")),
            text_of(award.get("title")),
            text_of(award.get("description")),
            tender_title,
        )
        subject = " ".join(
            [
                title,
                text_of(contract.get("description")),
                text_of(award.get("description")),
                tender_title,
                text_of(tender.get("description")),
                *(text_of(i.get("description")) for i in items),
                *(text_of(get(i, "classification", "description")) for i in items),
            ]
        )
        rows.append(
            ContractRow(
                contract_id=text_of(contract.get("id")) or text_of(award.get("id")),
                title=title,
                supplier_names=_names(contract.get("suppliers")) or _names(award.get("suppliers")),
                amount_cents=cents,
                currency=currency,
                date_signed=signed,
                date=date,
                item_key=_item_key(items),
                url=_first_url(contract.get("documents"), award.get("documents")),
                subject=normalize_words(subject),
            )
        )
    if not rows:
        items = dicts(tender.get("items"))
        rows.append(
            ContractRow(
                contract_id="",
                title=tender_title,
                supplier_names=[],
                amount_cents=None,
                currency="",
                date_signed=None,
                date=parse_date(get(tender, "tenderPeriod", "startDate"))
                or parse_date(state.get("date")),
                item_key=_item_key(items),
                url=_first_url(tender.get("documents")),
                subject=normalize_words(
                    " ".join([tender_title, text_of(tender.get("description"))])
                ),
            )
        )
    return rows


def _keyword_in(texts: list[str], content: ProcurementContent) -> str:
    haystack = f" {normalize_words(' '.join(texts))} "
    for keyword in content.emergency.keywords:
        if f" {normalize_words(keyword)} " in haystack:
            gloss = content.emergency.glosses.get(keyword)
            return f"«{keyword}», {gloss}" if gloss else f"«{keyword}»"
    return ""


def _emergency_reason(
    row: ProcessRow,
    legal_basis: str,
    titles: list[str],
    texts: list[str],
    content: ProcurementContent,
) -> str:
    """Why a process looks like an emergency one, saying where that came from (or "")."""
    rules = content.emergency
    basis = normalize_words(legal_basis)
    for rule in rules.legal_bases:
        if basis and re.search(rule.pattern, basis):
            return rules.reason_legal_basis.format(basis=legal_basis.strip(), rule=rule.name)
    if word := _keyword_in(titles, content):
        return rules.reason_title.format(word=word)
    if word := _keyword_in(texts, content):
        return rules.reason_keyword.format(word=word)
    if row.procedure in ("direct", "limited"):
        dates = [c.date_signed or c.date for c in row.contracts] + [row.tender_start]
        for period in rules.periods:
            if any(d and period.start <= d.date() <= period.end for d in dates):
                return rules.reason_period.format(
                    method=content.method_label(row.procedure), period=period.name
                )
    return ""


def _tenderers(tender: dict[str, Any]) -> int | None:
    """How many tenderers bid (R018): numberOfTenderers, else the tenderers listed; None if unsaid."""
    number = tender.get("numberOfTenderers")
    if isinstance(number, int) and not isinstance(number, bool) and number >= 0:
        return number
    listed = dicts(tender.get("tenderers"))
    return len(listed) if listed else None


def describe_process(
    ocid: str,
    state: dict[str, Any],
    content: ProcurementContent,
    publisher: str = "",
    package_uri: str = "",
) -> ProcessRow:
    """Everything search needs from one process's current state."""
    tender = get(state, "tender") or {}
    tender_title = text_of(tender.get("title"))
    method = text_of(tender.get("procurementMethod"))
    details = text_of(tender.get("procurementMethodDetails"))
    rationale = text_of(tender.get("procurementMethodRationale"))
    buyer = (
        text_of(get(state, "buyer", "name"))
        or text_of(get(tender, "procuringEntity", "name"))
        or next(
            (
                text_of(p.get("name"))
                for p in dicts(state.get("parties"))
                if "buyer" in (p.get("roles") or [])
            ),
            "",
        )
    )
    contracts = dicts(state.get("contracts"))
    if not buyer:  # the federal (APF) data put the buyer on each contract
        buyer = next((n for c in contracts for n in _names(c.get("buyers"))), "")
    package_info = state.get("packageInfo") if isinstance(state.get("packageInfo"), dict) else {}
    own_uri = text_of(package_info.get("uri")) if package_info else ""
    row = ProcessRow(
        ocid=ocid,
        title=_pick_title(
            tender_title,
            *(text_of(c.get("title")) for c in contracts),
            *(text_of(c.get("description")) for c in contracts),
        ),
        buyer_name=buyer,
        method=method,
        method_details=details,
        method_rationale=rationale,
        procedure=procedure_type(method, details, rationale),
        tender_start=parse_date(get(tender, "tenderPeriod", "startDate")),
        tender_end=parse_date(get(tender, "tenderPeriod", "endDate")),
        publisher=text_of(get(package_info, "publisher", "name")) if package_info else "",
        source_url="",
        emergency_reason="",
    )
    row.publisher = row.publisher or publisher
    row.tenderers = _tenderers(tender)
    row.contracts = _contract_rows(state, tender_title)
    uri = own_uri if ocid.lower() in own_uri.lower() else ""
    if not uri and ocid.lower() in package_uri.lower():
        uri = package_uri
    row.source_url = uri or _first_url(tender.get("documents"), get(state, "planning", "documents"))
    row.source_url = row.source_url or own_uri or package_uri
    if buyer:
        _add_party(row, buyer, "buyer")
    for party in dicts(state.get("parties")):
        for role in party.get("roles") or [""]:
            _add_party(row, text_of(party.get("name")), text_of(role))
    for contract in row.contracts:
        for name in contract.supplier_names:
            _add_party(row, name, "supplier")
    procuring = text_of(get(tender, "procuringEntity", "name"))
    if procuring:
        _add_party(row, procuring, "procuringEntity")
    for tenderer in _names(tender.get("tenderers")):
        _add_party(row, tenderer, "tenderer")
    titles = [tender_title, *(text_of(c.get("title")) for c in contracts)]
    texts = [
        details,
        rationale,
        text_of(tender.get("description")),
        text_of(get(state, "planning", "rationale")),
        *(c.subject for c in row.contracts),
    ]
    legal_basis = text_of(tender.get("legalBasis"))
    row.emergency_reason = _emergency_reason(row, legal_basis, titles, texts, content)
    return row
