"""Editions: freezing the current revision of every published lesson."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from cop import signals
from cop.db_types import utcnow
from cop.extensions import db
from cop.guide.models import Edition, EditionEntry, Lesson, LessonStatus
from cop.sanitize import render
from cop.transactions import commit


def next_edition_number() -> int:
    return (db.session.scalar(select(func.max(Edition.number))) or 0) + 1


def stage_edition(*, number: int, title: str, published_on: date | None, note: str, actor=None) -> Edition:
    """Freeze the current revision of every published lesson into a new edition (no commit)."""
    edition = Edition(
        number=number,
        title=title,
        published_on=published_on,
        note=note,
        note_html=render(note),
        created_at=utcnow(),
        created_by_id=getattr(actor, "id", None),
    )
    rows = db.session.execute(
        select(Lesson.id, Lesson.current_revision_id).where(
            Lesson.status == LessonStatus.PUBLISHED, Lesson.current_revision_id.is_not(None)
        )
    ).all()
    edition.entries = [
        EditionEntry(lesson_id=lesson_id, revision_id=revision_id) for lesson_id, revision_id in rows
    ]
    db.session.add(edition)
    return edition


def publish_edition(*, title: str, published_on: date | None, note: str, actor) -> Edition:
    edition = stage_edition(
        number=next_edition_number(), title=title, published_on=published_on, note=note, actor=actor
    )
    signals.edition_published.send(edition, actor=actor)
    commit(_("Someone else published an edition at the same moment. Check the editions and try again."))
    return edition
