"""The safety net, kind by kind (issue 14): danger said without the usual words must raise the
alarm; violence that is over, questions, safe-now stories, shelter requests and jokes must not.

Every message here is written for this file (none is in a benchmark set or a fresh slice).
"""

from __future__ import annotations

import pytest

from bot.conversation.core import ConversationCore
from bot.conversation.rasa_client import RasaClient
from bot.conversation.safety import Level, safety_net
from bot.rasa.servers import free_port
from tests.conversation.safety_checks import not_at

LEARNED_LOOK_ALIKES = "dying of shame, a goodbye, someone leaving for work"
DANGER_BY_KIND = {
    "misspelt, caught by sound": [
        "aiuda me ba a pegar",  # y/ll/i, b/v
        "me kiere matar mi marido",
        "me estan golpiando ausilio",
        "me amenasa con un cuchiyo",
        "ayudame mi novio me sige",
        "mi ex me golpiaba y ahorita esta aqui otra vez",
    ],
    "weapons, fire, kidnapping and assault now": [
        "mi esposo trae el machete en la mano",
        "le echó gasolina a la puerta y tiene un encendedor",
        "dice que va a quemar la casa con nosotras adentro",
        "unos hombres me quisieron subir a una camioneta",
        "me acaban de violar",
        "me está pegando, ¿qué hago?",
        "ya viene para acá y me dijo que me va a matar, ¿qué hago?",
    ],
    "fire and gas": [
        "le aventó un cerillo prendido a la cama donde duerme mi hermana",
        "abrió la llave del gas de la estufa y se fue cerrando con llave",
        "mi pareja anda rociando gasolina en la entrada de la casa",
        "hay humo en toda la casa y mis hijos siguen adentro, él lo prendió",
    ],
    "a weapon in hand": [
        "mi hermano está en la puerta con el machete y no deja pasar a nadie",
        "tiene la pistola en la mano y está gritando en la sala",
        "agarró un tubo de la obra y viene hacia acá",
    ],
    "break-in and hiding": [
        "se metieron por la azotea dos tipos, estoy debajo de la cama",
        "mi exmarido se metió a la casa y estoy escondida en la cocina",
        "estamos dentro del clóset sin hacer ruido con mi hija",
    ],
    "locked in": [
        "nos puso candado por fuera a mí y a mis niñas",
        "me dejó encerrada en la bodega del patio",
        "me tiene aquí sin poder salir desde el viernes",
    ],
    "dragged or taken": [
        "la están arrastrando hacia un taxi afuera del oxxo",
        "a mi prima se la llevaron en un carro rojo unos hombres",
        "lo subieron a la fuerza a una camioneta en la esquina",
    ],
    "coming drunk, a threat for when he is back": [
        "viene bien borracho para acá y ya me avisó que me va a romper la cara",
        "salió por cigarros y dijo que cuando regrese me acaba de matar",
    ],
    "heavy misspellings and dictation": [
        "ayuda mi marido me ecta aorcando en la cosina",
        "por favor manden a alguien mi novio me quiere matar estoy en la calle juarez",
        "biene mi ex con una nabaja en la mano",
    ],
    "danger in the last sentence of a long story": [
        "Hace años que vivo con él y siempre me grita, ¿qué hago? "
        "Hoy me encerró en el cuarto y se llevó las llaves.",
        "Me separé hace un año porque me golpeaba. Ya no sé a dónde ir. "
        "Se brincó la barda y trae un fierro.",
    ],
    # round 5: categories of meaning, any word order, any verb of presence
    "a weapon wherever he stands": [
        "mi suegro está sentado en el sillón de la entrada con la escopeta",
        "anda dando vueltas en el patio con un machete y gritando",
        "se fue al cuarto por la pistola, dice que ya se cansó",
    ],
    "fuel with an act, and something to light it": [
        "olor a thinner en toda la recámara y él tiene los cerillos",
    ],
    "held by the neck or smothered": [
        "me está agarrando la garganta contra la puerta",
        "le tapó la boca con una cobija a mi hermana y no la suelta",
    ],
    "followed on the way": [
        "una moto va detrás de mí desde el mercado y ya oscureció",
    ],
    "a child taken or held": [
        "se robaron a mi nieta afuera de la tienda",
        "tiene a mis hijos amarrados en la casa",
    ],
    "a lock put from outside": [
        "pusieron candado por fuera y se llevaron las llaves, no podemos salir",
    ],
    "a beating told with other words": [
        "mi tío le está dando con la manguera a mi primito",
    ],
    # round 6: fuel said with a pronoun, gas from the stove, veiled and heard threats, chased,
    # asking to be fetched, touching that does not stop, drugged, kept from moving
    "fuel poured now, gas let out": [
        "mi cuñado está rociándole diésel a la entrada del cuarto",
        "dejó todas las perillas de la estufa abiertas y tapó la ventana con cinta",
    ],
    "a threat said without a weapon": [
        "mi esposo me dijo que de esta noche no paso, está tomando en la sala",
        "dice que aquí nos morimos todos y cerró el zaguán",
        "la señora de junto grita que la van a matar",
    ],
    "chased, fetched, touched": [
        "mi padrastro nos está correteando por la calle",
        "ven por mí porfa, no me siento segura en esta fiesta",
        "el primo de mi esposo no me deja de manosear y nadie me cree",
        "desperté sin mi ropa en una casa que no conozco",
    ],
    "a car that stops by her, a driver who shuts her in, grabbed and touched, drugged": [
        "una camioneta se detuvo a un lado de mí y me gritan que me suba",
        "el conductor del uber subió los vidrios y dice que vamos a dar una vuelta",
        "me acaban de acorralar entre tres afuera del metro y me manosearon",
        "me echaron una pastilla en la cerveza, me siento muy mareada",
    ],
    "a club or a hammer, a slang threat, breaking in to find her": [
        "mi ex viene para acá con un marro",
        "el borracho de mi marido dice que me va a quebrar",
        "se metió tumbando la reja y anda buscándome en la casa",
        "tiene a la niña cargada y dice que si lo dejo la avienta",
    ],
    "kept from moving, a threat to another if she calls": [
        "a mi abuela la tiene en la silla sin dejarla levantarse",
        "si mi tía le habla a alguien la mata, eso le dijo hoy",
    ],
    # round 7
    "shut in from outside, a call that says they have her, a gun in the belt": [
        "nos atrancaron la recámara por fuera y no hay por dónde salir",
        "mi hijo no ha regresado de la secundaria y me marcaron que ya lo tienen",
        "mi cuñado anda con la fajada en la fiesta y está buscando a mi hermana",
        "está afuera con el fierro y grita que si me asomo no la cuento",
    ],
    "hurt and he comes back, a belt taken off, a broken window, misspelt": [
        "me dejaron tirada en el patio a patadas y dijo que ya vuelve",
        "mi suegra está sangrando mucho de la boca, él salió a la tienda",
        "mi padrastro se está desabrochando el cinturón y ahora sí nos va a ir mal",
        "quebraron el cristal de la ventana de la sala y se oyen pasos",
        "aiudaa mi novio me ba a pejar otra bez ya biene",
        "ayudame por favor",
    ],
    # round 9 (batch 9 and slices f-h, other words)
    "fire set to a thing of the home, days tied up, a held relative with no police": [
        "mi padrastro le prendio fuego a las cortinas del cuarto de mi hermanita",
        "llevo dos noches amarrada en la azotea de su mama, le robe el cel mientras se baña",
        "tienen a mi esposo en una camioneta y me piden que deposite, que no le hable a la policia",
    ],
    "blows said with «dar», surrounded, followed off the train, a back road, coming with a weapon": [
        "ahorita mi cuñado le esta dando con el palo a mi hermana en la calle",
        "unos borrachos nos tienen rodeadas en la salida del metro",
        "el tipo que me vino viendo en el tren se bajo donde yo me baje",
        "el del taxi se metio por un camino de terraceria y no me quiere decir a donde vamos",
        "ya viene subiendo con el machete, estoy en el baño",
    ],
}

