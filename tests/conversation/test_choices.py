"""A typed word presses the offered button: titles, yes and no, corrections at the summary."""

from __future__ import annotations

import pytest

from bot.conversation.choices import (
    CONFIRM_PROPOSAL,
    SAVE_MINE,
    WHICH_ONE,
    Offer,
    Pressed,
    meaning,
    press,
)
from bot.conversation.replies import Button, Reply

SUMMARY = Reply("Revisa tu propuesta antes de enviarla:", [
    Button("Enviar propuesta", CONFIRM_PROPOSAL),
    Button("Corregir tema", '/editar_propuesta{"campo":"theme"}'),
    Button("Corregir municipio", '/editar_propuesta{"campo":"municipality"}'),
    Button("Corregir solución", '/editar_propuesta{"campo":"solution"}'),
    Button("Cancelar", "/cancelar"),
])
PRIVACY = [Button("Sí, bórralo", "/borrar_si{}"), Button("No, consérvalos", "/no_borrar")]


def summary_offer() -> Offer:
    return Offer(list(SUMMARY.buttons), SUMMARY)


def test_buttons_mean_yes_or_no_by_payload_or_title() -> None:
    assert [meaning(b) for b in SUMMARY.buttons[:2]] == ["yes", None]
    assert [meaning(b) for b in PRIVACY] == ["yes", "no"]


def test_a_typed_title_or_a_yes_presses_the_button() -> None:
    offer = summary_offer()
    assert press(offer, "corregir municipio") == Pressed('/editar_propuesta{"campo":"municipality"}')
    assert press(offer, "si, enviala") == Pressed(CONFIRM_PROPOSAL)
    assert press(offer, "CANCELAR") == Pressed("/cancelar")
    assert press(Offer(PRIVACY), "nel") == Pressed("/no_borrar")


def test_a_correction_in_words_carries_the_new_value() -> None:
    offer = summary_offer()
    assert press(offer, "cambia el municipio a Toluca") == Pressed(
        '/editar_propuesta{"campo":"municipality"}', "Toluca")
    assert press(offer, "quiero cambiar la solución") == Pressed('/editar_propuesta{"campo":"solution"}')


def test_other_texts_are_left_alone() -> None:
    offer = summary_offer()
    assert press(offer, "que es una mesa de cocreacion?") is None
    assert press(offer, "no") is None, "a no at the summary is asked about, never a button"
    assert press(Offer([Button("Movilidad", "Movilidad")]), "sí") is None


SIMILAR = [Button("Apoyar PAR-2026-0007", '/apoyar_propuesta{"folio":"PAR-2026-0007"}'),
           Button("Apoyar PAR-2026-0011", '/apoyar_propuesta{"folio":"PAR-2026-0011"}'),
           Button("Guardar la mía", SAVE_MINE)]


def test_an_ordinal_picks_the_button_in_that_place() -> None:
    themes = Offer([Button(t, t) for t in ("Movilidad", "Seguridad", "Otro")])
    assert press(themes, "la segunda") == Pressed("Seguridad")
    assert press(themes, "opción 3") == Pressed("Otro")
    assert press(themes, "el último") == Pressed("Otro")
    assert press(themes, "la quinta") is None, "no fifth button: nothing pressed"
    assert press(themes, "la segunda calle está rota") is None, "more than a choice"
    results = Offer([Button("Ver más resultados", "/ver_mas_contratos"),
                     Button("Descargar en CSV", "/descargar_contratos")])
    assert press(results, "el segundo") is None, "the second contract of the list, not a download"


RESULTS = [Button("Ver más resultados", '/ver_mas_contratos{"q":"k3x9pq2m7a","p":2}'),
           Button("Descargar en CSV", '/descargar_contratos{"q":"k3x9pq2m7a","p":1}'),
           Button("¿Qué significan las señales?", '/elegir_tema{"tema":"senales_contratos"}')]


@pytest.mark.parametrize(("typed", "payload"), [
    ("el segundo", "/ver_contrato k3x9pq2m7a 1 2 0"),
    ("ver el 7", "/ver_contrato k3x9pq2m7a 1 7 1"),
    ("el 2", "/ver_contrato k3x9pq2m7a 1 2 1"),
    ("muéstrame ese contrato", "/ver_contrato k3x9pq2m7a 1 0 0"),
    ("y el último?", "/ver_contrato k3x9pq2m7a 1 -1 0"),
])
def test_a_contract_of_the_results_on_screen_is_picked_by_its_place(typed: str, payload: str) -> None:
    """beh10: «el segundo» after contract results went to Rasa and got an unrelated FAQ answer."""
    assert press(Offer(list(RESULTS)), typed) == Pressed(payload)


@pytest.mark.parametrize("typed", ["el segundo piso de la escuela", "el 2 y el 3", "no", "esa fiscalía"])
def test_more_than_a_pick_is_no_pick(typed: str) -> None:
    assert press(Offer(list(RESULTS)), typed) is None


