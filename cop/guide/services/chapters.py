"""Chapters and themes of the guide. Public functions own the commit; ``stage_*`` and
``ensure_*`` leave it to the caller (the content import stores a whole run or nothing)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from cop import signals
from cop.db_types import utcnow
from cop.extensions import db
from cop.guide.models import Chapter, Theme
from cop.sanitize import render
from cop.transactions import DomainError, commit


def stage_chapter(chapter: Chapter, fields: dict) -> bool:
    """Apply chapter fields without committing; True when anything changed."""
    clash = db.session.scalar(select(Chapter.id).where(Chapter.number == fields["number"]))
    if clash is not None and clash != chapter.id:
        raise DomainError(_("Chapter %(number)d exists already.", number=fields["number"]), "number")
    if chapter.id is None:
        db.session.add(chapter)
    changed = False
    for name in ("number", "title", "intro", "objectives_intro", "objectives"):
        if getattr(chapter, name) != fields[name]:
            setattr(chapter, name, list(fields[name]) if name == "objectives" else fields[name])
            changed = True
    if changed:
        chapter.intro_html = render(chapter.intro)
        chapter.updated_at = utcnow()
        if chapter.id is not None and "number" in fields:
            _check_lesson_numbers(chapter)
    return changed


def _check_lesson_numbers(chapter: Chapter) -> None:
    for lesson in chapter.lessons:
        if int(lesson.number.split(".")[0]) != chapter.number:
            raise DomainError(
                _(
                    "This chapter has a lesson numbered %(number)s; "
                    "renumber its lessons before you renumber the chapter.",
                    number=lesson.number,
                ),
                "number",
            )


def save_chapter(chapter: Chapter | None, fields: dict) -> tuple[Chapter, bool]:
    chapter = chapter or Chapter()
    try:
        changed = stage_chapter(chapter, fields)
    except DomainError:
        db.session.rollback()
        raise
    if changed:
        signals.chapter_saved.send(chapter)
        commit()
    return chapter, changed


def ensure_theme(slug: str, title: str, description: str, position: int, group: str = "thema") -> bool:
    """Create or update a theme without committing; True when anything changed."""
    theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
    if theme is None:
        theme = Theme(slug=slug)
        db.session.add(theme)
    changed = False
    for name, value in (
        ("title", title),
        ("description", description),
        ("position", position),
        ("group", group),
    ):
        if getattr(theme, name) != value:
            setattr(theme, name, value)
            changed = True
    if changed:
        theme.description_html = render(description)
    return changed