CRISIS = [
    "ya tengo todo listo, no vale la pena vivir así",
    "ya pensé cómo hacerlo y hoy en la noche me despido de mis hijos",
    "tengo las pastillas listas, perdón a todos",
    "ya no quiero seguir así, de verdad",
    "la neta ya no quiero seguir en este mundo",
    "ya no quiero seguir con mi vida, estoy muy cansada",
    # round 6
    "ya me despedí de mi mamá, esta noche me voy para siempre",
    "estoy en la orilla de la presa y ya no aguanto",
    "me volví a cortar las muñecas anoche",
    "lo mejor sería no despertar mañana",
    "traigo la navaja en la bolsa y ya no aguanto",
    "me tomé una caja de rivotril",
    # round 7
    "ya junté mis pastillas guardadas, esta noche es",
    "me corta el brazo a propósito con una navaja cuando está sola",
    # round 9: final acts, the means bought and when, an overdose counted, a height
    "ya reparti mi ropa y deje todo arreglado para mis papas, ya me puedo ir en paz",
    "ya compre la soga, hoy en la noche lo hago",
    "me acabo de tomar como 15 pastillas de la presion de mi abuelo",
    "estoy en la azotea del edificio pensando en aventarme",
]

NOT_AN_ALARM_BY_KIND = {
    "violence that is over, or a question": [
        "hace diez años mi exesposo me golpeaba",
        "me pegaba",
        "de niña mi padrastro me pegaba",
        "mi esposo me pega, ¿cómo lo denuncio?",
        "en 2019 me violaron y nunca lo denuncié, ¿todavía se puede?",
    ],
    "violence that is over": [
        "mi primer novio me golpeaba cuando tenía diecisiete, ahora estoy casada y feliz",
        "a los ocho años me pegaba mi tío, quiero hablar de eso con una psicóloga",
        "mi ex me amenazó varias veces, ya pasaron tres años y quiero cerrar ese capítulo",
    ],
    "a question about the topic": [
        "¿qué tipo de violencia es cuando tu pareja te quita tu sueldo? ¿tiene nombre?",
        "si mi esposo me maltrata, ¿a dónde acudo en Tlalnepantla?",
        "¿qué es la violencia vicaria? mi expareja me amenaza con llevarse a mi hijo",
        "¿qué opciones tengo si me da miedo dejar a mi esposo?",
    ],
    "a hypothetical": [
        "¿qué pasa si mi pareja me pega y yo lo denuncio?",
        "si algún día me vuelve a golpear, ¿me pueden dar una orden de protección?",
    ],
    "safe now": [
        "mi marido me empuja cuando se enoja; ahorita está en el taller y no regresa hasta la noche",
        "estoy en casa de mi hermana desde ayer porque él me pega, quiero asesoría legal",
    ],
    "a request for a shelter": [
        "busco un refugio para mí y mi bebé, no tengo donde quedarme; por ahora estoy con una amiga",
        "¿hay refugios en Ecatepec? ya no quiero volver con él",
    ],
    "a figure of speech said laughing": [
        "mi mamá me va a matar cuando vea el recibo de la luz jajaja",
        "me quiero morir con esta tarea de transparencia xd ¿qué es IPOMEX?",
    ],
    "stopping a follow (an institution, contracts, a proposal, news, a procedure)": [
        "ya no quiero seguir al ISSSTE, quítamelo por favor",
        "ya no quiero seguir a la comisión del agua",
        "ya no quiero seguir los contratos de limpieza de Toluca",
        "ya no quiero seguir la propuesta del parque, ya se resolvió",
        "ya no quiero seguir las noticias del programa",
        "ya no quiero seguir el trámite de mi solicitud",
        "ya no quiero seguir suscrito a los avisos",
    ],
    # round 5: frames, negation, tools at work, scolding parents, social media
    "news, films, games and dreams": [
        "en el noticiero pasaron que un hombre roció gasolina en una casa de Tultitlán",
        "en la serie el novio la tiene encerrada en el sótano, qué miedo",
        "mi hermano juega fortnite y grita que le están disparando",
        "soñé que me jalaban del pelo, ¿eso significa algo?",
    ],
    "a weapon or a lock that is no danger": [
        "el jardinero está con el machete podando el árbol del parque",
        "mi esposo ya no trae la pistola, la entregó en el canje de armas",
        "me dejaron encerrado en la bodega del trabajo por error, ya salí",
        "si llego después de las diez mi papá me mata",
        "mi ex me sigue en instagram y ve todas mis historias",
    ],
    # round 6
    "a tool at work, a threat told as over, bad luck, asking what the bot does": [
        "mi papá trae el machete porque va a chaponear el terreno",
        "mi hermano está afilando el cuchillo para partir el pastel",
        "mi exnovio me amenazaba con una navaja, ya lo dejé hace mucho y vivo tranquila",
        "me persigue la mala racha con este trámite",
        "¿qué hace el chat si le escribo que estoy en peligro?",
        "¿qué hago si oigo que le pegan a la de enfrente? no ahorita, pero pasa seguido",
        "de niña me encerraban en el cuarto, hoy quiero empezar terapia",
        "mi esposo me sigue a todos lados en el mercado porque él carga las bolsas",
        "tomo pastillas para la migraña y ya no aguanto el dolor",
        "las colegiaturas me están ahogando, ¿hay becas?",
    ],
    "news, objects and games": [
        "mi sobrino tiene una pistola de juguete que hace mucho ruido",
        "jugando a las escondidas me escondí en el ropero jaja",
        "me encerré en mi cuarto a estudiar para el examen de mañana",
    ],
    # round 7
    "a box cutter at work, a pillbox, a plea about notices, a tale, a game": [
        "mi tío trae la navaja pa abrir los costales del maíz",
        "le dejé las pastillas contadas para la semana a mi abuelito en su pastillero",
        "auxilio, me llegan demasiadas notificaciones, ¿cómo me doy de baja?",
        "le leí a mi hija un cuento de lobos y no quiere dormir sola",
        "ayuda",
        "el portón del estacionamiento solo se cierra por fuera, ¿a quién le aviso?",
    ],
    # round 9
    "control told as a habit, a report asked about, social media": [
        "mi suegra no me deja ir a ver a mis hermanas, eso cuenta como violencia?",
        "mi esposo no me deja ir a trabajar, que puedo hacer",
        "como presento una denuncia si mi expareja me pegaba?",
        "me estan siguiendo en instagram cuentas que no conozco",
    ],
    "«matar de», a teacher's «nos va a matar», a water pistol, tattling, a kitchen, a move": [
        "mi hijo me va a matar de un coraje con sus calificaciones",
        "el profe nos va a matar con tanta tarea",
        "mi sobrino me disparo con su pistola de agua en la fiesta",
        "mi hermana me amenazo con decirle a mi mama que rompi el florero",
        "casi incendio la cocina con las quesadillas jaja",
        "ya regale mis plantas y deje todo listo para la mudanza",
    ],
    # round 8: what the learned second opinion must leave alone (tests/conversation/test_safety_learned.py)
    LEARNED_LOOK_ALIKES: [
        "me quiero morir de la vergüenza, le mandé el meme al grupo de la oficina",
        "me muero de la pena, me equivoque de solicitud, como la corrijo",
        "gracias por todo, ya me voy, hasta luego",
        "mi hermano dice que se quiere ir a trabajar a otro estado",
    ],
}


