"""A man who hurts his partner and asks for help to stop: the answer for men, never the centres.

The women's centres (CJM, UNIDAS) attend the women who live violence, not the men who exercise
it; sending him there with a map is the wrong reply (issue 14: «¿hay algún lugar en <municipio>
donde den talleres para hombres?» got the centre finder because it names a place of help and a
municipality). Read on the words of :func:`bot.textnorm.normalize_words` (no accents, so «le
pegó» and «le pegué» differ only in the forms listed below, which are first person).
"""

from __future__ import annotations

import re

from bot.textnorm import normalize_words

# The entry that answers him (content/faq/violencia.yml).
MEN_ENTRY = "hombres_violencia"

_PARTNER = r"(esposa|mujer|novia|senora|señora|vieja|chava|pareja|familia)"
# First-person acts against his partner ("ya le he pegado a mi esposa", "le di una cachetada a mi
# mujer"): only a first person can say them, so with his partner named they are enough, asked
# or not. Third-person forms that lose their accent («le pegó») are left out on purpose.
_FIRST_PERSON_ACT_RE = re.compile(
    r"\b(le|la) (he |ya le he |ya la he )?(pegue|pegado|golpee|golpeado|empuje|empujado|avente"
    r"|aventado|cachetee|lastime|lastimado|jalonee|grite|gritado|insulte|insultado|humille"
    r"|humillado|levante la mano|levantado la mano|di una cachetada|dado una cachetada"
    r"|di un golpe|di un empujon|solte una cachetada|jale el cabello|doy miedo)\b"
    r"|\bme desquito con mi " + _PARTNER + r"\b"
    r"|\bse me (pasa|paso|va|fue) la mano con mi " + _PARTNER + r"\b"
)
# Present forms that a third person's past shares once accents go («le grito a mi esposa» is
# his; «le gritó» is not): they count only with his wish to change (_ASKS_HELP_RE).
_OWN_ACT_RE = re.compile(
    r"\b(le|la) (grito|insulto|humillo|jaloneo|cacheteo|pego|golpeo|empujo|lastimo)\b"
    r"(?=.*\ba mi " + _PARTNER + r"\b)"
)
_TO_PARTNER_RE = re.compile(r"\b(a|con) mi " + _PARTNER + r"\b|\bella (dice|me dijo) que le doy miedo\b")
# He names himself ("soy violento", "no quiero ser un golpeador", "soy el agresor").
_SELF_LABEL_RE = re.compile(
    r"\b(soy|he sido|fui|me volvi|me pongo|me pongo bien|me pongo muy|dejar de ser|ya no quiero ser"
    r"|no quiero ser|no quiero seguir siendo)"
    r" (un |el )?(hombre |tipo )?(violento|agresivo|agresor|controlador|golpeador|machista)\b"
    r"|\bsoy (el agresor|el que (pega|golpea|grita|ejerce))\b"
)
# Help for men ("grupos pa hombres", "¿hay algún lugar donde atiendan a hombres?").
_HELP_FOR_MEN_RE = re.compile(
    r"\b(grupos?|taller\w*|terapias?|centros?|lugar\w*|atiend\w*|ayuda\w*|reeducacion|apoyo|platicas?)"
    r"\b(\s\w+){0,4}\s(pa|para|a) (hombres|agresores|varones)\b"
)
_ASKS_HELP_RE = re.compile(
    r"\b(ayud\w*|terapia|taller\w*|grupos?|cambiar|donde|lugar|que hago|que puedo hacer|acudo|voy"
    r"|no quiero (que se repita|repetir\w*|volver|seguir|ser asi)|quiero dejar"
    # remorse said instead of a question ("le grito a mi esposa y me arrepiento")
    r"|arrepient\w*|arrepenti\w*|verguenza|me (siento|senti) (mal|fatal|culpable|horrible)"
    r"|no se como (dejar|parar|controlar\w*)|estuvo mal)\b"
)
# What he wants to stop, said in so many words ("quiero dejar de maltratar a mi esposa").
_STOP_RE = re.compile(
    r"\bdejar de (golpear|pegar|maltratar|humillar|gritar|lastimar|ser violento|ser agresivo)\w*"
    r"|\blevantarle la mano a mi " + _PARTNER + r"\b"
)
# Help for men is about their violence ("grupos pa hombres que se enojan"), not "¿el CJM atiende
# a hombres?".
_VIOLENCE_CUE_RE = re.compile(
    r"\b(violen\w*|agresi\w*|agresor\w*|enoj\w*|cambiar|ira|golpe\w*|pega\w*|grit\w*|dejar de"
    r"|maltrat\w*|control\w*|masculinidad\w*|machis\w*|cachetada|empuj\w*)\b"
)
# He is the one hurt, or a woman tells what is done to her: not this answer.
_VICTIM_RE = re.compile(
    r"\b(me|nos) (pega\w*|pego|golpe\w*|maltrat\w*|humill\w*|amenaz\w*|viola\w*|violo|insult\w*"
    r"|controla\w*|abus\w*)\b|\b(sufr\w*|viv\w*) violencia\b|\bvictima\w*\b|\bhombres que (sufren|viven)\b"
)


