"""Write the guide's current content as files in the format ``content_files`` reads."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from cop.extensions import db
from cop.guide.content.format import CHAPTER_DIR, EDITION_FILE, LESSON_DIR, THEMES_FILE
from cop.guide.models import Chapter, Edition, Lesson, LessonRevision, Theme
from cop.guide.rules import slugify

THEMES_HEADER = (
    "# The themes that lessons, discussions, contributions and learning circles hang on.\n"
    "# The order here is the order on the site. Format: content/README.md.\n"
    "# group: thema (the guide's six themes), aan-de-slag (its four questions to get started) or\n"
    "# algemeen. The descriptions are the platform's own one-line summaries, not text of the guide.\n"
)
EDITION_HEADER = (
    "# The edition the shipped content is. `guide import` records it when no edition exists yet.\n"
)


class _Dumper(yaml.SafeDumper):
    """Block style, multi-line text as literal blocks, lists indented under their key."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_str(dumper, value: str):
    style = "|" if "\n" in value and not any(line != line.rstrip() for line in value.split("\n")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data) -> str:
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )


def markdown_file(front_matter: dict, body: str) -> str:
    text = "---\n" + dump_yaml(front_matter) + "---\n"
    return text + (f"\n{body}\n" if body else "")


def _drop_empty(data: dict, keep=("number", "title")) -> dict:
    return {k: v for k, v in data.items() if k in keep or v not in (None, "", [], {})}


def _compact_items(items: list[dict]) -> list[dict]:
    return [{k: v for k, v in item.items() if v not in (None, "")} for item in items]


def chapter_file(chapter: Chapter) -> tuple[str, str]:
    name = f"{CHAPTER_DIR}/{chapter.number:02d}-{slugify(chapter.title) or 'hoofdstuk'}.md"
    front = _drop_empty(
        {
            "number": chapter.number,
            "title": chapter.title,
            "objectives_intro": chapter.objectives_intro,
            "objectives": list(chapter.objectives or []),
        }
    )
    return name, markdown_file(front, chapter.intro)


def lesson_file(lesson: Lesson) -> tuple[str, str]:
    content = lesson.current_revision.content()
    front = _drop_empty(
        {
            "number": lesson.number,
            "slug": lesson.slug,
            "title": content["title"],
            "status": lesson.status.value,
            "themes": [theme.slug for theme in lesson.themes],
            "audiences": lesson.audiences,
            "evidence": lesson.evidence,
            "last_reviewed": lesson.last_reviewed,
            "summary": content["summary"],
            "objectives": content["objectives"],
            "quotes": _compact_items(content["quotes"]),
            "examples": _compact_items(content["examples"]),
            "sources": _compact_items(content["sources"]),
        }
    )
    return f"{LESSON_DIR}/{lesson.ref}.md", markdown_file(front, content["body"])


def themes_file(themes: list[Theme]) -> str:
    items = [
        _drop_empty(
            {"slug": t.slug, "title": t.title, "description": t.description, "group": t.group},
            ("slug", "title"),
        )
        for t in themes
    ]
    return THEMES_HEADER + dump_yaml({"themes": items})


def edition_file(edition: Edition) -> str:
    data = _drop_empty(
        {"number": edition.number, "title": edition.title, "date": edition.published_on, "note": edition.note}
    )
    return EDITION_HEADER + dump_yaml(data)


def export_content(directory: Path) -> list[str]:
    """Write every theme, chapter and lesson (current revision) to ``directory``; return the file names."""
    directory = Path(directory)
    files: dict[str, str] = {}
    themes = list(db.session.scalars(select(Theme).order_by(Theme.position, Theme.slug)))
    if themes:
        files[THEMES_FILE] = themes_file(themes)
    edition = db.session.scalar(select(Edition).order_by(Edition.number.desc()).limit(1))
    if edition is not None:
        files[EDITION_FILE] = edition_file(edition)
    for chapter in db.session.scalars(select(Chapter).order_by(Chapter.number)):
        name, text = chapter_file(chapter)
        files[name] = text
    lessons = db.session.scalars(
        select(Lesson)
        .where(Lesson.current_revision_id.is_not(None))
        .order_by(Lesson.sort_key)
        .options(
            selectinload(Lesson.themes),
            selectinload(Lesson.audience_rows),
            joinedload(Lesson.current_revision).selectinload(LessonRevision.source_links),
        )
    )
    for lesson in lessons:
        name, text = lesson_file(lesson)
        files[name] = text
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    remove_stale_files(directory, set(files))
    return sorted(files)


def remove_stale_files(directory: Path, written: set[str]) -> list[str]:
    """Delete the chapter and lesson files in ``directory`` that this export did not write.

    A renamed lesson (new slug) or renumbered chapter would otherwise leave its old file behind,
    and the next import would find the lesson twice. Only ``*.md`` files directly in the chapter
    and lesson folders are touched; everything else in ``directory`` stays.
    """
    removed = []
    for folder in (CHAPTER_DIR, LESSON_DIR):
        for path in sorted((directory / folder).glob("*.md")):
            name = f"{folder}/{path.name}"
            if name not in written and not path.is_dir():
                path.unlink()
                removed.append(name)
    return removed
