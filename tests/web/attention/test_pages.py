"""/stl/atencion: the queue with waiting time and masked previews, a reply, closing, the badge."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.accounts import audit
from bot.attention import service
from bot.storage.db import session_scope
from bot.storage.models import AttentionMessage

SENDER = "tg-8801"


def opened(engine: Engine, *texts: str | None) -> int:
    request_id = service.open_request(SENDER, engine).request_id
    for text in texts:
        service.add_person_message(request_id, text, engine)
    return request_id


def test_a_reviewer_sees_the_queue_with_personal_data_masked(engine: Engine, reviewer: TestClient) -> None:
    request_id = opened(engine, "Necesito ayuda, mi teléfono es 722 123 4567 <script>x</script>")
    page = reviewer.get("/stl/atencion")
    assert page.status_code == 200
    assert f'href="/stl/atencion/{request_id}"' in page.text and "0 minutos" in page.text
    assert "722 123 4567" not in page.text and "&lt;script&gt;" in page.text
    assert 'id="atencion-badge">1' in page.text
    assert "Solicitudes: 1" in page.text
    home = reviewer.get("/stl").text
    assert "1</strong> solicitud de atención hoy" in home and "1</strong> abiertas" in home
    detail = reviewer.get(f"/stl/atencion/{request_id}")
    assert "722 123 4567" in detail.text, "the team reads the whole message to answer"


def test_withheld_messages_show_no_text(engine: Engine, reviewer: TestClient) -> None:
    request_id = opened(engine, None)
    assert "habla de violencia" in reviewer.get("/stl/atencion").text
    assert "su texto no se guardó" in reviewer.get(f"/stl/atencion/{request_id}").text


def test_reply_and_close(engine: Engine, reviewer: TestClient) -> None:
    request_id = opened(engine, "¿Me pueden ayudar?")
    sent = reviewer.post(f"/stl/atencion/{request_id}/responder",
                         data={"respuesta": "Claro, cuéntame", "csrf_token": reviewer.csrf})  # type: ignore[attr-defined]
    assert sent.status_code == 200 and "quedó en la cola" in sent.text and "Claro, cuéntame" in sent.text
    [outgoing] = service.pending_outgoing(engine=engine)
    assert outgoing.text == "Claro, cuéntame" and outgoing.address == SENDER
    empty = reviewer.post(f"/stl/atencion/{request_id}/responder",
                          data={"respuesta": "  ", "csrf_token": reviewer.csrf})  # type: ignore[attr-defined]
    assert empty.status_code == 400 and "Escribe una respuesta" in empty.text
    closed = reviewer.post(f"/stl/atencion/{request_id}/cerrar",
                           data={"nota": "Orientada", "csrf_token": reviewer.csrf})  # type: ignore[attr-defined]
    assert closed.status_code == 200 and "quedó cerrada" in closed.text
    assert "No hay conversaciones abiertas" in closed.text and "atencion-badge" not in closed.text
    assert service.open_request_id(SENDER, engine) is None
    late = reviewer.post(f"/stl/atencion/{request_id}/responder",
                         data={"respuesta": "¿Sigues ahí?", "csrf_token": reviewer.csrf})  # type: ignore[attr-defined]
    assert late.status_code == 409
    actions = [e.action for e in audit.events(target=f"A-{request_id}", engine=engine)]
    assert sorted(actions) == ["attention_close", "attention_reply"]


def test_without_csrf_nothing_is_sent(engine: Engine, reviewer: TestClient) -> None:
    request_id = opened(engine, "hola")
    response = reviewer.post(f"/stl/atencion/{request_id}/responder", data={"respuesta": "x"})
    assert response.status_code == 403
    with session_scope(engine) as session:
        assert session.scalars(select(AttentionMessage.author)).all() == ["person"]


def test_anonymous_is_sent_to_login_and_unknown_ids_are_404(anonymous: TestClient,
                                                            reviewer: TestClient) -> None:
    assert anonymous.get("/stl/atencion", follow_redirects=False).status_code in (302, 303, 307)
    assert reviewer.get("/stl/atencion/999999").status_code == 404
    assert reviewer.get("/stl/atencion/abc").status_code == 404
