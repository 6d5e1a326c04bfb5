"""The provenance lines of the printable guide (``/editie/<n>/afdrukken``, a page of the guide):
"Voortgekomen uit de praktijkbijdrage van …" under each lesson, as the lesson page shows them.
The guide may not ask contributions itself, so it asks the "lesson-credits" point."""

from __future__ import annotations

from cop.api import queries


def lesson_credits(lesson_ids):
    """Three queries at most, however many lessons."""
    credits = queries.credits(lesson_ids)
    if not credits:
        return None
    return "api/_lesson_credits.html", {"credits": credits}
