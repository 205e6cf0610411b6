"""Privacy at scale, on SQLite and PostgreSQL: the retention purge, /mis_datos and /borrar.

- purge: 10,000 proposals (half closed a year ago, with consented contact and a notification)
  and 2,000 Rasa conversations of 12 events (half idle for 60 days); two purges run at once,
  which must remove each row exactly once between them.
- collect (/mis_datos) and erase (/borrar) for 200 people, each with 2 proposals, a contact
  and a 12-event conversation, among all the above: latency p50/p95 per person.

Usage: .venv/bin/python benchmarks/privacy.py [--proposals 10000] [--conversations 2000] [--people 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, insert  # noqa: E402

import bot.domains  # noqa: E402, F401  (every privacy provider registered)
from benchmarks.common import machine, on_both_databases, percentile, smoke, smoke_option, write_result  # noqa: E402
from bot.identity import person_key, telegram_sender  # noqa: E402
from bot.privacy import rights as privacy  # noqa: E402
from bot.privacy.purge import purge  # noqa: E402
from bot.storage import rasa_tracker  # noqa: E402
from bot.storage.db import make_engine, upgrade  # noqa: E402
from bot.storage.models import (  # noqa: E402
    Consent,
    Notification,
    Proposal,
    ProposalContact,
    StatusChange,
)

NOW = dt.datetime.now(dt.UTC).replace(tzinfo=None)


def tracker_for(engine: Engine) -> Engine:
    if engine.dialect.name == "sqlite":
        path = rasa_tracker.sqlite_tracker_path(engine.url.database)
        tracker = make_engine(f"sqlite:///{path}")
    else:
        tracker = engine
    rasa_tracker.metadata.create_all(tracker, checkfirst=True)
    return tracker


def fill(engine: Engine, tracker: Engine, proposals: int, conversations: int, people: int) -> list[str]:
    """Bulk rows shaped like the bot's; returns the senders of the ``people`` measured."""
    senders = [telegram_sender(7_000_000_000 + i) for i in range(proposals + people)]
    measured = senders[proposals:]
    authors = senders[:proposals] + [s for s in measured for _ in range(2)]
    with engine.begin() as conn:
        for start in range(0, len(authors), 2_000):
            batch = authors[start:start + 2_000]
            rows = []
            for offset, sender in enumerate(batch):
                index = start + offset
                closed = index < proposals and index % 2 == 0
                rows.append({
                    "folio": f"P-2025-{index + 1:06d}", "intake_key": uuid.uuid4().hex,
                    "author_key": person_key(sender), "channel": "telegram", "theme": "movilidad",
                    "municipality_code": "15106", "municipality": "Toluca",
                    "problem": "Baches en la avenida principal de la colonia", "causes": None,
                    "effects": None, "affected": None, "solution": "Bachear la avenida",
                    "status": "no_procede" if closed else "en_revision", "status_reason": None,
                    "created_at": NOW - dt.timedelta(days=400), "updated_at": NOW,
                })
            ids = [r.id for r in conn.execute(insert(Proposal).returning(Proposal.id), rows)]
            changes, consents, notes = [], [], []
            for proposal_id, row, sender in zip(ids, rows, batch, strict=True):
                changes.append({"proposal_id": proposal_id, "from_status": None, "to_status": row["status"],
                                "actor": "STL", "note": None, "created_at": NOW - dt.timedelta(days=365)})
                consents.append({"person_key": row["author_key"], "purpose": "contacto_propuesta",
                                 "notice_version": "2026-11-21", "granted_at": NOW, "revoked_at": None})
                notes.append({"channel": "telegram", "address": sender, "proposal_id": proposal_id,
                              "text": "Tu propuesta cambió de estado", "created_at": NOW,
                              "sent_at": NOW, "attempts": 1})
            conn.execute(insert(StatusChange), changes)
            consent_ids = [r.id for r in conn.execute(insert(Consent).returning(Consent.id), consents)]
            conn.execute(insert(ProposalContact), [
                {"proposal_id": p, "consent_id": c, "channel": "telegram", "address": s,
                 "contact_info": "persona@example.org"}
                for p, c, s in zip(ids, consent_ids, batch, strict=True)])
            conn.execute(insert(Notification), notes)
    now = time.time()
    events = []
    for i, sender in enumerate(senders[:conversations] + measured):
        at = now - (60 * 86_400 if i % 2 == 0 and i < conversations else 3_600)
        for n in range(12):
            kind = "user" if n % 2 else "bot"
            events.append({"sender_id": sender, "type_name": kind, "timestamp": at + n,
                           "intent_name": None, "action_name": None,
                           "data": json.dumps({"event": kind, "text": "mensaje", "timestamp": at + n})})
    with tracker.begin() as conn:
        for start in range(0, len(events), 5_000):
            conn.execute(insert(rasa_tracker.events), events[start:start + 5_000])
    return measured


