"""Public procurement (OCDS / EDCA-MX): load releases, search contracts, flags, CSV export.

Loading streams a file, stores each new release (ocid + release id: a second
load adds nothing) and rebuilds the search rows of the processes it touched, all
in one transaction per file, so a bad or cut file leaves nothing half-loaded.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
from sqlalchemy import (
    ARRAY,
    Engine,
    Text,
    and_,
    case,
    cast,
    column,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    table,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from bot.content.files import content_dir
from bot.procurement.compranet import PUBLISHER as COMPRANET_PUBLISHER
from bot.procurement.compranet import CompranetFormatError, looks_like_csv, read_compranet
from bot.procurement.content import FLAGS, ProcurementContent, procurement_content
from bot.procurement.ocds_state import (
    ProcessRow,
    current_state,
    describe_process,
    normalize_words,
    parse_date,
    text_of,
)
from bot.procurement.ocds_stream import FoundRelease, OcdsFormatError, PackageInfo, read_releases
from bot.spreadsheet import inert
from bot.storage.db import default_engine, session_scope
from bot.storage.models.procurement import (
    SEARCH_WORDS_TABLE,
    SQLITE_FTS_TABLE,
    ProcurementContract,
    ProcurementParty,
    ProcurementProcess,
    ProcurementQuery,
    ProcurementRelease,
)

BATCH = 500
PAGE_SIZE = 5
CSV_MAX_ROWS = 50_000
# A word search adds up at most this many contracts; with more it says «más de 3,000» and shows
# the largest ones. Summing every match of a common word («limpieza», «material de curación»)
# means reading tens of thousands of rows: seconds at a million contracts.
SEARCH_CAP = 3_000
# PostgreSQL gives up on a search after this long; the citizen is asked for more precise words.
SEARCH_TIMEOUT_MS = 8_000
Progress = Callable[[int], None]


class LoadError(Exception):
    """A source could not be loaded; the message is for the operator, in Spanish."""


class SearchTimeout(Exception):
    """The database gave up on a search (SEARCH_TIMEOUT_MS); replies ask for other words."""


@dataclass
class LoadReport:
    source: str
    new_releases: int = 0
    duplicate_releases: int = 0
    linked_releases: int = 0
    processes: int = 0
    seconds: float = 0.0
    kind: str = "ocds"
    rows_read: int = 0
    bad_rows: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- loading


class _CountingReader:
    """A binary file wrapper that reports how many bytes were read (for the progress bar)."""

    def __init__(self, raw: IO[bytes], progress: Progress | None) -> None:
        self.raw = raw
        self.progress = progress

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        if self.progress and data:
            self.progress(len(data))
        return data


def bundled_files(directory: Path | None = None, compranet: bool = True) -> list[Path]:
    """The files that ship with the bot: OCDS (ocds_mexico/) and CompraNet CSV (compranet/)."""
    base = directory or content_dir() / "procurement"
    files = sorted((base / "ocds_mexico").rglob("*.json"))
    if compranet:
        files += sorted((base / "compranet").glob("*.csv"))
    return files


@contextmanager
def _opened(source: str) -> Iterator[Path]:
    """A local path for ``source``: the file itself, or a URL downloaded to a temporary file."""
    if not source.startswith(("http://", "https://")):
        path = Path(source)
        if not path.is_file():
            raise LoadError(f"{source}: no existe o no es un archivo")
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="participa-ocds-") as tmp:
        path = Path(tmp) / "download.json"
        try:
            with httpx.stream("GET", source, follow_redirects=True, timeout=60) as response:
                response.raise_for_status()
                with path.open("wb") as out:
                    for chunk in response.iter_bytes():
                        out.write(chunk)
        except httpx.HTTPError as exc:
            raise LoadError(f"{source}: no se pudo descargar ({exc})") from exc
        yield path


def load_source(
    source: str,
    engine: Engine | None = None,
    progress: Progress | None = None,
    on_size: Callable[[int], None] | None = None,
    label: str | None = None,
) -> LoadReport:
    """Load one OCDS or CompraNet file or URL in a single transaction.

    Raises LoadError, with nothing stored, if the file is not usable. A CompraNet file
    with a few unreadable rows loads its good rows and lists the others in ``bad_rows``.
    """
    started = time.perf_counter()
    with _opened(source) as path:
        if on_size:
            on_size(path.stat().st_size)
        report = LoadReport(source=label or source)
        if looks_like_csv(path):
            _load_compranet(path, engine, progress, label or source, report)
            report.seconds = time.perf_counter() - started
            return report
        try:
            with path.open("rb") as raw, session_scope(engine) as session:
                _load_stream(session, _CountingReader(raw, progress), label or source, report)
        except OcdsFormatError as exc:
            raise LoadError(
                f"{label or source}: {exc}. No se cargó nada de este archivo."
            ) from exc
    report.seconds = time.perf_counter() - started
    return report


MAX_BAD_SHARE = 0.5


def _load_compranet(
    path: Path, engine: Engine | None, progress: Progress | None, source: str, report: LoadReport
) -> None:
    """Good rows in one transaction; refuse the file if half or more of its rows are unreadable."""
    report.kind = "compranet"
    try:
        good, bad = read_compranet(path)
    except CompranetFormatError as exc:
        raise LoadError(f"{source}: {exc}. No se cargó nada de este archivo.") from exc
    report.rows_read = len(good)
    report.bad_rows = [str(b) for b in bad]
    if len(bad) >= MAX_BAD_SHARE * (len(good) + len(bad)):
        raise LoadError(
            f"{source}: {len(bad)} de {len(good) + len(bad)} filas no se pudieron leer "
            f"(la primera, {bad[0]}); parece otro formato. No se cargó nada de este archivo."
        )
    if progress:
        progress(path.stat().st_size)
    touched: set[str] = set()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with session_scope(engine) as session:
        for start in range(0, len(good), BATCH):
            batch = [FoundRelease(r.release) for r in good[start : start + BATCH]]
            _store(session, batch, source, now, report, touched)
        report.processes = len(touched)
        rebuild_processes(session, sorted(touched), PackageInfo(publisher=COMPRANET_PUBLISHER))


def _load_stream(session: Session, handle: Any, source: str, report: LoadReport) -> None:
    info = PackageInfo()
    touched: set[str] = set()
    batch: list[FoundRelease] = []
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for found in read_releases(handle, info):
        batch.append(found)
        if len(batch) >= BATCH:
            _store(session, batch, source, now, report, touched)
            batch = []
    _store(session, batch, source, now, report, touched)
    report.linked_releases = info.linked_releases
    report.processes = len(touched)
    rebuild_processes(session, sorted(touched), info)


def _store(
    session: Session,
    batch: list[FoundRelease],
    source: str,
    now: dt.datetime,
    report: LoadReport,
    touched: set[str],
) -> None:
    if not batch:
        return
    R = ProcurementRelease
    keys = {(str(f.data["ocid"]), str(f.data["id"]), f.compiled): f for f in batch}
    report.duplicate_releases += len(batch) - len(keys)
    existing = set(
        session.execute(
            select(R.ocid, R.release_id, R.compiled).where(
                R.ocid.in_({k[0] for k in keys})
            )
        )
    )
    rows: list[dict[str, Any]] = []
    for key, found in keys.items():
        if key in existing:
            report.duplicate_releases += 1
            continue
        tags = found.data.get("tag")
        rows.append(
            {
                "ocid": key[0][:200],
                "release_id": key[1][:200],
                "compiled": key[2],
                "date": parse_date(found.data.get("date")),
                "tags": ",".join(text_of(t) for t in tags)[:300] if isinstance(tags, list) else "",
                "source": source[:1000],
                "raw_json": json.dumps(found.data, ensure_ascii=False, separators=(",", ":")),
                "loaded_at": now,
            }
        )
        touched.add(key[0][:200])
    if rows:
        session.execute(insert(R), rows)
        report.new_releases += len(rows)


def rebuild_processes(
    session: Session, ocids: list[str], info: PackageInfo | None = None
) -> None:
    """Recompute the search rows of these processes from their stored releases."""
    content = procurement_content()
    info = info or PackageInfo()
    item_keys: set[str] = set()
    for start in range(0, len(ocids), 200):
        chunk = ocids[start : start + 200]
        grouped: dict[str, list[tuple[bool, dt.datetime | None, dict[str, Any]]]] = defaultdict(list)
        R = ProcurementRelease
        for ocid, compiled, date, raw in session.execute(
            select(R.ocid, R.compiled, R.date, R.raw_json).where(R.ocid.in_(chunk)).order_by(R.id)
        ):
            grouped[ocid].append((compiled, date, json.loads(raw)))
        P = ProcurementProcess
        previous = {
            ocid: (publisher, url)
            for ocid, publisher, url in session.execute(
                select(P.ocid, P.publisher, P.source_url).where(P.ocid.in_(chunk))
            )
        }
        old_ids = select(P.id).where(P.ocid.in_(chunk)).scalar_subquery()
        session.execute(delete(ProcurementContract).where(ProcurementContract.process_id.in_(old_ids)))
        session.execute(delete(ProcurementParty).where(ProcurementParty.process_id.in_(old_ids)))
        session.execute(delete(P).where(P.ocid.in_(chunk)))
        for ocid in chunk:
            if ocid not in grouped:
                continue
            state, date = current_state(grouped[ocid])
            old_publisher, old_url = previous.get(ocid, ("", ""))
            row = describe_process(ocid, state, content, info.publisher or old_publisher, info.uri)
            if old_url and not row.source_url:
                row.source_url = old_url
            session.add(_process_model(row, state, date))
            item_keys.update(c.item_key for c in row.contracts if c.item_key)
        session.flush()
    update_medians(session, sorted(item_keys), content)


def _process_model(
    row: ProcessRow, state: dict[str, Any], date: dt.datetime | None
) -> ProcurementProcess:
    process = ProcurementProcess(
        ocid=row.ocid[:200],
        title=row.title,
        buyer_name=row.buyer_name[:500],
        method=row.method[:40],
        method_details=row.method_details[:500],
        method_rationale=row.method_rationale,
        tender_start=row.tender_start,
        tender_end=row.tender_end,
        emergency_reason=row.emergency_reason[:300],
        publisher=row.publisher[:500],
        source_url=row.source_url[:1000],
        date=date,
        state_json=json.dumps(state, ensure_ascii=False, separators=(",", ":")),
    )
    buyer_key = " ".join(
        normalize_words(name)
        for name, roles in row.parties.values()
        if roles & {"buyer", "procuringEntity"}
    )
    buyer_key = f"{buyer_key} {normalize_words(row.publisher)}"
    for c in row.contracts:
        supplier_keys = [normalize_words(n) for n in c.supplier_names]
        signed_early = bool(
            c.date_signed and row.tender_end and c.date_signed.date() < row.tender_end.date()
        )
        tender_days = (
            (row.tender_end.date() - row.tender_start.date()).days
            if row.tender_start and row.tender_end
            else None
        )
        process.contracts.append(
            ProcurementContract(
                ocid=row.ocid[:200],
                contract_id=c.contract_id[:200],
                title=c.title,
                buyer_name=row.buyer_name[:500],
                supplier_names=" | ".join(c.supplier_names),
                supplier_keys="|" + "|".join(supplier_keys) + "|" if supplier_keys else "",
                amount_cents=c.amount_cents,
                currency=c.currency,
                date_signed=c.date_signed,
                year=c.date.year if c.date else None,
                method=row.procedure,
                emergency=bool(row.emergency_reason),
                item_key=c.item_key,
                signed_before_tender_closed=signed_early,
                signed_early_known=bool(c.date_signed and row.tender_end),
                tender_days=tender_days,
                tenderers=row.tenderers,
                above_median=False,
                median_cents=None,
                source_url=(c.url or row.source_url)[:1000],
                subject_text=c.subject,
                search_text=" ".join([c.subject, buyer_key, *supplier_keys]),
            )
        )
    for key, (name, roles) in row.parties.items():
        process.parties.append(
            ProcurementParty(name=name[:500], name_key=key[:500], roles=",".join(sorted(roles))[:300])
        )
    return process


def update_medians(session: Session, item_keys: list[str], content: ProcurementContent) -> None:
    """Mark contracts whose amount is far above the median of the same item and currency."""
    C = ProcurementContract
    rule = content.median
    for start in range(0, len(item_keys), 500):
        chunk = item_keys[start : start + 500]
        groups: dict[tuple[str, str], list[tuple[int, int | None]]] = defaultdict(list)
        for cid, key, currency, cents in session.execute(
            select(C.id, C.item_key, C.currency, C.amount_cents).where(C.item_key.in_(chunk))
        ):
            groups[(key, currency)].append((cid, cents))
        changes: list[dict[str, Any]] = []
        for members in groups.values():
            amounts = [c for _, c in members if c is not None and c > 0]
            median = statistics.median(amounts) if len(amounts) >= rule.min_group else None
            for cid, cents in members:
                above = bool(median and cents is not None and cents >= rule.factor * median)
                changes.append(
                    {"id": cid, "above_median": above, "median_cents": round(median) if median else None}
                )
        if changes:
            session.execute(update(C), changes)


# ---------------------------------------------------------------- searching


@dataclass(frozen=True)
class SearchQuery:
    """What a citizen asked for, as filters. ``words`` is an AND of OR-groups of stems."""

    words: tuple[tuple[str, ...], ...] = ()
    word_labels: tuple[str, ...] = ()
    suppliers: tuple[str, ...] = ()
    supplier_labels: tuple[str, ...] = ()
    buyers: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    methods: tuple[str, ...] = ()
    emergency: bool = False
    order: str = "amount"

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> SearchQuery:
        data = json.loads(text)
        return cls(
            words=tuple(tuple(g) for g in data.get("words", [])),
            word_labels=tuple(data.get("word_labels", [])),
            suppliers=tuple(data.get("suppliers", [])),
            supplier_labels=tuple(data.get("supplier_labels", [])),
            buyers=tuple(data.get("buyers", [])),
            years=tuple(int(y) for y in data.get("years", [])),
            methods=tuple(data.get("methods", [])),
            emergency=bool(data.get("emergency", False)),
            order=str(data.get("order", "amount")),
        )

    @property
    def query_id(self) -> str:
        return hashlib.sha1(self.to_json().encode("utf-8")).hexdigest()[:10]

    def is_empty(self) -> bool:
        return not (
            self.words or self.suppliers or self.buyers or self.years or self.methods or self.emergency
        )


@dataclass
class ContractHit:
    ocid: str
    title: str
    buyer: str
    suppliers: str
    amount_cents: int | None
    currency: str
    date: dt.datetime | None
    method: str
    method_details: str
    url: str
    emergency_reason: str
    signed_early: bool
    above_median: bool
    median_cents: int | None
    tender_days: int | None = None
    short_tender: bool = False
    single_bid: bool = False


@dataclass
class SearchResult:
    query: SearchQuery
    count: int
    page: int
    totals: dict[str, int] = field(default_factory=dict)
    counts_by_currency: dict[str, int] = field(default_factory=dict)
    no_amount: int = 0
    direct: int = 0
    signed_early: int = 0
    above_median: int = 0
    hits: list[ContractHit] = field(default_factory=list)
    # Per flag (FLAGS): how many of these contracts have it, and on how many it could be computed;
    # ``loaded_known`` is the same over every loaded contract, out of ``loaded``.
    flagged: dict[str, int] = field(default_factory=dict)
    known: dict[str, int] = field(default_factory=dict)
    loaded: int = 0
    loaded_known: dict[str, int] = field(default_factory=dict)
    # More than SEARCH_CAP contracts matched: ``count`` is the cap, and the totals and flag counts
    # were not computed (the hits are still the largest or newest of all of them).
    capped: bool = False

    @property
    def has_more(self) -> bool:
        if self.capped:
            return len(self.hits) == PAGE_SIZE
        return (self.page + 1) * PAGE_SIZE < self.count


_FTS = table(SQLITE_FTS_TABLE, column("rowid"), column("search_text"), column("supplier_keys"))
_NOT_IN_PATTERN = str.maketrans("", "", "%_\\")  # LIKE wildcards and escape


def _contains(name: str, text: str, dialect: str) -> Any:
    """Contracts whose normalised column ``name`` contains ``text``, through the search index.

    The rule is the same substring match on both engines (so both give the same answers); the
    index differs: GIN trigram on PostgreSQL, the FTS5 trigram table on SQLite (which answers
    LIKE from its index for three characters or more, and scans for shorter text).
    """
    pattern = f"%{text.translate(_NOT_IN_PATTERN)}%"
    if dialect == "sqlite":
        return ProcurementContract.id.in_(select(_FTS.c.rowid).where(_FTS.c[name].like(pattern)))
    return getattr(ProcurementContract, name).like(pattern)


_WORDS = table(SEARCH_WORDS_TABLE, column("word", Text))


def _has_word_containing(texts: list[str]) -> Any:
    """PostgreSQL: contracts with a word that contains one of ``texts`` (none has a space).

    The same rule as LIKE '%text%' on search_text, answered by the vocabulary (its own trigram
    index) and the index of each contract's words (migration 0014_procurement_search_words).
    """
    words = select(
        func.coalesce(func.array_agg(_WORDS.c.word), literal_column("'{}'::text[]"))
    ).where(or_(*[_WORDS.c.word.like(f"%{t.translate(_NOT_IN_PATTERN)}%") for t in texts]))
    contract_words = func.string_to_array(ProcurementContract.search_text, " ", type_=ARRAY(Text))
    return contract_words.op("&&")(words.scalar_subquery())


def _group_condition(group: tuple[str, ...], dialect: str) -> Any:
    """One OR-group of stems: any of them inside the contract's search text."""
    if dialect != "postgresql":
        return or_(*[_contains("search_text", w, dialect) for w in group])
    single = [w for w in group if w.translate(_NOT_IN_PATTERN) and " " not in w]
    phrases = [_contains("search_text", w, dialect) for w in group if w not in single]
    return or_(*([_has_word_containing(single)] if single else []), *phrases)


