"""Questions ABOUT danger that are not danger: the emergency lines and earthquakes (issue 14).

«¿Qué pasa si marco al 911 por error?», «¿en qué se diferencia el 911 del 089?», «¿cuándo es el
próximo simulacro?»: the word «911» made the core mark them sensitive, and the unsure path then
gave what to do when living violence, or the menu. They ask for information the bot only half
holds: what the lines are for (content/hotlines.yml, with its source) and nothing verified about
earthquakes. So the bot says what it knows, then the honest out-of-scope reply (the message is
re-stated as ``out_of_scope``, whose rule answers next). A question that names violence against
women, a figure, a contract or this bot is left to the paths that answer those.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.unsure_kinds import asks_for_data, looks_like_question
from actions.unsure_replies import restate_as
from bot.content.chat import chat_content
from bot.content.hotlines import hotlines
from bot.textnorm import normalize_words
from bot.violence.lexicon import clearly_violence, names_another_subject

OUT_OF_SCOPE_INTENT = "out_of_scope"
# The lines asked about (content/hotlines.yml ids), in the order they are told.
LINE_IDS = ("emergencias", "denuncia_anonima")
_LINES_RE = re.compile(r"\b(911|089|nueve once|numero de emergencias?|linea de emergencias?)\b")
_QUAKE_RE = re.compile(r"\b(sismos?|temblor(es)?|terremotos?|simulacros?|alerta sismica|alarma sismica"
                       r"|proteccion civil)\b")
# What the paths for violence answer («¿el 911 atiende violencia familiar?»), or this bot itself
# («¿cuándo les escribo a ustedes y cuándo al 911?»).
_ELSEWHERE_RE = re.compile(
    r"\b(violen\w*|mujer\w*|golpe\w*|pega\w*|acos\w*|abus\w*|maltrat\w*|pareja|esposo|marido|novio"
    r"|ustedes|este (chat|bot)|les escribo|contrat\w*|compr\w*|gast\w*|licit\w*"
    r"|propuesta\w*|propon\w*|empresa\w*|vendi\w*|proveedor\w*"
    # Or anything that may be danger the safety net did not see: the violence paths answer it.
    r"|vecin\w*|pele\w*|grit\w*|peligro|auxilio|amenaz\w*|ahorita|ahora mismo|urgente|arma\w*"
    r"|pistola|cuchillo|metieron|siguiendo|persigu\w*)\b")
# «que pasa si…», «es cierto que…»: asked, even without a question mark.
_ASKED_RE = re.compile(r"\b(que pasa si|es cierto|es verdad|para que (sirve|es|son)|sirve|funciona"
                       r"|cobra\w*|lo mismo|multa\w*|diferencia)\b")


def asks_about_lines_or_quakes(text: str) -> str | None:
    """``"lines"`` for a question about the 911 or the 089 themselves, ``"quakes"`` for one about
    earthquakes, drills or the seismic alert; None otherwise (or when another path answers it)."""
    words = normalize_words(text)
    lines, quakes = _LINES_RE.search(words), _QUAKE_RE.search(words)
    if not (lines or quakes):
        return None
    if not (looks_like_question(text) or _ASKED_RE.search(words)):
        return None  # «el sismo tiró la barda y nadie vino»: told, not asked
    if (_ELSEWHERE_RE.search(words) or clearly_violence(text) or names_another_subject(text)
            or asks_for_data(text)):
        return None
    return "lines" if lines else "quakes"


def lines_reply(dispatcher: CollectingDispatcher, kind: str, latest_message: dict[str, Any],
                user_event: dict[str, Any] | None) -> tuple[str, list[dict[str, Any]]]:
    """What the bot knows, with its source, then the out-of-scope reply (re-stated intent)."""
    if kind == "lines":
        chosen = [hotlines().by_id()[i] for i in LINE_IDS if i in hotlines().by_id()]
        text = chat_content().core_text(
            "about_emergency_lines", lines=hotlines().render(list(LINE_IDS)),
            source=chosen[0].source if chosen else "")
    else:
        text = chat_content().core_text("about_earthquakes")
    dispatcher.utter_message(text=text)
    return f"lookalike_{kind}", restate_as(OUT_OF_SCOPE_INTENT, latest_message, user_event)


# A film, a series, a song or a video game told about («la película me mató de susto», «en el free
# fire me mataron»), or a threat taken back as a joke («mi esposo me mata si ve la cuenta jajaja no
# es cierto»): the scary word is no violence lived, so no violence help.
_FICTION_RE = re.compile(
    r"\b(pelicula|peli|pelis|serie|novela|telenovela|cancion|corrido|videojuego|juego|jugando|free fire"
    r"|fortnite|minecraft|roblox|partida|personaje|caricatura|anime|libro de terror|de terror)\b")
_TAKEN_BACK_RE = re.compile(r"\b(no es cierto|es broma|es en broma|no es en serio|ya en serio|fuera de broma"
                            r"|nel|no te creas|no se crean)\b")
_LAUGH_RE = re.compile(r"\b(ja(ja)+\w*|je(je)+\w*|xd+|lol)\b|😂|🤣|😅|😆")
# Words of violence lived, which keep the violence paths whatever else the message says.
_LIVED_RE = re.compile(
    r"\b(violen\w*|golpe\w*|pega\w*|peg[oó]|abus\w*|acos\w*|viol[oa]\w*|maltrat\w*|ahorc\w*|encerr\w*"
    r"|encierr\w*|lastim\w*|insult\w*|humill\w*|cela\w*|controla\w*|miedo de (el|mi)|tengo miedo"
    r"|me (hizo|hace) dano|denunci\w*)\b")
# Someone real who may be at risk next to the fiction («se fue con un tipo que conoció en el
# juego»): the violence paths answer.
_SOMEONE_AT_RISK_RE = re.compile(
    r"\b(tiene miedo|tengo miedo|ayuda|auxilio|urgente|se fue con|se la llevo|conocio|cosas feas"
    r"|vivo|mi (hija|hermana|pareja|esposa|novia|novio|marido|ex|mama|sobrina|prima|amiga))\b")


def only_a_figure(text: str) -> bool:
    """Scary words that are fiction, a game or a joke taken back, and no violence lived in it."""
    words = normalize_words(text)
    if clearly_violence(text) or _LIVED_RE.search(words):
        return False
    if _FICTION_RE.search(words):
        return not _SOMEONE_AT_RISK_RE.search(words)
    return bool(_TAKEN_BACK_RE.search(words) and _LAUGH_RE.search(text.lower()))