def run(url: str, proposals: int, conversations: int, people: int) -> dict[str, object]:
    upgrade(url)
    engine = make_engine(url)
    tracker = tracker_for(engine)
    started = time.perf_counter()
    measured = fill(engine, tracker, proposals, conversations, people)
    fill_seconds = time.perf_counter() - started

    collect_ms, erase_ms = [], []
    for sender in measured:
        t0 = time.perf_counter()
        data = privacy.collect(sender, engine)
        t1 = time.perf_counter()
        report = privacy.erase(sender, engine)
        t2 = time.perf_counter()
        assert len(data["propuestas"]) == 2 and report.complete and report.counts.get("contactos") == 2
        collect_ms.append((t1 - t0) * 1000)
        erase_ms.append((t2 - t1) * 1000)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(lambda _: purge(months=6, tracker_days=30, engine=engine), range(2)))
    purge_seconds = time.perf_counter() - started
    engine.dispose()
    expected_contacts = (proposals + 1) // 2
    return {
        "proposals": proposals + 2 * people, "conversations": conversations + people,
        "fill_seconds": round(fill_seconds, 1),
        "collect_ms_p50": round(percentile(collect_ms, 0.5), 1),
        "collect_ms_p95": round(percentile(collect_ms, 0.95), 1),
        "erase_ms_p50": round(percentile(erase_ms, 0.5), 1),
        "erase_ms_p95": round(percentile(erase_ms, 0.95), 1),
        "purge_seconds_two_at_once": round(purge_seconds, 2),
        "contacts_purged": sum(r.contacts for r in reports),
        "contacts_expected": expected_contacts,
        "conversations_purged": sum(r.conversations for r in reports),
        "conversations_expected": (conversations + 1) // 2,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--conversations", type=int, default=2_000)
    parser.add_argument("--people", type=int, default=200)
    smoke_option(parser)
    args = parser.parse_args()
    if smoke(args):  # tiny sizes: CI checks that it runs
        args.proposals, args.conversations, args.people = 30, 10, 5
    results = on_both_databases(
        lambda url: run(url, args.proposals, args.conversations, args.people))
    ok = all(r["contacts_purged"] == r["contacts_expected"]
             and r["conversations_purged"] == r["conversations_expected"] for r in results.values())
    data = {"command": "python benchmarks/privacy.py", "results": results, "passed": ok,
            "machine": machine()}
    lines = [
        "# Privacidad: plazos, /mis_datos y /borrar",
        "",
        f"Comando: `{data['command']}` · {data['machine']['date']} · {data['machine']['cpus']} núcleos",
        "",
        "| base | propuestas | conversaciones | /mis_datos p50 / p95 (ms) | /borrar p50 / p95 (ms) "
        "| purga, dos a la vez (s) | contactos borrados | conversaciones borradas |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for backend, r in results.items():
        lines.append(
            f"| {backend} | {r['proposals']:,} | {r['conversations']:,} "
            f"| {r['collect_ms_p50']} / {r['collect_ms_p95']} | {r['erase_ms_p50']} / {r['erase_ms_p95']} "
            f"| {r['purge_seconds_two_at_once']} | {r['contacts_purged']:,} de {r['contacts_expected']:,} "
            f"| {r['conversations_purged']:,} de {r['conversations_expected']:,} |")
    lines += [
        "",
        "Cada persona medida tiene 2 propuestas con contacto y una conversación de 12 eventos, entre",
        "todas las demás filas. Las dos purgas corren a la vez: entre ambas borran cada fila una sola",
        "vez (la suma es la esperada). La máquina es compartida: los tiempos son orientativos.",
        "",
    ]
    write_result("privacy", data, "\n".join(lines))
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
