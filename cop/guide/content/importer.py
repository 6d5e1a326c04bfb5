"""The guide's content as files: Markdown with YAML front matter (format: content/README.md).

``import_content(dir)`` reads and checks every file first and stores nothing when any file is
invalid (each problem names file, line and reason); then it applies everything in one
transaction. Running it twice changes nothing the second time. ``export_content(dir)`` writes
the same format back, so import → export → import is lossless.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from cop.extensions import db
from cop.guide import services
from cop.guide.content.checks import (
    check_chapter,
    check_edition,
    check_lesson,
    check_themes_file,
    check_unique,
    lesson_content,
)
from cop.guide.content.format import (
    CHAPTER_DIR,
    EDITION_FILE,
    LESSON_DIR,
    THEMES_FILE,
    ContentError,
    Document,
    Problem,
    read_markdown,
    read_yaml,
)
from cop.guide.labels import import_note
from cop.guide.models import Chapter, Edition, Lesson, LessonStatus, Theme
from cop.transactions import DomainError, commit

__all__ = ["ContentError", "ImportReport", "Problem", "import_content", "load_directory"]


@dataclass
class Bundle:
    themes: list[tuple[Document, dict]] = field(default_factory=list)
    edition: Document | None = None
    chapters: list[Document] = field(default_factory=list)
    lessons: list[Document] = field(default_factory=list)


@dataclass
class ImportReport:
    themes: int = 0
    chapters: int = 0
    lessons_created: int = 0
    lessons_updated: int = 0
    revisions: int = 0
    edition: int | None = None

    @property
    def changed(self) -> bool:
        return bool(
            self.themes or self.chapters or self.lessons_created or self.lessons_updated or self.edition
        )


def load_directory(directory: Path) -> Bundle:
    """Read and check every content file; raise ContentError listing every problem."""
    directory = Path(directory)
    problems: list[Problem] = []
    if not directory.is_dir():
        raise ContentError([Problem(str(directory), 0, "no such directory")])
    bundle = Bundle()
    themes_path = directory / THEMES_FILE
    if themes_path.exists():
        doc = read_yaml(themes_path, THEMES_FILE, problems)
        if doc:
            bundle.themes = check_themes_file(doc, problems)
    edition_path = directory / EDITION_FILE
    if edition_path.exists():
        doc = read_yaml(edition_path, EDITION_FILE, problems)
        if doc:
            check_edition(doc, problems)
            bundle.edition = doc
    for path in sorted((directory / CHAPTER_DIR).glob("*.md")):
        doc = read_markdown(path, f"{CHAPTER_DIR}/{path.name}", problems)
        if doc:
            check_chapter(doc, problems)
            bundle.chapters.append(doc)
    check_unique(bundle.chapters, "number", "chapter", problems)
    known_themes = {str(item.get("slug")) for _doc, item in bundle.themes}
    known_themes |= set(db.session.scalars(select(Theme.slug)))
    known_chapters = {doc.data.get("number") for doc in bundle.chapters}
    known_chapters |= set(db.session.scalars(select(Chapter.number)))
    for path in sorted((directory / LESSON_DIR).glob("*.md")):
        doc = read_markdown(path, f"{LESSON_DIR}/{path.name}", problems)
        if doc:
            check_lesson(doc, known_themes, known_chapters, problems)
            bundle.lessons.append(doc)
    check_unique(bundle.lessons, "number", "lesson", problems)
    if problems:
        raise ContentError(problems)
    return bundle


# --- storing --------------------------------------------------------------------------------------


def import_content(directory: Path, editor=None) -> ImportReport:
    """Load the content files in ``directory`` into the database, all or nothing."""
    bundle = load_directory(directory)
    report = ImportReport()
    current: Document | None = None
    try:
        for position, (doc, item) in enumerate(bundle.themes):
            current = doc
            report.themes += services.ensure_theme(
                str(item["slug"]),
                str(item["title"]).strip(),
                str(item.get("description") or "").strip(),
                position,
                str(item.get("group") or "thema"),
            )
        db.session.flush()
        chapters = {c.number: c for c in db.session.scalars(select(Chapter))}
        for doc in bundle.chapters:
            current = doc
            chapter = chapters.get(doc.data["number"]) or Chapter()
            fields = {
                "number": doc.data["number"],
                "title": str(doc.data["title"]).strip(),
                "intro": doc.body,
                "objectives_intro": str(doc.data.get("objectives_intro") or "").strip(),
                "objectives": [o.strip() for o in doc.data.get("objectives") or [] if o.strip()],
            }
            report.chapters += services.stage_chapter(chapter, fields)
            chapters[chapter.number] = chapter
        db.session.flush()
        themes = {t.slug: t for t in db.session.scalars(select(Theme))}
        edition = bundle.edition.data["number"] if bundle.edition is not None else None
        for doc in bundle.lessons:
            current = doc
            _stage_lesson_file(doc, chapters, themes, editor, report, edition)
        if bundle.edition is not None and db.session.scalar(select(Edition.id).limit(1)) is None:
            current = bundle.edition
            data = bundle.edition.data
            services.stage_edition(
                number=data["number"],
                title=str(data["title"]).strip(),
                published_on=data.get("date"),
                note=str(data.get("note") or "").strip(),
            )
            report.edition = data["number"]
        commit()
    except DomainError as error:
        db.session.rollback()
        line = (
            current.line(error.field) if current and error.field else (current.offset + 1 if current else 0)
        )
        raise ContentError(
            [Problem(current.name if current else str(directory), line, error.message)]
        ) from None
    except Exception:
        db.session.rollback()
        raise
    return report


def _stage_lesson_file(
    doc: Document, chapters: dict, themes: dict, editor, report: ImportReport, edition: int | None
) -> None:
    data = doc.data
    number = str(data["number"])
    lesson = db.session.scalar(select(Lesson).where(Lesson.number == number))
    created = lesson is None
    details = {
        "chapter": chapters[int(number.split(".")[0])],
        "number": number,
        "slug": str(data.get("slug") or ""),
        "status": data.get("status") or LessonStatus.DRAFT.value,
        "themes": [themes[slug] for slug in data.get("themes") or []],
        "audiences": data.get("audiences") or [],
        "evidence": data.get("evidence"),
        "last_reviewed": data.get("last_reviewed"),
    }
    # The note readers see in the history: the file's own, or where the text came from.
    note = str(data.get("change_note") or "").strip() or import_note(created, edition)
    result = services.stage_lesson(
        lesson or Lesson(), details, lesson_content(doc), editor=editor, change_note=note[:300], kind="import"
    )
    if created:
        report.lessons_created += 1
    elif result.changed:
        report.lessons_updated += 1
    report.revisions += result.revision is not None