def _supplier_condition(keys: tuple[str, ...], dialect: str) -> Any:
    """Contracts with one of these suppliers: ``|key|`` inside ``supplier_keys``.

    On PostgreSQL, the same rule as «key is one of the |-separated keys», answered by the index of
    the keys as an array (migration 0014_procurement_search_words) instead of trigrams.
    """
    plain = [k for k in keys if k and k == k.translate(_NOT_IN_PATTERN) and "|" not in k]
    if dialect != "postgresql" or not plain:
        return or_(*[_contains("supplier_keys", f"|{k}|", dialect) for k in keys])
    supplier_keys = func.string_to_array(ProcurementContract.supplier_keys, "|", type_=ARRAY(Text))
    by_array = supplier_keys.op("&&")(cast(array(plain), ARRAY(Text)))
    others = [_contains("supplier_keys", f"|{k}|", dialect) for k in keys if k not in plain]
    return or_(by_array, *others)


def _conditions(query: SearchQuery, dialect: str) -> list[Any]:
    C = ProcurementContract
    conds: list[Any] = []
    for group in query.words:
        conds.append(_group_condition(group, dialect))
    if query.suppliers:
        conds.append(_supplier_condition(query.suppliers, dialect))
    if query.buyers:
        conds.append(C.buyer_name.in_(query.buyers))
    if query.years:
        conds.append(C.year.in_(query.years))
    if query.methods:
        conds.append(C.method.in_(query.methods))
    if query.emergency:
        conds.append(C.emergency.is_(True))
    return conds


