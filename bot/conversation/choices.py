"""Words as good as buttons: the buttons last offered to each person, and what a typed word presses.

Every flow offers buttons (the proposal summary, the privacy and subscription questions, the
centre finder, "ver más"). People often type instead: the button's title ("corregir municipio"),
a yes or a no ("si, enviala", "nel"), or a correction in words ("cambia el municipio a …").
An ordinal picks a button by its place ("la segunda", "apoyo la 2"). The core remembers the
last buttons it sent to each person (:mod:`bot.conversation.offered` keeps them in the database,
so a restart or a second replica still knows them) and turns such a text into the button's
payload before anything else reads it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from bot.content.render import FOLLOWUP_RE
from bot.conversation.replies import Button, Reply
from bot.conversation.yesno import NO_HEADS, Answer, yes_no
from bot.textnorm import normalize_words

CONFIRM_PROPOSAL = "/confirmar_propuesta"
EDIT_PROPOSAL = "/editar_propuesta"
CANCEL_PROPOSAL = "/cancelar"
CONFIRM_CANCEL = "/cancelar_si"  # «Sí, cancelarla» (actions/proposal_form.py asks the question)
KEEP_PROPOSAL = "/seguir_propuesta"  # answered by the core: shows the kept summary again
SUPPORT_PROPOSAL = "/apoyar_propuesta"  # the similar proposals offered before saving one's own
SAVE_MINE = "/guardar_propuesta"
WHICH_ONE = "/cual_apoyar"  # answered by the core: "sí" with several proposals to support
# The custom key of a reply that carries what the person asked instead of the question pending
# («nel, mejor dime qué es X», then «sí» to cancelling): the core answers X in the same turn and
# never shows the key (actions/proposal_form.py sets it).
THEN = "then"
YES_PAYLOADS = frozenset({CONFIRM_PROPOSAL})
# «¿Quieres que te avise cuando cambie de estado? Toca «Avísame cómo va»»: a yes-no question whose
# only button has no «Sí» in its title; «simón» was read by the model instead (walk8). The payload
# is bot/proposals/follow_dialogue.py's ASK with its folio.
YES_PAYLOAD_STARTS = ("/avisame ",)
# ... and its «no» (no button for it): follow_dialogue.py's DECLINE, with the same folio.
NO_OF_YES_PAYLOAD = {"/avisame ": "/avisame_no "}
EDIT_VERBS = ("corregir", "corrige", "corrijo", "cambiar", "cambia", "cambiale", "cambio", "editar",
              "edita", "modificar", "modifica", "arreglar", "arregla", "esta mal", "no es", "poner",
              "pon", "ponle", "quiero cambiar")
VALUE_RE = r"\s+(?:a|por|es|sea|que sea|ahora es|ahora)\s+(?P<value>.+)$"
ORDINALS = {
    "primera": 1, "primero": 1, "primer": 1, "1": 1, "uno": 1, "1a": 1, "1o": 1,
    "segunda": 2, "segundo": 2, "2": 2, "dos": 2, "2a": 2, "2o": 2,
    "tercera": 3, "tercero": 3, "tercer": 3, "3": 3, "tres": 3, "3a": 3, "3o": 3,
    "cuarta": 4, "cuarto": 4, "4": 4, "cuatro": 4,
    "quinta": 5, "quinto": 5, "5": 5, "cinco": 5,
    "sexta": 6, "sexto": 6, "6": 6, "seis": 6,
    "ultima": -1, "ultimo": -1,
}
ORDINAL_FILLERS = frozenset({
    "la", "el", "opcion", "numero", "num", "no", "apoyo", "apoyar", "apoya", "quiero", "me", "gusta",
    "esa", "ese", "de", "del", "propuesta", "boton", "elijo", "escojo", "prefiero", "por", "favor",
    "a", "yo", "si", "mejor", "sumo", "sumarme", "adhiero", "adherirme", "va", "pues", "con",
})
SUPPORT_WORDS = frozenset({"apoyo", "apoyar", "apoyarla", "la", "esa", "quiero", "me", "sumo",
                           "sumarme", "adhiero", "adherirme", "a", "ella"})
MINE_WORDS = ("mia", "la mia", "otra", "guardar", "guarda", "guardala", "diferente", "distinta")
# ``/apoyar_propuesta P-2026-000123`` typed (or ``/apoyar_propuesta_P-…``, as a Telegram command
# cannot hold a space): the button's own payload, with the folio as its entity.
_TYPED_SUPPORT_RE = re.compile(r"^/apoyar(?:_propuesta)?(?:\s+|_)(?P<folio>[a-z]{1,4}-\d{4}-\d{4,8})\s*$",
                               re.IGNORECASE)


def typed_support(stripped: str) -> str | None:
    """The support button's payload for ``/apoyar_propuesta <folio>`` typed by hand; else None."""
    match = _TYPED_SUPPORT_RE.match(stripped)
    if match is None:
        return None
    return SUPPORT_PROPOSAL + '{"folio":"' + match.group("folio").upper() + '"}'


