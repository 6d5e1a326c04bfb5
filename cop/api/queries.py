"""The API's and the feeds' reads: public things only (``cop.api.public``), each list cut by a
cursor on an indexed key. Each function says how many queries it runs; none grows with the rows."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from cop.api import public
from cop.api.http import Cut, Order, cut
from cop.contributions import Contribution, LessonOrigin
from cop.contributions import queries as contribution_queries
from cop.discussions import Post, Thread
from cop.extensions import db
from cop.guide import Chapter, Edition, Lesson, LessonRevision, Theme
from cop.guide.models import EditionEntry, RevisionSource
from cop.places import Neighbourhood

THEMES = Order("themes", (Theme.position, Theme.id), (int, int))
CHAPTERS = Order("chapters", (Chapter.number,), (int,))
LESSONS = Order("lessons", (Lesson.sort_key,), (str,))
EDITIONS = Order("editions", (Edition.number,), (int,))
THREADS = Order("threads", (Thread.id,), (int,), descending=True)
POSTS = Order("posts", (Post.number,), (int,))
NEIGHBOURHOODS = Order("neighbourhoods", (Neighbourhood.slug,), (str,))
CONTRIBUTIONS = Order("contributions", (LessonOrigin.id,), (int,), descending=True)


def _scalars(statement) -> list:
    return list(db.session.scalars(statement).unique())


def _rows(statement) -> list:
    return list(db.session.execute(statement).all())


# --- the guide ------------------------------------------------------------------------------------


def themes(limit: int) -> Cut:
    """One query."""
    return cut(select(Theme), THEMES, lambda t: (t.position, t.id), limit, _scalars)


def theme(slug: str) -> Theme | None:
    """One query (none for a slug longer than any)."""
    if len(slug) > 80:
        return None
    return db.session.scalar(select(Theme).where(Theme.slug == slug))


def chapters(limit: int) -> Cut:
    """One query."""
    return cut(select(Chapter), CHAPTERS, lambda c: (c.number,), limit, _scalars)


def chapter(number: int) -> tuple[Chapter, list[Lesson]] | None:
    """The chapter and its published lessons: two queries."""
    found = db.session.scalar(select(Chapter).where(Chapter.number == number))
    if found is None:
        return None
    lessons = _scalars(
        select(Lesson)
        .options(joinedload(Lesson.current_revision))
        .where(Lesson.chapter_id == found.id, public.lessons())
        .order_by(Lesson.sort_key)
    )
    return found, lessons


def _lesson_list_options():
    return (
        joinedload(Lesson.chapter),
        joinedload(Lesson.current_revision),
        selectinload(Lesson.themes),
        selectinload(Lesson.audience_rows),
    )


def lessons(limit: int) -> Cut:
    """Published lessons in reading order: three queries (lessons, their themes, their audiences)."""
    statement = select(Lesson).options(*_lesson_list_options()).where(public.lessons())
    return cut(statement, LESSONS, lambda lesson: (lesson.sort_key,), limit, _scalars)


def lesson(number: str) -> Lesson | None:
    """A published lesson by its number: three queries (with its themes and audiences)."""
    if len(number) > 20:
        return None
    return db.session.scalar(
        select(Lesson).options(*_lesson_list_options()).where(Lesson.number == number, public.lessons())
    )


def revision(lesson: Lesson, number: int | None) -> LessonRevision | None:
    """The lesson's revision ``number`` (its current one when None) with its sources: two queries."""
    condition = (
        LessonRevision.id == lesson.current_revision_id
        if number is None
        else (LessonRevision.lesson_id == lesson.id) & (LessonRevision.number == number)
    )
    return db.session.scalar(
        select(LessonRevision)
        .where(condition)
        .options(selectinload(LessonRevision.source_links).joinedload(RevisionSource.source))
    )


def revision_numbers(lesson: Lesson) -> list[int]:
    """One query."""
    return list(
        db.session.scalars(
            select(LessonRevision.number)
            .where(LessonRevision.lesson_id == lesson.id)
            .order_by(LessonRevision.number)
        )
    )


