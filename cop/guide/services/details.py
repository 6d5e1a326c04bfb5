"""A lesson's details (what is not versioned): number, slug, chapter, status, evidence, review date,
themes and audiences, with their checks and the version marker that stale edit forms are held to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from cop.db_types import utcnow
from cop.extensions import db
from cop.guide import rules
from cop.guide.models import Chapter, Lesson, LessonStatus, lesson_sort_key
from cop.transactions import DomainError

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def details_version(lesson: Lesson) -> str:
    """A marker of the lesson's details as they are now: ``updated_at`` in whole microseconds.

    Every change of the details or the content moves ``updated_at``; the edit form carries this
    marker so that a save from an older form is refused instead of putting old details back.
    Microseconds survive the round trip through SQLite and PostgreSQL alike.
    """
    value = lesson.updated_at
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return str((value - _EPOCH) // timedelta(microseconds=1))


def as_int(value) -> int | None:
    """``value`` as a whole number, or None when it is not one (a damaged or tampered form)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def check_number(number: str, chapter: Chapter, lesson: Lesson | None) -> None:
    problem = rules.number_problem(number, chapter.number)
    if problem:
        raise DomainError(rules.message(problem, chapter=chapter.number), "number")
    clash = db.session.scalar(select(Lesson.id).where(Lesson.number == number))
    if clash is not None and (lesson is None or clash != lesson.id):
        raise DomainError(rules.message("number.taken", number=number), "number")


def check_slug(slug: str) -> None:
    if rules.slug_problem(slug):
        raise DomainError(rules.message("slug"), "slug")


def apply_details(lesson: Lesson, details: dict) -> bool:
    """Set number, slug, chapter, status, evidence, review date, themes and audiences; True if any changed."""
    chapter: Chapter = details["chapter"]
    number = details["number"]
    slug = details.get("slug") or rules.slugify(details["title"])
    check_number(number, chapter, lesson if lesson.id else None)
    check_slug(slug)
    themes = list(details.get("themes") or [])
    before = (
        lesson.number,
        lesson.slug,
        lesson.chapter_id,
        lesson.status,
        lesson.evidence,
        lesson.last_reviewed,
        [t.id for t in lesson.themes] if lesson.id else [],
        lesson.audiences if lesson.id else [],
    )
    lesson.number = number
    lesson.sort_key = lesson_sort_key(number)
    lesson.slug = slug
    lesson.chapter = chapter
    lesson.status = LessonStatus(details.get("status") or LessonStatus.DRAFT)
    lesson.evidence = details.get("evidence") or None
    lesson.last_reviewed = details.get("last_reviewed")
    if [t.id for t in lesson.themes] != [t.id for t in themes]:
        lesson.themes = themes
    lesson.set_audiences(details.get("audiences") or [])
    after = (
        lesson.number,
        lesson.slug,
        chapter.id,
        lesson.status,
        lesson.evidence,
        lesson.last_reviewed,
        [t.id for t in themes],
        lesson.audiences,
    )
    if before != after:
        lesson.updated_at = utcnow()
        return True
    return False
