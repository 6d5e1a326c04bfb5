"""The search index: one row per thing that can be found, and the words of the guide for "did you mean".

A ``SearchDocument`` holds the text shown in results (``title``, ``body``, ``context``) and the text
the database matches (``index_title``, ``index_body``), prepared per database by ``cop.search.text``:
on SQLite Dutch-stemmed, accent-folded words without stop words, which an FTS5 table
(``search_fts``, external content, kept in step by triggers) indexes; on PostgreSQL accent-folded
text from which a generated ``tsvector`` column (``search_vector``, the ``dutch`` configuration,
title weight A, body B) with a GIN index is built. Those database-specific objects are made by
migration 0012 and changed by 0014 and 0015 (the FTS5 table also holds ``kind``, ``theme_ids``
and ``place_ids``, so that it narrows a search itself; PostgreSQL has a GIN index per group of kinds
and an index of the ids of each kind with many documents), and left out of autogenerate's
comparison (``migrations/env.py``).

The columns after the text say who may see the row, so that visibility is filtered in the query:
the container (a theme, circle or contribution) of threads, posts, meetings and contributions;
``hidden`` for what moderators hid; and for the rest the object's own table, asked live.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cop.db_types import UTCDateTime, utcnow
from cop.extensions import db


class SearchDocument(db.Model):
    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "object_id", name="uq_search_documents_kind_object_id"),
        Index("ix_search_documents_container", "container_kind", "container_id"),
        Index("ix_search_documents_parent", "kind", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # lesson, chapter, thread, post, circle, meeting, …
    object_id: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(Integer)  # a post's thread
    ref: Mapped[str] = mapped_column(String(200), default="")  # what its address is built from
    title: Mapped[str] = mapped_column(String(300), default="")
    context: Mapped[str] = mapped_column(String(300), default="")  # shown, not searched
    body: Mapped[str] = mapped_column(Text, default="")
    index_title: Mapped[str] = mapped_column(Text, default="")
    index_body: Mapped[str] = mapped_column(Text, default="")
    container_kind: Mapped[str | None] = mapped_column(String(20))
    container_id: Mapped[int | None] = mapped_column(Integer)
    theme_ids: Mapped[str] = mapped_column(String(300), default="")  # ",3,5,"
    place_ids: Mapped[str] = mapped_column(String(300), default="")  # ",12,"
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<SearchDocument {self.kind} {self.object_id}>"


class SearchWord(db.Model):
    """A word from the public guide (lesson and chapter titles and text, neighbourhood names): the
    vocabulary a misspelt query is compared with. Only public text, so a suggestion never tells of
    something private."""

    __tablename__ = "search_words"

    word: Mapped[str] = mapped_column(String(60), primary_key=True)
    length: Mapped[int] = mapped_column(Integer, index=True)
