"""Complete the source-language catalog: every empty es_MX msgstr becomes its msgid.

msgids are written in Mexican Spanish, so es_MX needs no translator: ``make i18n`` runs this
after ``pybabel update`` so the es_MX catalog is complete (and a reworded entry can still be
adapted by hand, since filled entries are left alone). Fuzzy entries, which ``pybabel update``
guesses for changed msgids, are replaced by the new msgid for the same reason.

    python tools/i18n_source_catalog.py bot/locale/es_MX/LC_MESSAGES/messages.po
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def complete(path: Path) -> int:
    """Fill the catalog at ``path`` in place; return how many entries changed."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    changed = 0
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            message.flags.discard("fuzzy")
            message.string = message.id
            changed += 1
        elif isinstance(message.id, tuple):
            if not all(message.string):
                message.string = (message.id[0], *[message.id[1]] * (len(message.string) - 1))
                changed += 1
        elif not message.string:
            message.string = message.id
            changed += 1
    with path.open("wb") as handle:
        write_po(handle, catalog, width=76)
    return changed


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: {complete(Path(name))} entradas completadas con su msgid")
