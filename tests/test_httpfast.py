"""httpx no longer searches the disk for the missing ``sniffio`` on every request of the bot."""

from __future__ import annotations

import json
import subprocess
import sys

from bot.config import PROJECT_ROOT

SCRIPT = """
import asyncio, importlib.machinery, json
from bot.conversation.rasa_client import RasaClient
from httpcore._synchronization import current_async_library
searches = []
original = importlib.machinery.PathFinder.find_spec
importlib.machinery.PathFinder.find_spec = classmethod(
    lambda cls, name, *a, **k: searches.append(name) or original(name, *a, **k))

async def main():
    client = RasaClient("http://127.0.0.1:9")  # what the bot builds once
    libraries = {current_async_library() for _ in range(50)}  # what httpcore asks per request
    await client.aclose()
    print(json.dumps({"libraries": sorted(libraries), "searches": searches.count("sniffio")}))

asyncio.run(main())
"""


def test_the_bot_does_not_look_for_sniffio_on_every_request() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["libraries"] == ["asyncio"]
    assert result["searches"] == 1  # once, when the client is built (before: once per request)


def test_a_bot_api_form_body_is_the_same_bytes_as_urllib_makes() -> None:
    """fast_form_encoding: what Telegram receives does not change by one byte."""
    import random
    from urllib.parse import urlencode

    from bot.content.faq import faq_catalog
    from bot.content.render import answer_buttons, render_answer
    from bot.httpfast import form_urlencode

    texts = [render_answer(e) for e in faq_catalog().entries]
    texts += [json.dumps({"inline_keyboard": [[b] for b in answer_buttons(e)]}, default=str)
              for e in faq_catalog().entries]
    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0, 0x2FF)] + ["😡", "€", "\u200b", "ñ", " ", "+", "%", "&", "="]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(2000)]
    texts += ["", " ", "a b", "~._-", "¿Qué es el STL?"]
    for i, text in enumerate(texts):
        pairs = [("chat_id", str(i)), ("text", text), ("parse_mode", "HTML")]
        assert form_urlencode(pairs, doseq=True) == urlencode(pairs, doseq=True)
    assert form_urlencode({"a": "b c"}) == urlencode({"a": "b c"})  # not a list: urllib's own


def test_httpx_sends_the_form_with_the_fast_encoder() -> None:
    import httpx

    from bot.httpfast import fast_form_encoding

    assert fast_form_encoding() and fast_form_encoding()  # idempotent
    request = httpx.Request("POST", "http://x/sendMessage", data={"text": "¿Qué es? sí", "n": "1"})
    assert request.read() == b"text=%C2%BFQu%C3%A9+es%3F+s%C3%AD&n=1"
