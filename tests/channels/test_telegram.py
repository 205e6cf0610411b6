from bot.channels.telegram import PayloadKeys, split_text


def test_long_payloads_get_short_keys_that_resolve_back() -> None:
    keys = PayloadKeys()
    long_payload = '/elegir_tema{"tema":"quien_resuelve_recursos_edomex_y_algo_mas_largo"}'
    key = keys.key_for(long_payload)
    assert len(key.encode()) <= 64
    assert keys.payload_for(key) == long_payload
    assert keys.key_for("/ver_temas") == "/ver_temas"


def test_unknown_keys_are_reported_as_stale() -> None:
    assert PayloadKeys().payload_for("k:0123456789abcdef") is None


def test_old_keys_are_evicted_beyond_capacity() -> None:
    keys = PayloadKeys(capacity=2)
    first = keys.key_for("/x" + "a" * 70)
    keys.key_for("/x" + "b" * 70)
    keys.key_for("/x" + "c" * 70)
    assert keys.payload_for(first) is None


def test_split_text_respects_the_limit_and_paragraphs() -> None:
    text = "\n\n".join(["párrafo " * 50] * 30)
    parts = split_text(text, limit=1000)
    assert all(len(p) <= 1000 for p in parts)
    assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")
    assert split_text("corto") == ["corto"]
