"""A typed word presses the offered button: titles, yes and no, corrections at the summary."""

from __future__ import annotations

from bot.conversation.choices import CONFIRM_PROPOSAL, Offer, Offers, Pressed, meaning, press
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


def test_offers_forget_when_a_turn_has_no_buttons_and_stay_bounded() -> None:
    offers = Offers(limit=2)
    offers.remember("a", [SUMMARY])
    offer = offers.get("a")
    assert offer is not None and offer.at_summary
    offers.remember("a", [Reply("¡Listo!")])
    assert offers.get("a") is None
    for sender in "bcd":
        offers.remember(sender, [Reply("¿Borro?", PRIVACY)])
    assert offers.get("b") is None and offers.get("d") is not None