COMPETITIVE = ("open", "selective")


def _flag_expressions() -> dict[str, tuple[Any, Any]]:
    """Per flag: (the contract has it, the contract has the fields to compute it)."""
    C = ProcurementContract
    days = procurement_content().flag_rules["short_tender"].days or 0
    open_dated = and_(C.method == "open", C.tender_days.is_not(None))
    competitive = C.method.in_(COMPETITIVE)
    return {
        "short_tender": (and_(open_dated, C.tender_days < days), open_dated),
        "single_bid": (and_(competitive, C.tenderers == 1), and_(competitive, C.tenderers.is_not(None))),
        "signed_early": (C.signed_before_tender_closed.is_(True), C.signed_early_known.is_(True)),
        "above_median": (C.above_median.is_(True), C.median_cents.is_not(None)),
    }


def _count(expr: Any) -> Any:
    return func.coalesce(func.sum(case((expr, 1), else_=0)), 0)


_coverage_cache: dict[str, tuple[tuple[int, int], int, dict[str, int]]] = {}


def loaded_coverage(engine: Engine | None = None) -> tuple[int, dict[str, int]]:
    """(contracts loaded, per flag how many of them have the fields it needs); cached per load."""
    engine = engine or default_engine()
    key, version = str(engine.url), data_version(engine)
    cached = _coverage_cache.get(key)
    if cached and cached[0] == version:
        return cached[1], cached[2]
    exprs = _flag_expressions()
    with session_scope(engine) as session:
        total, *known = session.execute(
            select(func.count(ProcurementContract.id), *(_count(k) for _, k in exprs.values()))
        ).one()
    result = (int(total), {name: int(n) for name, n in zip(exprs, known, strict=True)})
    _coverage_cache[key] = (version, *result)
    return result


