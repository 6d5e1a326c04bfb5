"""The guide's part of a new member's first steps (cop.panels "first-steps"): reading lesson 1.2,
the guide's own introduction to what it aims at."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from cop.guide import queries
from cop.panels import FirstStep

STARTING_LESSON = "1.2"


def read_lesson_step(member) -> FirstStep | None:
    """One query (the lesson, and whether the member opened it)."""
    lesson, done = queries.starting_lesson(STARTING_LESSON, member)
    if lesson is None:
        return None
    return FirstStep(
        40,
        _("Read lesson %(number)s: %(title)s", number=lesson.number, title=lesson.title),
        url_for("guide.lesson", ref=lesson.ref),
        done,
    )
