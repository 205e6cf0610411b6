"""A proposal's public record: only its author opts in, and it shows nothing about them."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.engine import Engine

from bot.proposals import commitments, public_record, review
from bot.proposals import service as svc


def _proposal(engine: Engine, author: str = "tg-800") -> str:
    draft = svc.Draft(theme="seguridad", municipality_code="15106", municipality="Toluca",
                      problem="Calle oscura; llámenme al 7221234567 o a ana@example.org",
                      causes=None, effects=None, affected=None, solution="Poner luminarias")
    proposal = svc.submit(draft, intake_key=uuid.uuid4().hex, sender=author, channel="telegram",
                          consent=True, contact_info="ana@example.org", engine=engine)
    assert proposal.folio
    return proposal.folio


def test_only_the_author_opts_in_and_nothing_shows_before(db_engine: Engine) -> None:
    folio = _proposal(db_engine)
    assert public_record.record(folio, db_engine) is None
    assert public_record.opt_in(folio, "tg-801", db_engine) == "not_author"
    assert public_record.opt_in("P-2026-999999", "tg-800", db_engine) == "not_found"
    assert public_record.record(folio, db_engine) is None
    assert public_record.opt_in(folio, "tg-800", db_engine) == "published"
    assert public_record.opt_in(folio, "tg-800", db_engine) == "already_published"
    assert public_record.record(folio, db_engine) is not None
    assert public_record.record("<script>", db_engine) is None


def test_the_record_is_anonymised_and_carries_the_stls_public_fields(db_engine: Engine) -> None:
    folio = _proposal(db_engine)
    public_record.opt_in(folio, "tg-800", db_engine)
    svc.adhere(folio, "tg-802", db_engine)
    svc.set_status(folio, "turnada", actor="stl", engine=db_engine)
    public_record.set_public_info(folio, "Se revisa en la mesa de seguridad", dt.date(2027, 2, 15),
                                  db_engine)
    review.group(folio, "Alumbrado", "revisora", db_engine)
    made = commitments.save(commitments.CommitmentData(
        title="Alumbrado en colonias (prueba)", theme="seguridad", responsible="Dirección de prueba",
        start_date=dt.date(2027, 1, 1), end_date=dt.date(2027, 6, 30), published=True), engine=db_engine)
    commitments.link(made.id, folio, "stl", db_engine)
    record = public_record.record(folio.lower(), db_engine)
    assert record is not None
    assert record.status_label == "Integrada en un compromiso"  # linking integrates it
    assert record.status_notes == "Se revisa en la mesa de seguridad"
    assert record.expected_date == dt.date(2027, 2, 15)
    assert record.group == "Alumbrado" and record.commitments == ["Alumbrado en colonias (prueba)"]
    assert record.adhesions == 1
    assert "7221234567" not in record.problem and "ana@example.org" not in record.problem
    assert [label for _, label in record.history] == ["Recibida", "Turnada a mesa de cocreación",
                                                    "Integrada en un compromiso"]
    assert public_record.published(engine=db_engine) == [(folio, "Seguridad", "Integrada en un compromiso")]
