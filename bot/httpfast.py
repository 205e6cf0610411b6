"""One-time settings that make each httpx request of the bot cheaper.

``skip_missing_optional_imports``: httpx no longer looks for a module that is not installed.
``remember_raw_sockets``: a connection finds its socket once (see there).

On sniffio:

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
from typing import Any

OPTIONAL = "sniffio"


def skip_missing_optional_imports() -> bool:
    """True if sniffio is missing and now known to be (idempotent)."""
    if OPTIONAL in sys.modules:
        return sys.modules[OPTIONAL] is None
    if importlib.util.find_spec(OPTIONAL) is not None:
        return False
    sys.modules[OPTIONAL] = None  # type: ignore[assignment]  # "import sniffio" now fails at once
    return True


def remember_raw_sockets() -> bool:
    """Each httpx connection finds its socket once, not on every look at the connection pool.

    Before each request httpcore asks every pooled connection whether it expired: for an idle one,
    whether its socket is readable (the server hung up). To get the socket, anyio rebuilt the
    stream's whole table of attributes, with a ``getpeername`` system call, every time: with the
    bot's pools under load that was ≈ 6 % of its main thread (py-spy,
    benchmarks/telegram_throughput.py). A stream's socket never changes, so it is kept on the
    stream the first time; the readability check itself (``poll``) still runs every time.
    Idempotent; False if httpcore's anyio backend is not the expected one (nothing changes).
    """
    try:
        import anyio
        from httpcore._backends.anyio import AnyIOStream
        from httpcore._utils import is_socket_readable
    except ImportError:
        return False
    original = AnyIOStream.get_extra_info
    if getattr(original, "remembers_socket", False):
        return True

    def get_extra_info(self: Any, info: str) -> Any:
        if info not in ("is_readable", "socket"):
            return original(self, info)
        try:
            sock = self._participa_socket
        except AttributeError:
            sock = self._participa_socket = self._stream.extra(
                anyio.abc.SocketAttribute.raw_socket, None
            )
        return is_socket_readable(sock) if info == "is_readable" else sock

    get_extra_info.remembers_socket = True  # type: ignore[attr-defined]
    AnyIOStream.get_extra_info = get_extra_info  # type: ignore[method-assign]
    return True
