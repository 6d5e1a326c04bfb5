"""Fill Dutch translations into the catalogue from a JSON file of {English: Dutch} (for a plural,
{English singular: [Dutch singular, Dutch plural]}).

    .venv/bin/python tools/translate.py translations.json

Only empty or fuzzy entries are filled; prints what is still untranslated afterwards. A helper for
developers after `make update-messages`; the catalogue itself is what ships.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).resolve().parent.parent / "cop/translations/nl/LC_MESSAGES/messages.po"


def main(path: str) -> int:
    wanted = json.loads(Path(path).read_text(encoding="utf-8"))
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    for message in catalogue:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        empty = not message.string or (isinstance(message.string, tuple) and not all(message.string))
        if key in wanted and (empty or message.fuzzy):
            value = wanted[key]
            message.string = tuple(value) if isinstance(message.id, tuple) else value
            message.flags.discard("fuzzy")
    with CATALOGUE.open("wb") as handle:
        write_po(handle, catalogue, width=76, sort_output=True, ignore_obsolete=True)
    missing = [
        m.id
        for m in catalogue
        if m.id and (not m.string or m.fuzzy or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    for message_id in missing:
        print("untranslated:", repr(message_id))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
