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


async def test_a_document_reply_is_sent_as_a_file_without_an_empty_message(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from bot.channels.telegram import TelegramChannel
    from bot.conversation.replies import Reply

    sent: list[tuple[str, object]] = []

    class Chat:
        async def send_document(self, handle, filename):  # type: ignore[no-untyped-def]
            sent.append(("document", (filename, handle.read())))

        async def send_message(self, text, parse_mode=None, reply_markup=None):  # type: ignore[no-untyped-def]
            sent.append(("message", text))

    path = tmp_path / "contratos-ab.csv"
    path.write_text("ocid\nPC-0011\n", encoding="utf-8")
    channel = TelegramChannel(core=None)  # type: ignore[arg-type]
    update = SimpleNamespace(effective_chat=Chat())
    await channel.send_replies(
        update,  # type: ignore[arg-type]
        [
            Reply("Aquí está el archivo CSV"),
            Reply("", custom={"document": {"filename": "contratos-ab.csv", "path": str(path)}}),
        ],
    )
    assert sent == [
        ("message", "Aquí está el archivo CSV"),
        ("document", ("contratos-ab.csv", b"ocid\nPC-0011\n")),
    ]