def _order(query: SearchQuery, dialect: str) -> list[Any]:
    """Largest (or newest) first, unknown last, then by id: the order the DESC indexes keep."""
    C = ProcurementContract
    column = C.date_signed if query.order == "date" else C.amount_cents
    # SQLite already puts NULL last in DESC order (and then uses the index); PostgreSQL is told.
    return [column.desc() if dialect == "sqlite" else column.desc().nulls_last(), C.id]


def _aggregates() -> list[Any]:
    """What a result reports over all its contracts, as SQL aggregates (see search)."""
    C = ProcurementContract
    return [
        func.count(C.id),
        func.count(C.amount_cents),
        func.sum(C.amount_cents),
        _count(C.method == "direct"),
        _count(C.signed_before_tender_closed.is_(True)),
        _count(C.above_median.is_(True)),
        *(_count(e) for pair in _flag_expressions().values() for e in pair),
    ]


# Per database: (data version, the aggregates grouped by what a search without words filters on).
_rollup_cache: dict[str, tuple[tuple[int, int], list[tuple[Any, ...]]]] = {}


def _rollup(engine: Engine) -> list[tuple[Any, ...]]:
    """(year, method, buyer, emergency, currency, *aggregates) groups; one scan per load."""
    key, version = str(engine.url), data_version(engine)
    cached = _rollup_cache.get(key)
    if cached and cached[0] == version:
        return cached[1]
    C = ProcurementContract
    keys = (C.year, C.method, C.buyer_name, C.emergency, C.currency)
    with session_scope(engine) as session:
        rows = [tuple(r) for r in session.execute(select(*keys, *_aggregates()).group_by(*keys)).all()]
    _rollup_cache[key] = (version, rows)
    return rows


