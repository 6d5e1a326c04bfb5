"""How the guide's fixed vocabularies read on the page (English source strings, Dutch by default)."""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

AUDIENCE_LABELS = {
    "bewoners": _l("Residents"),
    "professionals": _l("Professionals"),
    "beleidsmakers": _l("Policy makers"),
    "bestuurders": _l("Executives and aldermen"),
}
EVIDENCE_LABELS = {
    "onderzoek": _l("Research"),
    "praktijk": _l("Practice"),
    "ervaringskennis": _l("Experiential knowledge"),
}
STATUS_LABELS = {"draft": _l("Draft (only editors see it)"), "published": _l("Published")}


def labels() -> dict:
    """The labels as template context."""
    return {"audience_labels": AUDIENCE_LABELS, "evidence_labels": EVIDENCE_LABELS}


# What the content import wrote as a revision's note before it wrote a sentence for readers: the
# file's name ("Imported from lessen/1.2-wat-de-wijkengids-beoogt.md."), in English or Dutch.
LEGACY_IMPORT_NOTE_RE = re.compile(r"^(?:Imported from|Geïmporteerd uit) \S+\.md\.$")


def import_note(created: bool, edition: int | None) -> str:
    """The history note of a revision the content import makes, in the guide's language (like every
    change note): where the text came from, for readers."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        if not created:
            return _("Updated from the text of the Wijkengids.")
        if edition:
            return _("Taken from the Wijkengids, edition %(number)d.", number=edition)
        return _("Taken from the Wijkengids.")


def is_legacy_import_note(revision) -> bool:
    return revision.kind == "import" and bool(LEGACY_IMPORT_NOTE_RE.match(revision.change_note or ""))
