"""The campaign sender: deliveries claimed from the database and sent at Telegram's pace.

- :mod:`.sender` — lanes that claim, send and record, exactly once (read its docstring);
- :mod:`.queue` — the delivery rows: claim, record, recover, sender leases;
- :mod:`.pacing` — the overall rate, one message per second per chat, RetryAfter pauses;
- :mod:`.botapi` — one Bot API call per message over httpx, its outcome classified;
- :mod:`.loop` — scheduled campaigns, for ``participa serve`` and ``campaign send --wait``.
"""
