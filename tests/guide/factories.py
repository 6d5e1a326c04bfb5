"""Builders for guide test data. They go through the guide's services, like the editors do."""

from __future__ import annotations

from pathlib import Path

from cop.extensions import db
from cop.guide import services
from cop.guide.content import import_content
from cop.guide.models import Chapter, Lesson, Theme

ROOT = Path(__file__).resolve().parents[2]
CONTENT_DIR = ROOT / "content"
SOURCE_TEXT = ROOT / "tests" / "data" / "wijkengids-vooraf-1.2.txt"
LESSON_REF = "1.2-wat-de-wijkengids-beoogt"


def import_shipped():
    return import_content(CONTENT_DIR)


def make_chapter(number: int = 1, title: str = "Vooraf", objectives=("Wat de wijkengids beoogt",)) -> Chapter:
    chapter, _changed = services.save_chapter(
        None,
        {
            "number": number,
            "title": title,
            "intro": "",
            "objectives_intro": f"Na het lezen van {title} weet je:",
            "objectives": list(objectives),
        },
    )
    return chapter


def make_theme(slug: str = "burgerschap", title: str = "Burgerschap", position: int = 0) -> Theme:
    services.ensure_theme(slug, title, f"Over {title.lower()}.", position)
    db.session.commit()
    return db.session.scalar(db.select(Theme).where(Theme.slug == slug))


def content(title: str = "Een les", **overrides) -> dict:
    data = {
        "title": title,
        "summary": "",
        "objectives": [],
        "body": "Eerste alinea.\n\nTweede alinea.",
        "quotes": [],
        "examples": [],
        "sources": [],
    }
    data.update(overrides)
    return data


def make_lesson(
    chapter: Chapter,
    number: str,
    title: str | None = None,
    status: str = "published",
    themes=(),
    audiences=(),
    editor=None,
    **content_overrides,
) -> Lesson:
    details = {
        "chapter": chapter,
        "number": number,
        "slug": "",
        "status": status,
        "themes": list(themes),
        "audiences": list(audiences),
        "evidence": "praktijk",
        "last_reviewed": None,
    }
    return services.create_lesson(
        details,
        content(title or f"Les {number}", **content_overrides),
        editor=editor,
        change_note="Eerste versie.",
    )


def details_of(lesson: Lesson, **overrides) -> dict:
    details = {
        "chapter": lesson.chapter,
        "number": lesson.number,
        "slug": lesson.slug,
        "status": lesson.status.value,
        "themes": list(lesson.themes),
        "audiences": lesson.audiences,
        "evidence": lesson.evidence,
        "last_reviewed": lesson.last_reviewed,
    }
    details.update(overrides)
    return details


def source_paragraphs() -> list[str]:
    """The paragraphs of section 1.2's source text, without the banner line (alt text, not content)."""
    text = SOURCE_TEXT.read_text(encoding="utf-8")
    blocks = [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]
    assert blocks[0] == "banier wijkengids 2"
    return blocks[1:]
