"""Thoughts of suicide told without urgency, about oneself or someone close: the crisis line.

The safety net (content/emergency.yml `crisis_patterns`) answers a suicidal crisis before Rasa.
What it leaves is a thought told calmly, often about someone else («mi compañero anda diciendo
que ya no le ve caso a nada», «mi amigo dice que preferiría estar muerto y regaló sus cosas»,
«no quiero seguir con mi vida, ya lo pensé mucho»): the model then gave the generic menu, a
violence answer or even the proposal interview (issue 14, round 12, label `crisis_suicide`).
Such a message gets the crisis reply (the Línea de la Vida first), without the alarm: nothing
here is danger now. Narrow on purpose: a wish to die said as a figure of speech («me muero de
risa») or with laughter is not one. Read on the words of :func:`bot.textnorm.normalize_words`.
"""

from __future__ import annotations

import re

from bot.textnorm import normalize_words

_SAYS = (r"(dice|dijo|decia|anda diciendo|esta diciendo|comenta|comento|escribe|escribio|publico|puso"
         r"|posteo|subio|menciona|menciono|me dice|me dijo|me escribio|me mando|habla de que|repite)")
_WISH = (r"(se quiere morir|quiere morir(se)?|quisiera morir(se)?|se quiere matar|quiere matarse"
         r"|quiere desaparecer|quiere dejar de existir|ya no quiere (vivir|seguir|estar aqui|despertar)"
         r"|(preferiria|prefiere) (estar muert[oa]|morir(se)?|no (existir|despertar|haber nacido))"
         r"|(ya )?no le (ve|encuentra) (caso|sentido)|se va a (matar|morir|aventar|tirar|colgar)"
         r"|(todos|todo) (estarian|estaria|estariamos) mejor sin (el|ella)|es una carga"
         r"|se quiere (aventar|tirar|colgar|cortar))"
         r"(?! (trabajando|estudiando|corriendo|de (risa|pena|hambre|verguenza|coraje)))")
_TALK_RE = re.compile(
    # said by someone close, in any words
    r"\b" + _SAYS + r" (\w+ ){0,3}?(que )?(ya )?" + _WISH + r"\b"
    # her own thoughts, told calmly
    + r"|\bno quiero seguir (con mi vida|viviendo|en este mundo|aqui|existiendo)\b"
    + r"|\b(prefiero|preferiria) (estar muert[oa]|morirme|no (existir|despertar|haber nacido))\b"
    + r"|\b(ya )?no le (veo|encuentro|ve|encuentra) (caso|sentido) a (nada|la vida|vivir|seguir)\b"
    + r"|(?<!personas con )(?<!gente con )\b(pensamientos|ideas) (suicidas|de (suicidio|muerte"
      r"|morirme|matarme|quitarme la vida))\b"
    + r"|\b(pienso|pense|he pensado|pensaba|piensa|ha pensado) (mucho |a veces |seguido )?en"
      r" (morirme|morirse|la muerte|no despertar|quitarme la vida|quitarse la vida|matarme|matarse"
      r"|desaparecer para siempre|hacerme da[nñ]o|hacerse da[nñ]o)\b"
    # a plan or a farewell told about someone else
    + r"|\bse (avienta|aventara|aviente|tira|tirara|va a aventar|va a tirar|quiere aventar|quiere tirar)"
      r" (de|del|desde) (un |una |el |la )?(puente|azotea|edificio|techo|barranca|piso)\b"
    + r"|\bse (corta|cortaba|corto|ha cortado|rasgu[nñ]a|quema|lastima) (los|las|sus) (brazos|mu[nñ]ecas"
      r"|piernas)\b"
    + r"|\b(quiere|piensa|amenaza con) (hacerse da[nñ]o|lastimarse|cortarse)\b"
)
# Giving one's things away, or a farewell to everyone, counts with a word of death or of not
# going on («se despidió de todos y ya no puede más»; not «se despidió porque se va a Monterrey»).
_GIVES_AWAY_RE = re.compile(r"\bse (despide|despidio|esta despidiendo) de (todos|todo el mundo|su familia"
                            r"|sus amigos)\b|"
                            r"\b(regalo|regala|esta regalando|repartio|reparte|esta repartiendo)"
                            r" (\w+ ){0,2}?(sus|todas sus|su) \w+")
_DEATH_WORD_RE = re.compile(r"\b(muert[oa]|morir\w*|matar\w*|ya no (puede|quiere|aguanta)"
                            r"|no le ve (caso|sentido))\b")
# Laughter, a joke or a figure of speech: not a thought of dying.
_NOT_MEANT_RE = re.compile(
    r"\b(ja(ja)+|je(je)+|xd+|lol|es broma|de broma|no es cierto|jk)\b"
    r"|\bcada (vez )?que (pierde|pierden|gana|ganan|juega|juegan)\b"
    r"|\bmori\w* (de|del) (la )?(risa|pena|verguenza|hambre|sue[nñ]o|calor|frio|amor|ganas|envidia"
    r"|aburrimiento|cansancio|susto)\b")


def talks_of_dying(text: str) -> bool:
    """The message tells a thought of suicide (hers or someone close's), not said as a joke."""
    words = normalize_words(text)
    if _NOT_MEANT_RE.search(words):
        return False
    if _TALK_RE.search(words):
        return True
    return bool(_GIVES_AWAY_RE.search(words) and _DEATH_WORD_RE.search(words))
