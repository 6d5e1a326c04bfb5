"""The guide's part of a new member's first steps (cop.panels "first-steps"): reading lesson 1.2,
the guide's own introduction to what it aims at."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from cop.guide import queries, services
from cop.panels import FirstStep

STARTING_LESSON = "1.2"


def read_lesson_step(member) -> FirstStep | None:
    """Two queries (none when the guide has no lesson 1.2)."""
    lesson = queries.lesson_by_ref(STARTING_LESSON)
    if lesson is None:
        return None
    return FirstStep(
        40,
        _("Read lesson %(number)s: %(title)s", number=lesson.number, title=lesson.title),
        url_for("guide.lesson", ref=lesson.ref),
        services.has_read(member, STARTING_LESSON),
    )
