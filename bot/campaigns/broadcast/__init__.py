"""The campaign sender: deliveries claimed from the database and sent at Telegram's pace.

- :mod:`bot.broadcast.sender` — lanes that claim, send and record, exactly once (read its docstring);
- :mod:`bot.broadcast.queue` — the delivery rows: claim, record, recover, sender leases;
- :mod:`bot.broadcast.pacing` — the overall rate, one message per second per chat, RetryAfter pauses;
- :mod:`bot.broadcast.botapi` — one Bot API call per message over httpx, its outcome classified;
- :mod:`bot.broadcast.loop` — scheduled campaigns, for ``participa serve`` and ``campaign send --wait``.
"""
