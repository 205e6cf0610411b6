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


def test_a_place_is_printed_as_coordinates() -> None:
    turn = Turn("", "buscar_centro_ubicacion", 1.0, False, [
        Reply("1. CJM Toluca", custom={"location": {"lat": 19.298452, "lon": -99.668661}}),
    ])
    text, _ = render(turn)
    assert text.splitlines() == ["1. CJM Toluca", "📍 19.298452, -99.668661"]


async def test_ubicacion_shares_a_location_through_the_core() -> None:
    import io

    from bot.channels.terminal import ask, shared_location
    from bot.conversation.core import ConversationCore

    assert shared_location("/ubicación 19.29, -99.65") == (19.29, -99.65)
    assert shared_location("/ubicacion en toluca") is None
    out = io.StringIO()
    core = ConversationCore(None, record_usage=False)  # no Rasa at all: not needed for this
    await ask(core, ["/ubicacion 19.293488 -99.657317"], None, as_json=False, out=out)
    assert "1. Centro de Justicia para las Mujeres Toluca — a 1.3 km" in out.getvalue()
    assert "📍 19.298452, -99.668661" in out.getvalue()


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


async def test_ubicacion_with_decimal_commas_or_no_numbers_is_understood() -> None:
    import io

    from bot.channels.terminal import ask, shared_location
    from bot.conversation.core import ConversationCore

    assert shared_location("/ubicacion 19,293488 -99,657317") == (19.293488, -99.657317)
    core = ConversationCore(None, record_usage=False)
    out = io.StringIO()
    await ask(core, ["/ubicacion 19,293488 -99,657317"], None, as_json=False, out=out)
    assert "1. Centro de Justicia para las Mujeres Toluca — a 1.3 km" in out.getvalue()
    for typed in ("/ubicacion", "/ubicación en Toluca"):
        out = io.StringIO()
        await ask(core, [typed], None, as_json=False, out=out)
        assert "No conozco el comando" not in out.getvalue()
        assert "Por ejemplo: /ubicacion 19.29 -99.65" in out.getvalue()


def test_the_centre_question_tells_how_to_share_a_location_in_the_terminal() -> None:
    from bot.conversation.core import ask_location_reply

    text, _ = render(Turn("", "buscar_centro", 1.0, False, [ask_location_reply()]))
    assert text.startswith("¿En qué municipio estás?")
    assert "comparte tu ubicación con /ubicacion y dos números" in text
    assert "/ubicacion 19.29 -99.65" in text
