"""Helpers for search tests: what a search page shows, and documents in bulk for tests of scale."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import insert, select

from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.search import SearchDocument
from cop.search.documents import Document
from cop.search.index import put


def result_titles(response) -> list[str]:
    """The titles of the hits on a search page, in order."""
    html = response.get_data(as_text=True)
    return [
        unescape(re.sub(r"<[^>]+>", "", title)).strip()
        for title in re.findall(
            r'<h2 class="search-result__title"><a href="[^"]*">(.*?)</a></h2>', html, re.S
        )
    ]


def documents(kind: str | None = None) -> list[SearchDocument]:
    statement = select(SearchDocument).order_by(SearchDocument.id)
    if kind:
        statement = statement.where(SearchDocument.kind == kind)
    return list(db.session.scalars(statement))


WORDS = [
    "bewoners",
    "buurt",
    "wijkteam",
    "woningcorporatie",
    "participatie",
    "leefbaarheid",
    "veiligheid",
    "jongeren",
    "armoede",
    "schulden",
    "welzijn",
    "zorg",
    "school",
    "speeltuin",
    "groen",
    "straat",
    "plein",
    "buurthuis",
    "vrijwilligers",
    "ondernemers",
]


def bulk_threads(theme, author, count: int, start: int = 0) -> None:
    """``count`` threads in ``theme``, each with its opening post and its document, in a few
    statements (the index through ``index.put``, as the subscribers do)."""
    from cop.db_types import utcnow

    now = utcnow()
    rows = [
        {
            "container_kind": "theme",
            "container_id": theme.id,
            "kind": "discussion",
            "title": f"Onderwerp {n} over {WORDS[n % len(WORDS)]} en {WORDS[(n * 7) % len(WORDS)]}",
            "slug": f"onderwerp-{n}",
            "author_id": author.id,
            "created_at": now,
            "last_number": 1,
            "reply_count": 0,
            "last_posted_at": now,
            "last_poster_id": author.id,
        }
        for n in range(start, start + count)
    ]
    ids = list(db.session.scalars(insert(Thread).returning(Thread.id, sort_by_parameter_order=True), rows))
    bodies = [
        " ".join(WORDS[(n * k) % len(WORDS)] for k in range(1, 40)) + f" Bericht {n}."
        for n in range(start, start + count)
    ]
    db.session.execute(
        insert(Post),
        [
            {
                "thread_id": tid,
                "number": 1,
                "author_id": author.id,
                "body": body,
                "body_html": f"<p>{body}</p>",
                "created_at": now,
            }
            for tid, body in zip(ids, bodies, strict=True)
        ],
    )
    for tid, row, body in zip(ids, rows, bodies, strict=True):
        put(
            Document(
                kind="thread",
                object_id=tid,
                title=row["title"],
                body=body,
                ref=f"{tid}-{row['slug']}",
                container_kind="theme",
                container_id=theme.id,
                theme_ids=(theme.id,),
            )
        )
    db.session.commit()
