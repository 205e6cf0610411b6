"""Screenshots of the web app for docs/screenshots/: login, proposals, tree, dashboard, board, campaigns.

Builds a throw-away SQLite database with clearly fictional sample data (every commitment is
titled «Ejemplo»), serves the app on a loopback port and photographs it with Debian's
Chromium through Playwright, at desktop width and at a phone width.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tempfile
import uuid
from pathlib import Path

SAMPLES = [
    ("movilidad", "15106", "Toluca",
     "Los baches de la avenida principal dañan los coches y el transporte público",
     "Falta de mantenimiento; lluvias fuertes", "Accidentes. Más tiempo de traslado",
     "Bachear y dar mantenimiento cada año"),
    ("medio_ambiente", "15033", "Ecatepec de Morelos", "No pasa el camión de la basura desde hace un mes",
     "No hay horarios fijos; faltan camiones", "Malos olores y fauna nociva",
     "Horario fijo de recolección tres veces por semana"),
    ("seguridad", "15058", "Nezahualcóyotl", "Las calles de la colonia están oscuras por la noche",
     "Luminarias fundidas; nadie las repara", "Asaltos al salir del trabajo",
     "Reparar las luminarias y revisarlas cada mes"),
    ("corrupcion", "15057", "Naucalpan de Juárez", "Piden dinero extra para agilizar un trámite de licencia",
     "Trámites lentos; poca supervisión", "Desconfianza en el ayuntamiento",
     "Trámite en línea con tiempos públicos"),
    ("democracia", "15121", "Cuautitlán Izcalli", "No sabemos cuándo sesiona el cabildo ni qué decide",
     "No se publican las sesiones", "Poca participación", "Transmitir y publicar las sesiones de cabildo"),
    ("movilidad", "15104", "Tlalnepantla de Baz", "La ruta de combis cambia de horario sin avisar",
     "No hay reglas para las concesiones", "Llegamos tarde a la escuela",
     "Horarios publicados y supervisión"),
    ("medio_ambiente", "15106", "Toluca", "El río de la colonia huele mal y se desborda cuando llueve",
     "Descargas de drenaje al río", "Inundaciones en las casas cercanas",
     "Limpiar el cauce y separar el drenaje"),
    ("seguridad", "15033", "Ecatepec de Morelos", "No hay patrullaje cerca de la secundaria",
     "Pocas patrullas para toda la zona", "Robos a estudiantes", "Rondines a la entrada y salida de clases"),
]
STATUS_PATH = ["recibida", "en_revision", "turnada", "integrada"]


def fill(engine: object, seed: int = 7) -> None:
    """Sample proposals over four months, with history, adhesions, a group, notes and two commitments."""
    from sqlalchemy import update

    from bot.proposals import commitments, review
    from bot.proposals import service as proposals
    from bot.storage.db import session_scope
    from bot.storage.models import Adhesion, Proposal, StatusChange

    rng = random.Random(seed)
    today = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    folios: list[str] = []
    for i in range(48):
        theme, code, name, problem, causes, effects, solution = SAMPLES[i % len(SAMPLES)]
        p = proposals.submit(
            proposals.Draft(theme=theme, municipality_code=code, municipality=name, problem=problem,
                            causes=causes, effects=effects, affected="Las personas vecinas de la colonia",
                            solution=solution),
            intake_key=uuid.uuid4().hex, sender=f"ejemplo-{i}", channel="telegram", consent=i % 3 == 0,
            engine=engine,  # type: ignore[arg-type]
        )
        created = today - dt.timedelta(days=120 - i * 2.4, hours=rng.randint(0, 8))
        steps = rng.choice([1, 1, 2, 2, 3, 4]) if i < 44 else 1
        with session_scope(engine) as session:  # type: ignore[arg-type]
            session.execute(update(Proposal).where(Proposal.id == p.id).values(created_at=created))
            session.execute(update(StatusChange).where(StatusChange.proposal_id == p.id)
                            .values(created_at=created))
            moment = created
            for status in STATUS_PATH[1:steps]:
                moment += dt.timedelta(days=rng.randint(3, 12))
                if moment >= today:
                    break
                previous = session.get(Proposal, p.id)
                assert previous is not None
                session.add(StatusChange(proposal_id=p.id, from_status=previous.status, to_status=status,
                                         actor="ejemplo", note=None, created_at=moment))
                previous.status = status
            for k in range(rng.randint(0, 6)):
                session.add(Adhesion(proposal_id=p.id, supporter_key=f"apoyo-{i}-{k}",
                                     created_at=created + dt.timedelta(days=rng.randint(1, 20))))
        folios.append(p.folio or "")
    proposals.set_status(folios[-1], "no_procede", "ejemplo", note="No es competencia municipal.",
                         engine=engine)  # type: ignore[arg-type]
    proposals.mark_duplicate(folios[-2], folios[0], "ejemplo", engine=engine)  # type: ignore[arg-type]
    review.group(folios[0], "Baches en Toluca", "ejemplo", engine)  # type: ignore[arg-type]
    review.group(folios[8], "Baches en Toluca", "ejemplo", engine)  # type: ignore[arg-type]
    review.add_note(folios[0], "ejemplo", "Llamar a Obras Públicas para conocer el calendario.",
                    engine)  # type: ignore[arg-type]
    start = today.date() - dt.timedelta(days=60)
    first = commitments.save(commitments.CommitmentData(
        title="Ejemplo: calendario público de bacheo", theme="movilidad",
        description="Compromiso de ejemplo para mostrar el tablero (no es un compromiso real).",
        responsible="Ejemplo: Dirección de Obras Públicas", co_responsible="Ejemplo: colectivo vecinal",
        activities="Levantar el inventario de baches\nPublicar el calendario\nInformar cada mes",
        final_result="Calendario de bacheo publicado y cumplido",
        products="Inventario de baches\nCalendario publicado", indicators="Porcentaje de baches atendidos",
        verification="Informes mensuales publicados", start_date=start,
        end_date=start + dt.timedelta(days=240), progress=35, published=True), engine=engine)  # type: ignore[arg-type]
    commitments.link(first.id, folios[0], "ejemplo", engine)  # type: ignore[arg-type]
    commitments.save(commitments.CommitmentData(
        title="Ejemplo: sesiones de cabildo abiertas", theme="democracia",
        description="Compromiso de ejemplo (no es real).",
        responsible="Ejemplo: Secretaría del Ayuntamiento", co_responsible="Ejemplo: observatorio ciudadano",
        activities="Transmitir las sesiones\nPublicar actas", final_result="Sesiones públicas en línea",
        products="Actas publicadas", indicators="Sesiones transmitidas",
        verification="Enlaces a las transmisiones", start_date=start,
        end_date=start + dt.timedelta(days=180), progress=60, published=True),
        engine=engine)  # type: ignore[arg-type]


def fill_campaigns(engine: object) -> None:
    """Fictional subscribers (chat ids that do not exist), a finished campaign with its report, a draft."""
    from sqlalchemy import select, update

    from bot.campaigns import service as campaigns
    from bot.campaigns import subscriptions
    from bot.storage.db import session_scope
    from bot.storage.models import Campaign, Delivery

    towns = [("15106", "Toluca"), ("15033", "Ecatepec de Morelos"), ("15058", "Nezahualcóyotl")]
    for i in range(40):
        chat = 9_000_000 + i
        subscriptions.subscribe(chat, "convocatorias" if i % 4 else "gobierno_abierto", engine)  # type: ignore[arg-type]
        subscriptions.set_municipality(chat, *towns[i % 3], engine=engine)  # type: ignore[arg-type]
    done = campaigns.create(campaigns.CampaignDraft(
        title="Ejemplo: Semana de Gobierno Abierto", topic="convocatorias", created_by="editora",
        text="*Semana de Gobierno Abierto* 🗳️ del 1 al 5 de diciembre. Entrada libre.",
        button_text="Ver el programa", button_url="https://example.org/programa"), engine)  # type: ignore[arg-type]
    campaigns.start(done.id, engine)  # type: ignore[arg-type]
    with session_scope(engine) as session:  # type: ignore[arg-type]
        ids = list(session.scalars(select(Delivery.id).where(Delivery.campaign_id == done.id)))
        finished = campaigns.utcnow()
        session.execute(update(Delivery).where(Delivery.id.in_(ids[:-2]))
                        .values(state="sent", finished_at=finished))
        session.execute(update(Delivery).where(Delivery.id.in_(ids[-2:]))
                        .values(state="blocked", finished_at=finished))
        session.execute(update(Campaign).where(Campaign.id == done.id)
                        .values(started_at=finished - dt.timedelta(seconds=3)))
    campaigns.finish_if_complete(done.id, engine)  # type: ignore[arg-type]
    campaigns.create(campaigns.CampaignDraft(
        title="Ejemplo: mesa de cocreación en Toluca", topic="convocatorias", created_by="editora",
        municipalities=["Toluca"],
        text="Te invitamos a la *mesa de cocreación de movilidad* el sábado a las 10:00 en el "
             "Centro Cultural. Trae tus propuestas: _todas las voces cuentan_.\n\n"
             "Más información en [la página del programa](https://example.org/mesas).",
        button_text="Quiero participar", button_url="https://example.org/registro"), engine)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("PARTICIPA_SECRET_KEY", "screenshots-only")
        from playwright.sync_api import sync_playwright

        from bot.accounts import service as accounts
        from bot.rasa.servers import free_port
        from bot.storage.db import make_engine, upgrade
        from bot.web import create_app
        from bot.web.server import in_background

        url = f"sqlite:///{tmp}/shots.db"
        upgrade(url)
        engine = make_engine(url)
        fill(engine)
        fill_campaigns(engine)
        accounts.create_account("revisora", "una-contrasena-de-ejemplo", "admin", engine)
        args.out.mkdir(parents=True, exist_ok=True)
        with in_background(create_app(engine), free_port()) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--lang=es-MX"])
            for device, size in (("escritorio", {"width": 1280, "height": 900}),
                                 ("telefono", {"width": 390, "height": 844})):
                page = browser.new_page(viewport=size, device_scale_factor=1, locale="es-MX")
                page.goto(base + "/")
                shoot(page, args.out / f"tablero-publico-{device}.png", full_page=True)
                page.goto(base + "/login")
                shoot(page, args.out / f"login-{device}.png", full_page=False)
                page.fill("#usuario", "revisora")
                page.fill("#contrasena", "una-contrasena-de-ejemplo")
                page.click("button[type=submit]")
                page.wait_for_url(base + "/stl")
                shots = [("tablero-stl", "/stl"), ("propuestas", "/stl/propuestas?tema=movilidad"),
                         ("propuesta-arbol", "/stl/propuestas/" + page_folio(engine))]
                shots += [("campanas", "/stl/campanas"), ("campana-vista-previa", "/stl/campanas/2"),
                          ("campana-informe", "/stl/campanas/1")]
                if device == "escritorio":
                    shots.append(("compromiso", "/stl/compromisos/1"))
                for name, path in shots:
                    page.goto(base + path)
                    shoot(page, args.out / f"{name}-{device}.png", full_page=True)
                page.close()
            browser.close()
        engine.dispose()
    for png in sorted(args.out.glob("*.png")):
        print(f"{png}  {png.stat().st_size // 1024} KB")


def shoot(page: object, path: Path, full_page: bool) -> None:
    """A screenshot reduced to a 64-colour palette: the pages are flat colours, so it stays sharp."""
    from io import BytesIO

    from PIL import Image

    raw = page.screenshot(full_page=full_page)  # type: ignore[attr-defined]
    image = Image.open(BytesIO(raw)).convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    image.save(path, optimize=True)


def page_folio(engine: object) -> str:
    from sqlalchemy import select

    from bot.storage.db import session_scope
    from bot.storage.models import Proposal

    with session_scope(engine) as session:  # type: ignore[arg-type]
        return str(session.scalar(select(Proposal.folio).order_by(Proposal.id).limit(1)))


if __name__ == "__main__":
    main()
