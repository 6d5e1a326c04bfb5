"""Lesson operations: create, save, restore and preview revisions. Public functions own the commit;
``stage_lesson`` leaves it to its caller (the content import, a promotion that stores more)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cop import signals
from cop.db_types import utcnow
from cop.extensions import db
from cop.guide.models import Lesson, LessonRevision, RevisionSource, Source
from cop.guide.rules import content_problems
from cop.guide.services.details import apply_details, as_int, details_version
from cop.sanitize import render
from cop.transactions import CONFLICT_MESSAGE, DomainError, commit


@dataclass
class SaveResult:
    revision: LessonRevision | None
    details_changed: bool

    @property
    def changed(self) -> bool:
        return self.revision is not None or self.details_changed


# --- revisions ------------------------------------------------------------------------------------


def _known_sources(prints: list[str]) -> dict[str, Source]:
    if not prints:
        return {}
    return {
        s.fingerprint: s for s in db.session.scalars(select(Source).where(Source.fingerprint.in_(prints)))
    }


def _resolve_sources(items: list[dict]) -> list[Source]:
    """The Source row for each citation, creating rows for citations not seen before."""
    prints = [Source.fingerprint_of(item) for item in items]
    known = _known_sources(prints)
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
    """Refuse invalid content, shown at the field it is about (the form checks most of it first)."""
    problems = content_problems(content)
    if problems:
        raise DomainError(problems[0].message(), problems[0].path[0])


def _next_revision_number(lesson: Lesson) -> int:
    last = db.session.scalar(
        select(func.max(LessonRevision.number)).where(LessonRevision.lesson_id == lesson.id)
    )
    return (last or 0) + 1


def _add_revision(
    lesson: Lesson, content: dict, *, editor, change_note: str, kind: str, restored_from: int | None = None
) -> LessonRevision:
    _check_content(content)
    try:
        return _insert_revision(
            lesson, content, editor=editor, change_note=change_note, kind=kind, restored_from=restored_from
        )
    except IntegrityError:
        # Another request took this revision number, lesson number or new source first.
        db.session.rollback()
        raise DomainError(CONFLICT_MESSAGE) from None


def _insert_revision(
    lesson: Lesson, content: dict, *, editor, change_note: str, kind: str, restored_from: int | None
) -> LessonRevision:
    db.session.flush()  # a new lesson needs its id
    revision = LessonRevision(
        lesson_id=lesson.id,
        number=_next_revision_number(lesson),
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
        details_changed = apply_details(lesson, {**details, "title": content["title"]})
        if lesson.id is None:
            db.session.add(lesson)
    current = lesson.current_revision
    revision = None
    if current is None or current.content() != content:
        if not change_note:
            raise DomainError(_("Describe in a few words what you changed."), "change_note")
        revision = _add_revision(lesson, content, editor=editor, change_note=change_note, kind=kind)
    result = SaveResult(revision, details_changed)
    if result.changed:
        signals.lesson_saved.send(lesson, revision=revision, editor=editor, kind=kind)
    return result


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
    except DomainError:
        db.session.rollback()
        raise
    commit()
    return lesson


def check_base(lesson: Lesson, base_revision, base_version) -> None:
    """Refuse a save from a form that was opened before someone else's save."""
    current = lesson.current_revision
    if base_revision not in (None, "") and current is not None and as_int(base_revision) != current.number:
        raise DomainError(
            _(
                "Someone else saved version %(number)d of this lesson while you were editing. "
                "Your text is kept below: compare it with the latest version before you save again.",
                number=current.number,
            )
        )
    if base_version not in (None, "") and str(base_version).strip() != details_version(lesson):
        raise DomainError(
            _(
                "Someone else changed the details of this lesson (such as its status, number or themes) "
                "while you were editing. Your input is kept below: compare it with the lesson as it is now "
                "before you save again."
            )
        )


def save_lesson(
    lesson: Lesson,
    details: dict,
    content: dict,
    *,
    editor,
    change_note: str,
    base_revision=None,
    base_version=None,
) -> SaveResult:
    """Save an edit. A new revision only when the content changed; details are saved either way.

    ``base_revision`` and ``base_version`` (see ``details_version``) say what the editor started
    from; a save is refused when the lesson has moved on since. None skips the check.
    """
    check_base(lesson, base_revision, base_version)
    try:
        result = stage_lesson(lesson, details, content, editor=editor, change_note=change_note, kind="edit")
    except DomainError:
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
    signals.lesson_saved.send(lesson, revision=new, editor=editor, kind="restore")
    commit()
    return new


# The preview shows a lesson under the page's "Preview" (an h2) with the lesson's title as an h3:
# every heading of the lesson sits two levels lower than on the lesson page, whose title is its h1.
PREVIEW_HEADING_SHIFT = 2
_HEADING_TAG_RE = re.compile(r"<(/?)h([1-6])>")


def shift_headings(html: str, by: int) -> str:
    """Sanitized HTML with every heading ``by`` levels lower (h6 at most). The sanitizer leaves
    headings without attributes, and ``<`` in text escaped, so the tags are exactly ``<hN>``."""
    return _HEADING_TAG_RE.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + by, 6)}>", html)


def preview(content: dict) -> SimpleNamespace:
    """Content rendered like a revision, for the preview (its headings moved down, see
    PREVIEW_HEADING_SHIFT); nothing is stored."""

    def rendered(text: str) -> str:
        return shift_headings(render(text), PREVIEW_HEADING_SHIFT)

    return SimpleNamespace(
        title=content["title"],
        summary_html=rendered(content["summary"]),
        objectives=content["objectives"],
        body_html=rendered(content["body"]),
        quotes=[{**item, "text_html": rendered(item["text"])} for item in content["quotes"]],
        examples=[{**item, "text_html": rendered(item["text"])} for item in content["examples"]],
        sources=[SimpleNamespace(**source) for source in content["sources"]],
    )