@pytest.mark.parametrize("typed", ["otros", "¿hay otros?", "otro", "más", "hay más centros?",
                                   "dame otros lugares", "siguientes"])
def test_otros_presses_the_more_button_of_a_list(typed: str) -> None:
    """beh10: «otros» after a list of centres was read by Rasa as something else."""
    centres = Offer([Button("Ver más lugares", "/mas_centros 15106 3")])
    assert press(centres, typed) == Pressed("/mas_centros 15106 3")
    assert press(Offer(list(RESULTS)), typed) == Pressed(RESULTS[0].payload)


@pytest.mark.parametrize("typed", ["otro tema", "otra cosa", "no hay más", "más info de violencia"])
def test_otros_with_more_words_is_not_the_more_button(typed: str) -> None:
    assert press(Offer([Button("Ver más lugares", "/mas_centros 15106 3")]), typed) is None


def test_answers_to_the_similar_proposals_offer() -> None:
    offer = Offer(list(SIMILAR))
    assert press(offer, "la primera") == Pressed(SIMILAR[0].payload)
    assert press(offer, "apoyo la 2") == Pressed(SIMILAR[1].payload)
    assert press(offer, "apoyo la PAR-2026-0011") == Pressed(SIMILAR[1].payload)
    assert press(offer, "no, la mía es otra") == Pressed(SAVE_MINE)
    assert press(offer, "no") == Pressed(SAVE_MINE)
    assert press(offer, "guarda la mía") == Pressed(SAVE_MINE)
    assert press(offer, "sí") == Pressed(WHICH_ONE), "two to choose from: the core asks which"
    one = Offer([SIMILAR[0], SIMILAR[2]])
    assert press(one, "sí, la apoyo") == Pressed(SIMILAR[0].payload), "only one: «sí» supports it"
    assert press(offer, "¿qué es una adhesión?") is None


def test_simon_to_the_offer_of_notices_after_supporting_presses_it() -> None:
    """walk8: «¿Quieres que te avise cuando cambie de estado? Toca «Avísame cómo va»» — the only
    button has no «Sí» in its title, so «simón» went to the model («No estoy segura…»)."""
    offer = Offer([Button("Avísame cómo va", "/avisame P-2026-000003")])
    for typed in ("simón", "a huevo", "ok va", "sí"):
        assert press(offer, typed) == Pressed("/avisame P-2026-000003"), typed
    assert press(offer, "nel") == Pressed("/avisame_no P-2026-000003")  # «De acuerdo, no guardé nada»


TOPICS = [Button("Gobierno abierto", "/suscribir_tema gobierno_abierto"),
          Button("Contrataciones públicas", "/suscribir_tema contrataciones"),
          Button("Convocatorias y eventos", "/suscribir_tema convocatorias"),
          Button("Violencia contra las mujeres", "/suscribir_tema violencia")]


@pytest.mark.parametrize(("typed", "payload"), [
    ("contrataciones", "/suscribir_tema contrataciones"),
    ("contratos", "/suscribir_tema contrataciones"),  # not «Violencia contra…»
    ("la de violencia", "/suscribir_tema violencia"),
    ("el de las mujeres", "/suscribir_tema violencia"),
    ("eventos", "/suscribir_tema convocatorias"),
    ("la segunda", "/suscribir_tema contrataciones"),
])
def test_an_option_of_a_list_is_typed_by_name_or_place(typed: str, payload: str) -> None:
    assert press(Offer(TOPICS), typed) == Pressed(payload)


def test_a_name_that_fits_several_options_or_an_action_list_presses_nothing() -> None:
    bodies = [Button("Ayuntamiento de Tenango del Valle", "/solicitud_institucion mun:15088"),
              Button("Ayuntamiento de Tenango del Aire", "/solicitud_institucion mun:15087")]
    assert press(Offer(bodies), "tenango") is None
    assert press(Offer(bodies), "el del aire") == Pressed("/solicitud_institucion mun:15087")
    follows = [Button("Dejar: Comisión Federal de Electricidad", "/dejar_de_seguir 1"),
               Button("Dejar: Diconsa", "/dejar_de_seguir 2")]
    assert press(Offer(follows), "comision federal de electricidad") is None  # a search, not «Dejar»
    assert press(Offer(TOPICS), "¿qué es el gobierno abierto y para qué sirve la transparencia?") is None


def test_a_subscriber_adds_a_topic_by_name_but_never_leaves_one_by_naming_it() -> None:
    overview = [Button("Agregar: Violencia contra las mujeres", "/suscribir_tema violencia"),
                Button("Dejar: Contrataciones públicas", "/baja contrataciones"),
                Button("Cambiar mi municipio", "/suscribir_cambiar_municipio")]
    assert press(Offer(overview), "la de violencia") == Pressed("/suscribir_tema violencia")
    assert press(Offer(overview), "contrataciones") is None
