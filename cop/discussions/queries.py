"""Reading discussions: every page's data in a bounded number of queries that does not grow with
the number of threads or posts. Lists filter visibility in SQL (``Thread.visible_clause``)
before a page is cut; a thread's pages are ranges of post numbers, never a growing OFFSET."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, null, select
from sqlalchemy.orm import joinedload

from cop.discussions.models import (
    POSTS_PER_PAGE,
    ContainerFollow,
    FollowLevel,
    MergedPost,
    Post,
    PostRevision,
    Thread,
    ThreadKind,
    ThreadReader,
)
from cop.extensions import db
from cop.pagination import Page

THREADS_PER_PAGE = 25
FILTERS = ("vragen", "onbeantwoord")  # ?soort=: questions, unanswered questions


@dataclass
class ThreadRow:
    """A thread in a list, with what the viewer has read of it (None: never opened, or anonymous)."""

    thread: Thread
    last_read: int | None

    @property
    def unread(self) -> bool:
        return self.last_read is not None and self.thread.last_number > self.last_read

    @property
    def new(self) -> bool:
        return self.last_read is None


def _viewer_id(viewer) -> int | None:
    return viewer.id if getattr(viewer, "is_authenticated", False) else None


def _listing(viewer):
    """Threads with their author and last poster, and the viewer's reading position: one query."""
    viewer_id = _viewer_id(viewer)
    statement = (
        select(Thread, ThreadReader.last_read if viewer_id else null())
        .options(joinedload(Thread.author), joinedload(Thread.last_poster))
        .where(Thread.visible_clause(viewer))
    )
    if viewer_id:
        statement = statement.outerjoin(
            ThreadReader, (ThreadReader.thread_id == Thread.id) & (ThreadReader.user_id == viewer_id)
        )
    return statement


def _rows(result) -> list[ThreadRow]:
    return [ThreadRow(thread, last_read) for thread, last_read in result]


def container_threads(kind: str, container_id: int, viewer, kind_filter: str | None, page: int):
    """A container's threads, pinned first, then by last activity: two queries (count and page)."""
    statement = _listing(viewer).where(Thread.container_kind == kind, Thread.container_id == container_id)
    if kind_filter in FILTERS:
        statement = statement.where(Thread.kind == ThreadKind.QUESTION)
    if kind_filter == "onbeantwoord":
        statement = statement.where(Thread.best_post_id.is_(None))
    total = db.session.scalar(
        select(func.count()).select_from(statement.with_only_columns(Thread.id).subquery())
    )
    rows = db.session.execute(
        statement.order_by(Thread.pinned.desc(), Thread.last_posted_at.desc(), Thread.id.desc())
        .limit(THREADS_PER_PAGE)
        .offset((page - 1) * THREADS_PER_PAGE)
    ).all()
    return Page(_rows(rows), total, page, THREADS_PER_PAGE)


def recent_threads(kind: str, container_id: int, viewer, limit: int = 5) -> list[ThreadRow]:
    """The most recently active threads of a container: one query."""
    statement = _listing(viewer).where(Thread.container_kind == kind, Thread.container_id == container_id)
    return _rows(
        db.session.execute(statement.order_by(Thread.last_posted_at.desc(), Thread.id.desc()).limit(limit))
    )


def lesson_threads(lesson_id: int, viewer, limit: int = 10) -> list[ThreadRow]:
    """The threads about a lesson that the viewer may see: one query."""
    statement = _listing(viewer).where(Thread.lesson_id == lesson_id)
    return _rows(
        db.session.execute(statement.order_by(Thread.last_posted_at.desc(), Thread.id.desc()).limit(limit))
    )


def followed_with_unread(viewer, limit: int = 10) -> list[ThreadRow]:
    """The threads the member follows that have posts they have not read, latest first: one query."""
    statement = (
        select(Thread, ThreadReader.last_read)
        .join(ThreadReader, (ThreadReader.thread_id == Thread.id) & (ThreadReader.user_id == viewer.id))
        .options(joinedload(Thread.author), joinedload(Thread.last_poster))
        .where(
            ThreadReader.level == FollowLevel.FOLLOWING,
            Thread.last_number > ThreadReader.last_read,
            Thread.visible_clause(viewer),
        )
        .order_by(Thread.last_posted_at.desc())
        .limit(limit)
    )
    return _rows(db.session.execute(statement))


def thread_by_ref(ref: str) -> Thread | None:
    """The thread '12-some-slug' (or '12') names, with its author and lesson: one query."""
    number, _sep, _slug = ref.partition("-")
    if not (number.isascii() and number.isdigit()) or len(number) > 9:
        return None
    return db.session.scalar(
        select(Thread)
        .where(Thread.id == int(number))
        .options(joinedload(Thread.author), joinedload(Thread.lesson))
    )


