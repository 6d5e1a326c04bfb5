"""``flask demo seed``: exact counts, consistent denormalised columns, every contribution state,
the refusal on a database with a real account, and the main pages answering on the data."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cop.accounts import User
from cop.accounts.passwords import verify_password
from cop.circles.models import Circle, Meeting
from cop.contributions.models import Contribution, EndorsementRow
from cop.contributions.states import Status
from cop.demo import DEMO_PASSWORD, PRESETS, seed
from cop.demo.cli import seed_command
from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.guide.models import Lesson, LessonRevision
from cop.search import SearchDocument
from tests.factories import make_user

SMALL = PRESETS["small"]


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def run_cli(app, *args):
    return app.test_cli_runner().invoke(seed_command, list(args), catch_exceptions=False)


def assert_consistent() -> None:
    """Every thread's counters match its posts; numbers are 1..n without gaps; lessons point at
    their newest revision; endorsement counts match their rows."""
    posts = (
        select(
            Post.thread_id,
            func.count().label("n"),
            func.min(Post.number).label("low"),
            func.max(Post.number).label("high"),
            func.max(Post.created_at).label("last_at"),
        )
        .group_by(Post.thread_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Thread.id, Thread.reply_count, Thread.last_number, Thread.last_posted_at, posts).join(
            posts, posts.c.thread_id == Thread.id
        )
    ).all()
    assert len(rows) == count(Thread)
    for row in rows:
        assert row.reply_count == row.n - 1
        assert (row.low, row.high, row.last_number) == (1, row.n, row.n)
        assert row.last_posted_at == row.last_at
    last_posters = db.session.execute(
        select(Thread.last_poster_id, Post.author_id).join(
            Post, (Post.thread_id == Thread.id) & (Post.number == Thread.last_number)
        )
    ).all()
    assert len(last_posters) == count(Thread)
    assert all(thread_poster == post_author for thread_poster, post_author in last_posters)
    newest = (
        select(LessonRevision.lesson_id, func.max(LessonRevision.id).label("newest"))
        .group_by(LessonRevision.lesson_id)
        .subquery()
    )
    pairs = db.session.execute(
        select(Lesson.current_revision_id, newest.c.newest).join(newest, newest.c.lesson_id == Lesson.id)
    ).all()
    assert len(pairs) == count(Lesson)
    assert all(current == latest for current, latest in pairs)
    for contribution in db.session.scalars(select(Contribution)):
        assert contribution.endorsement_count == count(
            EndorsementRow, EndorsementRow.contribution_id == contribution.id
        )


def test_small_preset_gives_the_asked_counts_and_consistent_columns(app):
    result = run_cli(app, "--scale", "small")
    assert result.exit_code == 0, result.output
    assert "Demo data" in result.output
    assert count(User) == SMALL.users
    assert count(Thread) == SMALL.threads
    assert count(Post) == SMALL.posts
    assert count(Contribution) == SMALL.contributions
    assert count(Circle) == SMALL.circles
    assert count(Lesson) == SMALL.lessons
    assert count(Meeting) >= SMALL.circles
    assert count(User, ~User.email.like("demo-%@example.org")) == 0
    assert set(db.session.scalars(select(Contribution.status).distinct())) == set(Status)
    revisions = db.session.scalars(
        select(func.count()).select_from(LessonRevision).group_by(LessonRevision.lesson_id)
    ).all()
    assert max(revisions) >= 3
    # a few very long threads and many short ones
    sizes = sorted(db.session.scalars(select(Thread.last_number)), reverse=True)
    assert sizes[0] >= 100 and sizes[len(sizes) // 2] < 20
    assert_consistent()
    # the search index is filled: every thread and post can be found
    assert count(SearchDocument, SearchDocument.kind == "post") == SMALL.posts - SMALL.threads
    # one password hash for everyone, and it is the documented password
    hashes = db.session.scalars(select(User.password_hash).distinct()).all()
    assert len(hashes) == 1 and verify_password(hashes[0], DEMO_PASSWORD)


def test_explicit_counts_override_the_preset(app):
    result = run_cli(
        app, "--users", "7", "--threads", "9", "--posts", "50", "--contributions", "8", "--circles", "2"
    )
    assert result.exit_code == 0, result.output
    assert (count(User), count(Thread), count(Post), count(Contribution), count(Circle)) == (7, 9, 50, 8, 2)
    assert_consistent()


def test_a_thread_may_not_have_fewer_posts_than_one(app):
    result = run_cli(app, "--threads", "10", "--posts", "5")
    assert result.exit_code != 0
    assert count(User) == 0


@pytest.mark.parametrize("email", ["sanne@gemeente.nl", "demo-1@example.com"])
def test_refuses_a_database_with_a_real_account(app, email):
    make_user(email=email)
    result = run_cli(app, "--scale", "small")
    assert result.exit_code != 0
    assert "not demo accounts" in result.output
    assert count(User) == 1 and count(Thread) == 0


def test_refuses_to_seed_twice(app):
    seed(SMALL.with_counts(users=5, threads=3, posts=6, contributions=7, circles=1, lessons=2), index=False)
    result = run_cli(app, "--scale", "small")
    assert result.exit_code != 0
    assert "already holds demo data" in result.output
    assert count(User) == 5


def test_main_pages_answer_on_seeded_data(app, client):
    seed(SMALL)
    longest = db.session.scalars(select(Thread).order_by(Thread.last_number.desc())).first()
    lesson = db.session.scalars(select(Lesson).where(Lesson.status == "published")).first()
    open_circle = db.session.scalars(select(Circle).where(Circle.visibility == "open")).first()
    contribution = db.session.scalars(select(Contribution).where(Contribution.status == "promoted")).first()
    pages = [
        "/",
        f"/discussie/{longest.ref}",
        f"/discussie/{longest.ref}?pagina={longest.pages}",
        f"/les/{lesson.ref}",
        "/leerkringen/",
        f"/leerkring/{open_circle.slug}",
        "/zoeken?q=buurthuis",
        f"/bijdrage/{contribution.id}",
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    assert longest.pages > 1
    last_page = client.get(f"/discussie/{longest.ref}?pagina={longest.pages}").get_data(as_text=True)
    last_post = db.session.scalar(
        select(Post).where(Post.thread_id == longest.id, Post.number == longest.last_number)
    )
    assert last_post.body_html.strip() in last_page


def test_the_platform_writes_on_after_seeding(app):
    """Ids were chosen by the seeder: new rows (on PostgreSQL: from the sequences) must not collide."""
    from cop.discussions import services as discussions

    seed(SMALL.with_counts(users=6, threads=4, posts=12, contributions=7, circles=1, lessons=2))
    thread = db.session.scalars(select(Thread).where(Thread.container_kind == "theme")).first()
    member = db.session.scalars(select(User).where(User.email == "demo-4@example.org")).one()
    post = discussions.reply(thread, member, "Nog een **reactie** na het vullen.")
    assert post.number == thread.last_number == post.number
    assert thread.reply_count == post.number - 1
    assert make_user(email="nieuw@example.nl").id > member.id
    assert_consistent()


@pytest.mark.parametrize("scale", ["small", "forum", "large"])
def test_thread_sizes_add_up_with_a_few_long_threads(scale):
    import random

    from cop.demo.seed import _sizes_of_threads

    sizes = PRESETS[scale]
    counts = _sizes_of_threads(random.Random(13), sizes)
    assert len(counts) == sizes.threads and sum(counts) == sizes.posts and min(counts) >= 1
    assert counts[: len(sizes.long_threads)] == list(sizes.long_threads)
    assert max(counts) == max(sizes.long_threads)  # the long ones stay the longest
    assert sorted(counts)[len(counts) // 2] < 50  # and most threads are short


def test_small_batches_write_parents_before_children(app, monkeypatch):
    """With batches smaller than a circle's attendance or a thread's posts, every foreign key still
    finds its row (the batches of all tables are written together, parents first)."""
    import sys

    monkeypatch.setattr(sys.modules["cop.demo.seed"], "BATCH", 7)
    seed(
        SMALL.with_counts(users=30, threads=12, posts=90, contributions=9, circles=3, lessons=5), index=False
    )
    assert (count(Thread), count(Post), count(Circle)) == (12, 90, 3)
    assert_consistent()