def credits(lesson_ids) -> dict:
    """Where the lessons came from ("voortgekomen uit …"), by lesson id: three queries at most."""
    return contribution_queries.credits_of_lessons(lesson_ids)


def editions(limit: int) -> Cut:
    """Editions with their number of lessons: one query."""
    count = (
        select(func.count())
        .select_from(EditionEntry)
        .where(EditionEntry.edition_id == Edition.id)
        .scalar_subquery()
    )
    return cut(select(Edition, count), EDITIONS, lambda row: (row[0].number,), limit, _rows)


def edition(number: int) -> tuple[Edition, list[tuple[Lesson, LessonRevision]]] | None:
    """The edition and its published lessons with their frozen revisions: two queries."""
    found = db.session.scalar(select(Edition).where(Edition.number == number))
    if found is None:
        return None
    pairs = _rows(
        select(Lesson, LessonRevision)
        .join(EditionEntry, EditionEntry.lesson_id == Lesson.id)
        .join(LessonRevision, LessonRevision.id == EditionEntry.revision_id)
        .where(EditionEntry.edition_id == found.id, public.lessons())
        .order_by(Lesson.sort_key)
    )
    return found, pairs


# --- discussions ----------------------------------------------------------------------------------


def _theme_of_threads():
    return select(Thread, Theme).join(Theme, Theme.id == Thread.container_id).where(*public.threads())


def threads(limit: int, theme: Theme | None = None) -> Cut:
    """Public threads, newest first, with their themes and authors: one query."""
    statement = _theme_of_threads().options(joinedload(Thread.author))
    if theme is not None:
        statement = statement.where(Thread.container_id == theme.id)
    return cut(statement, THREADS, lambda row: (row[0].id,), limit, _rows)


def thread(thread_id: int) -> tuple[Thread, Theme] | None:
    """One query."""
    return db.session.execute(
        _theme_of_threads().options(joinedload(Thread.author)).where(Thread.id == thread_id)
    ).first()


def posts(thread: Thread, limit: int) -> Cut:
    """The thread's public posts in order, with their authors: one query."""
    statement = (
        select(Post).options(joinedload(Post.author)).where(Post.thread_id == thread.id, *public.posts())
    )
    return cut(statement, POSTS, lambda post: (post.number,), limit, _scalars)


# --- neighbourhoods and contributions -------------------------------------------------------------


def neighbourhoods(limit: int) -> Cut:
    """One query."""
    statement = select(Neighbourhood).where(public.neighbourhoods())
    return cut(statement, NEIGHBOURHOODS, lambda place: (place.slug,), limit, _scalars)


def neighbourhood(slug: str) -> Neighbourhood | None:
    """One query (none for a slug longer than any)."""
    if len(slug) > 120:
        return None
    return db.session.scalar(select(Neighbourhood).where(Neighbourhood.slug == slug, public.neighbourhoods()))


def _promotions():
    """(LessonOrigin, Contribution, Lesson) of promoted contributions and the published lessons they
    went into."""
    return (
        select(LessonOrigin, Contribution, Lesson)
        .join(Contribution, Contribution.id == LessonOrigin.contribution_id)
        .join(Lesson, Lesson.id == LessonOrigin.lesson_id)
        .options(joinedload(Lesson.current_revision))
        .where(public.contributions(), public.lessons())
    )


def promotions(limit: int) -> Cut:
    """Promotions, newest first: one query."""
    return cut(_promotions(), CONTRIBUTIONS, lambda row: (row[0].id,), limit, _rows)


def contribution(contribution_id: int) -> tuple[Contribution, list] | None:
    """A promoted contribution and where it went in the guide: two queries."""
    found = db.session.scalar(
        select(Contribution).where(Contribution.id == contribution_id, public.contributions())
    )
    if found is None:
        return None
    return found, _rows(
        _promotions().where(LessonOrigin.contribution_id == found.id).order_by(LessonOrigin.id)
    )


def writers_and_places(contribution_ids) -> tuple[dict, dict]:
    """Accepted writers and neighbourhoods per contribution: two queries (none without ids)."""
    return contribution_queries.writers_and_places(contribution_ids)