@dataclass
class Offer:
    """What a person was last offered: its buttons, and the proposal summary if it was one."""

    buttons: list[Button]
    summary: Reply | None = None  # kept in memory only: it holds the person's answers
    reminded: bool = field(default=False)
    summary_shown: bool = field(default=False)  # what survives a restart of the summary

    @property
    def at_summary(self) -> bool:
        return self.summary is not None or self.summary_shown

    @property
    def supports(self) -> list[Button]:
        """The «Apoyar …» buttons of the similar proposals offered before saving."""
        return [b for b in self.buttons if b.payload.startswith(SUPPORT_PROPOSAL)]


@dataclass
class Pressed:
    """A typed text read as a button: the payload, and a value to send right after it."""

    payload: str
    then: str | None = None


def meaning(button: Button) -> Answer | None:
    """Whether a button stands for "yes" ("Sí, acepto", "Enviar propuesta") or "no"."""
    if button.payload in YES_PAYLOADS or button.payload.startswith(YES_PAYLOAD_STARTS):
        return "yes"
    head = normalize_words(button.title).split()[:1]
    if head == ["si"]:
        return "yes"
    if head == ["no"]:
        return "no"
    return None


def _edit(buttons: list[Button], text: str) -> Pressed | None:
    """"corregir municipio", "cambia el municipio a …" → that field's «Corregir …» button."""
    words = normalize_words(text)
    if not any(words.startswith(v) or f" {v} " in f" {words} " for v in EDIT_VERBS):
        return None
    for button in buttons:
        if not button.payload.startswith(EDIT_PROPOSAL):
            continue
        label = button.title.split(" ", 1)[-1]
        if normalize_words(label) and f" {normalize_words(label)} " in f" {words} ":
            match = re.search(re.escape(label) + VALUE_RE, text, re.IGNORECASE)
            if match is None:
                match = re.search(re.escape(normalize_words(label)) + VALUE_RE, text, re.IGNORECASE)
            value = match.group("value").strip(" .,!¡") if match else None
            return Pressed(button.payload, value or None)
    return None


def nth(buttons: list[Button], text: str) -> Button | None:
    """"la segunda", "opción 2", "apoyo la 2" → that button; None when the text says more."""
    tokens = normalize_words(text).split()
    places = [ORDINALS[t] for t in tokens if t in ORDINALS]
    if len(places) != 1 or len(tokens) > 6 or not buttons:
        return None
    if any(t not in ORDINALS and t not in ORDINAL_FILLERS for t in tokens):
        return None
    place = places[0]
    if place == -1:
        return buttons[-1]
    return buttons[place - 1] if place <= len(buttons) else None


# Words around an option's name when it is typed: «la de violencia», «quiero el de contrataciones».
OPTION_FILLERS = frozenset({"de", "del", "la", "las", "los", "el", "lo", "y", "e", "a", "en", "sobre",
                            "tema", "temas", "noticias", "quiero", "me", "interesa", "esa", "ese",
                            "eso", "opcion", "porfa", "por", "favor", "pues", "mejor"})
