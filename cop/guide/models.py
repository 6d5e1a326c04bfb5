"""The guide's data: chapters, themes, lessons, lesson revisions, sources and editions.

A lesson's *content* (title, summary, objectives, body, quotes, practice examples, sources) lives
in immutable ``LessonRevision`` rows; the lesson itself holds what is not versioned (number,
chapter, themes, audiences, evidence basis, review date, status) and points at its current
revision.

Quotes and practice examples are stored as JSON lists on the revision: they only exist inside
one revision, are small, and a JSON value is trivially frozen, compared and diffed. Sources are
publications that many lessons cite, so they get their own table (``Source``), which makes a
bibliography of the whole guide possible. To keep history honest, a Source row is never edited:
a citation is identified by a fingerprint of all its fields, an edited citation becomes a new row,
and a revision links the exact rows it cited (``RevisionSource``, in order). An old revision and
an edition therefore always show the sources exactly as they were.
"""

from __future__ import annotations

import enum
import hashlib
import json
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from cop.db_types import UTCDateTime, enum_column, utcnow
from cop.extensions import db
from cop.permissions import can_edit_content

THEME_GROUPS = ("thema", "aan-de-slag", "algemeen")
AUDIENCES = ("bewoners", "professionals", "beleidsmakers", "bestuurders")
EVIDENCE = ("onderzoek", "praktijk", "ervaringskennis")
QUOTE_FIELDS = ("text", "speaker", "organisation")
EXAMPLE_FIELDS = ("title", "place", "text", "source")
SOURCE_FIELDS = ("title", "authors", "publisher", "year", "url", "note")


class LessonStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


def lesson_sort_key(number: str) -> str:
    """'1.2' -> '0001.0002' so that 1.10 sorts after 1.9 on every database."""
    return ".".join(f"{int(part):04d}" for part in number.split("."))


class Chapter(db.Model):
    __tablename__ = "chapters"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    intro_html: Mapped[str] = mapped_column(Text, default="")
    # "Na het lezen van de Vooraf weet je:" and the list that follows it.
    objectives_intro: Mapped[str] = mapped_column(String(200), default="")
    objectives: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    lessons: Mapped[list[Lesson]] = relationship(back_populates="chapter", order_by="Lesson.sort_key")

    def __repr__(self) -> str:
        return f"<Chapter {self.number} {self.title}>"


class Theme(db.Model):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0, index=True)
    # How the guide groups its themes: the six thema's, the four "Aan de slag" questions, general.
    group: Mapped[str] = mapped_column(String(16), default="thema")
    # Retired by an admin: no longer offered for new threads, contributions or circles, and gone
    # from the theme grids; its page and threads stay readable.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<Theme {self.slug}>"

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


lesson_themes = Table(
    "lesson_themes",
    db.metadata,
    Column("lesson_id", ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class LessonAudience(db.Model):
    """One audience a lesson speaks to (a row, so lists can be filtered by audience in SQL)."""

    __tablename__ = "lesson_audiences"

    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True)
    audience: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)


