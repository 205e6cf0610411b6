"""What a message about public contracts asks for, from its words: the list, the file, or how to
ask for more.

The model tells "a question about contracts" well and "which of the four" less well: «¿dónde veo
los contratos del COVID?» came back as the answer on kinds of procedure, «¿se pueden descargar en
CSV?» as the open-data portals, «¿cómo pido el fallo de ese contrato?» as a search. These checks
run in the actions (actions/faq.py, actions/unsure.py, actions/procurement.py) before an FAQ answer
or a search is given, and hand the turn to the behaviour the words ask for.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.content.place import place
from bot.textnorm import normalize_words

_CONTRACTS = (r"\b(contrat\w*|compras?|compraron|comprar|adquisicion\w*|licitacion\w*|adjudicacion\w*"
              r"|proveedor\w*"
              r"|le vendi\w*|vendieron al)\b")
_CONTRACTS_RE = re.compile(_CONTRACTS)
_EMERGENCY_RE = re.compile(
    r"\b(covid\w*|pandemia|emergencia\w*|contingencia\w*|sismo\w*|terremoto\w*|temblor\w*|desastre\w*"
    r"|huracan\w*|inundacion\w*|lluvias|deslaves?)\b"
)
# Asked to be shown: «¿dónde veo…?», «¿me puedes mostrar los más caros?», «la lista de…».
_SHOW_RE = re.compile(
    r"\b(donde (puedo |podria |se pueden |se puede )?(ver|veo|consulto|consultar|checo|checar|reviso)"
    r"|(quiero|queria|me gustaria) ver\w*|ver (esos|los|las|todos)|muestrame|muestranos|mostrar\w*"
    r"|ensename|ensenar\w*"
    r"|lista\w*|listado|busca\w*|cuales fueron|que empresas|que proveedores|los mas caros"
    r"|los mas grandes|los de mayor monto)\b"
)
# Just «contratos de emergencia» / «compras del covid»: the list.
_BARE_RE = re.compile(
    r"^(los |las )?(contratos|compras|contrataciones|adquisiciones) (de|del|por|en) (la |el )?"
    r"(emergencia|covid|covid 19|pandemia|contingencia)$"
)
_DEFINITION_RE = re.compile(r"^(que es|que son|que significa|q es|q son|para que sirve\w*|por que)\b")
# The file: «¿se pueden descargar en CSV o Excel?», «pásame la base completa».
_DOWNLOAD_RE = re.compile(
    r"\b(descarg\w*|bajar\w*|bajarla|csv|excel|hoja de calculo|base completa|base de datos completa"
    r"|todos los datos)\b"
)
# How to ask for what a contract leaves out: «¿cómo pido el fallo?», «quiero pedir más información».
_ASK_MORE_RE = re.compile(
    r"\b(como (lo |la |le |los |las )?(pido|solicito|obtengo|consigo|puedo pedir|puedo solicitar)"
    r"|(pedir|solicitar) (mas |la |esa )?(informacion|info|datos|documentos?|copia\w*)"
    r"|hacer una solicitud|solicitud de (acceso|informacion))\b"
)
# A contract the person already saw or holds («vi un contrato», «encontré aquí un contrato»).
_A_CONTRACT_SEEN_RE = re.compile(
    r"\b(vi|encontre|tengo|revise|revisando|halle|ese|este|un) (un |el |este |ese )?contrat\w*"
    # «¿cómo pido la copia del contrato?»: the contract itself, asked for
    r"|\b(copia|copias|version publica|expediente) (completa |completo )?(del|de ese|de este|de un|de los)"
    r" contrat\w*"
)


def names_contracts(text: str) -> bool:
    """The message names contracts, purchases or suppliers."""
    return bool(_CONTRACTS_RE.search(normalize_words(text)))


def wants_emergency_list(text: str) -> bool:
    """«¿Dónde veo la lista de contratos del COVID?»: the emergency contracts, not what they are."""
    words = normalize_words(text)
    if _BARE_RE.search(words):
        return True
    return (bool(_CONTRACTS_RE.search(words) and _EMERGENCY_RE.search(words)
                 and _SHOW_RE.search(words))
            and not _DEFINITION_RE.search(words))


def wants_download(text: str) -> bool:
    """«¿Se pueden descargar los contratos en CSV?»: the file, not the open-data portals."""
    words = normalize_words(text)
    return bool(_CONTRACTS_RE.search(words) and _DOWNLOAD_RE.search(words))


_WHOLE_RE = re.compile(r"\b(base|completa|completo|todos los contratos|toda la informacion|todo)\b")


def wants_whole_file(text: str) -> bool:
    """«Pásame la base completa de contratos pa bajarla»: all of it, not a search first."""
    return wants_download(text) and bool(_WHOLE_RE.search(normalize_words(text)))


def asks_how_to_request_contract_info(text: str) -> bool:
    """«Vi un contrato pero no sale el fallo, ¿cómo pido eso?»: the steps of a request about a
    contract, not a search with those words, nor how to read one."""
    words = normalize_words(text)
    return bool(_A_CONTRACT_SEEN_RE.search(words) and _ASK_MORE_RE.search(words))


# The INAI's «Contrataciones ante la Emergencia» site is another answer.
_THE_SITE_RE = re.compile(r"\b(ante la emergencia|micrositio|inai|sitio|pagina)\b")


def asks_what_emergency_contracts_are(text: str) -> bool:
    """«¿Qué son los contratos de emergencia?»: what they are (the concept), not the INAI's site
    that listed them nor the list itself."""
    words = normalize_words(text)
    return bool(_DEFINITION_RE.search(words) and _CONTRACTS_RE.search(words)
                and re.search(r"\b(de|por|en) (la |una )?(emergencia|emergencias)\b", words)
                and not _THE_SITE_RE.search(words))


_SITE_NAME_RE = re.compile(r"\b(contrataciones|compras) ante la (emergencia|contingencia)\b")
_WHAT_IS_RE = re.compile(r"\b(que es|que son|q es|que significa|programa|pagina|sitio|micrositio"
                         r"|quien (lo |la )?(hizo|hace|publica))\b")


def asks_what_the_emergency_site_is(text: str) -> bool:
    """«¿Qué es eso de Contrataciones ante la Emergencia, un programa o una página?»: the INAI's
    site of that name, not the concept of an emergency contract."""
    words = normalize_words(text)
    return bool(_SITE_NAME_RE.search(words) and _WHAT_IS_RE.search(words))


# What is left of «muéstrame los contratos de emergencia más caros» without these words names no
# buyer, supplier or product: the emergency list, not a search.
_EMERGENCY_ONLY_WORDS = frozenset(re.findall(r"\w+", """
contrato contratos compra compras contratacion contrataciones adquisiciones de del la el los las en
por durante emergencia emergencias covid 19 pandemia sanitaria contingencia sismo mas caros grandes
muestrame muestra busca buscame quiero ver lista listado cuales fueron son puedo aqui porfa favor
se hicieron me los hay que mayor monto dame pasame todos todas esos esas
estado gobierno estatal hubo hizo donde veo sismos inundacion inundaciones recientes
lluvia lluvias deslave deslaves y ano año pasado anterior verlos
"""))
# The state's own names («… del covid en el <estado>») name no buyer either: from content/place.yml.


@lru_cache(maxsize=1)
def _state_words() -> frozenset[str]:
    return frozenset(w for written in place().state_written_as
                     for w in re.findall(r"\w+", normalize_words(written)))


# A year («los del sismo de 2017») names no buyer either.
_YEAR_RE = re.compile(r"(19|20)\d\d")


def names_only_the_emergency(text: str) -> bool:
    """«Contratos de emergencia del COVID», «muéstrame los de emergencia más caros»."""
    words = normalize_words(text).split()
    return (bool(_EMERGENCY_RE.search(" ".join(words)))
            and all(w in _EMERGENCY_ONLY_WORDS or w in _state_words() or _YEAR_RE.fullmatch(w)
                    for w in words))


# Questions about contracts' data and how to read them, not words to search: the standard
# («¿el OCDS cubre todo el ciclo?»), red flags («¿eso es una señal de alerta?»), whether a
# procedure is allowed («¿eso es legal?») and how to check one («¿cómo reviso si hubo
# sobreprecio?»). Each kind names the answer the rankings fall back on.
_CONCEPT_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("que_es_ocds", re.compile(
        r"\b(ocds|edca\w*|estandar\w*|contrataciones abiertas|open contracting)\b")),
    ("senales_contratos", re.compile(
        r"\b(bandera\w* roja\w*|red flags?|se[nñ]al\w*|focos? roj\w*|sobreprecio\w*"
        r"|algo raro|huele a|sospech\w*|irregular\w*)\b")),
    ("revisar_contrato", re.compile(
        r"\b(como|que) (lo |la |los |las |uno |una )?(reviso|checo|verifico|detecto|identifico|compruebo"
        r"|puedo (revisar|checar|verificar|detectar|identificar)|tengo que revisar|debo revisar"
        r"|hay que revisar|reviso|veo si|se si|saber si)\b|\b(para|pa) saber si\b")),
    ("tipos_de_procedimiento", re.compile(
        r"\b(es legal|son legales|es normal|se vale|esta permitid\w*|lo permite|la ley permite"
        r"|hasta cuando|no que tenia que)\b")),
)


def concept_asked(text: str) -> str | None:
    """The answer a question about contracts' data or how to read them asks for («¿qué significa
    OCDS?», «¿eso es una bandera roja?», «¿cómo reviso si hubo sobreprecio?»), by its kind; None
    when the message asks none of these."""
    words = normalize_words(text)
    if _SHOW_RE.search(words) or _FLAGGED_LIST_RE.search(words):
        return None  # «muéstrame los contratos con señales»: the list
    return next((faq_id for faq_id, rule in _CONCEPT_KINDS if rule.search(words)), None)


_FLAGGED_LIST_RE = re.compile(
    r"\b(contratos?|compras?) (con|que tengan|que tienen|que traen) (se[nñ]al|bandera|alerta)")
