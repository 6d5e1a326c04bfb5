"""How the guide's fixed vocabularies read on the page (English source strings, Dutch by default)."""

from __future__ import annotations

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
