"""«Avísame de los contratos nuevos de la Secretaría de Salud»: following, in the core, no Rasa.

Recognised before Rasa (so no NLU retraining, and it works with Rasa down):

- plain words: a follow verb («avísame», «sígueme», «quiero seguir», «notifícame»…) and the word
  «contratos», naming one buyer or supplier the loaded data knows;
- a follow verb said to the bot and nothing but one such name («sígueme avisando de Diconsa»):
  the name alone says it is about contracts (checked against the loaded names, so «avísame de
  los talleres» stays with the subscriptions);
- (naming nobody, «avísenme cuando suban contratos nuevos» is left to the subscriptions);
- ``/seguir <nombre>``; the «Seguir a …» button under a search for one buyer or supplier
  (``/seguir_q <id de búsqueda>``);
- ``/mis_seguimientos`` (what this chat follows, with a button to stop each one) and
  ``/dejar_de_seguir <n>``.

Nothing is stored before «Sí, acepto» under the privacy notice (``/seguir_acepto <id>``); the
id is a saved search (public names only, never the message). Every payload is safe to repeat.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from bot.conversation.replies import Button, Reply
from bot.i18n import _, format_day
from bot.identity import telegram_chat_id
from bot.procurement import follows
from bot.procurement import service as svc
from bot.procurement.text import name_index, understand
from bot.textnorm import normalize_words

log = logging.getLogger(__name__)

FOLLOW = "/seguir"
FOLLOW_SEARCH = "/seguir_q"
ACCEPT = "/seguir_acepto"
DECLINE = "/seguir_no"
LIST = "/mis_seguimientos"
STOP = "/dejar_de_seguir"
_STOP_WORDS = "dejar de seguir (en palabras)"  # internal: «deja de seguir a la CFE»
COMMANDS = frozenset({FOLLOW, FOLLOW_SEARCH, ACCEPT, DECLINE, LIST, STOP})

# After normalize_words (lower case, no accents). The verb first, «contratos» somewhere after.
_VERB = (r"(?:por favor |oye |hola )?(?:quiero que )?(?:me )?(?:avisame|avisenme|avises|avisen|"
         r"notificame|notifiquenme|sigueme|siganme|quiero seguir|puedo seguir|seguir|sigue)\b"
         r"(?! buscando| viendo)")
# «Mándame los contratos de…» is a search; with «nuevos» it asks for the next ones.
_SEND = r"(?:por favor )?(?:quiero recibir|mandame|manden(?:me)?)\b(?=.*\bnuev[oa]s?\b)"
FOLLOW_WORDS = re.compile(rf"(?:{_VERB}|{_SEND}).*\bcontrat\w*\b")
# «Sígueme avisando de Diconsa»: a verb said to the bot, then (in handle) only a known name.
_NAMED_VERB = re.compile(
    r"(?:por favor |oye |hola )?(?:quiero que )?(?:me )?(?:avisame|avisenme|notificame|"
    r"notifiquenme|sigueme|siganme|quiero seguir|puedo seguir)"
    r"(?: (?:avisando|notificando|informando))?(?: (?:de|del|sobre|a|al)\b|$)")
# What is left of the sentence once the follow words are gone, for the name matcher.
_NOISE = re.compile(r"\b(?:por favor|oye|hola|quiero que|quiero|puedo|me|avisame|avisenme|avises|"
                    r"avisen|notificame|notifiquenme|sigueme|siganme|seguir|sigue|recibir|"
                    r"mandame|manden|mandenme|cuando|haya|hay|salgan|los|las|de|del|la|el|"
                    r"contratos?|nuevos?|nuevas?|avisos?|a|al|avisando|notificando|informando|sobre|"
                    r"alertas?|suban|suben|publiquen|carguen|aparezcan|aqui|por|ustedes|"
                    r"salga|salgan|sale|algo|novedad|novedades|mas|que|si|"
                    # politeness and the kind of contract are no party's name (prop12)
                    r"noticias?|porfa|porfis|plis|pls|x fa|fa|favor|gracias|emergencias?|"
                    r"adjudicaciones?|directas?|licitaciones?)\b")
# «Deja de seguir a la CFE», «ya no me avises de los contratos de la CFE», «ya no quiero seguir a
# la CFE» (someone named after «a»/«al», or contracts; «ya no quiero seguir así» and the like are
# for the safety net, which reads every message first).
UNFOLLOW_WORDS = re.compile(
    r"(?:por favor )?(?:ya )?(?:deja|dejen|dejar|quiero dejar) de (?:seguir|avisarme|notificarme)\b|"
    r"(?:por favor )?ya no (?:me )?(?:avises|avisen|notifiques|notifiquen|sigas|sigan)\b(?=.*\bcontrat)|"
    r"(?:por favor )?(?:ya )?no quiero seguir(?:le)? (?:al?|a la|a los|a las) "
    r"(?!(?:mi|mis|tu|tus|su|sus)\b)\w|"
    r"(?:por favor )?(?:ya )?no quiero seguir\b(?=.*\bcontrat)")
_UNFOLLOW_NOISE = re.compile(r"\b(?:por favor|ya|no|deja|dejen|dejar|quiero|de|seguir|avisarme|"
                             r"notificarme|me|avises|avisen|notifiques|notifiquen|sigas|sigan|los|"
                             r"las|la|el|del|a|al|contratos?|nuevos?)\b")
MAX_CHARS = 300

Answer = tuple[str, list[Reply]]


def is_follow_request(stripped: str) -> bool:
    """Plain words asking to be told of a buyer's or supplier's new contracts."""
    return len(stripped) <= MAX_CHARS and bool(FOLLOW_WORDS.match(normalize_words(stripped)))


def may_name_whom_to_follow(stripped: str) -> bool:
    """«Sígueme avisando de Diconsa»: a follow verb without «contratos»; whether what follows is
    one known name is for :meth:`FollowDialogue.names_one_party` (it needs the loaded data)."""
    words = normalize_words(stripped)
    return (len(stripped) <= MAX_CHARS and bool(_NAMED_VERB.match(words))
            and not FOLLOW_WORDS.match(words) and not UNFOLLOW_WORDS.match(words))


def is_unfollow_request(stripped: str) -> bool:
    """Plain words asking to stop following someone («deja de seguir a la CFE»)."""
    return len(stripped) <= MAX_CHARS and bool(UNFOLLOW_WORDS.match(normalize_words(stripped)))


def _name_part(text: str) -> str:
    return " ".join(_NOISE.sub(" ", normalize_words(text)).split())


def _notice(label: str) -> str:
    return _("Aviso de privacidad simplificado: si aceptas, guardaremos el identificador de este "
             "chat de Telegram y a quién sigues ({name}), solo para avisarte aquí cuando carguemos "
             "contratos nuevos suyos. No lo usaremos para nada más ni lo compartiremos. Lo "
             "borramos al momento con /baja o /borrar. Aviso completo: /privacidad.").format(
                 name=label)


class FollowDialogue:
    def __init__(self, engine: Engine | None, menu: Callable[[], list[Button]]) -> None:
        self.engine = engine
        self.menu = menu

    @staticmethod
    def is_mine(stripped: str) -> bool:
        if stripped.startswith("/"):
            return stripped.split(" ", 1)[0].lower() in COMMANDS
        return is_follow_request(stripped) or is_unfollow_request(stripped)

    async def _db(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(fn, *args, self.engine)

    def _reply(self, text: str, buttons: list[Button] | None = None) -> Reply:
        return Reply(text=text, buttons=buttons if buttons is not None else self.menu())

    def names_one_party(self, stripped: str) -> bool:
        """The words after the verb are one buyer or supplier of the loaded data and nothing
        else («Diconsa», not «los talleres de Neza»). False when the data cannot be read."""
        name = _name_part(stripped)
        if not name:
            return False
        try:
            query, leftover = understand(name, self.engine)
        except Exception as exc:  # storage down: the message goes on to the next handler
            log.warning("follows.names_unavailable", extra={"error": type(exc).__name__})
            return False
        return follows.Target.of(query) is not None and not leftover and not query.words

    async def handle(self, sender: str, stripped: str) -> Answer | None:
        """The answer to a follow command, payload or request in words; else None."""
        if not self.is_mine(stripped) and not (
                may_name_whom_to_follow(stripped)
                and await asyncio.to_thread(self.names_one_party, stripped)):
            return None
        if not stripped.startswith("/") and is_follow_request(stripped) and not _name_part(stripped):
            # «Mándame alertas cuando suban contratos nuevos»: nobody named, so the news of the
            # contracts topic (the subscriptions, next), not one buyer's or supplier's follow.
            return None
        command, _sep, argument = stripped.partition(" ")
        if not stripped.startswith("/"):
            command = _STOP_WORDS if is_unfollow_request(stripped) else FOLLOW
        command = command.lower()
        argument = argument.strip() if stripped.startswith("/") else stripped
        chat_id = telegram_chat_id(sender)
        if chat_id is None and command in (_STOP_WORDS, STOP, LIST):
            return "dejar_de_seguir_fuera_de_telegram", [self._reply(_(
                "Seguir a una institución o empresa solo se puede en Telegram, así que aquí no "
                "sigues a ninguna institución ni empresa y no hay nada que dejar. Si sigues alguna "
                "en Telegram, escribe /mis_seguimientos en el chat de Participa para dejarla."))]
        if chat_id is None:
            return "seguir_fuera_de_telegram", [self._reply(_(
                "Los avisos de contratos nuevos llegan por Telegram: pídemelo en el chat de "
                "Participa en Telegram."))]
        try:
            return await self._dispatch(command, argument, chat_id)
        except Exception as exc:  # storage down: say so, lose nothing
            log.error("follows.failed", extra={"error": type(exc).__name__})
            return "seguir_error", [self._reply(_(
                "No pude guardar tu seguimiento en este momento. Intenta de nuevo en unos "
                "minutos; no se guardó nada."))]

    async def _dispatch(self, command: str, argument: str, chat_id: int) -> Answer:
        if command == FOLLOW:
            return await self._ask(argument)
        if command == FOLLOW_SEARCH:
            query = await self._db(svc.saved_query, argument[:16])
            target = follows.Target.of(query) if query is not None else None
            return await self._confirm(target)
        if command == ACCEPT:
            query = await self._db(svc.saved_query, argument[:16])
            target = follows.Target.of(query) if query is not None else None
            if target is None:
                return await self._confirm(None)
            outcome = await self._db(follows.follow, chat_id, target)
            if outcome == "full":
                return "seguir_lleno", [self._reply(_(
                    "Ya sigues {n} instituciones o empresas, el máximo. Deja alguna con "
                    "/mis_seguimientos y vuelve a intentarlo.").format(n=follows.MAX_FOLLOWS))]
            if outcome == "already":
                return "seguir_ya", [self._reply(_(
                    "Ya sigues a {name}: te aviso aquí cuando carguemos contratos nuevos "
                    "suyos.").format(name=target.label))]
            return "seguir_listo", [self._reply(_(
                "Listo: te aviso aquí cuando carguemos contratos nuevos de {name}, con sus señales "
                "para revisar. Lo que sigues: /mis_seguimientos. Para dejar de recibirlos: "
                "/baja.").format(name=target.label))]
        if command == DECLINE:
            return "seguir_no", [self._reply(_(
                "Entendido, no guardé nada. Si cambias de opinión, escribe «/seguir» y el nombre "
                "de la institución o la empresa."))]
        if command == STOP:
            return await self._stop(chat_id, argument)
        if command == _STOP_WORDS:
            return await self._stop_named(chat_id, argument)
        return await self._list(chat_id)

    async def _ask(self, argument: str) -> Answer:
        name = _name_part(argument)
        if not name:
            return "seguir_sin_nombre", [self._reply(_(
                "¿A quién quieres seguir? Escribe «/seguir» y el nombre de la institución "
                "(quien compra) o de la empresa (quien vende), por ejemplo: /seguir Secretaría "
                "de Salud."))]
        query, _leftover = await asyncio.to_thread(understand, name, self.engine)
        return await self._confirm(follows.Target.of(query), name)

    async def _confirm(self, target: follows.Target | None, typed: str = "") -> Answer:
        if target is None:
            buttons = await asyncio.to_thread(self._suggestions, typed)
            return "seguir_no_encontrado", [self._reply(_(
                "No encontré esa institución o empresa en los contratos cargados, o encontré "
                "varias. Escribe su nombre como aparece en una búsqueda, por ejemplo: /seguir "
                "Secretaría de Salud."), buttons or None)]
        qid = await self._db(svc.save_query, target.query())
        return "seguir_aviso", [Reply(text=_notice(target.label), buttons=[
            Button(_("Sí, acepto"), f"{ACCEPT} {qid}"), Button(_("No, gracias"), DECLINE)])]

    def _suggestions(self, typed: str) -> list[Button]:
        """«¿Quisiste decir…?»: names that look like what was typed, each a «Seguir» button."""
        buttons: list[Button] = []
        for name in name_index(self.engine).suggestions(typed) if typed else []:
            target = follows.Target(follows.BUYER if name.kind == "buyer" else follows.SUPPLIER,
                                    name.display if name.kind == "buyer" else name.key,
                                    name.display)
            qid = svc.save_query(target.query(), self.engine)
            buttons.append(Button(_("Seguir: {name}").format(name=name.display[:40]),
                                  f"{FOLLOW_SEARCH} {qid}"))
        return buttons

    async def _list(self, chat_id: int) -> Answer:
        rows: list[follows.Followed] = await self._db(follows.following, chat_id)
        if not rows:
            return "mis_seguimientos_vacio", [self._reply(_(
                "No sigues a ninguna institución ni empresa. Para empezar, escribe por ejemplo: "
                "«avísame de los contratos nuevos de la Secretaría de Salud»."))]
        lines = [_("Te aviso de los contratos nuevos de:")]
        lines += [_("• {name} (desde el {day})").format(name=r.label, day=format_day(r.since))
                  for r in rows]
        buttons = [Button(_("Dejar: {name}").format(name=r.label[:40]), f"{STOP} {r.id}")
                   for r in rows]
        return "mis_seguimientos", [Reply(text="\n".join(lines), buttons=buttons)]

    async def _stop(self, chat_id: int, argument: str) -> Answer:
        if not argument:  # the bare command: their list, with a button for each
            return await self._list(chat_id)
        label = await self._db(follows.unfollow, chat_id, int(argument)) \
            if argument.isdigit() and len(argument) < 12 else None
        if label is None:
            return "dejar_de_seguir_no", [self._reply(_(
                "Ese seguimiento ya no está. Lo que sigues hoy: /mis_seguimientos."))]
        return "dejar_de_seguir", [self._reply(_(
            "Listo: ya no te aviso de los contratos de {name} y lo borré.").format(name=label))]


    async def _stop_named(self, chat_id: int, text: str) -> Answer:
        """«Deja de seguir a la CFE»: the one follow of theirs that name means; else the list."""
        rows: list[follows.Followed] = await self._db(follows.following, chat_id)
        name = " ".join(_UNFOLLOW_NOISE.sub(" ", normalize_words(text)).split())
        matched: list[follows.Followed] = []
        if name and rows:
            query, _leftover = await asyncio.to_thread(understand, name, self.engine)
            target = follows.Target.of(query)
            matched = [r for r in rows if target is not None and r.label == target.label] or \
                [r for r in rows if name in normalize_words(r.label)]
        if len(matched) == 1:
            return await self._stop(chat_id, str(matched[0].id))
        return await self._list(chat_id)


def stop_all(chat_id: int | None, engine: Engine | None = None) -> list[str]:
    """``/baja``: every follow of this chat goes too (labels of what it followed)."""
    return follows.unfollow_all(chat_id, engine) if chat_id is not None else []
