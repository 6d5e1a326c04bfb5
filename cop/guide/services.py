"""Guide operations: lessons and their revisions, chapters, editions. Public functions own the commit."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cop.db_types import utcnow
from cop.extensions import db
from cop.guide.models import (
    Chapter,
    Lesson,
    LessonRevision,
    LessonStatus,
    RevisionSource,
    Source,
    lesson_sort_key,
)
from cop.guide.validation import SLUG_RE, content_errors, number_error, slugify
from cop.sanitize import render


class GuideError(Exception):
    """A domain error the view shows at ``field`` (or at the top of the form when None)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class SaveResult:
    revision: LessonRevision | None
    details_changed: bool

    @property
    def changed(self) -> bool:
        return self.revision is not None or self.details_changed


def commit() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise GuideError(
            _("Someone else saved the same thing at the same moment. Check the page and try again.")
        ) from None


# --- lesson details -------------------------------------------------------------------------


def _check_number(number: str, chapter: Chapter, lesson: Lesson | None) -> None:
    problem = number_error(number, chapter.number)
    if problem == "number":
        raise GuideError(_("Write the number as chapter and section, for example 1.2 or 2.4.5."), "number")
    if problem == "chapter":
        raise GuideError(
            _(
                "A lesson in chapter %(chapter)d has a number that starts with %(chapter)d.",
                chapter=chapter.number,
            ),
            "number",
        )
    clash = db.session.scalar(select(Lesson.id).where(Lesson.number == number))
    if clash is not None and (lesson is None or clash != lesson.id):
        raise GuideError(
            _("Lesson %(number)s exists already. Choose another number.", number=number), "number"
        )


def _check_slug(slug: str) -> None:
    if not SLUG_RE.match(slug):
        raise GuideError(
            _("Use only lower-case letters, digits and hyphens, for example wat-de-wijkengids-beoogt."),
            "slug",
        )


def _apply_details(lesson: Lesson, details: dict) -> bool:
    """Set number, slug, chapter, status, evidence, review date, themes and audiences; True if any changed."""
    chapter: Chapter = details["chapter"]
    number = details["number"]
    slug = details.get("slug") or slugify(details["title"])
    _check_number(number, chapter, lesson if lesson.id else None)
    _check_slug(slug)
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
    return before != after


# --- revisions ------------------------------------------------------------------------------


def _resolve_sources(items: list[dict]) -> list[Source]:
    """The Source row for each citation, creating rows for citations not seen before."""
    prints = [Source.fingerprint_of(item) for item in items]
    known = {}
    if prints:
        known = {
            s.fingerprint: s for s in db.session.scalars(select(Source).where(Source.fingerprint.in_(prints)))
        }
    found = []
    for item, fingerprint in zip(items, prints, strict=True):
        source = known.get(fingerprint)
        if source is None:
            source = Source(fingerprint=fingerprint, **item)
            db.session.add(source)
            known[fingerprint] = source
        found.append(source)
    return found


def _rendered_items(items: list[dict]) -> list[dict]:
    return [{**item, "text_html": render(item["text"])} for item in items]


def _check_content(content: dict) -> None:
    problems = content_errors(content)
    if problems:
        path, message = problems[0]
        raise GuideError(
            _("The lesson content is not valid: %(where)s: %(what)s.", where=path[0], what=message)
        )


def _add_revision(
    lesson: Lesson, content: dict, *, editor, change_note: str, kind: str, restored_from: int | None = None
) -> LessonRevision:
    _check_content(content)
    db.session.flush()  # a new lesson needs its id
    last = db.session.scalar(
        select(func.max(LessonRevision.number)).where(LessonRevision.lesson_id == lesson.id)
    )
    revision = LessonRevision(
        lesson_id=lesson.id,
        number=(last or 0) + 1,
        title=content["title"],
        summary=content["summary"],
        summary_html=render(content["summary"]),
        objectives=list(content["objectives"]),
        body=content["body"],
        body_html=render(content["body"]),
        quotes=_rendered_items(content["quotes"]),
        examples=_rendered_items(content["examples"]),
        editor=editor,
        created_at=utcnow(),
        change_note=change_note,
        kind=kind,
        restored_from=restored_from,
    )
    revision.source_links = [
        RevisionSource(position=i, source=source)
        for i, source in enumerate(_resolve_sources(content["sources"]))
    ]
    db.session.add(revision)
    db.session.flush()
    lesson.current_revision = revision
    lesson.updated_at = revision.created_at
    return revision


def stage_lesson(
    lesson: Lesson, details: dict, content: dict, *, editor, change_note: str, kind: str
) -> SaveResult:
    """Apply details and content to ``lesson`` in the session without committing (used by the import)."""
    with db.session.no_autoflush:
        details_changed = _apply_details(lesson, {**details, "title": content["title"]})
        if lesson.id is None:
            db.session.add(lesson)
    current = lesson.current_revision
    revision = None
    if current is None or current.content() != content:
        if not change_note:
            raise GuideError(_("Describe in a few words what you changed."), "change_note")
        revision = _add_revision(lesson, content, editor=editor, change_note=change_note, kind=kind)
    return SaveResult(revision, details_changed)


def create_lesson(details: dict, content: dict, *, editor, change_note: str) -> Lesson:
    """Create a lesson with its first revision."""
    lesson = Lesson()
    try:
        stage_lesson(
            lesson,
            details,
            content,
            editor=editor,
            change_note=change_note or _("First version."),
            kind="create",
        )
    except GuideError:
        db.session.rollback()
        raise
    commit()
    return lesson


def save_lesson(
    lesson: Lesson, details: dict, content: dict, *, editor, change_note: str, base_revision=None
) -> SaveResult:
    """Save an edit. A new revision only when the content changed; details are saved either way."""
    current = lesson.current_revision
    if base_revision and current is not None and int(base_revision) != current.number:
        raise GuideError(
            _(
                "Someone else saved version %(number)d of this lesson while you were editing. "
                "Your text is kept below: compare it with the latest version before you save again.",
                number=current.number,
            )
        )
    try:
        result = stage_lesson(lesson, details, content, editor=editor, change_note=change_note, kind="edit")
    except GuideError:
        db.session.rollback()
        raise
    if result.changed:
        commit()
    return result


def restore_revision(lesson: Lesson, revision: LessonRevision, *, editor) -> LessonRevision | None:
    """Make an old revision's content current again, as a new revision. None when it is current already."""
    content = revision.content()
    if lesson.current_revision is not None and lesson.current_revision.content() == content:
        return None
    new = _add_revision(
        lesson,
        content,
        editor=editor,
        change_note=_("Restored version %(number)d.", number=revision.number),
        kind="restore",
        restored_from=revision.number,
    )
    commit()
    return new


def preview(content: dict) -> SimpleNamespace:
    """Content rendered like a revision, for the preview; nothing is stored."""
    return SimpleNamespace(
        title=content["title"],
        summary_html=render(content["summary"]),
        objectives=content["objectives"],
        body_html=render(content["body"]),
        quotes=_rendered_items(content["quotes"]),
        examples=_rendered_items(content["examples"]),
        sources=[SimpleNamespace(**source) for source in content["sources"]],
    )