def wants_to_stop_own_violence(text: str) -> bool:
    """He tells of hurting his partner (or names himself violent) and asks for help to stop."""
    words = normalize_words(text)
    if _VICTIM_RE.search(words):
        return False
    if _SELF_LABEL_RE.search(words) or _STOP_RE.search(words):
        return True
    if _HELP_FOR_MEN_RE.search(words) and _VIOLENCE_CUE_RE.search(words):
        return True
    if not _TO_PARTNER_RE.search(words):
        return False
    return bool(_FIRST_PERSON_ACT_RE.search(words)
                or (_OWN_ACT_RE.search(words) and _ASKS_HELP_RE.search(words)))


# She tells what is done to her ("mi esposo me grita", "me maltrata"): an answer about someone
# else (the neighbour, the man who wants to stop) does not fit, whatever the model ranks first.
_HER_OWN_STORY_RE = re.compile(
    r"\bmi (esposo|pareja|novio|marido|ex|expareja|exesposo|exnovio|señor|viejo) (me|no me)\b"
    r"|\bme (pega|grita|maltrata|golpea|humilla|insulta|amenaza|controla|cela|jalonea|empuja"
    r"|avento|aventa|ahorca)\w*\b"
)
_SOMEONE_ELSE_RE = re.compile(
    r"\b(vecin\w*|depa\w* de (al lado|arriba|abajo|enfrente)|casa de (al lado|junto|enfrente)"
    r"|mi (amiga|hermana|prima|hija|mama|tia|cuñada|compañera|nuera|sobrina))\b"
)
# Entries about someone else than the woman who writes.
NEIGHBOUR_ENTRY = "vecina_violencia"
# Anyone else the message may be about: a neighbour, a woman she knows, a couple next door; a sister
# or a daughter is family, whose violence is not the neighbour's answer (helping her is).
_ANYONE_ELSE_RE = re.compile(
    r"\b(vecin\w*|al lado|de enfrente|de arriba|de abajo|edificio|unidad habitacional|departamento"
    r"|depa|calle|casa de junto|(la|una|otra) (senora|muchacha|mujer)"
    r"|un senor|el senor"
    r"|su (esposa|mujer|senora|pareja|novia)|alguien|victima|escuch\w* (gritos|golpes)"
    r"|se oy\w*|oigo|oimos)\b"
)


