"""What kind of message the model was unsure of: a question, a problem told, a behaviour asked for.

Word tests only (no ranking): :mod:`actions.unsure` uses them to decide whether to answer, hand the
turn to another behaviour (contracts, centres, the proposal interview) or offer the closest entries.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from bot.content.faq import faq_catalog
from bot.content.place import place
from bot.content.retrieval import is_contract_search, is_data_question, is_explicit_contract_search
from bot.procurement.asked import (
    asks_how_to_request_contract_info,
    asks_what_emergency_contracts_are,
    asks_what_the_emergency_site_is,
    names_contracts,
    names_only_the_emergency,
    wants_download,
    wants_emergency_list,
    wants_whole_file,
)
from bot.proposals.service import suggest_theme
from bot.questions import starts_like_question
from bot.textnorm import normalize_words
from bot.violence.directory import asks_for_a_centre, directory
from bot.violence.named import asks_if_still_reportable
from bot.violence.own_violence import MEN_ENTRY, wants_to_stop_own_violence
from bot.violence.therapy import SERVICES_ENTRY, asks_for_therapy

CONTRACTS_INTENT = "buscar_contratos"
SUBSCRIBE_INTENT = "suscribir"
UNSUBSCRIBE_INTENT = "baja"
CENTRE_INTENT = "buscar_centro"
# "¿Qué tipo de violencia es esa?" asks for the types, however much of her story comes first.
TYPES_ENTRY = "tipos_violencia"
_WHICH_TYPE_RE = re.compile(
    r"\b(que|cual) (tipo|clase) de violencia (es|seria|sera)\b|\bque violencia es\b"
    r"|\ben que tipo de violencia\b")
# Therapy asked of a service she names ("¿en las UNIDAS hay psicólogas?") is that service's answer.
_NAMED_SERVICE_RE = re.compile(r"\b(unidas|cjm|centros? de justicia|ciudad mujeres|puerta violeta|dif)\b")
DOWNLOAD_INTENT = "descargar_contratos"
EMERGENCY_CONTRACTS_INTENT = "contratos_emergencia"
CONTRACT_INFO_ENTRY = "pedir_info_contrato"
EMERGENCY_CONCEPT_ENTRY = "que_es_contratacion_emergencia"
EMERGENCY_SITE_ENTRY = "contrataciones_ante_emergencia"
REQUEST_TOPICS = frozenset({"acceso_informacion"})
PROPOSAL_INTENT = "proponer"
MY_PROPOSALS_INTENT = "mis_propuestas"
# A proposal the model half saw: "proponer" this high in its intent ranking is enough.
MIN_PROPOSAL_CONFIDENCE = 0.2
# From this many words a message is a story: a question at its end does not make it a question.
LONG_STORY_WORDS = 25
# Words of the request process itself: "¿cuánto cobran por las copias de mi solicitud?" is about
# requests, "¿cuánto gana el alcalde?" is a figure to ask for.
_REQUEST_WORDS = (
    r"solicit\w*|pnt|plataforma|transparencia|recurso\w*|plazo\w*|copias?"
    r"|certificad\w*|anonim\w*|reproduccion|envio|pregunt\w*|para que|pa que|mi nombre|fui yo"
    r"|(pedi\w*|pido|solicit\w*) (esa |la |esta |mas )?info\w*"
)
# Words that mark a message as asking, wherever they stand ("tengo dudas de…", "quiero saber…").
_ASKING_WORDS = frozenset({"duda", "dudas", "pregunta", "preguntar", "saber", "explica", "explicame",
                           "info", "informes", "informacion", "significa"})
# Themes whose problems people exaggerate with violent words ("esos baches son una bomba de
# tiempo, ahí se van a matar"); never seguridad. And the words of violence between persons,
# which always keep a sensitive message out of the proposal interview.
FIGURATIVE_THEMES = frozenset({"movilidad", "medio_ambiente"})
PERSONAL_VIOLENCE_RE = re.compile(
    r"\b(parej\w*|espos\w*|novi[oa]s?|marido|ex|mujer\w*|hij[oa]s?|nin[oa]s?|mama|papa|suegr\w*"
    r"|familia\w*|herman\w*|vecin[oa]s?|me pega\w*|pega\w*|golpe\w*|abus\w*|viol\w*|acos\w*"
    r"|amenaz\w*|celos\w*|insult\w*|humill\w*|mato|mataron|asesin\w*|feminicid\w*|secuestr\w*"
    r"|arma\w*|cuchillo|pistola|me quiere|me va a|te va a|la va a|lo va a)\b"
)
# She tells of violence she lives now: never a definition picked from her question.
LIVING_IT_NOW_RE = re.compile(
    r"\b(vivo|estoy viviendo|sufro|me (pega|grita|insulta|humilla|controla|revisa|amenaza|golpea"
    r"|cela|trata)|el dice|mi (esposo|pareja|novio|marido|ex) (me|no me|dice))\b"
)


# Word rules about information requests, each with the state's own platforms' names
# (content/place.yml) added: the words of asking (talks_about_requests), a request named
# (names_a_request), the request process itself (about_the_request_process).
_REQUEST_RULES = {
    "words": _REQUEST_WORDS,
    "names": r"solicitud\w*|(pedi\w*|pido|solicit\w*) (esa |la |esta |mas )?info\w*|pnt"
             r"|recurso de revision",
    "process": r"(mi|la|una|esa|esta) solicitud|solicitud(es)? de (acceso a la )?informacion|pnt"
               r"|plataforma nacional|recurso de revision",
}


@lru_cache(maxsize=len(_REQUEST_RULES))
def _request_rule(name: str) -> re.Pattern[str]:
    platforms = [re.escape(normalize_words(p)) for p in place().request_platforms]
    return re.compile(r"\b(" + "|".join([_REQUEST_RULES[name], *platforms]) + r")\b")


def about_the_request_process(text: str) -> bool:
    """The message is about an information request itself or its platform («la plataforma no me deja
    enviar», «mi solicitud»), not only petitions to an authority («nuestras solicitudes»)."""
    return bool(_request_rule("process").search(normalize_words(text)))


def names_a_request(text: str) -> bool:
    """The message names an information request itself («cómo pedimos esa información», «mi
    solicitud»), not only words that also go with one («para que», «pregunta»)."""
    return bool(_request_rule("names").search(normalize_words(text)))


def talks_about_requests(text: str) -> bool:
    """The message names the request process itself (a request, the platform, a deadline…)."""
    return bool(_request_rule("words").search(normalize_words(text)))


def about_requests(faq_id: str | None, text: str) -> bool:
    """An answer about asking for information itself (cost, deadlines, how) to a message that
    talks about asking: it beats the data-request reply, which would only repeat its steps.
    "¿Cuánto gana el alcalde?" does not talk about asking, whatever answer the selector chose."""
    entry = faq_catalog().by_id().get(faq_id or "")
    return entry is not None and entry.topic in REQUEST_TOPICS and talks_about_requests(text)


# «¿Qué sueldo tienen los regidores?», «¿cuál es el salario neto del alcalde?»: a pay asked for
# without «cuánto» (bot.content.retrieval.is_data_question needs «cuánto» or «sueldo de»).
_PAY_ASKED_RE = re.compile(
    r"\b(que|cual es el|cual es su|cuales son los|cuales son sus|saber el|saber los) (sueldo|salario"
    r"|sueldos|salarios|ingreso|ingresos|dieta|dietas)\b(?! (minimo|digno|promedio|base))"
    r"|\b(sueldo|salario|sueldos|salarios)s? (neto|bruto|mensual|quincenal|netos|brutos|mensuales)\b"
    r"|\b(empleados|trabajadores|funcionarios|servidores publicos|regidores)\b.{0,30}\b(con|y) (su|sus)"
    r" (sueldo|sueldos|salario|salarios)\b"
)


# A figure asked for in formal words («requiero conocer el monto ejercido…», «solicito la cifra de
# recursos asignados…», «… desglosado por municipio») or a raise («¿se subió el sueldo el
# alcalde?»): also no «cuánto».
_FIGURE_ASKED_RE = re.compile(
    r"\b(requiero|solicito|quisiera|quiero|deseo|necesito|me interesa) (conocer |saber |obtener |tener )?"
    r"(el|la|los|las) (monto|montos|importe|importes|cantidad de (dinero|recursos)"
    r"|cifras? de (recursos|dinero|gasto|personal|casos|denuncias|plazas|empleados|beneficiari\w*)"
    r"|total de (recursos|dinero|gasto|personal)|presupuesto (asignado|ejercido|destinado|aprobado)"
    r"|numero de (permisos|licencias|casos|denuncias|plazas|empleados|trabajadores|personas|policias"
    r"|elementos|patrullas|multas|quejas|becas|beneficiari\w*|obras|contratos))\b"
    r"|\b(monto|montos|cifra|cifras|importe|recursos|presupuesto|gasto)\b.{0,80}\bdesglosad[oa]s? por\b"
    r"|\b(se|le|les) (subio|subieron|aumento|aumentaron) (el|la|los|las|su|sus) (sueldo|sueldos|salario"
    r"|salarios|dieta|dietas)\b"
)


# Where public money went («¿en qué se gastaron los 260 millones?», «¿cuánto presupuesto le dan a
# …?») or which places have the most of something («¿cuáles son las colonias con más robos?»):
# figures the government keeps, asked without the words is_data_question knows.
_SPENDING_ASKED_RE = re.compile(
    r"\ben (que|q) se (gastaron|gasto|ocuparon|usaron) (los|las|el|la) \d[\d,.]* (mil|millones|pesos)\b"
    r"|\bcuant[oa] (presupuesto|dinero|recursos?) (le|les) (dan|dieron|toca|toco|asignan|asignaron"
    r"|mandan|mandaron)\b"
    r"|\b(cuales|que) (son )?(las |los )?(colonias|municipios|zonas|calles|comunidades)"
    r" (\w+ ){0,3}?(con|donde hay|que tienen) mas\b"
)


def asks_for_data(text: str) -> bool:
    """A figure the bot does not hold: is_data_question, or a pay or a figure asked for in other
    words."""
    words = normalize_words(text)
    if is_data_question(text):
        return True
    if _SPENDING_ASKED_RE.search(words) and not is_contract_search(text):
        return True
    if _PAY_ASKED_RE.search(words):
        return not is_explicit_contract_search(text)
    return bool(_FIGURE_ASKED_RE.search(words)) and not is_contract_search(text)


def looks_like_question(text: str) -> bool:
    words = normalize_words(text)
    return ("?" in text or "¿" in text or starts_like_question(words)
            or bool(_ASKING_WORDS & set(words.split())))


def intent_confidence(latest_message: dict[str, Any], intent: str) -> float:
    for item in latest_message.get("intent_ranking") or []:
        if item.get("name") == intent:
            return float(item.get("confidence") or 0.0)
    return 0.0


@lru_cache(maxsize=1)
def topic_words() -> frozenset[str]:
    """Words of the FAQ titles ("transparencia", "violencia"): a topic asked about, not a problem."""
    return frozenset(w for e in faq_catalog().entries for w in normalize_words(e.title).split())


def is_problem_told(text: str, latest_message: dict[str, Any], sensitive: bool) -> bool:
    """A public problem told plainly ("las combis manejan como locos"): the proposal interview.

    Never for a message the core marked sensitive (violence goes to help, not to a proposal),
    except a street or transport problem said with a figure of speech and no person harmed by
    another ("las combis van a mil, un día nos vamos a matar")."""
    words = normalize_words(text).split()
    # A long story that ends in "¿qué se puede hacer?" is still a problem told.
    asking = looks_like_question(text) and len(words) < LONG_STORY_WORDS
    if asking or len(words) < 3:
        return False
    plain = " ".join(w for w in words if w not in topic_words())
    if sensitive and not (suggest_theme(plain) in FIGURATIVE_THEMES
                          and not PERSONAL_VIOLENCE_RE.search(" ".join(words))):
        return False
    return (suggest_theme(plain) is not None or tells_a_public_problem(text)
            or intent_confidence(latest_message, PROPOSAL_INTENT) >= MIN_PROPOSAL_CONFIDENCE)


# «¿Qué es la adjudicación directa?», «¿de dónde sacan los contratos?», «¿es oficial?»: about
# contracts in general, whatever words of a search they carry.
_ABOUT_CONTRACTS_RE = re.compile(
    r"\b(que es|que son|que significa|q es|explica\w*|en que consiste|diferencia\w*"
    r"|de donde (sacan|obtienen|viene\w*|sale\w*|toman)|es oficial|cuando (la ley )?(lo |la )?permite)\b"
)


def asks_about_contracts_in_general(text: str) -> bool:
    """A question about what contracts, their procedures or their data are, not a search."""
    return (bool(_ABOUT_CONTRACTS_RE.search(normalize_words(text)))
            and not is_explicit_contract_search(text))


# «Me pidieron 500 pesos para agilizar el trámite»: a bribe told is a proposal (combate a la
# corrupción), whatever answer shares its words.
_BRIBE_RE = re.compile(
    r"\b(mordida\w*|morder|mordelon\w*|soborn\w*|moches?|para agilizar\w*|pa agilizar\w*|coyotes?"
    r"|(con|le dab\w*|les dab\w*|si le daba|si les daba) (unos |otros )?\d+ (pesos|varos|baros)"
    r"|(me pidieron|me piden|nos piden|nos pidieron|me pidio|me cobraron) (unos |otros )?\d{2,}\b"
    r"(?! (documentos?|copias?|requisitos?|dias|meses|horas|firmas|veces|papeles|hojas|fotos|anos))"
    r"|\d+ (pesos|varos|baros) (para|pa) (agilizar|que saliera|sacarlo|darmel\w*|que me lo))\b"
)
# Public problems the themes' keywords miss: a service missing, closed or broken, nobody acting.
_PUBLIC_PROBLEM_RE = re.compile(
    r"\b(no hay (luz|agua|medic\w*|doctor\w*|maestr\w*|rampa\w*|medicinas|ba[nñ]os|vigilancia)"
    r"|nunca hay (medic\w*|doctor\w*|medicinas|maestr\w*|agua|luz)|no sirve\w*|clausurad\w*"
    r"|no hace nada|no hacen nada|nadie (nos )?hace caso|nadie hace nada|no (nos )?hacen caso"
    r"|se esta cayendo|se estan cayendo|se cae a pedazos|descompuest\w*|tapad[oa]s?|sin rampa\w*"
    r"|silla de ruedas|volumen|a todo volumen|olor\w*|apesta\w*|huele (horrible|feo|mal)|se burlo"
    r"|no (tiene|tienen) (ba[nñ]os|agua|luz|maestr\w*|medic\w*|rampa\w*))\b"
)
# «Quiero proponer que arreglen el canal»: the interview, whatever answer shares its words.
# «¿Cómo la registramos?» after «queremos meter una propuesta»: the way to propose is proposing.
_PROPOSE_VERBS = (r"(hacer|mandar|presentar|meter|subir|registrar|levantar|dejar|enviar|llevar"
                  r"|ingresar|someter)")
_WANTS_TO_PROPOSE_RE = re.compile(
    r"(?<!ya no )\b(quiero|queremos|quisiera|quisieramos|me gustaria|nos gustaria|pienso|pensamos|vengo a"
    r"|venimos a|busco|buscamos) (proponer|" + _PROPOSE_VERBS + r" (una|mi|nuestra|la|esta) propuesta)\b"
    r"|\b(como|donde|por donde) (le )?(hago|hacemos|puedo|podemos|se puede|tengo que|debo)"
    r"( para)? " + _PROPOSE_VERBS + r" (una|mi|nuestra|la) propuesta\b"
    r"|\b(como|donde) (le )?(hago|hacemos|registro|registramos|mando|mandamos|meto|metemos|subo"
    r"|subimos|presento|presentamos|envio|enviamos|levanto|dejo) (una|mi|nuestra|la) propuesta\b"
)
# «Quiero recibir noticias de las próximas mesas» at the end of a story: the subscription.
# «¿Ya le dieron seguimiento a lo que reporté de la fuga?»: the status of one's own proposal,
# not a new one, however much of the problem it names again.
_OWN_SENT_RE = re.compile(
    r"\b(lo|la|el|los|las) (que|q) (les |le |te )?(reporte|reportamos|mande|mandamos|envie|enviamos"
    r"|propuse|propusimos|escribi|levante|levantamos|meti|metimos|subi|subimos|deje|registre"
    r"|registramos|plantee|planteamos)\b"
    r"|\b(mi|mis|nuestra|nuestras|nuestro|nuestros) (reportes?|propuestas?)\b"
    r"|\b(reporte|mande|envie|propuse|levante|meti|subi|registre) (un|una|mi) (reporte|propuesta)\b"
    r"|\b(le |les |te )?(reporte|reportamos|mande|mandamos|envie|enviamos|escribi|propuse) (lo|eso)"
    r" (de|del|de la|de las|de los)\b"
    # prop11: someone else sent it («mi papá mandó una propuesta»), «la propuesta que hizo nuestra
    # asociación», «mandé una en marzo», «ya contestaron lo de las luminarias».
    r"|\b(mando|envio|reporto|hizo|hice|hicimos|hicieron|mandaron|enviaron|reportaron|metio|subio"
    r"|registro) (una|un|su|la|el) (propuesta|reporte|queja)\b"
    r"|\b(la|el|las|los) (propuestas?|reportes?) (que|q) (hizo|hice|hicimos|hicieron|mando|mandaron"
    r"|envio|enviaron|mande|mandamos|envie|enviamos|reporte|metimos|subimos)\b"
    r"|\b(mande|envie|reporte|propuse|hice|mandamos|enviamos) (una|uno) (en|hace|el|la|desde|sobre|de)\b"
    r"|\bya (le |les |me )?(contestaron|respondieron|resolvieron|atendieron|revisaron|leyeron|vieron"
    r"|checaron) (lo|la propuesta|el reporte) (de|del|que)\b"
)
_STATUS_RE = re.compile(
    r"\b(seguimiento|como va|como van|en que va|en que van|que paso|que ha pasado|avance|avances"
    r"|avanzo|avanzado|en que quedo|estatus|status|estado de (mi|mis|la|lo|nuestra)"
    r"|ya (lo |la |los |las )?(vieron|revisaron"
    r"|atendieron|leyeron|checaron|turnaron|resolvieron|tomaron en cuenta)|hicieron caso|alguna respuesta"
    r"|ya hay respuesta|ya tiene respuesta|sigue (igual|en revision|pendiente)|quedo en algo"
    r"|ya (le |les |me )?(contestaron|respondieron)|sigue en el limbo|(nadie|no) me (ha|han) (dicho"
    r"|respondido|contestado|avisado|llamado)|no (se|supe) nada|sin respuesta|leen las propuestas)\b"
)


def asks_about_own_proposal(text: str) -> bool:
    """The status of something one already sent («¿cómo va lo que reporté?», «¿ya vieron mi
    propuesta del parque?»); not an information request («mi solicitud», «la plataforma»)."""
    words = normalize_words(text)
    return (bool(_OWN_SENT_RE.search(words)) and bool(_STATUS_RE.search(words))
            and not talks_about_requests(text))


# What one asks to be told about: news, or the events of the programme.
_NEWS_THINGS = (r"(noticias|avisos|alertas|notificaciones|mensajes|talleres|eventos|mesas|convocatorias"
                r"|foros|reuniones|sesiones|cursos|capacitacion\w*|platicas|actividades|novedades"
                r"|jornadas|ferias|asambleas)")
_WANTS_NEWS_RE = re.compile(
    r"\b((quiero|quisiera|me gustaria|queremos|nos gustaria) (recibir|que me (manden|lleguen|avisen))"
    r"|(me|nos) (pueden|podrian|puedes|podrias|podran) (mandar|enviar|avisar|notificar|tener al tanto"
    r"|mantener al tanto)|mandenme|avisenme|avisame|notifiquenme|notificame|me avisan|me avisas"
    r"|(me|nos) (avisan|avisen|avises|notifican|notifiquen)|suscribirme|suscribanme|suscribeme)\b"
    r".{0,40}\b" + _NEWS_THINGS + r"\b"
    r"|\b(mandenme|mandame|envienme|avisenme|avisame)\b.{0,40}\b(cada (que|vez que) haya"
    r"|cuando haya (algo )?(nuevo|novedades)|cada (semana|mes|quincena|ocho dias)|diario|seguido)"
)
_NOT_NEWS_RE = re.compile(r"\b(ya no|no quiero|dejar de|de baja)\b")
# «¿Cómo le hago para que ya no me lleguen sus mensajes?» inside a longer message: stop them.
_STOP_NEWS_RE = re.compile(
    r"\b(que )?ya no (me |nos )?(lleguen|llegue|manden|envien|mande|envie) (mas )?(sus |los |las |mas )?"
    r"(mensajes|avisos|noticias|notificaciones|alertas)\b"
    r"|\bya no quiero recibir (mas |sus |los |las )?(mensajes|avisos|noticias|notificaciones|alertas)\b"
    r"|\bya no (me |nos )?(manden|envien|mandes|envies|escriban|escribas) (mas )?nada\b"
    r"|\bme salgo de (esta|la|su|sus) (lista|envios|avisos)\b"
)


# A story that ends asking where to take it («¿cómo lo reporto?», «¿a quién le digo?»): the
# question is the proposal itself.
_WHERE_TO_TAKE_IT_RE = re.compile(
    r"\b(como (lo |la |los |las )?(reporto|reportamos|denuncio|hago llegar)|donde (lo |la )?reporto"
    r"|a quien (le )?(digo|aviso|acudo|le puedo plantear|puedo plantear|le llevo)|quien (lo |la )?atienda"
    r"|a quien corresponde|se puede (llevar|reportar|proponer)|lo puedo (llevar|reportar|proponer)"
    r"|(llevar|llevarlo|llevarla) a (una|alguna|la) mesa)\b"
)


def asks_where_to_take_it(text: str) -> bool:
    """A long story of a public problem that asks how or to whom to report it."""
    return (len(normalize_words(text).split()) >= LONG_STORY_WORDS
            and bool(_WHERE_TO_TAKE_IT_RE.search(normalize_words(text))))


def tells_a_bribe(text: str) -> bool:
    """Someone asked for money to do a public service faster: a corruption problem told."""
    return bool(_BRIBE_RE.search(normalize_words(text)))


def tells_a_public_problem(text: str) -> bool:
    """A public service missing, closed or broken, or nobody acting (no theme keyword needed)."""
    return bool(_PUBLIC_PROBLEM_RE.search(normalize_words(text)))


def wants_news(text: str) -> bool:
    words = normalize_words(text)
    return bool(_WANTS_NEWS_RE.search(words)) and not _NOT_NEWS_RE.search(words)


def wants_no_more_messages(text: str) -> bool:
    return bool(_STOP_NEWS_RE.search(normalize_words(text)))


# «¿Hay datos abiertos de calidad del aire por municipio?», «¿hay API o nomás CSV?», «ocupo el
# presupuesto en formato abierto, ¿dónde está?»: where open data on a subject are found (the
# portals), not a request to draft, a proposal, nor the centres of the municipality named.
OPEN_DATA_ENTRY = "buscar_datos_abiertos"
# Words that only a data set is (also in a story of violence: «datos abiertos de feminicidios»).
_DATA_SET_RE = re.compile(
    r"\b(datos abiertos|bases? de datos|datasets?|data sets?|apis?|csv|json|xml|shapefile"
    r"|formatos? (abiert\w*|procesable\w*|editable\w*|que (se )?pueda\w* (procesar|analizar|usar)))\b")
_DATA_RE = re.compile(
    r"\b(datos abiertos|bases? de datos|datasets?|data sets?|apis?|csv|json|xml|shapefile"
    r"|formatos? (abiert\w*|procesable\w*|editable\w*|que (se )?pueda\w* (procesar|analizar|usar))"
    r"|(dashboard|tablero|mapa|portal|plataforma|pagina) (con|de) (los )?datos"
    r"|datos (reales|publicos|oficiales|del gobierno))\b")
# Asked where: enough alone. Asked whether there are any or for a download: only when nothing
# asks what open data allow or oblige («¿los puedo usar pa un negocio?», «¿hay que pedir permiso?»).
_WHERE_RE = re.compile(
    r"\b(donde|where) (\w+ )?(encuentr\w*|busc\w*|consig\w*|baj\w*|descarg\w*|esta|estan|hay|puedo"
    r"|podemos|se|los|las|la|lo|consulto|veo|can)\b|\b(consig\w*|encuentr\w*|encontrar\w*|orientas)\b")
_FINDING_RE = re.compile(
    r"\b(hay|habra|existe\w*|busc\w*|bajo|bajar\w*|descarg\w*|ocupo|necesito|necesitamos)\b")
_ABOUT_OPEN_DATA_RE = re.compile(
    r"\b(usar\w*|reutiliz\w*|redistribu\w*|compartir|negocio\w*|comercial\w*|permiso|gratis|obligacion\w*"
    r"|obligad\w*|cumpl\w*|pdf\w*|guia\w*|diferencia\w*|sirven?|quiere decir|reconoc\w*|premi\w*"
    r"|concurso\w*|publicamos|subimos|hay que|que puedo hacer|que se puede hacer|politica\w*|obligu\w*)\b")
# «¿Se puede descargar todo en CSV?»: the contracts' file this bot offers, not the portals.
_ALL_OF_IT_RE = re.compile(r"\b(descarg\w*|bajar\w*|baj[oa]) (todo|toda)\b")
# «¿Qué son los datos abiertos?», «¿qué hace que un dato sea abierto?»: what they are.
_WHAT_DATA_ARE_RE = re.compile(
    r"^(hola |oye |buenas )?(que es|que son|que significa|q es|q son)\b|\b(que hace que|de especial"
    r"|por que|porque no|eso que es|que es eso)\b")
# Her own data («bórrenme de su base de datos») or a request's delivery («¿en qué formato me
# entregan lo que pida?») have their own answers.
_NOT_OPEN_DATA_RE = re.compile(
    r"\b(mis datos|mi informacion|mia|mio|elimin\w*|borr\w*|cancelacion|arco"
    r"|me (la |lo |los |las )?(entregan|entregaran|dan|dieron|mandan|mandaron|pueden mandar|van a entregar)"
    r"|lo que pid\w*|pedi|solicitud\w*|solicitad\w*|recurso|reclam\w*|tablero de seguimiento"
    r"|compromisos?)\b")


def asks_where_open_data(text: str, sensitive: bool = False) -> bool:
    """Where open data on a subject (or an API, a CSV) are found; not contracts (their own file)."""
    words = normalize_words(text)
    data = _DATA_SET_RE if sensitive else _DATA_RE
    asked_where = (bool(_WHERE_RE.search(words) or _FINDING_RE.search(words))
                   and not _ABOUT_OPEN_DATA_RE.search(words))
    return (bool(data.search(words)) and asked_where
            and not _WHAT_DATA_ARE_RE.search(words) and not _NOT_OPEN_DATA_RE.search(words)
            and not _ALL_OF_IT_RE.search(words) and not names_contracts(text)
            and not LIVING_IT_NOW_RE.search(words)
            # a figure about violence (feminicides, reports) is asked for: the data request
            and not (sensitive and asks_for_data(text)))


def words_ask_for(text: str, sensitive: bool = False) -> str | None:
    """The behaviour the words ask for, whatever FAQ answer looks close: an intent to hand the
    turn to, or ``faq:<id>`` for the one answer they ask. None when they ask for none of these.

    The whole file before a search («pásame la base completa de contratos»), a search before the
    file (its results carry the CSV button) and before the emergency list («contratos del IMSS
    durante el COVID» names a buyer)."""
    if not sensitive:
        if wants_whole_file(text):
            return DOWNLOAD_INTENT  # "pásame la base completa de contratos"
        if asks_what_emergency_contracts_are(text):
            return f"faq:{EMERGENCY_CONCEPT_ENTRY}"  # not the INAI's site of the same name
        if asks_what_the_emergency_site_is(text):
            return f"faq:{EMERGENCY_SITE_ENTRY}"  # the site, not the concept
        if names_only_the_emergency(text):
            return EMERGENCY_CONTRACTS_INTENT  # "contratos de emergencia del covid"
        if is_explicit_contract_search(text):
            return CONTRACTS_INTENT  # "contratos del IMSS", "¿cuánto le pagaron a Grupo X?"
        if wants_download(text):
            return DOWNLOAD_INTENT  # "¿se pueden descargar los contratos en CSV?"
        if wants_emergency_list(text):
            return EMERGENCY_CONTRACTS_INTENT  # "¿dónde veo los contratos del COVID?"
        if asks_how_to_request_contract_info(text):
            return f"faq:{CONTRACT_INFO_ENTRY}"  # "vi un contrato… ¿cómo pido el fallo?"
        if asks_about_own_proposal(text):
            return MY_PROPOSALS_INTENT  # "¿ya le dieron seguimiento a lo que reporté del bache?"
        if _WANTS_TO_PROPOSE_RE.search(normalize_words(text)):
            return PROPOSAL_INTENT  # "quiero proponer que arreglen el canal"
        if tells_a_bribe(text):
            return PROPOSAL_INTENT  # "con 500 pesos me lo daban el mismo día"
        if wants_news(text):
            return SUBSCRIBE_INTENT  # "… quiero recibir noticias de las próximas mesas"
    if asks_where_open_data(text, sensitive):
        return f"faq:{OPEN_DATA_ENTRY}"  # "¿hay datos abiertos de la calidad del aire?"
    if wants_no_more_messages(text):
        return UNSUBSCRIBE_INTENT  # "¿cómo le hago para que ya no me lleguen sus mensajes?"
    if wants_to_stop_own_violence(text):
        return f"faq:{MEN_ENTRY}"  # a man who hurt his partner: not the women's centres
    if sensitive and _WHICH_TYPE_RE.search(normalize_words(text)):
        return f"faq:{TYPES_ENTRY}"  # "me esconde la INE… ¿qué tipo de violencia es esa?"
    if (sensitive and asks_for_therapy(text) and not _NAMED_SERVICE_RE.search(normalize_words(text))
            and not asks_if_still_reportable(text)):
        # (old violence asked whether it can still be reported: the report answer, which also
        # says where to go; round 11)
        # "ya salí de eso, ¿dónde me dan terapia gratis?": where, not the steps of what to do
        named = directory().municipalities.find_in_text(text)
        return CENTRE_INTENT if named.best is not None else f"faq:{SERVICES_ENTRY}"
    if asks_for_a_centre(text):
        return CENTRE_INTENT  # "centro pa mujeres en <municipio>": where, not what a centre is
    return None


# What the proposal interview and the centre finder give way to: contracts and open data asked
# with a place or a problem's words («¿hay contratos de emergencia por las lluvias en <municipio>?»).
CONTRACT_OR_DATA_HANDOVERS = frozenset({
    CONTRACTS_INTENT, DOWNLOAD_INTENT, EMERGENCY_CONTRACTS_INTENT, f"faq:{OPEN_DATA_ENTRY}",
    f"faq:{CONTRACT_INFO_ENTRY}", f"faq:{EMERGENCY_CONCEPT_ENTRY}", f"faq:{EMERGENCY_SITE_ENTRY}",
})


def contracts_or_open_data_asked(text: str, sensitive: bool = False) -> str | None:
    """:func:`words_ask_for` when it asks for contracts or open data; None otherwise."""
    handover = words_ask_for(text, sensitive)
    return handover if handover in CONTRACT_OR_DATA_HANDOVERS else None
