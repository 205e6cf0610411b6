"""One-time setting that keeps httpx from looking for a module that is not installed.

httpcore asks ``import sniffio`` on every request (to tell asyncio from trio) and falls back to
asyncio when it is missing; sniffio is no longer a dependency of anyio or httpx, so each request
of the bot (getUpdates, sendMessage, the call to Rasa) searched every folder of ``sys.path`` for
it again: ≈ 2.5 % of the bot's CPU in a profile under benchmarks/telegram_throughput.py.
Marking it missing once in ``sys.modules`` makes the same import fail at once, with the same
result; when sniffio is installed nothing changes.
"""

from __future__ import annotations

import importlib.util
import sys

OPTIONAL = "sniffio"


def skip_missing_optional_imports() -> bool:
    """True if sniffio is missing and now known to be (idempotent)."""
    if OPTIONAL in sys.modules:
        return sys.modules[OPTIONAL] is None
    if importlib.util.find_spec(OPTIONAL) is not None:
        return False
    sys.modules[OPTIONAL] = None  # type: ignore[assignment]  # "import sniffio" now fails at once
    return True