TITLE_FILLERS = frozenset({"contra", "para", "con", "por"})  # «Violencia contra…» is no «contratos»
MAX_OPTION_WORDS = 6


# Lists whose options a person may type by name: choosing, never an action such as «Dejar: CFE»
# (typing «CFE» to search its contracts must not stop following it).
CHOOSABLE_COMMANDS = frozenset({"/suscribir_tema", "/solicitud_institucion", "/suscribir_municipio"})


def one_kind(buttons: list[Button]) -> bool:
    """A list of options of one kind («/suscribir_tema …» each): the same command, a value each."""
    commands = {b.payload.split(" ", 1)[0] for b in buttons}
    return len(buttons) >= 2 and len(commands) == 1 and commands <= CHOOSABLE_COMMANDS \
        and all(" " in b.payload.strip() for b in buttons)


def _word_in(typed: str, title_words: list[str]) -> bool:
    return any(typed == w or (len(typed) >= 4 and w.startswith(typed)) or
               (len(typed) >= 6 and w[:6] == typed[:6]) for w in title_words)


def named_option(buttons: list[Button], text: str) -> Button | None:
    """The one option whose name the words say («contrataciones» → «Contrataciones públicas»,
    «la de violencia» → «Violencia contra las mujeres»); None when none or several fit."""
    tokens = normalize_words(text).split()
    typed = [t for t in tokens if t not in OPTION_FILLERS]
    if not typed or len(tokens) > MAX_OPTION_WORDS:
        return None
    def title_words(button: Button) -> list[str]:
        return [w for w in normalize_words(button.title).split()
                if w not in OPTION_FILLERS and w not in TITLE_FILLERS]

    found = [b for b in buttons if all(_word_in(t, title_words(b)) for t in typed)]
    return found[0] if len(found) == 1 else None


def _similar(offer: Offer, text: str) -> Pressed | None:
    """Answers to "ya hay propuestas parecidas": which one to support, or save one's own."""
    supports = offer.supports
    words = normalize_words(text)
    picked = nth(supports, text)
    if picked is not None:
        return Pressed(picked.payload)
    for button in supports:  # the folio typed ("apoyo la PRO-2026-0001")
        folio = normalize_words(button.title.split(" ", 1)[-1])
        if folio and any(c.isdigit() for c in folio) and folio in words:
            return Pressed(button.payload)
    head = words.split()[:1]
    if head and head[0] in NO_HEADS and words not in {"no se", "no lo se"}:
        return Pressed(SAVE_MINE)  # "no", "no, la mía es otra"
    if any(f" {w} " in f" {words} " for w in MINE_WORDS):
        return Pressed(SAVE_MINE)
    rest = " ".join(t for t in words.split() if t not in SUPPORT_WORDS)
    if not rest or yes_no(rest) == "yes":  # "sí", "sí, la apoyo", "quiero apoyar"
        return Pressed(supports[0].payload if len(supports) == 1 else WHICH_ONE)
    return None


# «el segundo», «el 7», «ese» right after contract results (their «Descargar en CSV» button
# tells which search and page are on screen): that contract, answered by the core.
PICK_CONTRACT = "/ver_contrato"
CONTRACT_RESULTS = "/descargar_contratos{"
MORE_CONTRACTS = "/ver_mas_contratos{"
PICK_FILLERS = frozenset({"el", "la", "ese", "este", "esa", "esta", "mero", "contrato", "ver",
                          "quiero", "abre", "abrir", "abreme", "muestrame", "ensename", "dame",
                          "detalle", "detalles", "del", "de", "numero", "num", "no", "y", "me",
                          "lo", "porfa", "por", "favor", "a", "va", "pues", "opcion"})
THAT_ONE_WORDS = frozenset({"ese", "este", "esa", "esta"})
MAX_PICK_WORDS = 6