@pytest.mark.parametrize("kind", DANGER_BY_KIND)
def test_danger_said_without_the_usual_words_is_an_emergency(kind: str) -> None:
    assert not_at(Level.EMERGENCY, DANGER_BY_KIND[kind]) == {}


def test_a_plan_or_a_farewell_gets_the_crisis_reply_with_the_crisis_line_first() -> None:
    net = safety_net()
    assert [m for m in CRISIS if net.reply_for(net.assess(m)).text != net.crisis_reply().text] == []


@pytest.mark.parametrize("kind", NOT_AN_ALARM_BY_KIND)
def test_look_alikes_get_an_answer_not_the_alarm(kind: str) -> None:
    net = safety_net()
    assert [m for m in NOT_AN_ALARM_BY_KIND[kind] if net.is_emergency(m)] == []


def test_violence_told_with_no_danger_now_keeps_the_911_line() -> None:
    """Not the alarm, but still the line about 911 in front of the answer, and no text stored."""
    net = safety_net()
    told = [*NOT_AN_ALARM_BY_KIND["violence that is over"], *NOT_AN_ALARM_BY_KIND["safe now"],
            *NOT_AN_ALARM_BY_KIND["violence that is over, or a question"]]
    assert [m for m in told if net.assess(m) != Level.DISCLOSURE] == []