# The answer for men fits a message that speaks of a man's own violence or of help for men
# («hay grupos pa hombres?», «mi hermano es violento con su esposa», «le grité a mi mujer»); a
# woman ashamed of a voice note («me quiero morir de la vergüenza») or telling what her boss did
# to her says none of this.
_MEN_RE = re.compile(
    r"\b(hombres?|varon\w*|agresor\w*|generador\w*|violento|agresivo|machista|masculin\w*|celoso"
    r"|controlador|enojo|me enoje|ira|soy (un |el )?(hombre|papa|esposo)|soy yo"
    r"|(mi|la|dejar la|repito la|ejerzo|genero) violencia|mi (esposa|mujer|novia|senora|señora|vieja)"
    r"|(a|con) mi (pareja|familia)|avente|le rompi|le grite|le pegue|le di)\b"
)
# The answer on helping another woman fits a message that names someone else: a friend, a sister,
# a neighbour, a pupil, «una víctima», «alguien», or the partner of another woman («su esposo»).
_ANOTHER_PERSON_RE = re.compile(
    r"\b(amig\w*|herman\w*|hijas?|prim[ao]s?|tias?|mama|madre|vecin\w*|compañer\w*|companer\w*"
    r"|alumn\w*|nuera|sobrin\w*|cuñad\w*|cunad\w*|conocid\w*|senoras?|señoras?|victimas?|muchachas?"
    r"|chavas?|mujeres|una mujer|otra mujer|ella|alguien|otra persona|persona|compa\w*|comadre"
    r"|suegra|abuel\w*|familiar\w*|colega|empleada|trabajadora|su (esposo|novio|pareja|marido|ex)"
    r"|su (novia|esposa|mujer|señora|senora|chava))\b"
)
# Another woman lives violence too («mi hermana vive lo mismo», «a la vecina la golpea»).
_ANOTHER_LIVES_IT_RE = re.compile(
    r"\b(la|le|las|les) (\w+ ){0,2}?(pega\w*|pego|golpe\w*|maltrat\w*|humill\w*|insult\w*|amenaz\w*"
    r"|grit\w*|control\w*|cela\w*|viol\w*|abus\w*|lastim\w*|encierr\w*|encerr\w*|trata mal)\b"
    r"|\b(vive|vivio|vivia|sufre|sufrio|sufria|viven|sufren) (\w+ ){0,2}?(violencia|maltrato|lo mismo|eso)\b"
    r"|\bsu (esposo|novio|pareja|marido|ex|señor|senor) (la|le)\b"
    r"|\b(ayudar|apoyar|acompañar|acompanar) a (otras|otra|las|mas) (mujeres|mujer|chavas|personas)\b"
)
# The entry on helping another woman (content/faq/violencia.yml).
ANOTHER_ENTRY = "ayudar_a_otra"


def misfits(text: str) -> frozenset[str]:
    """The entries about someone the message never speaks of: the neighbour's when it names no
    one else («¿el 911 sirve para violencia?» is asked for herself); helping another woman when
    it names no other person; the answer for men when it speaks of no man's own violence nor of
    help for men, and for her own story (unless he speaks of his own violence)."""
    words = normalize_words(text)
    unfit = set() if _ANYONE_ELSE_RE.search(words) else {NEIGHBOUR_ENTRY}
    if not _ANOTHER_PERSON_RE.search(words):
        unfit.add(ANOTHER_ENTRY)
    own = wants_to_stop_own_violence(text)
    if not own and not _MEN_RE.search(words):
        unfit.add(MEN_ENTRY)
    if not _HER_OWN_STORY_RE.search(words) or own:
        return frozenset(unfit)
    if not _ANOTHER_LIVES_IT_RE.search(words):
        unfit.add(ANOTHER_ENTRY)  # her story; the sister she talks to lives nothing of the kind
    if _SOMEONE_ELSE_RE.search(words):
        return frozenset(unfit | {MEN_ENTRY})
    return frozenset(unfit | {MEN_ENTRY, NEIGHBOUR_ENTRY})


# She tells of violence done to her («me pega», «mi esposo», «abusó de mí», «vivo violencia»).
_DONE_TO_HER_RE = re.compile(
    r"\b(me|nos) (\w+ ){0,2}?(pega\w*|pego|golpe\w*|grit\w*|insult\w*|humill\w*|maltrat\w*|amenaz\w*"
    r"|control\w*|cela\w*|viol\w*|abus\w*|acos\w*|hostig\w*|lastim\w*|empuj\w*|jalone\w*|corri\w*"
    r"|sac\w* de la casa|quit\w*|revis\w*|encierr\w*|encerr\w*|toc\w*|forz\w*|oblig\w*)\b"
    r"|\bmi (esposo|pareja|novio|marido|ex|expareja|exesposo|exnovio|exmarido|señor|senor|viejo|patron"
    r"|jefe|padrastro)\b|\b(abus\w*|viol\w*|aprovech\w*|propas\w*) (de|a|con) mi\b"
    r"|\b(vivo|vivi|sufro|sufri|aguanto|aguante) "
)


def about_another_woman(text: str) -> bool:
    """The message tells of violence another woman lives (a sister, a pupil, a neighbour) and
    nothing done to the one who writes: helping her comes first, not «what to do if you live it»."""
    words = normalize_words(text)
    return (bool(_ANOTHER_PERSON_RE.search(words)) and not _DONE_TO_HER_RE.search(words)
            and not wants_to_stop_own_violence(text))
