"""Builders for discussions. They go through the services, as members do; ``bulk_posts`` writes
many posts at once for tests of scale."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, update

from cop.db_types import utcnow
from cop.discussions import services
from cop.discussions.models import Post, Thread
from cop.extensions import db
from tests.guide.factories import make_theme


def start_thread(
    author,
    theme=None,
    title="Hoe betrek je bewoners?",
    body="Wie heeft ervaring?",
    kind="discussion",
    **extra,
):
    theme = theme or make_theme()
    return services.start_thread(
        container_kind="theme", container=theme, author=author, kind=kind, title=title, body=body, **extra
    )


def bulk_posts(thread: Thread, authors: list, count: int) -> None:
    """Add ``count`` replies to ``thread`` in one statement, numbered on from its last post."""
    start = thread.last_number
    now = utcnow()
    rows = [
        {
            "thread_id": thread.id,
            "number": start + i + 1,
            "author_id": authors[i % len(authors)].id,
            "body": f"Reactie {start + i + 1}",
            "body_html": f"<p>Reactie {start + i + 1}</p>",
            "created_at": now - timedelta(seconds=count - i),
        }
        for i in range(count)
    ]
    db.session.execute(insert(Post), rows)
    db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(
            last_number=start + count, reply_count=Thread.reply_count + count, last_poster_id=authors[-1].id
        )
    )
    db.session.commit()
    db.session.refresh(thread)