class Lesson(db.Model):
    __tablename__ = "lessons"
    __table_args__ = (Index("ix_lessons_recent", "updated_at", "id"),)  # the home page: recent lessons

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapters.id"), index=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    sort_key: Mapped[str] = mapped_column(String(40), index=True)
    slug: Mapped[str] = mapped_column(String(120))
    status: Mapped[LessonStatus] = mapped_column(
        enum_column(LessonStatus, "lesson_status"), default=LessonStatus.DRAFT
    )  # no index: nearly every lesson is published, and lists read the lessons in another order
    evidence: Mapped[str | None] = mapped_column(String(20))
    last_reviewed: Mapped[date | None] = mapped_column(Date)
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey(
            "lesson_revisions.id",
            use_alter=True,
            name="fk_lessons_current_revision_id_lesson_revisions",
            ondelete="SET NULL",
        )
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    chapter: Mapped[Chapter] = relationship(back_populates="lessons")
    themes: Mapped[list[Theme]] = relationship(secondary=lesson_themes, order_by=Theme.position)
    audience_rows: Mapped[list[LessonAudience]] = relationship(cascade="all, delete-orphan")
    current_revision: Mapped[LessonRevision | None] = relationship(
        foreign_keys=[current_revision_id], post_update=True
    )
    # Whether the member reading the page opened the lesson before: loaded only where the query
    # asks for it (``queries.lesson_by_ref(ref, reader)``), else None. Not a column.
    read_by_reader: Mapped[bool | None] = query_expression()

    def __repr__(self) -> str:
        return f"<Lesson {self.number}>"

    @property
    def ref(self) -> str:
        """The lesson's path segment, e.g. '1.2-wat-de-wijkengids-beoogt'."""
        return f"{self.number}-{self.slug}"

    @property
    def title(self) -> str:
        return self.current_revision.title if self.current_revision else self.number

    @property
    def is_published(self) -> bool:
        return self.status == LessonStatus.PUBLISHED

    @property
    def audiences(self) -> list[str]:
        present = {row.audience for row in self.audience_rows}
        return [audience for audience in AUDIENCES if audience in present]

    def set_audiences(self, audiences) -> None:
        wanted = [a for a in AUDIENCES if a in set(audiences)]
        if wanted != self.audiences:
            self.audience_rows = [LessonAudience(audience=a) for a in wanted]

    def is_visible_to(self, user) -> bool:
        """Published lessons are public; drafts exist only for the guide's editors."""
        return self.is_published or can_edit_content(user)

    def is_editable_by(self, user) -> bool:
        return can_edit_content(user)


class Source(db.Model):
    """A publication a lesson cites. Rows are immutable; see the module docstring."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    authors: Mapped[str] = mapped_column(String(300), default="")
    publisher: Mapped[str] = mapped_column(String(200), default="")
    year: Mapped[int | None] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @staticmethod
    def fingerprint_of(fields: dict) -> str:
        canonical = json.dumps([fields.get(name) for name in SOURCE_FIELDS], ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in SOURCE_FIELDS}


class RevisionSource(db.Model):
    __tablename__ = "revision_sources"

    revision_id: Mapped[int] = mapped_column(
        ForeignKey("lesson_revisions.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)

    source: Mapped[Source] = relationship(lazy="joined", innerjoin=True)


class LessonRevision(db.Model):
    """The whole content of a lesson at one moment. Never changed after it is written."""

    __tablename__ = "lesson_revisions"
    __table_args__ = (UniqueConstraint("lesson_id", "number", name="uq_lesson_revisions_lesson_id_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, 3 … within its lesson
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_html: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[list] = mapped_column(JSON, default=list)
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    quotes: Mapped[list] = mapped_column(JSON, default=list)  # [{text, text_html, speaker, organisation}]
    examples: Mapped[list] = mapped_column(JSON, default=list)  # [{title, place, text, text_html, source}]
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    change_note: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(16), default="edit")  # create, edit, restore, import
    restored_from: Mapped[int | None] = mapped_column(Integer)

    lesson: Mapped[Lesson] = relationship(foreign_keys=[lesson_id])
    editor = relationship("User")
    source_links: Mapped[list[RevisionSource]] = relationship(
        order_by=RevisionSource.position, cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<LessonRevision {self.lesson_id}#{self.number}>"

    @property
    def sources(self) -> list[Source]:
        return [link.source for link in self.source_links]

    def content(self) -> dict:
        """The content as plain data, without rendered HTML: what is compared, diffed and exported."""
        return {
            "title": self.title,
            "summary": self.summary or "",
            "objectives": list(self.objectives or []),
            "body": self.body or "",
            "quotes": [{k: q.get(k, "") for k in QUOTE_FIELDS} for q in self.quotes or []],
            "examples": [{k: e.get(k, "") for k in EXAMPLE_FIELDS} for e in self.examples or []],
            "sources": [source.as_dict() for source in self.sources],
        }


class Edition(db.Model):
    __tablename__ = "editions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    published_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    note_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    entries: Mapped[list[EditionEntry]] = relationship(cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Edition {self.number}>"


class EditionEntry(db.Model):
    """Edition × lesson → the revision that edition froze."""

    __tablename__ = "edition_entries"

    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("lesson_revisions.id"), index=True)

    revision: Mapped[LessonRevision] = relationship()


class LessonRead(db.Model):
    """A member opened the lesson (the first time): what a reader has read, for their first steps."""

    __tablename__ = "lesson_reads"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True)
    first_read_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
