"""The campaign sender: deliveries claimed from the database and sent at Telegram's pace.

- :mod:`bot.campaigns.broadcast.sender` — lanes that claim, send and record, exactly once (read its docstring);
- :mod:`bot.campaigns.broadcast.queue` — the delivery rows: claim, record, recover, sender leases;
- :mod:`bot.campaigns.broadcast.pacing` — the overall rate, one message per second per chat, RetryAfter pauses;
- :mod:`bot.campaigns.broadcast.botapi` — one Bot API call per message over httpx, its outcome classified;
- :mod:`bot.campaigns.broadcast.loop` — scheduled campaigns, for ``participa serve`` and ``campaign send --wait``.
"""
