"""Structured logs for ``participa serve``: one JSON object a line, no personal data.

Log calls pass an event name as the message and numbers or labels in
``extra`` (intent, timings, error class), never a chat id or message text.

Libraries are another matter: at DEBUG, python-telegram-bot logs every Bot API
call with its parameters (chat id and text), SQLAlchemy logs SQL with its bound
values (contacts, proposals), httpx logs URLs (the bot token). Those loggers are
capped (:data:`CAPPED_LOGGERS`) whatever the root level, so turning on DEBUG to
chase a problem never writes personal data. As a last line of defence the JSON
formatter masks anything shaped like a bot token, an e-mail address, a Telegram
conversation id or a phone number.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
from typing import Any

from bot.identity import TELEGRAM_PREFIX

_TOKEN_RE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
_MASKS = (
    (_TOKEN_RE, "<token>"),
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "<correo>"),
    (re.compile(rf"\b{re.escape(TELEGRAM_PREFIX)}-?\d+"), "<chat>"),
    (re.compile(r"(?<![\d.])\+?(?:52)?\d{10}(?![\d.])"), "<teléfono>"),
    # A database error quotes the statement's values: a citizen's proposal, a contact.
    (re.compile(r"\[parameters: .*?\](?=\n|$)", re.DOTALL), "[parameters: <ocultos>]"),
)
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName", "color_message"}

# Loggers that carry request parameters, SQL values or URLs below these levels.
CAPPED_LOGGERS: dict[str, int] = {
    "telegram": logging.INFO,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "hpack": logging.WARNING,
    "sqlalchemy": logging.WARNING,
    "alembic.runtime.plugins": logging.WARNING,
    "apscheduler": logging.WARNING,
    "uvicorn.access": logging.WARNING,
    "rasa_sdk": logging.INFO,
    "asyncio": logging.WARNING,
}


def cap_library_loggers() -> None:
    """Keep libraries that log personal data or secrets at DEBUG/INFO above those levels."""
    for name, level in CAPPED_LOGGERS.items():
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < level:
            logger.setLevel(level)


def redact(text: str) -> str:
    for pattern, mask in _MASKS:
        text = pattern.sub(mask, text)
    return text


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": redact(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, int | float | bool | None) else redact(str(value))
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure_json_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # A uvicorn started earlier in the process (uvicorn's own logging config) leaves handlers on
    # its loggers and stops them propagating: its tracebacks would bypass the redacting formatter.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    cap_library_loggers()