def thread_or_merge_target(ref: str) -> Thread | None:
    """The thread ``ref`` names, or the thread it was merged into: one query (two for a merged one)."""
    thread = thread_by_ref(ref)
    if thread is not None and thread.merged_into_id is not None:
        return thread_by_ref(str(thread.merged_into_id))
    return thread


def page_posts(thread: Thread, page: int) -> list[Post]:
    """The posts of page ``page``: a range of numbers on the (thread_id, number) index, one query."""
    first = (page - 1) * POSTS_PER_PAGE + 1
    return list(
        db.session.scalars(
            select(Post)
            .where(Post.thread_id == thread.id, Post.number.between(first, first + POSTS_PER_PAGE - 1))
            .options(joinedload(Post.author))
            .order_by(Post.number)
        )
    )


def post_by_number(thread: Thread, number: int) -> Post | None:
    return db.session.scalar(
        select(Post)
        .where(Post.thread_id == thread.id, Post.number == number)
        .options(joinedload(Post.author))
    )


def post_by_id(post_id: int | None) -> Post | None:
    if post_id is None:
        return None
    return db.session.scalar(select(Post).where(Post.id == post_id).options(joinedload(Post.author)))


def reader(thread: Thread, viewer) -> ThreadReader | None:
    viewer_id = _viewer_id(viewer)
    if viewer_id is None:
        return None
    return db.session.get(ThreadReader, (viewer_id, thread.id))


def first_unread_number(thread: Thread, viewer) -> int:
    """The number of the first post the viewer has not read (the last one when all are read)."""
    state = reader(thread, viewer)
    last_read = state.last_read if state else 0
    return min(last_read + 1, thread.last_number)


def revisions(post: Post) -> list[PostRevision]:
    return list(
        db.session.scalars(
            select(PostRevision)
            .where(PostRevision.post_id == post.id)
            .options(joinedload(PostRevision.editor))
            .order_by(PostRevision.written_at.desc(), PostRevision.id.desc())
        )
    )


def follows_container(viewer, kind: str, container_id: int) -> bool:
    viewer_id = _viewer_id(viewer)
    return (
        viewer_id is not None and db.session.get(ContainerFollow, (viewer_id, kind, container_id)) is not None
    )


def follow_level(state: ThreadReader | None) -> FollowLevel:
    return state.level if state else FollowLevel.NORMAL


def active_threads(viewer, limit: int = 5) -> list[ThreadRow]:
    """The most recently active threads the viewer may see, anywhere: one query."""
    statement = _listing(viewer).order_by(Thread.last_posted_at.desc(), Thread.id.desc()).limit(limit)
    return _rows(db.session.execute(statement))


def open_questions(viewer, limit: int = 5) -> list[ThreadRow]:
    """Questions without a best answer, newest first: one query."""
    statement = (
        _listing(viewer)
        .where(Thread.kind == ThreadKind.QUESTION, Thread.best_post_id.is_(None), Thread.locked.is_(False))
        .order_by(Thread.created_at.desc(), Thread.id.desc())
        .limit(limit)
    )
    return _rows(db.session.execute(statement))


def visible_threads(viewer):
    """SQL: the ids of the threads ``viewer`` may see, for higher packages' lists (no query)."""
    return select(Thread.id).where(Thread.visible_clause(viewer))


def visible_posts(viewer):
    """SQL: the ids of the posts whose text ``viewer`` may read, for higher packages (no query)."""
    return select(Post.id).where(Post.visible_clause(viewer))


def moved_post(thread: Thread, number: int) -> Post | None:
    """The post that was number ``number`` of ``thread`` before it was merged away: one query."""
    return db.session.scalar(
        select(Post)
        .join(MergedPost, MergedPost.post_id == Post.id)
        .where(MergedPost.old_thread_id == thread.id, MergedPost.old_number == number)
        .options(joinedload(Post.thread))
    )


def merge_candidates(thread: Thread, viewer, limit: int = 15) -> list[Thread]:
    """Recent threads of the same container a thread can be merged into: one query."""
    return list(
        db.session.scalars(
            select(Thread)
            .where(
                Thread.visible_clause(viewer),
                Thread.container_kind == thread.container_kind,
                Thread.container_id == thread.container_id,
                Thread.id != thread.id,
            )
            .order_by(Thread.last_posted_at.desc(), Thread.id.desc())
            .limit(limit)
        )
    )
