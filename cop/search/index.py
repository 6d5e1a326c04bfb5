"""The write side of the index: put a document in (or take it out) in the current transaction,
and rebuild everything. Nothing here commits except ``rebuild``."""

from __future__ import annotations

from sqlalchemy import delete, func, select, text, update

from cop import panels
from cop.db_types import utcnow
from cop.extensions import db
from cop.search.documents import Document
from cop.search.models import SearchDocument, SearchWord
from cop.search.text import STOP_WORDS, index_text, words
from cop.sql import upsert

_UPDATED = [
    "parent_id",
    "ref",
    "title",
    "context",
    "body",
    "index_title",
    "index_body",
    "container_kind",
    "container_id",
    "theme_ids",
    "place_ids",
    "hidden",
    "updated_at",
]


def dialect() -> str:
    return db.session.get_bind().dialect.name


def _ids(values) -> str:
    return "," + ",".join(str(v) for v in values) + "," if values else ""


def put(document: Document | dict) -> None:
    """Add or replace ``document`` (a ``Document``, or a dict of its fields from a package that may
    not import this one). One statement (two when its words join the vocabulary)."""
    if isinstance(document, dict):
        document = Document(**document)
    name = dialect()
    values = {
        "kind": document.kind,
        "object_id": document.object_id,
        "parent_id": document.parent_id,
        "ref": document.ref[:200],
        "title": document.title[:300],
        "context": document.context[:300],
        "body": document.body,
        "index_title": index_text(document.title, name),
        "index_body": index_text(document.body, name),
        "container_kind": document.container_kind,
        "container_id": document.container_id,
        "theme_ids": _ids(document.theme_ids)[:300],
        "place_ids": _ids(document.place_ids)[:300],
        "hidden": document.hidden,
        "updated_at": utcnow(),
    }
    table = SearchDocument.__table__
    db.session.execute(
        upsert(table, values, ["kind", "object_id"], lambda excluded: {c: excluded[c] for c in _UPDATED})
    )
    if document.public_words:
        _add_words(f"{document.title} {document.body}")


def drop(kind: str, object_id: int) -> None:
    db.session.execute(
        delete(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.object_id == object_id)
    )


def drop_replies(thread_id: int) -> None:
    db.session.execute(
        delete(SearchDocument).where(SearchDocument.kind == "post", SearchDocument.parent_id == thread_id)
    )


def rename_replies(thread_id: int, title: str) -> None:
    """The thread's title, shown beside each of its replies' hits, after a rename: one UPDATE, which
    leaves the replies of a thread whose title stayed as they were."""
    db.session.execute(
        update(SearchDocument)
        .where(
            SearchDocument.kind == "post",
            SearchDocument.parent_id == thread_id,
            SearchDocument.context != title,
        )
        .values(context=title)
    )


def _add_words(text: str) -> None:
    found = sorted({w for w in words(text) if 3 <= len(w) <= 40 and w.isalpha() and w not in STOP_WORDS})
    if not found:
        return
    if dialect() == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(SearchWord).values([{"word": w, "length": len(w)} for w in found])
    db.session.execute(statement.on_conflict_do_nothing(index_elements=["word"]))


def rebuild() -> int:
    """Empty the index and fill it again from every package's part (the ``search-index`` point).
    One transaction: searches see the old index until it commits. Returns the number of documents."""
    from cop.transactions import commit

    db.session.execute(delete(SearchDocument))
    db.session.execute(delete(SearchWord))
    count = 0
    for part in panels.contributions("search-index"):
        for document in part():
            put(document)
            count += 1
    if dialect() == "sqlite":  # one segment: FTS5 reads a word's hits from one list, not from many
        db.session.execute(text("INSERT INTO search_fts(search_fts) VALUES ('optimize')"))
    commit()
    return count


def size() -> int:
    """One query."""
    return db.session.scalar(select(func.count(SearchDocument.id))) or 0
