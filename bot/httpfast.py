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


# urllib's quote_plus leaves these bytes as they are (its always-safe set, with ``safe=""``).
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
# Byte value (a latin-1 character) -> what quote_plus writes for it: itself, "+" or "%XX".
_FORM_TABLE = {b: chr(b) if b in _UNRESERVED else "+" if b == 0x20 else f"%{b:02X}"
               for b in range(256)}


def _quote_plus(text: str) -> str:
    """``urllib.parse.quote_plus(text)``, the same characters, with the loop in C."""
    return text.encode("utf-8").decode("latin-1").translate(_FORM_TABLE)


def form_urlencode(pairs: Any, doseq: bool = False, *args: Any, **kwargs: Any) -> str:
    """``urllib.parse.urlencode`` for what httpx passes it (a list of (str, str) pairs); anything
    else goes to urllib itself."""
    from urllib.parse import urlencode

    if args or kwargs or not isinstance(pairs, list) \
            or not all(type(k) is str and type(v) is str for k, v in pairs):
        return urlencode(pairs, doseq, *args, **kwargs)
    return "&".join(f"{_quote_plus(k)}={_quote_plus(v)}" for k, v in pairs)


def fast_form_encoding() -> bool:
    """httpx form-encodes a request body (every Bot API call of PTB: sendMessage and its text,
    the keyboard's JSON) with the same bytes, in C.

    urllib's ``quote_plus`` builds the body one byte at a time in a Python list comprehension;
    for a sendMessage with an FAQ answer (accents, the keyboard's quotes and braces) that was
    ≈ 4 % of the bot's CPU in a profile (benchmarks/bot_cpu.py --profile). A ``str.translate``
    table gives the identical string (tests/test_httpfast.py compares them). Idempotent; False
    if httpx no longer encodes forms with ``urlencode`` (nothing changes).
    """
    try:
        from httpx import _content
    except ImportError:
        return False
    if getattr(_content, "urlencode", None) is form_urlencode:
        return True
    if not callable(getattr(_content, "urlencode", None)):
        return False
    _content.urlencode = form_urlencode  # type: ignore[assignment]
    return True