def _search_on_screen(buttons: list[Button]) -> tuple[str, int] | None:
    """The stored search and page of the contract results these buttons came with."""
    for button in buttons:
        if button.payload.startswith(CONTRACT_RESULTS):
            try:
                data = json.loads(button.payload.removeprefix(CONTRACT_RESULTS[:-1]))
                return str(data["q"]), int(data.get("p") or 0)
            except (ValueError, KeyError, TypeError):
                return None
    return None


def picked_result(buttons: list[Button], text: str) -> str | None:
    """The core's payload for one contract of the results on screen, or None."""
    on_screen = _search_on_screen(buttons)
    tokens = normalize_words(text).split()
    if on_screen is None or not tokens or len(tokens) > MAX_PICK_WORDS:
        return None
    numbers = [int(t) for t in tokens if t.isdigit()]
    words = [ORDINALS[t] for t in tokens if t in ORDINALS and not t.isdigit()]
    if any(not t.isdigit() and t not in ORDINALS and t not in PICK_FILLERS for t in tokens):
        return None
    if len(numbers) + len(words) > 1:
        return None
    if numbers:
        place, numbered = numbers[0], 1
    elif words:
        place, numbered = words[0], 0
    elif any(t in THAT_ONE_WORDS for t in tokens):
        place, numbered = 0, 0
    else:
        return None
    qid, page = on_screen
    return f"{PICK_CONTRACT} {qid} {page} {place} {numbered}"


# «el segundo», «la 2», «el lugar 3» right after a list of attention centres (its «Ver más lugares»
# button tells which list is on screen): that centre again, alone, answered by the core.
PICK_CENTRE = "/ver_centro"
CENTRES_MORE = "/mas_centros "
CENTRE_PICK_FILLERS = PICK_FILLERS | frozenset({"lugar", "centro", "unidad", "oficina", "quiero",
                                                "ir", "al", "voy", "mas", "cerca", "cercano"})


def picked_centre(buttons: list[Button], text: str) -> str | None:
    """The core's payload for one centre of the list on screen, or None."""
    more = next((b for b in buttons if b.payload.startswith(CENTRES_MORE)), None)
    tokens = normalize_words(text).split()
    if more is None or not tokens or len(tokens) > MAX_PICK_WORDS:
        return None
    if any(t not in ORDINALS and t not in CENTRE_PICK_FILLERS for t in tokens):
        return None
    places = [ORDINALS[t] for t in tokens if t in ORDINALS]
    if len(places) != 1:
        return None
    return f"{PICK_CENTRE} {places[0]} {more.payload[len(CENTRES_MORE):].strip()}"


# «¿a qué hora abren?», «¿tienen teléfono?», «¿cómo llego?» right after a list of centres: what
# the list already says, and where to confirm it (the directory answers; no Rasa, nothing kept).
ASK_CENTRES = "/centros_pregunta"
CENTRE_QUESTION_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("hours", frozenset({"hora", "horas", "horario", "horarios", "abren", "abre", "cierran",
                         "cierra", "atienden", "dias", "sabado", "sabados", "domingo",
                         "domingos", "fin"})),
    ("phone", frozenset({"telefono", "telefonos", "tel", "numero", "numeros", "cel", "celular",
                         "whatsapp", "llamar", "marcar", "contacto"})),
    ("way", frozenset({"llego", "llegar", "llegas", "ruta", "camion", "combi", "metro",
                       "mexibus", "queda", "ubicacion", "direccion", "mapa", "donde"})),
)
MAX_CENTRE_QUESTION_WORDS = 12


def asked_about_centres(buttons: list[Button], text: str) -> str | None:
    """The core's payload for a question about the list of centres on screen, or None."""
    more = next((b for b in buttons if b.payload.startswith(CENTRES_MORE)), None)
    tokens = normalize_words(text).split()
    if more is None or not tokens or len(tokens) > MAX_CENTRE_QUESTION_WORDS:
        return None
    for kind, words in CENTRE_QUESTION_WORDS:
        if any(t in words for t in tokens):
            return f"{ASK_CENTRES} {kind}"
    return None


