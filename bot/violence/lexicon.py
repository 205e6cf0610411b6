"""Words that make a message clearly about violence against a woman, whatever the model guesses.

The safety net's `sensitive` lexicon (content/emergency.yml) is broad on purpose: «mujer»,
«denuncia» or «911» only decide that no text is kept. This one is narrow: a named form of
violence, a service for women who live it, or someone telling what is done to her. Such a
message must never be answered with an answer about another subject, the proposal interview or
the contract search (issue 14: a story of years of insults got the deadline of an information
request). A message that also names another subject the bot serves («¿cuánto gastó el gobierno
en la alerta de género?», «contratos de la Secretaría de las Mujeres», «una propuesta contra el
acoso callejero») is left to the model: that subject may be what is asked.
Read on the words of :func:`bot.textnorm.normalize_words` (lower case, no accents).
"""

from __future__ import annotations

import re

from bot.textnorm import normalize_words
from bot.violence.own_violence import wants_to_stop_own_violence

# A named form of violence against women, or a service or measure for the women who live it.
_NAMED_RE = re.compile(
    r"\bviolentometro\b|\bfemi(ni)?[cs]i?d\w*|\bley olimpia\b|\bpiropos?\b|\bacoso (callejero|sexual)\b"
    r"|\bhostigamiento sexual\b|\bvictima de violencia\b"
    r"|\b[bv]iolen[cs]ia (familiar|domestica|de pareja|de genero)\b|\btipos de [bv]iolen[cs]ia\b"
    r"|\b(pareja|relacion|novio|esposo|marido) [bv]iolent[oa]\b"
    r"|\bviolencia (familiar|domestica|intrafamiliar|de pareja|de genero|machista|sexual|vicaria"
    r"|obstetrica|politica|digital|psicologica|economica|patrimonial|fisica|en el noviazgo"
    r"|contra (la|las) mujer(es)?|hacia (la|las) mujer(es)?)\b"
    r"|\b(ciclo|tipos|modalidades|formas|clases) de (la )?violencia\b|\balerta d?e? ?genero\b"
    r"|\bordene?s? de (proteccion|restriccion)\b"
    r"|\b(centros? de justicia para (las )?mujeres|cjm|unidas|puerta violeta|ciudad mujeres)\b"
    r"|\brefugios? (para|de) mujeres\b|\blinea sin violencia\b"
)
# Someone telling what is done to her or to a woman close to her, in any tense ("mi esposo no me
# pega pero me humilla", "a mi hermana su novio la cela", "un señor le pega a su señora").
_PARTNER = (r"(esposo|marido|pareja|novio|ex|expareja|exesposo|exnovio|exmarido|padrastro|suegro"
            r"|senor|senora|señor|señora|viejo|esposa|mujer|novia)")
_ACT = (r"(peg|golpe|maltrat|humill|insult|amenaz|viol|abus|jalone|empuj|cachete|ahorc|pate"
        r"|cela\b|celaba|control|encierr|encerr|lastim|acos|hostig|denigr|grit)\w*")
_BODILY_ACT = (r"(peg|golpe|maltrat|humill|viol(a|o|aba|aron)\b|abus|jalone|empuj|cachete|ahorc|pate"
               r"|cela\b|celaba|encierr|encerr|lastim)\w*")