RollupRow = tuple[Any, ...]


@dataclass
class _RollupIndex:
    """The rollup's groups by each thing a search filters on, and the sums of all of them."""

    version: tuple[int, int]
    everything: list[RollupRow]
    by: dict[str, dict[Any, list[RollupRow]]]


_rollup_index_cache: dict[str, _RollupIndex] = {}


def _column_sums(groups: Iterable[RollupRow]) -> list[RollupRow]:
    """(currency, *summed aggregates) per currency; sums in C (zip), not one group at a time."""
    by_currency: dict[str, list[list[Any]]] = defaultdict(list)
    for _year, _method, _buyer, _emergency, currency, *aggregates in groups:
        by_currency[currency].append(aggregates)
    return [
        (currency, *(sum(v or 0 for v in column) for column in zip(*rows, strict=True)))
        for currency, rows in by_currency.items()
    ]


def _rollup_index(engine: Engine) -> _RollupIndex:
    key, version = str(engine.url), data_version(engine)
    cached = _rollup_index_cache.get(key)
    if cached and cached.version == version:
        return cached
    rows = _rollup(engine)
    by: dict[str, dict[Any, list[RollupRow]]] = {name: defaultdict(list) for name in _DIMENSIONS}
    for row in rows:
        for i, name in enumerate(_DIMENSIONS):
            by[name][row[i]].append(row)
    index = _RollupIndex(version, _column_sums(rows), by)
    _rollup_index_cache[key] = index
    return index


_DIMENSIONS = ("year", "method", "buyer", "emergency")


def _from_rollup(query: SearchQuery, engine: Engine) -> list[RollupRow]:
    """The aggregates of a search with no words nor suppliers, from the rollup: the same sums
    the SQL would give (grouped sums add up), without scanning every matching contract. The
    groups come from the smallest of the lists the query's filters name (at a million contracts
    the rollup has thousands of groups)."""
    index = _rollup_index(engine)
    wanted: dict[str, set[Any]] = {
        name: set(values)
        for name, values in (
            ("year", query.years),
            ("method", query.methods),
            ("buyer", query.buyers),
            ("emergency", (True,) if query.emergency else ()),
        )
        if values
    }
    if not wanted:
        return index.everything
    candidates = min(
        (
            [row for value in values for row in index.by[name].get(value, [])]
            for name, values in wanted.items()
        ),
        key=len,
    )
    return _column_sums(
        row
        for row in candidates
        if all(row[_DIMENSIONS.index(name)] in values for name, values in wanted.items())
    )