# «otros», «hay más?», «siguientes» under a list that offers more of it (centres, contracts).
MORE_PAYLOADS = ("/mas_centros ", MORE_CONTRACTS)
MORE_WORDS = frozenset({"otro", "otros", "otra", "otras", "mas", "siguiente", "siguientes",
                        "demas"})
MORE_FILLERS = frozenset({"hay", "y", "ver", "dame", "muestrame", "ensename", "quiero", "los",
                          "las", "el", "la", "unos", "unas", "centros", "centro", "lugares",
                          "lugar", "contratos", "resultados", "opciones", "porfa", "por", "favor",
                          "tienes", "algun", "alguno", "alguna", "pues", "a", "de", "me"})
MAX_MORE_WORDS = 5


def more_button(buttons: list[Button], text: str) -> Button | None:
    """The «Ver más …» button a typed «otros», «hay más?», «otros centros» stands for."""
    tokens = normalize_words(text).split()
    if not tokens or len(tokens) > MAX_MORE_WORDS or not any(t in MORE_WORDS for t in tokens):
        return None
    if any(t not in MORE_WORDS and t not in MORE_FILLERS for t in tokens):
        return None
    return next((b for b in buttons if b.payload.startswith(MORE_PAYLOADS)), None)


def press(offer: Offer, text: str) -> Pressed | None:
    """The button a typed text stands for, or None (then the text goes on as it is)."""
    words = normalize_words(text)
    if not words:
        return None
    for button in offer.buttons:
        if normalize_words(button.title) == words:
            return Pressed(button.payload)
    if offer.supports:
        return _similar(offer, text)
    contract = picked_result(offer.buttons, text)
    if contract is not None:
        return Pressed(contract)
    centre = picked_centre(offer.buttons, text)
    if centre is not None:
        return Pressed(centre)
    about = asked_about_centres(offer.buttons, text)
    if about is not None:
        return Pressed(about)
    more = more_button(offer.buttons, text)
    if more is not None:
        return Pressed(more.payload)
    if all(not b.payload.startswith("/") for b in offer.buttons):
        # Only a list of options (themes, municipalities): elsewhere "el segundo" means the
        # second item of the text (a contract, a centre), not the second button.
        picked = nth(offer.buttons, text)
        if picked is not None:
            return Pressed(picked.payload)
    elif one_kind(offer.buttons):
        # Topics to subscribe to, institutions to choose: by place or by name, typed.
        picked = nth(offer.buttons, text) or named_option(offer.buttons, text)
        if picked is not None:
            return Pressed(picked.payload)
    else:
        # A choice among actions («Agregar: Violencia…», «Dejar: Contrataciones…»): a name picks
        # only a choice, and only when no other button fits it.
        picked = named_option(offer.buttons, text)
        if picked is not None and picked.payload.split(" ", 1)[0] in CHOOSABLE_COMMANDS:
            return Pressed(picked.payload)
    answer = yes_no(text)
    if answer is not None:
        for button in offer.buttons:
            if meaning(button) == answer:
                return Pressed(button.payload)
        if answer == "no":  # «nel» to a question whose only button is the yes
            for button in offer.buttons:
                for start, declined in NO_OF_YES_PAYLOAD.items():
                    if button.payload.startswith(start):
                        return Pressed(declined + button.payload[len(start):])
    if offer.at_summary:
        return _edit(offer.buttons, text)
    return None


def after_an_answer(offer: Offer) -> bool:
    """The offer is an FAQ answer's buttons («Más detalles», «Fuentes», topics): no yes-no
    question is pending, so a bare «ándale» or «va» is an ok, a thanks (turn8)."""
    return (not offer.at_summary and any(FOLLOWUP_RE.match(b.payload) for b in offer.buttons)
            and all(meaning(b) is None for b in offer.buttons))