_TOLD_RE = re.compile(
    r"\b(mi|su) " + _PARTNER + r" (\w+ ){0,3}?(me|la|nos|le) (\w+ ){0,2}?" + _ACT
    # Said of anyone, only the acts that are violence whoever does them («la empresa me amenaza»
    # or «me acosan los cobradores» are not); «se me pegó la canción», «le pega el sol» neither.
    + r"|(?<!se )\b(me|nos|la|le) " + _BODILY_ACT + r"\b(?! (el sol|la luz|el agua|la gana|la cancion))"
    + r"|\b(vivo|vivi|vivia|sufro|sufri|sufria|aguante|aguanto|soporte) (mucha |muchos |años de )?"
      r"(violencia|maltratos?|golpes|humillaciones|insultos|abusos?)\b"
    + r"|\b(es|era|sera|seria|cuenta como) (violencia|violacion|abuso)\b|\bviolacion\b"
    + r"|\bdenunci\w* a mi " + _PARTNER + r"\b|\bmoreton\w*"
    + r"|\b(gritos y golpes|golpes y gritos)\b|\b(me|le|la|nos) (da|daba|dio|dieron|daban) (de )?golpes\b"
    + r"|\b(la|le|me) (revisa|revisaba) el (cel|celular|telefono)\b"
    + r"|\b(centro|unidad|lugar)\w* de (atencion|apoyo|ayuda) (a|para) (la |las )?mujer(es)?\b"
    + r"|\b(pack|fotos intimas|videos? intimos?)\b|\bobliga\w* a tener relaciones\b"
    + r"|\b(la|me) tiene (bien |muy )?controlada\b|\brelacion (violenta|toxica|abusiva)\b"
    + r"|\bmujer(es)? que (viven|sufren|salen de) (\w+ ){0,2}?(violencia|violenta)\b"
    # Round 9, kinds told without the usual words: what a partner keeps her from or takes
    # («mi esposo no me deja salir», «mi pareja me quita el dinero de mi pensión»), how he treats
    # her («me trata mal»), another woman who lives it («mi amiga vive violencia»), an assault
    # told as «me hizo cosas» or «abusó de mí», forced sex, a threat through the children, a
    # beating heard or seen («se oyen los golpes», «el sigue dándole»).
    + r"|\b(mi|su) " + _PARTNER + r" (\w+ ){0,3}?no (me|la|nos|le) deja(ba)? (salir|trabajar|ver"
      r"|tener|estudiar|hablar|usar|ir|visitar)\b"
    + r"|\b(mi|su) " + _PARTNER + r" (\w+ ){0,3}?(me|la|nos|le) (quita|quitaba|quito|esconde|escondia)"
      r" (el|mi|su|todo el|mis|sus) (dinero|pension|sueldo|gasto|quincena|papeles|documentos|cel|celular)\b"
    + r"|\b(mi|su) " + _PARTNER + r" (\w+ ){0,3}?(me|la|nos|le) (trata|trataba|trato) (muy |bien )?mal\b"
    + r"|\b(vive|vivia|vivio|sufre|sufria|sufrio|viven|sufren) (mucha |muchos |años de )?"
      r"(violencia|maltratos?|golpes|abusos?)\b"
    + r"|\b(me|le|la|nos) (hizo|hicieron|hacia|hacian) cosas\b|\babus\w* (de|a) (mi|ella|nosotras)\b"
    + r"|\boblig\w* a tener relaciones\b|\b(la|me|nos) (tiene|tenia) (bien |muy )?controlada\b"
    + r"|\bno (vuelvo|volvere|voy a volver|vas a volver|vuelves) a ver a (mi|mis|tu|tus)"
      r" (hij|nin|niñ|bebe)\w*"
    + r"|\b(me|le) va a (ensenar|enseñar) lo que es bueno\b"
    + r"|\b(sigue|siguen|esta|estan) dandole\b(?! (vueltas?|largas|la razon|like|clic|click))"
    + r"|\b(jefe|patron|encargado|supervisor|maestro|profe\w*|padrastro|tio|chofer|gerente|coordinador"
      r"|compañero|companero|doctor|medico|licenciado|primo|cuñado|cunado|suegro|taxista|conductor"
      r"|vecino|tipo|senor|señor|ingeniero|capataz|mayordomo) (\w+ ){0,8}?"
      r"(me|nos|la|le|las|les) (toca|tocaba|toco|tocan|manosea\w*|agarra\w*|agarro|nalgue\w*|roza\w*"
      r"|restriega\w*|acorrala\w*)\b"
      r"(?! (el |la |los |las |un |una )?(turno|guardia|descanso|pagar|ir|hacer|vez"
      r"|dia|semana|quincena|trabajar|cubrir|suerte|cuenta))"
    # Round 12: an assault on a woman seen in the street or on the bus («vi como un tipo jalaba de
    # los cabellos a su novia», «iba arrastrando a una muchacha del brazo»), told after the fact.
    + r"|\b(jala\w*|jalo|arrastr\w*|empuja\w*|empujo|jalone\w*|zarande\w*|cachete\w*|golpea\w*|pate\w*"
      r"|sacud\w*|somat\w*) (\w+ ){0,5}?a (una|la|su|esa|esta) (muchacha|mujer|senora|señora"
      r"|chava|chica|novia|esposa|pareja|joven|morra|muchachita|señorita|senorita)\b"
      r"(?! (a (la|una) (fiesta|cita|junta|reunion)))"
    # Round 11: sexual harassment told in plain words («me manda mensajes con doble sentido»).
    + r"|\b(mensajes|comentarios|chistes|fotos|cosas|propuestas|insinuaciones) (\w+ ){0,2}?(de doble sentido"
      r"|obscen\w*|sexuales|morbos\w*|cochin\w*|indecentes)\b"
    + r"|\b(me|nos|les|le) (dice|dicen|decia|manda|mandan|mandaba|escribe|hace) (\w+ ){0,3}?"
      r"(doble sentido|obscenidades|cochinadas|porquerias|propuestas indecentes)\b"
)
# Round 10 kinds told without the word violence: a partner's control («me sela», «me revisa mi
# cel», «le pide sus contraseñas», «se enoja si no le comparto mi ubicación», «el novio no la
# deja ver a sus amigas»), an older woman's son or carer who takes her pension, a neighbour
# seen beaten or heard threatened, the threat «si no eres mía no eres de nadie».
_CLOSE_PARTNER = r"(esposo|marido|pareja|novio|novia|ex|expareja|exesposo|exnovio|exmarido|exnovia)"
_CONTROL_TOLD_RE = re.compile(
    r"\b(me|la|le|nos) (sela|selaba|selo|celo)\b"
    r"|\b(me|la|le) (revisa|revisaba|checa|checaba|esculca|esculcaba|espia|espiaba) (\w+ ){0,1}?"
    r"(cel|celular|telefono|whats|whatsapp|face|facebook|insta|instagram|mensajes|conversaciones"
    r"|redes)\b"
    r"|\b(mi|su|el) " + _CLOSE_PARTNER + r" (\w+ ){0,3}?(me|le|la) (pide|exige|pedia|exigia) (todas )?"
    r"(mis|sus) (contrasenas|contraseñas|claves|passwords?)\b"
    r"|\b(mi|su|el) " + _CLOSE_PARTNER + r" (\w+ ){0,4}?se enoja (mucho )?si no (le )?(contesto|contesta"
    r"|comparto|comparte|mando|manda|paso|pasa) (\w+ ){0,2}?(ubicacion|rapido|luego luego)\b"
    r"|\bel " + _CLOSE_PARTNER + r" (\w+ ){0,3}?no (me|la|nos|le) deja(ba)? (salir|trabajar|ver|tener"
    r"|estudiar|hablar|usar|ir|visitar)\b"
    r"|\bsi no eres mia no (eres|vas a ser) de nadie\b"
)
_RELATIVE_OR_CARER_RE = re.compile(r"\b(mi|su) (hijo|hija|nieto|nieta|yerno|nuera|cuidador\w*|cuñado"
                                   r"|cunado)\b|\bla persona que (me|la|le) cuida\b")