def search(query: SearchQuery, page: int = 0, engine: Engine | None = None) -> SearchResult:
    """One page of contracts matching ``query``, with totals and flag counts over all of them.

    A search without words nor suppliers takes its totals from the per-load rollup. A word search
    reads the matching contracts once, through the search index, in a narrow form (amounts and
    flag fields, at most SEARCH_CAP + 1 of them), and adds them up and orders them here: one pass
    where a sum and a sorted page were two. With more than SEARCH_CAP matches it says so
    («más de …») and takes the page from the amount or date index instead.
    """
    engine = engine or default_engine()
    exprs = _flag_expressions()
    result = SearchResult(query=query, count=0, page=page)
    result.flagged = dict.fromkeys(exprs, 0)
    result.known = dict.fromkeys(exprs, 0)
    try:
        with session_scope(engine) as session:
            _limit_time(session, engine)
            if query.words or query.suppliers:
                _search_matches(session, query, page, engine, result)
            else:
                _add_up(result, _from_rollup(query, engine))
                # Nothing matches («adjudicaciones directas en 2020»): SQLite would walk the whole
                # amount index looking for a page (1.3 s at 100,000 contracts).
                result.hits = _page(session, query, page, engine) if result.count else []
    except OperationalError as exc:
        if _cancelled(exc):
            raise SearchTimeout(str(query.word_labels)) from exc
        raise
    result.loaded, result.loaded_known = loaded_coverage(engine)
    return result


def _limit_time(session: Session, engine: Engine) -> None:
    """PostgreSQL: give up after SEARCH_TIMEOUT_MS; no JIT (compiling a search's expressions took
    ~100 ms, more than running it) and no parallel workers (a parallel walk of the amount index
    read 45,000 rows for a page that one process finds after 240)."""
    if engine.dialect.name == "postgresql":
        session.execute(text(f"SET LOCAL statement_timeout = {int(SEARCH_TIMEOUT_MS)}"))
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


def _cancelled(exc: OperationalError) -> bool:
    """PostgreSQL's «canceling statement due to statement timeout» (SQLSTATE 57014)."""
    return getattr(exc.orig, "sqlstate", None) == "57014"


def _add_up(result: SearchResult, per_currency: Iterable[tuple[Any, ...]]) -> None:
    """Fold (currency, *_aggregates()) rows into the result's totals and flag counts."""
    names = list(result.flagged)
    for currency, n, with_amount, total, direct, early, above, *flags in per_currency:
        result.count += int(n)
        result.no_amount += int(n) - int(with_amount)
        result.direct += int(direct)
        result.signed_early += int(early)
        result.above_median += int(above)
        for i, name in enumerate(names):
            result.flagged[name] += int(flags[2 * i])
            result.known[name] += int(flags[2 * i + 1])
        if with_amount:
            key = currency or "?"
            result.totals[key] = result.totals.get(key, 0) + int(total or 0)
            result.counts_by_currency[key] = result.counts_by_currency.get(key, 0) + int(with_amount)


def _narrow_columns() -> tuple[Any, ...]:
    C = ProcurementContract
    return (
        C.id, C.amount_cents, C.currency, C.date_signed, C.method, C.tender_days, C.tenderers,
        C.signed_before_tender_closed, C.signed_early_known, C.above_median, C.median_cents,
    )


def _flags_of(row: Any, short_days: int) -> dict[str, tuple[bool, bool]]:
    """Per flag (has it, can be computed), the same rules as _flag_expressions in SQL."""
    open_dated = row.method == "open" and row.tender_days is not None
    competitive = row.method in COMPETITIVE
    return {
        "short_tender": (open_dated and row.tender_days < short_days, open_dated),
        "single_bid": (competitive and row.tenderers == 1, competitive and row.tenderers is not None),
        "signed_early": (bool(row.signed_before_tender_closed), bool(row.signed_early_known)),
        "above_median": (bool(row.above_median), row.median_cents is not None),
    }


def _search_matches(
    session: Session, query: SearchQuery, page: int, engine: Engine, result: SearchResult
) -> None:
    C = ProcurementContract
    dialect = engine.dialect.name
    if dialect == "postgresql":
        # Only through the search indexes: with a LIMIT and no ORDER BY the planner may otherwise
        # read the whole table hoping to meet the matches early, which is seconds when they are few.
        session.execute(text("SET LOCAL enable_seqscan = off"))
        session.execute(text("SET LOCAL enable_indexscan = off"))
    rows = session.execute(
        select(*_narrow_columns()).where(*_conditions(query, dialect)).limit(SEARCH_CAP + 1)
    ).all()
    if dialect == "postgresql":
        session.execute(text("SET LOCAL enable_seqscan = DEFAULT"))
        session.execute(text("SET LOCAL enable_indexscan = DEFAULT"))
    if len(rows) > SEARCH_CAP:
        result.capped = True
        result.count = SEARCH_CAP
        result.hits = _page(session, query, page, engine, walk_order_index=True)
        return
    short_days = procurement_content().flag_rules["short_tender"].days or 0
    per_currency: dict[str, list[int]] = {}
    for row in rows:
        sums = per_currency.setdefault(row.currency, [0] * (6 + 2 * len(result.flagged)))
        sums[0] += 1
        if row.amount_cents is not None:
            sums[1] += 1
            sums[2] += row.amount_cents
        sums[3] += row.method == "direct"
        sums[4] += bool(row.signed_before_tender_closed)
        sums[5] += bool(row.above_median)
        for i, (has, known) in enumerate(_flags_of(row, short_days).values()):
            sums[6 + 2 * i] += has
            sums[7 + 2 * i] += known
    _add_up(result, ((currency, *sums) for currency, sums in per_currency.items()))
    key = (lambda r: r.date_signed) if query.order == "date" else (lambda r: r.amount_cents)
    by_id = sorted(rows, key=lambda r: r.id)
    # value DESC NULLS LAST, id: the order _order() asks the database for (stable sort).
    ordered = sorted((r for r in by_id if key(r) is not None), key=key, reverse=True)
    ordered += [r for r in by_id if key(r) is None]
    wanted = [r.id for r in ordered[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]]
    if wanted:
        found = {
            c.id: _hit(c, details, reason)
            for c, details, reason in session.execute(
                select(C, ProcurementProcess.method_details, ProcurementProcess.emergency_reason)
                .join(ProcurementProcess, C.process_id == ProcurementProcess.id)
                .where(C.id.in_(wanted))
            ).all()
        }
        result.hits = [found[i] for i in wanted]


