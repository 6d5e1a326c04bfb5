"""One Dutch word for one thing (docs/glossary.md): the retired words never come back into the
Dutch catalogue."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "cop/translations/nl/LC_MESSAGES/messages.po"
RETIRED = {
    r"\bredacteur": "moderator",
    r"\bredactie\b": "moderator",
    r"\bgebruiker(s)?\b": "lid / leden",
    r"\bnotificatie": "melding",
    r"\bco-auteur": "medeauteur",
    r"\bonderbouwing\b": "gebaseerd op",
    r"^voorbeeld\b": "voorvertoning (for a preview)",
    r"community of practice": "kennisgemeenschap",
    r"\bfacilitator": "begeleider",
}


def dutch_strings():
    with CATALOGUE.open("rb") as handle:
        for message in read_po(handle):
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in strings:
                yield message.id, text


def test_the_glossary_lists_every_retired_word():
    glossary = (ROOT / "docs/glossary.md").read_text(encoding="utf-8").lower()
    for pattern in RETIRED:
        word = re.sub(r"\\b|\^|\(s\)\?", "", pattern)
        assert word in glossary, f"{word} is retired but not in docs/glossary.md"


def test_no_retired_word_in_the_dutch_catalogue():
    wrong = [
        f"{text!r} (for {message_id!r}) uses {pattern!r}: say {instead}"
        for message_id, text in dutch_strings()
        for pattern, instead in RETIRED.items()
        if re.search(pattern, text, re.IGNORECASE)
    ]
    assert not wrong, "\n".join(wrong)