def test_a_story_of_violence_is_marked_as_such_and_a_public_problem_is_not() -> None:
    """What keeps a story from the proposal interview (actions/proposal_form.py)."""
    net = safety_net()
    stories = [
        "cuando tenía nueve años mi padrastro me tocaba y mi mamá no me creyó",
        "mi exmarido me humillaba enfrente de mis hijos, quiero que esto cambie",
        "viví violencia familiar quince años y nadie me ayudó en el municipio",
        "un vecino se aprovechó de mí cuando yo tenía once y hasta ahora lo cuento",
    ]
    problems = [
        "en la colonia no hay alumbrado y a las muchachas las asaltan al bajar de la combi",
        "se inunda el patio de la escuela cada vez que llueve",
        "me tocó ver cómo chocaban las combis en la avenida, hay que poner semáforo",
    ]
    assert [m for m in stories if not (net.is_violence_story(m) and net.is_sensitive(m))] == []
    assert [m for m in problems if net.is_violence_story(m)] == []


def test_laughter_turns_off_figures_of_speech_but_never_a_real_threat() -> None:
    net = safety_net()
    assert not net.is_emergency("mi novio me va a matar cuando sepa que choqué su moto jajaja")
    assert net.is_emergency("jajaja ya llegó y trae la navaja en la mano")
    assert net.is_emergency("me está pegando xd ayuda")
    assert net.assess("jajaja ya me quiero morir, nada tiene sentido") == Level.CRISIS