def _page(
    session: Session, query: SearchQuery, page: int, engine: Engine, walk_order_index: bool = False
) -> list[ContractHit]:
    """One page in the query's order, sorted by the database."""
    C, P = ProcurementContract, ProcurementProcess
    dialect = engine.dialect.name
    if walk_order_index and dialect == "postgresql":
        # More than SEARCH_CAP matches: walking the amount (or date) index and keeping the matches
        # finds a page after a few thousand rows, where reading every match and sorting them took
        # seconds. The planner cannot know the matches are many (it estimates one row for a words
        # condition), so it is left only the ordered index.
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            session.execute(text(f"SET LOCAL {setting} = off"))
    rows = session.execute(
        select(C, P.method_details, P.emergency_reason)
        .join(P, C.process_id == P.id)
        .where(*_conditions(query, dialect))
        .order_by(*_order(query, dialect))
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return [_hit(c, details, reason) for c, details, reason in rows]


def _hit(c: ProcurementContract, details: str, reason: str) -> ContractHit:
    return ContractHit(
        ocid=c.ocid,
        title=c.title,
        buyer=c.buyer_name,
        suppliers=c.supplier_names,
        amount_cents=c.amount_cents,
        currency=c.currency,
        date=c.date_signed,
        method=c.method,
        method_details=details,
        url=c.source_url,
        emergency_reason=reason if c.emergency else "",
        signed_early=c.signed_before_tender_closed,
        above_median=c.above_median,
        median_cents=c.median_cents,
        tender_days=c.tender_days,
        short_tender=bool(
            c.method == "open"
            and c.tender_days is not None
            and c.tender_days < (procurement_content().flag_rules["short_tender"].days or 0)
        ),
        single_bid=c.method in COMPETITIVE and c.tenderers == 1,
    )


def iter_all(query: SearchQuery, engine: Engine | None = None) -> Iterable[ContractHit]:
    """Every matching contract (up to CSV_MAX_ROWS), in the query's order."""
    C, P = ProcurementContract, ProcurementProcess
    engine = engine or default_engine()
    with session_scope(engine) as session:
        rows = session.execute(
            select(C, P.method_details, P.emergency_reason)
            .join(P, C.process_id == P.id)
            .where(*_conditions(query, engine.dialect.name))
            .order_by(*_order(query, engine.dialect.name))
            .limit(CSV_MAX_ROWS)
        ).all()
        return [_hit(c, details, reason) for c, details, reason in rows]


def conditions(query: SearchQuery, dialect: str) -> list[Any]:
    """The WHERE clauses of ``query`` (followers' new contracts use the same rule as search)."""
    return _conditions(query, dialect)


def hits_by_key(keys: Iterable[tuple[str, str]], engine: Engine | None = None) -> list[ContractHit]:
    """The contracts named by (ocid, contract id), with their flags, largest first."""
    C, P = ProcurementContract, ProcurementProcess
    wanted = set(keys)
    with session_scope(engine) as session:
        rows = session.execute(
            select(C, P.method_details, P.emergency_reason)
            .join(P, C.process_id == P.id)
            .where(C.ocid.in_(sorted({o for o, _c in wanted})))
        ).all()
        hits = [_hit(c, d, r) for c, d, r in rows if (c.ocid, c.contract_id) in wanted]
    return sorted(hits, key=lambda h: (-(h.amount_cents or 0), h.ocid))


# ---------------------------------------------------------------- saved queries


def save_query(query: SearchQuery, engine: Engine | None = None) -> str:
    """Store the query under its short id (idempotent) so buttons can refer to it."""
    qid = query.query_id
    try:
        with session_scope(engine) as session:
            if session.get(ProcurementQuery, qid) is None:
                session.add(
                    ProcurementQuery(
                        id=qid,
                        params_json=query.to_json(),
                        created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                    )
                )
    except IntegrityError:
        pass  # the same search saved at the same moment by another request: same row
    return qid


def saved_query(qid: str, engine: Engine | None = None) -> SearchQuery | None:
    with session_scope(engine) as session:
        row = session.get(ProcurementQuery, str(qid)[:16])
        return SearchQuery.from_json(row.params_json) if row else None


# ---------------------------------------------------------------- summaries and export


@dataclass
class DataSummary:
    releases: int
    processes: int
    contracts: int
    publishers: list[str]
    first_year: int | None
    last_year: int | None


def data_summary(engine: Engine | None = None) -> DataSummary:
    C, P = ProcurementContract, ProcurementProcess
    with session_scope(engine) as session:
        releases = session.scalar(select(func.count(ProcurementRelease.id))) or 0
        processes = session.scalar(select(func.count(P.id))) or 0
        contracts, first, last = session.execute(
            select(func.count(C.id), func.min(C.year), func.max(C.year))
        ).one()
        publishers = [
            p
            for (p, _) in session.execute(
                select(P.publisher, func.count(P.id))
                .where(P.publisher != "")
                .group_by(P.publisher)
                .order_by(func.count(P.id).desc(), P.publisher)
            ).all()
        ]
    return DataSummary(int(releases), int(processes), int(contracts or 0), publishers, first, last)


def top_buyers(limit: int = 3, engine: Engine | None = None) -> list[str]:
    """The buyers with most contracts (from the rollup: no scan of every contract per reply)."""
    counts: dict[str, int] = defaultdict(int)
    for _year, _method, buyer, _emergency, _currency, n, *_ in _rollup(engine or default_engine()):
        if buyer:
            counts[buyer] += int(n)
    return [name for name, _ in sorted(counts.items(), key=lambda bn: (-bn[1], bn[0]))[:limit]]


def data_version(engine: Engine | None = None) -> tuple[int, int]:
    """Changes whenever releases are loaded; caches of names key on it.

    Releases are only ever added, so the newest row (id and load time) says it; one primary-key
    lookup, where counting the rows took tens of milliseconds per search at a million releases.
    """
    pinned = _pinned_versions.get()
    key = str((engine or default_engine()).url)
    if pinned is not None and key in pinned:
        return pinned[key]
    R = ProcurementRelease
    with session_scope(engine) as session:
        newest = session.execute(select(R.id, R.loaded_at).order_by(R.id.desc()).limit(1)).first()
    version = (int(newest[0]), int(newest[1].timestamp() * 1e6)) if newest is not None else (0, 0)
    if pinned is not None:
        pinned[key] = version
    return version


_pinned_versions: ContextVar[dict[str, tuple[int, int]] | None] = ContextVar(
    "procurement_pinned_versions", default=None
)


@contextmanager
def one_data_version() -> Iterator[None]:
    """Within one reply, look the data version up once: understanding the text, the rollup, the
    coverage and the reply each asked for it, five round trips per search."""
    token = _pinned_versions.set({})
    try:
        yield
    finally:
        _pinned_versions.reset(token)


CSV_COLUMNS = [
    "ocid",
    "titulo",
    "comprador",
    "proveedor",
    "monto",
    "moneda",
    "fecha_firma",
    "tipo_procedimiento",
    "detalle_procedimiento",
    "posible_emergencia",
    "firmado_antes_de_cierre_licitacion",
    "monto_muy_superior_a_mediana",
    "mediana_mismo_articulo",
    "fuente",
]


def export_csv(query: SearchQuery, directory: Path, engine: Engine | None = None) -> tuple[Path, int]:
    """Write every matching contract to a CSV file (UTF-8 with BOM, opens well in Excel).

    Titles, names and links come from the publishers: a cell that a spreadsheet would run as a
    formula gets a leading apostrophe, as in the proposal exports.
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"contratos-{query.query_id}.csv"
    tmp = path.with_suffix(".tmp")
    count = 0
    with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for hit in iter_all(query, engine):
            count += 1
            writer.writerow(
                [
                    inert(hit.ocid),
                    inert(hit.title),
                    inert(hit.buyer),
                    inert(hit.suppliers),
                    f"{hit.amount_cents / 100:.2f}" if hit.amount_cents is not None else "",
                    inert(hit.currency),
                    hit.date.date().isoformat() if hit.date else "",
                    hit.method,
                    inert(hit.method_details),
                    inert(hit.emergency_reason),
                    "sí" if hit.signed_early else "no",
                    "sí" if hit.above_median else "no",
                    f"{hit.median_cents / 100:.2f}" if hit.median_cents else "",
                    inert(hit.url),
                ]
            )
    tmp.replace(path)
    return path, count


def contracts_with(ocids: Iterable[str], engine: Engine | None = None) -> dict[str, int]:
    """How many contract rows each process has (used by tests and the CLI summary)."""
    C = ProcurementContract
    with session_scope(engine) as session:
        return dict(
            session.execute(
                select(C.ocid, func.count(C.id)).where(C.ocid.in_(list(ocids))).group_by(C.ocid)
            ).all()
        )


__all__ = [
    "FLAGS",
    "LoadError",
    "LoadReport",
    "SearchQuery",
    "SearchResult",
    "bundled_files",
    "data_summary",
    "export_csv",
    "load_source",
    "save_query",
    "saved_query",
    "search",
]