_TAKES_PENSION_RE = re.compile(r"\b(me|la|le) (quita|quitaba|quito|agarra|agarraba|gasta|gastaba) "
                               r"(\w+ ){0,1}?(pension|pensiones|tarjeta del programa|tarjeta del bienestar)\b"
                               r"|\bse (queda|quedaba|quedo) con (mi|su|la) (pension|tarjeta)\b")
_NEIGHBOUR_HURT_RE = re.compile(
    r"\bvecin\w* (\w+ ){0,12}?(golpead\w*|moreton\w*|le pega\w*|la golpea\w*|la (iba|va) a matar"
    r"|le grita\w* a su (esposa|mujer|senora|señora|pareja|novia))"
    r"|\b(escuche|oi|oimos|escuchamos|se oia|se oyo|se escuchaba) (a )?(la vecina|la senora de al lado)"
    r" (\w+ ){0,3}?(gritar|llorar|pedir ayuda|pidiendo ayuda)\b"
)


# Round 11: a veiled threat reported («dice que me voy a arrepentir», «que me las va a pagar»),
# violence when it comes from a partner or an ex, or for leaving or reporting him.
_THREAT_REPORTED_RE = re.compile(
    r"\b(dice|dijo|decia|me grita|me grito|amenaza\w*|me advirtio|me manda decir) (\w+ ){0,2}?(que )?"
    r"(si \w+ (\w+ )?)?(me voy a arrepentir|me vas a arrepentir|me (las|la) va a pagar|me va a ir (muy )?mal"
    r"|me va a pesar|no sabe de lo que es capaz|no sabes de lo que soy capaz"
    r"|me va a quitar a (mis|los) (hij|nin|niñ)\w*"
    r"|(nunca |ya no )?(voy a volver|vuelvo) a ver a (mis|los) (hij|nin|niñ)\w*)")
