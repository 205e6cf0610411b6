from bot.channels.terminal import render, resolve_input
from bot.conversation.replies import Button, Reply, Turn


def _turn() -> Turn:
    return Turn(
        "hola",
        "greet",
        1.0,
        False,
        [
            Reply("¡Hola!", [Button("Uno", "/uno"), Button("Dos", "/dos")]),
            Reply("Otra", [Button("Tres", "/tres")]),
        ],
    )


def test_buttons_are_numbered_across_replies() -> None:
    text, buttons = render(_turn())
    assert "[1] Uno" in text and "[3] Tres" in text
    assert [b.payload for b in buttons] == ["/uno", "/dos", "/tres"]


def test_a_number_presses_the_button_and_other_text_passes() -> None:
    _, buttons = render(_turn())
    assert resolve_input("2", buttons) == "/dos"
    assert resolve_input("9", buttons) == "9"
    assert resolve_input("que es el stl", buttons) == "que es el stl"


def test_json_shape_matches_the_contract() -> None:
    data = _turn().to_json()
    assert set(data) == {"text", "intent", "confidence", "emergency", "replies"}
    assert data["replies"][0] == {
        "text": "¡Hola!",
        "buttons": [{"title": "Uno", "payload": "/uno"}, {"title": "Dos", "payload": "/dos"}],
    }


def test_a_document_reply_prints_where_the_file_is() -> None:
    turn = Turn(
        "csv",
        "descargar_contratos",
        0.9,
        False,
        [
            Reply("Aquí está el archivo CSV"),
            Reply("", custom={"document": {"filename": "contratos-ab.csv", "path": "/tmp/contratos-ab.csv"}}),
        ],
    )
    text, _ = render(turn)
    assert "📎 contratos-ab.csv: /tmp/contratos-ab.csv" in text
