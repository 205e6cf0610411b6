"""The violence subject a message names in so many words: its own answer, not the generic one.

The response selector leans to «¿qué hacer si vives violencia?» for any story told in the first
person, however plainly the story ends asking for something else: «¿cómo saco una orden de
protección?», «¿todavía puedo denunciar?», «¿hay algún refugio?», «dice que sube mis fotos»
(issue 14: violence answered with a close but wrong violence answer). When the words name one of
these subjects, its entry is what she asked; with several named, the caller picks the one the
selector ranks first. Read on the words of :func:`bot.textnorm.normalize_words`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.content.faq import faq_catalog
from bot.textnorm import normalize_words

# What a service with no entry of its own is («¿qué es Ciudad Mujeres?», «la Puerta Violeta es un
# refugio o una oficina?»): the entry with the free services, which names them all.
_SERVICE_BY_NAME = r"(ciudad mujeres|puertas? violetas?|la puerta morada|centros? libre)"
_ASKS_WHAT_A_SERVICE_IS = (
    r"|\b(que|q|k) (es|son|hace|hacen|significa|ofrece\w*|dan|hay en) (\w+ ){0,2}?" + _SERVICE_BY_NAME
    + r"|\b" + _SERVICE_BY_NAME + r" ((es|son) (un|una|lo mismo|para)|(que|q|k) (es|son))\b"
    + r"|\b(para que sirve\w*|como funciona\w*|quien (la |las |lo |los )?(maneja|atiende)\w*) (\w+ ){0,2}?"
    + _SERVICE_BY_NAME)
# entry id (content/faq/violencia.yml), or the start of one, -> the words that name its subject
_SUBJECTS: dict[str, re.Pattern[str]] = {
    "ordenes_proteccion": re.compile(
        r"\b(ordene?s? de (proteccion|restriccion|alejamiento)|medidas? de proteccion)\b"),
    "refugios_mujeres": re.compile(r"\b(refugios?|casas? de transicion|albergues?)\b"),
    # Asked how, where or whether to report: «¿cómo lo denuncio?», «¿todavía puedo denunciar?».
    # «No quiero denunciar, nomás hablar» asks for nothing of the kind.
    "como_denunciar_violencia": re.compile(
        r"\bprescrib\w*|\b(pongo|levanto|hago|presento|presentar|hacer) (una |la )?denuncia\b"
        r"|(?<!no )(?<!ni )\b(como|donde|a donde|puedo|podria|se puede|quiero|quisiera|todavia|aun"
        r"|como le hago|tengo que|debo) (lo |la |le |les )?(poner una denuncia|levantar una denuncia"
        r"|denunci(o|ar|arlo|arla|arlos|amos))\b"),
    "violencia_digital": re.compile(
        r"\b(ley olimpia|fotos? (intimas?|mias|desnuda\w*)|videos? (intimos?|mios)|packs?"
        # unsolicited sexual pictures («me manda fotos de sus partes»)
        r"|(fotos?|videos?|imagenes) (de sus partes|de su (pene|miembro|parte intima|cosa)|sin ropa"
        r"|obscen\w*|porno\w*|encuerad\w*)"
        r"|(sube|subir|subira|suba|publica|publicar|publicara|pasa|pasar|pasara|mandar|manda|mandara"
        r"|difundir|difunde|compartir|comparte|va a subir|va a publicar|va a pasar|va a mandar)"
        r" (mis|unas|unos|las|los|esas|esos|sus) (fotos|videos|imagenes|fotografias))\b"),
    # Asked what the service is («¿qué son las UNIDAS? ¿hay una en …?»): its own entry, whose
    # answer says where they are, not the steps of what to do.
    "que_son_unidas": re.compile(r"\b(que|q|k) (es|son|hace|hacen|significa) (la |las |una |unas )?unidas\b"),
    "que_es_cjm": re.compile(
        r"\b(que|q|k) (es|son|hace|hacen|significa) (el |los |un |una )?(cjm|centros? de justicia)\b"),
    # What feminicide is, or how it differs from a homicide, spelt as heard too («feminisidio»).
    "que_es_feminicidio": re.compile(
        r"\b(que|q|k) (es|significa|quiere decir) (un |el )?femi(ni)?[cs]i?dio\b"
        r"|\bdiferen[cs]ia\w* (\w+ ){0,3}?femi(ni)?[cs]i?dio\b"
        r"|\bfemi(ni)?[cs]i?dio (y|o|vs) (un |el )?h?omi[cs]idio\b"),
    "violentometro": re.compile(r"\bviolentometro\b"),
    "ciclo_violencia": re.compile(r"\bciclo de (la )?violencia\b"),
    "alerta_genero": re.compile(r"\balerta d?e? ?genero\b"),  # the id names the state: a prefix
    "violencia_vicaria": re.compile(r"\bviolencia vicaria\b"),
    # Or told without the words (round 12): giving birth or a pregnancy, the staff, and how they
    # treated her («cuando me alivié, la enfermera se burlaba de mí y me regañaban»).
    "violencia_obstetrica": re.compile(
        r"\bviolencia obstetrica\b"
        r"|^(?=.*\b(parto|partos|me alivie|aliviarme|me estaba aliviando|dar a luz|di a luz|cesarea"
        r"|embarazada|embarazo|contracciones|mi bebe nacio|nacio mi (bebe|hij\w*))\b)"
        r"(?=.*\b(enfermer\w*|doctor\w*|medic[oa]s?|hospital|clinica|ginecolog\w*|partera|personal)\b)"
        r"(?=.*\b(se burla\w*|burlaban|reganaba\w*|me regan\w*|me gritaba\w*|me gritaron|me humill\w*"
        r"|me insulta\w*|me maltrat\w*|sin (mi )?(permiso|consentimiento)|me obligaron|no me dejaron"
        r"|me amarraron|me ignora\w*|me dejaron sola)\b)"),
    # Or a woman in office or running for it (only read when the message is about violence).
    "violencia_politica": re.compile(
        r"\bviolencia politica\b|\b(candidata|regidora|sindica|diputada|alcaldesa|presidenta municipal"
        r"|delegada|planilla|comisariada|cargo de eleccion)\b"),
    "acoso_callejero": re.compile(
        r"\b(acoso callejero|piropos?)\b|\bacos\w* (en|dentro de|arriba de) (la |las |el |los )?(combis?"
        r"|micros?|transporte|metro|mexibus|mexicable|camion\w*|calle)\b"),
    # What programmes help her start again («¿qué programas de apoyo hay?»).
    "programas_violencia": re.compile(
        r"\b(que|q|k|hay|existen?|algun\w*) (programas?|apoyos?)( o (programas?|apoyos?|ayudas?))?"
        r" (de apoyo |de ayuda )?(para|pa|de|hay|existen|dan|da|tienen|tiene|ofrece\w*)\b"
        r"|\bprogramas? (de|para) (apoyo|ayuda|mujeres)\b"
        # Round 11: a service asked about by its own name, which has no entry of its own.
        + _ASKS_WHAT_A_SERVICE_IS),
    # A boyfriend's jealousy or control asked about as «¿es normal?».
    "noviazgo_violento": re.compile(r"\b(mi|su|el) novio\b(?=.*\b(es normal|normal|es amor|es por amor)\b)"),
    # Round 11: a modality named («¿eso es violencia laboral?», «acoso laboral en la escuela»).
    "modalidades_violencia": re.compile(
        r"\b(violencia|acoso|hostigamiento) (laboral|en el trabajo|escolar|docente|institucional"
        r"|comunitaria)\b"
        r"|\bmodalidad\w*\b"),
    # Round 11: a neighbour heard or seen hurt («anoche se oían golpes en el depa de al lado»,
    # «la vecina anda con moretones»): the neighbour's answer, not what to do when she lives it.
    "vecina_violencia": re.compile(
        r"^(?=.*\b(vecin[oa]s?|vecindad|(departamento|depa|casa|cuarto) de (al lado|arriba|abajo|enfrente"
        r"|junto))\b)(?=.*\b(golpes?|golpea\w*|gritos|gritaba\w*|gritar|pelea\w*|peleando|madrazos"
        r"|moreton\w*|le pega\w*"
        r"|la golpea\w*|maltrat\w*|llorar|llorando|pedir ayuda|pidiendo ayuda|lastimad\w*|golpeada)\b)"),
    # «¿eso también cuenta como violencia?» after her story, or what violence against women is.
    "que_es_violencia_mujeres": re.compile(
        r"\b(que|q|k) es (la )?violencia contra (la |las )?mujer(es)?\b"
        # «¿qué se considera violencia?», «¿solo cuentan los golpes?» (round 11)
        r"|\b(que|q|k) (se considera|considera la ley|se entiende por|cuenta como|entra como|dice la ley"
        r" (que es|de la|sobre la)) (como )?violencia\b"
        r"|\b(solo|nomas|nada mas|namas) (cuentan|cuenta|son violencia) (\w+ ){0,1}?(los )?golpes\b"
        r"|\b(eso|esto|tambien|todo eso|lo que (me )?(hace|dice|pasa)|aun asi|aunque) (\w+ ){0,2}?"
        r"(es|cuenta como|cuentan como|se considera|seria|sera|entra como) (tambien )?violencia\b"
        r"(?! (digital|politica|vicaria|obstetrica|sexual|en el noviazgo|laboral|en el trabajo|escolar"
        r"|docente|institucional|comunitaria|economica|patrimonial|psicologica|fisica))"
        r"|\b(es|seria|se considera|cuenta como) violencia (o no|verdad|tambien)\b"),
}
# A form of violence whose own answer says where to report it: named together with «¿se puede
# denunciar?», it is the answer («un tipo me manda fotos de sus partes, ¿lo puedo denunciar?»).
_FORMS_WITH_THEIR_REPORT = frozenset({
    "violencia_digital", "violencia_vicaria", "violencia_obstetrica", "violencia_politica",
    "acoso_callejero"})
_REPORT_KEY = "como_denunciar_violencia"
# Subjects that name no form or service of their own: they give way to a specific violence answer
# the selector ranks first (the violence through the children told, then «¿eso es violencia?»),
# and «¿eso es violencia?» gives way to what to do when she also asks where to go.
WEAK_SUBJECTS = frozenset({"que_es_violencia_mujeres", "programas_violencia", "noviazgo_violento"})
_ASKS_WHERE_OR_WHAT_RE = re.compile(
    r"\b(a donde|donde|adonde) (puedo|podria|debo|tengo que) (ir|acudir|llamar)\b"
    r"|\ba (donde|quien) (acudo|voy|le digo|le decimos|recurro)\b"
    r"|\b(que|q|k) (hago|puedo hacer|debo hacer|ago)\b")
# Asked whether old violence can still be reported («¿todavía puedo denunciar o ya prescribió?»):
# the report answer even when the selector is sure of another violence answer.
_STILL_REPORTABLE_RE = re.compile(
    r"\bprescrib\w*|\b(todavia|aun) (lo |la )?(puedo|se puede|podria|puedo hacer algo|sirve)( \w+)?"
    r" ?(denunci\w*|hacer algo)?|\bdenunci\w* (\w+ ){0,2}?(tan viejo|tan antiguo|de hace (años|mucho))\b")


# A parent (or an aunt, a teacher) worried about a girl's boyfriend who controls her: the answer
# on dating violence speaks to whoever watches it happen («habla con ella sin juzgarla»), more
# than what to do when she lives it or how to help another woman (round 11).
_A_GIRL_OF_HERS_RE = re.compile(
    r"\b(mi|nuestra|una) (hija|hijita|nina|niña|chamaca|muchacha|sobrina|nieta|hermanita|hermana menor"
    r"|alumna|estudiante|ahijada|hijastra)\b|\bmis (hijas|alumnas|sobrinas)\b")
_HER_BOYFRIEND_CONTROLS_RE = re.compile(
    r"\b(su|el|un|ese) (novio|novi[oa] de \w+|chavo|galan|pretendiente)\b(?=.*\b("
    r"(la|le|las|les) (\w+ ){0,2}?(revisa|checa|esculca|espia|pide|exige|prohibe|cela|controla|escoge|elige"
    r"|manda|grita|insulta|humilla|jalonea|empuja|amenaza|chantajea|aisla|vigila|sigue|rastrea)\w*"
    r"|no (la|las) deja|se enoja|celos\w*|celoso|(que|como) (se viste|vestirse|ropa)|con quien (habla|sale)"
    r"|contrasenas|contraseñas|ubicacion))")


def parent_worried_about_her_boyfriend(text: str) -> bool:
    """«Mi hija de 15 tiene un novio que le revisa el cel»: someone worried about a girl's
    controlling boyfriend, whose answer is dating violence whatever the selector is sure of."""
    words = normalize_words(text)
    return bool(_A_GIRL_OF_HERS_RE.search(words) and _HER_BOYFRIEND_CONTROLS_RE.search(words))


def asks_what_a_service_is(text: str) -> bool:
    """«¿Qué es Ciudad Mujeres?»: a service with no entry of its own asked about by its name."""
    return bool(re.search(_ASKS_WHAT_A_SERVICE_IS[1:], normalize_words(text)))


# What violence against women is, asked in so many words («para mi clase: ¿qué es la violencia
# contra las mujeres según la ley?»): a definition, whatever story the selector heard (round 12).
_ASKS_WHAT_VIOLENCE_IS_RE = re.compile(
    r"\b(que|q|k) es (la )?violencia contra (la |las )?mujer(es)?\b"
    r"|\b(que|q|k) (se considera|se entiende por|dice la ley (que es|de la|sobre la)) violencia\b")


def overrides_a_sure_answer(text: str) -> bool:
    """Words that ask one subject so plainly that it wins over another violence answer the
    selector is sure of: old violence still reportable, a girl's controlling boyfriend, what a
    service named by its own name is, what violence against women is."""
    return (asks_if_still_reportable(text) or parent_worried_about_her_boyfriend(text)
            or asks_what_a_service_is(text)
            or bool(_ASKS_WHAT_VIOLENCE_IS_RE.search(normalize_words(text))))


# A question about what something is, not where to go («¿qué diferencia hay entre un CJM y las
# UNIDAS?», «¿ya multan por piropos?», «¿qué servicios dan ahí?»): the model may still take the
# place it names for a request for the nearest centres.
_ASKS_WHAT_RE = re.compile(
    r"\b(que|q|k) (es|son|significa|diferencia\w*|servicios)\b|\bdiferencia\w* (hay |entre )"
    r"|\b(cuenta|cuentan|se considera|entra) como\b|\b(multan?|es delito|es falta|sancion\w*|castig\w*)\b")
_ASKS_WHERE_RE = re.compile(
    r"\b(donde|dnd|adonde|direccion|ubicacion|queda|quedan|como llego|llegar|horario\w*|abre|abren"
    r"|telefono|cerca\w*|mas cercan\w*|busco|necesito ir|puedo ir|voy|hay (un|una|unas|unos|algun\w*))\b")


def asks_what_not_where(text: str) -> bool:
    """The message asks what something is (or whether it is punished), not where to go."""
    words = normalize_words(text)
    return bool(_ASKS_WHAT_RE.search(words)) and not _ASKS_WHERE_RE.search(words)


def asks_if_still_reportable(text: str) -> bool:
    """«¿todavía lo puedo denunciar?», «¿ya prescribió?»: whether old violence can be reported."""
    words = normalize_words(text)
    return "prescrib" in words or ("denunci" in words and bool(_STILL_REPORTABLE_RE.search(words)))


@lru_cache(maxsize=1)
def _entry_ids() -> dict[str, str]:
    """Each key of :data:`_SUBJECTS` -> the id of the entry it names (the one that starts so)."""
    ids = [entry.id for entry in faq_catalog().entries]
    return {key: next((i for i in ids if i == key), next((i for i in ids if i.startswith(key)), key))
            for key in _SUBJECTS}


def named_subjects(text: str) -> list[str]:
    """The entries whose subject the message names, in the order of :data:`_SUBJECTS`."""
    words = normalize_words(text)
    keys = [key for key, pattern in _SUBJECTS.items() if pattern.search(words)]
    if parent_worried_about_her_boyfriend(text):
        return [_entry_ids()["noviazgo_violento"]]
    if asks_what_a_service_is(text):  # «¿la Puerta Violeta es un refugio?»: the services
        return [_entry_ids()["programas_violencia"]]
    if _REPORT_KEY in keys and _FORMS_WITH_THEIR_REPORT & set(keys):
        keys.remove(_REPORT_KEY)
    if "que_es_violencia_mujeres" in keys and _ASKS_WHERE_OR_WHAT_RE.search(words):
        keys.remove("que_es_violencia_mujeres")
    return list(dict.fromkeys(_entry_ids()[key] for key in keys))


# The message ends asking what to do, whatever it named before («… ¿qué puedo hacer?»).
_WHAT_TO_DO_END_RE = re.compile(
    r"\b(que|q|k) (puedo |debo |podria |tengo que |me recomiendan )?(hago|hacer|ago)( yo| ahora| ahorita)?$")


def ends_asking_what_to_do(text: str) -> bool:
    return bool(_WHAT_TO_DO_END_RE.search(normalize_words(text)))


# Her story ends asking where to go to be heard or guided («¿a dónde puedo ir para que me
# orienten?»): a place, not a phone line nor the steps of what to do (round 12).
_WHERE_TO_GO_RE = re.compile(
    r"\b(a donde|adonde|donde|a que lugar|a que oficina)"
    r" (puedo|podria|debo|tengo que|se puede|me recomiendan)"
    r" (ir|acudir|llegar|asistir)\b"
    r"|\b(a donde|adonde) (acudo|voy|me dirijo|vamos)\b"
    r"|\bdonde (me|nos) (orienten|atiendan|escuchen|asesoren|apoyen|ayuden)\b")


def asks_where_to_go(text: str) -> bool:
    """The message asks for a place to go (not a number to call, not what something is)."""
    return bool(_WHERE_TO_GO_RE.search(normalize_words(text)))

