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