_FROM_A_PARTNER_RE = re.compile(
    r"\b(mi|su|el) " + _PARTNER + r"\b|\bel papa de mis (hij|nin|niñ)\w*"
    r"|\bsi (lo|la) (dejo|denuncio|acuso)\b|\bsi (me voy|me separo|no regreso|no vuelvo)\b"
    r"|\b(haberlo|por dejarlo|por denunciarlo)\b")


def threat_from_a_partner(words: str) -> bool:
    return bool(_THREAT_REPORTED_RE.search(words) and _FROM_A_PARTNER_RE.search(words))


def control_told(words: str) -> bool:
    """Round 10: control, a taken pension or a neighbour hurt, told in plain words."""
    if _NEIGHBOUR_HURT_RE.search(words) or _CONTROL_TOLD_RE.search(words):
        return True
    return bool(_RELATIVE_OR_CARER_RE.search(words) and _TAKES_PENSION_RE.search(words))


# Blows heard next door («se oyen los golpes»): violence only when a woman or a couple is named.
_BLOWS_HEARD_RE = re.compile(r"\b(se oyen|se oian|se oyeron|se oye|oigo|oimos|escucho|escuchamos|escuche"
                             r"|se escuchan|se escuchaban) (\w+ ){0,2}?(golpes|madrazos|cachetadas)\b")
_A_WOMAN_OR_COUPLE_RE = re.compile(
    r"\b(vecin\w*|senora|señora|muchacha|mujer|esposa|pareja|marido|esposo|novio|novia"
    r"|la golpea\w*|le pega\w*)\b")
# Another subject the bot serves, named in the same message: the model decides.
_OTHER_SUBJECT_RE = re.compile(
    r"\b(contrat\w*|licitaci\w*|adjudicaci\w*|compras?|proveedor\w*|presupuesto\w*"
    r"|gast\w* (el|la|los|las|del|en|publico)"
    r"|cifras?|estadisticas?|datos abiertos|base de datos|solicitud\w* de informacion"
    r"|transparencia|plataforma|propuesta\w*|propon\w*|gobierno abierto"
    r"|plan de accion|suscrib\w*|(?<!en las )noticias|boletin"
    r"|(?<!se )descarg\w*(?! conmigo| con (ella|nosotr\w*"
    r"|mis|los niños|los ninos))|excel|csv|reportaje|periodis\w*)\b"
)


def clearly_violence(text: str) -> bool:
    """The message names violence against a woman (a form, a service for her, what is done to
    her, or his own violence) and no other subject the bot serves."""
    words = normalize_words(text)
    if _OTHER_SUBJECT_RE.search(words):
        return False
    if _BLOWS_HEARD_RE.search(words) and _A_WOMAN_OR_COUPLE_RE.search(words):
        return True
    if control_told(words) or threat_from_a_partner(words):
        return True
    return bool(_NAMED_RE.search(words) or _TOLD_RE.search(words)) or wants_to_stop_own_violence(text)


def names_another_subject(text: str) -> bool:
    """The message names another subject the bot serves (contracts, a request, a proposal…)."""
    return bool(_OTHER_SUBJECT_RE.search(normalize_words(text)))
