"""The objects the guide's URLs name, loaded the one way (``cop.loaders.loads``): 404 when missing
or not visible to the viewer, and a redirect to the canonical address for an outdated slug."""

from __future__ import annotations

from flask_login import current_user

from cop.guide import queries
from cop.loaders import loads

lesson_from_ref = loads("lesson", queries.lesson_by_ref, param="ref", canonical=lambda lesson: lesson.ref)
# The lesson page: also whether the member opened the lesson before (``Lesson.read_by_reader``).
lesson_to_read = loads(
    "lesson",
    lambda ref: queries.lesson_by_ref(ref, current_user),
    param="ref",
    canonical=lambda lesson: lesson.ref,
)
chapter_from_number = loads("chapter", queries.chapter_by_number, param="number")
theme_from_slug = loads("theme", queries.theme_by_slug, param="slug")
edition_from_number = loads("edition", queries.edition_by_number, param="number")
