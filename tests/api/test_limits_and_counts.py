"""The API's lists run a fixed number of queries, with ten rows and with two hundred; requests are
rate limited per client address, with a JSON 429."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, update

from cop.contributions import LessonOrigin
from cop.contributions.states import Status
from cop.db_types import utcnow
from cop.discussions.models import Thread
from cop.extensions import db
from cop.guide.models import (
    Chapter,
    Edition,
    EditionEntry,
    Lesson,
    LessonRevision,
    Theme,
    lesson_sort_key,
    lesson_themes,
)
from cop.places import Neighbourhood
from tests.contributions.test_query_counts import _row, insert_contributions
from tests.discussions.factories import bulk_posts, start_thread
from tests.factories import make_user

# Measured on SQLite and PostgreSQL (the same on both).
LIMITS = {
    "themes": 1,
    "chapters": 1,
    "lessons": 3,  # lessons, their themes, their audiences
    "editions": 1,
    "threads": 1,
    "posts": 2,  # the thread, its posts
    "neighbourhoods": 1,
    "contributions": 3,  # promotions, their writers, their neighbourhoods
}


def build(size: int) -> dict:
    """``size`` of everything the lists show, in a few statements each."""
    now = utcnow()
    writer = make_user(display_name="Anna de Boer")
    db.session.execute(insert(Chapter), [{"number": 1, "title": "Vooraf"}])
    db.session.execute(insert(Theme), [{"slug": "burgerschap", "title": "Burgerschap", "position": 0}])
    chapter = db.session.scalar(db.select(Chapter).where(Chapter.number == 1))
    theme = db.session.scalar(db.select(Theme).where(Theme.slug == "burgerschap"))
    db.session.execute(
        insert(Theme), [{"slug": f"thema-{n}", "title": f"Thema {n}", "position": n + 1} for n in range(size)]
    )
    db.session.execute(insert(Chapter), [{"number": n + 2, "title": f"Hoofdstuk {n}"} for n in range(size)])
    db.session.execute(insert(Edition), [{"number": n + 1, "title": f"Editie {n}"} for n in range(size)])
    lesson_ids = list(
        db.session.scalars(
            insert(Lesson).returning(Lesson.id, sort_by_parameter_order=True),
            [
                {
                    "chapter_id": chapter.id,
                    "number": f"1.{n + 1}",
                    "sort_key": lesson_sort_key(f"1.{n + 1}"),
                    "slug": f"les-{n}",
                    "status": "published",
                }
                for n in range(size)
            ],
        )
    )
    revision_ids = list(
        db.session.scalars(
            insert(LessonRevision).returning(LessonRevision.id, sort_by_parameter_order=True),
            [{"lesson_id": lid, "number": 1, "title": f"Les {lid}"} for lid in lesson_ids],
        )
    )
    for lid, rid in zip(lesson_ids, revision_ids, strict=True):
        db.session.execute(update(Lesson).where(Lesson.id == lid).values(current_revision_id=rid))
    db.session.execute(
        insert(lesson_themes), [{"lesson_id": lid, "theme_id": theme.id} for lid in lesson_ids]
    )
    editions = dict(
        db.session.execute(db.select(Edition.number, Edition.id).where(Edition.number <= 2)).all()
    )
    pairs = list(zip(lesson_ids, revision_ids, strict=True))
    db.session.execute(  # edition 1 froze the first half of the lessons, edition 2 added the rest
        insert(EditionEntry),
        [{"edition_id": editions[1], "lesson_id": lid, "revision_id": rid} for lid, rid in pairs[: size // 2]]
        + [{"edition_id": editions[2], "lesson_id": lid, "revision_id": rid} for lid, rid in pairs],
    )
    db.session.execute(
        insert(Thread),
        [
            {
                "container_kind": "theme",
                "container_id": theme.id,
                "title": f"Draad {n}",
                "slug": f"draad-{n}",
                "author_id": writer.id,
                "last_posted_at": now,
                "kind": "discussion",
            }
            for n in range(size)
        ],
    )
    db.session.execute(
        insert(Neighbourhood),
        [
            {
                "slug": f"wijk-{n}",
                "key": f"wijk{n}",
                "name": f"Wijk {n}",
                "municipality": "Utrecht",
                "programme": "other",
                "status": "approved",
            }
            for n in range(size)
        ],
    )
    place_id = db.session.scalar(db.select(Neighbourhood.id).limit(1))
    rows = [_row(n, writer.id, None, Status.PROMOTED, now - timedelta(seconds=n)) for n in range(size)]
    contribution_ids = insert_contributions(
        rows, [[writer.id]] * size, [[place_id]] * size, [[theme.id]] * size
    )
    db.session.execute(
        insert(LessonOrigin),
        [
            {"lesson_id": lesson_ids[0], "contribution_id": cid, "how": "into_lesson", "created_at": now}
            for cid in contribution_ids
        ],
    )
    db.session.commit()
    thread = start_thread(writer, theme, title="Lange draad", body="Begin.")
    bulk_posts(thread, [writer], size)
    return {"thread": thread.id}


def counts(client, count_queries, names) -> dict[str, int]:
    found = {}
    for name in LIMITS:
        url = f"/api/v1/threads/{names['thread']}/posts" if name == "posts" else f"/api/v1/{name}"
        with count_queries() as counter:
            response = client.get(url + "?limit=100")
        assert response.status_code == 200, url
        assert len(response.get_json()["data"]) >= 10, url
        found[name] = counter.count
    return found


@pytest.mark.parametrize("size", [10, 200])
def test_every_list_runs_a_fixed_number_of_queries(client, count_queries, size):
    assert counts(client, count_queries, build(size)) == LIMITS


def test_requests_are_limited_per_address_with_a_json_429(limited_app):
    limited_app.config["RATELIMIT_API"] = "3 per minute"
    client = limited_app.test_client()
    for _ in range(3):
        assert client.get("/api/v1/themes").status_code == 200
    refused = client.get("/api/v1/chapters")
    assert refused.status_code == 429
    assert refused.get_json() == {
        "error": {"status": 429, "message": "Too many requests from this address; wait and try again."}
    }
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    feed = client.get("/feeds/lessen.atom")  # the feeds count along, and say so in a line of text
    assert feed.status_code == 429
    assert feed.mimetype == "text/plain"
    assert feed.text.startswith("Te veel pogingen.")
    assert int(feed.headers["Retry-After"]) > 0
    other = client.get("/api/v1/themes", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200


FEED_LIMITS = {"lessen": 1, "thema/burgerschap": 2, "bijdragen": 1, "editie/2": 4}


@pytest.mark.parametrize("size", [10, 200])
def test_every_feed_runs_a_fixed_number_of_queries(client, count_queries, size):
    build(size)
    found = {}
    for name in FEED_LIMITS:
        with count_queries() as counter:
            response = client.get(f"/feeds/{name}.atom")
        assert response.status_code == 200
        assert response.data.count(b"<entry>") >= (1 if name == "bijdragen" else 5), name
        found[name] = counter.count
    assert found == FEED_LIMITS