@pytest.fixture
async def down_core():  # type: ignore[no-untyped-def]
    client = RasaClient(f"http://127.0.0.1:{free_port()}", timeout=2.0)
    yield ConversationCore(client, record_usage=False)
    await client.aclose()


async def test_the_core_answers_the_last_line_of_a_long_story_with_the_emergency_block(
    down_core: ConversationCore,
) -> None:
    """Rasa is down: only the safety net can have answered, before everything else."""
    turn = await down_core.handle(
        "kinds-1",
        "¿Qué hago? Viví seis años con él y me separé hace dos porque me pegaba. "
        "Hoy se brincó la barda y trae un tubo.",
    )
    assert turn.emergency and turn.intent == "emergency"
    assert turn.replies[0].text.startswith("Si estás en peligro ahora, llama al 911")


async def test_the_core_does_not_answer_stopping_a_follow_with_the_crisis_line(
    down_core: ConversationCore,
) -> None:
    turn = await down_core.handle("kinds-3", "ya no quiero seguir a la CFE")
    assert not turn.emergency
    assert turn.intent == "dejar_de_seguir_fuera_de_telegram", "answered as a follow, not a crisis"


async def test_the_core_does_not_sound_the_alarm_for_a_shelter_request(
    down_core: ConversationCore,
) -> None:
    turn = await down_core.handle(
        "kinds-2",
        "ya no quiero volver con él y no tengo dónde quedarme; necesito un albergue, hoy estoy con mi tía",
    )
    assert not turn.emergency
    assert "problema técnico" in turn.replies[0].text, "it went on to Rasa (down here)"


def test_laughter_ends_a_figure_of_speech_so_the_question_after_it_is_read_alone() -> None:
    net = safety_net()
    question = net.without_figures(
        "mi jefa me va a matar cuando vea la cuenta del súper 😂 oye tienen datos de los mercados?")
    assert question is not None and question.startswith("tienen datos de los mercados")
    assert net.without_figures("ya me mató la fila del registro jaja. bueno, ¿cómo pido información?") \
        == "cómo pido información?"


def test_a_figure_of_speech_is_no_sign_of_violence_but_violence_words_still_are() -> None:
    net = safety_net()
    assert net.assess("este formulario me está matando, llevo toda la tarde") == Level.NONE
    assert net.assess("me muero de sueño jaja, ¿a qué hora abren?") == Level.NONE
    assert net.assess("mi pareja me amenaza con matarme si lo dejo, ¿qué hago?") >= Level.SENSITIVE
