"""Thoughts of suicide told calmly, hers or someone close's (bot/violence/crisis_talk.py)."""

from __future__ import annotations

import pytest

from bot.violence.crisis_talk import talks_of_dying


@pytest.mark.parametrize("text", [
    "mi primo anda diciendo que preferiria estar muerto, ya no sale de su cuarto",
    "una compañera del trabajo comenta que ya no le ve sentido a nada y que es una carga",
    "mi vecino se despidio de todos en el grupo y dice que ya no puede mas",
    "mi tio regalo todas sus herramientas y dice que pronto se va a morir, me da miedo",
    "no quiero seguir con mi vida, lo pienso todos los dias desde hace meses",
    "ultimamente tengo pensamientos de quitarme la vida y no se a quien contarle",
    "mi hija se corta las piernas y no me quiere decir por que",
    "el señor de la tienda dice que un dia de estos se tira del puente",
])
def test_a_thought_of_dying_is_the_crisis_line(text: str) -> None:
    assert talks_of_dying(text)


@pytest.mark.parametrize("text", [
    "me muero de risa con tus respuestas",
    "mi papa dice que se quiere morir cada vez que pierde su equipo",
    "mi hermana se despidio de todos porque se va a vivir a otra ciudad",
    "ya no quiero seguir con la propuesta, mejor la cancelo",
    "mi jefe dice que se va a matar trabajando si sigue asi",
    "quiero ser voluntaria en una linea para personas con pensamientos suicidas",
    "jajaja prefiero estar muerta que volver a presentar ese examen",
    "mi abuelito regalo sus gallinas a los vecinos porque se cambio de casa",
])
def test_figures_of_speech_and_plain_news_are_not(text: str) -> None:
    assert not talks_of_dying(text)
