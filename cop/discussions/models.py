"""Threads and their posts, earlier versions of posts, and each member's state per thread.

A thread lives in a *container*: a theme now, a learning circle or a contribution later. The
container is named by its kind and id (``container_kind``, ``container_id``), and what a kind
means — who may see and write in it, its title and address — is registered in ``containers``,
so that higher packages add kinds without a new thread model.

Scale is designed in: a thread carries its reply count, last post time and poster; every post its
number in the thread (1 is the opening post; numbers are never reused, a deleted post keeps its
place); a member's reading state is one row per thread with the last post number read and the
follow level (Discourse's ``topic_users``).
"""

from __future__ import annotations

import enum
from datetime import datetime
from functools import cached_property

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, and_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db_types import UTCDateTime, enum_column, utcnow
from cop.extensions import db
from cop.permissions import can_write, has_role, is_moderator

POSTS_PER_PAGE = 20
REASON_MAX = 500


class ThreadKind(enum.StrEnum):
    DISCUSSION = "discussion"
    QUESTION = "question"


class FollowLevel(enum.StrEnum):
    """How a member hears of a thread: every reply (following), only mentions (normal), nothing."""

    FOLLOWING = "following"
    NORMAL = "normal"
    MUTED = "muted"


class Thread(db.Model):
    __tablename__ = "threads"
    __table_args__ = (
        # the container's list: pinned first, then by last activity
        Index("ix_threads_container_list", "container_kind", "container_id", "pinned", "last_posted_at"),
        # a container's latest threads (its page's panel, merge candidates), read from the newest
        Index("ix_threads_container_recent", "container_kind", "container_id", "last_posted_at", "id"),
        # the home page: the latest threads anywhere, and the newest open questions
        Index("ix_threads_recent", "last_posted_at", "id"),
        Index("ix_threads_kind_created", "kind", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    container_kind: Mapped[str] = mapped_column(String(20))
    container_id: Mapped[int] = mapped_column(Integer)
    lesson_id: Mapped[int | None] = mapped_column(ForeignKey("lessons.id", ondelete="SET NULL"), index=True)
    kind: Mapped[ThreadKind] = mapped_column(
        enum_column(ThreadKind, "thread_kind"), default=ThreadKind.DISCUSSION
    )
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The number of the last post (posts are numbered 1, 2, 3 … without gaps), and the replies shown.
    last_number: Mapped[int] = mapped_column(Integer, default=0)
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    last_posted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_poster_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    best_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", use_alter=True, name="fk_threads_best_post_id_posts", ondelete="SET NULL")
    )
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    # Hidden by a moderator: gone for members from every list, its page a 404 to them.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    # Merged into another thread: its posts live there now, its addresses redirect there.
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="SET NULL", name="fk_threads_merged_into_id_threads")
    )

    author = relationship("User", foreign_keys=[author_id])
    last_poster = relationship("User", foreign_keys=[last_poster_id])
    lesson = relationship("Lesson")

    def __repr__(self) -> str:
        return f"<Thread {self.id} {self.title!r}>"

    @property
    def ref(self) -> str:
        """The thread's path segment: '12-buurtbudgetten-in-kanaleneiland'."""
        return f"{self.id}-{self.slug}" if self.slug else str(self.id)

    @property
    def is_question(self) -> bool:
        return self.kind == ThreadKind.QUESTION

    @property
    def is_answered(self) -> bool:
        return self.best_post_id is not None

    @property
    def pages(self) -> int:
        return max(1, -(-self.last_number // POSTS_PER_PAGE))

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @classmethod
    def visible_clause(cls, viewer):
        """SQL: the threads ``viewer`` may see — in a container they may see, not merged away, and
        not hidden unless they moderate. Every list of threads, here and in higher packages, uses it;
        ``is_visible_to`` says the same for one thread."""
        from cop.discussions import containers

        # The container's kind compared as an expression: SQLite would otherwise gather the rows of
        # each kind by the container index and sort them all, where a list of the latest threads
        # wants to read an index in its order and stop after a page.
        conditions = [
            containers.visible_condition(cls.container_kind.concat(""), cls.container_id, viewer),
            cls.merged_into_id.is_(None),
        ]
        if not has_role(viewer, "moderator"):  # None is a visitor, never the current user
            conditions.append(cls.hidden_at.is_(None))
        return and_(*conditions)

    @cached_property
    def container(self):
        """The theme (or circle …) the thread lives in, loaded once per thread object."""
        from cop.discussions import containers

        return containers.get(self.container_kind).load(self.container_id)

    def is_visible_to(self, user) -> bool:
        from cop.discussions import containers

        if self.merged_into_id is not None or (self.is_hidden and not is_moderator(user)):
            return False
        container = self.container
        return container is not None and containers.get(self.container_kind).is_visible(container, user)

    def can_reply(self, user) -> bool:
        """Confirmed, unsuspended members who may write in the container, while it is not locked."""
        from cop.discussions import containers

        if self.locked or not can_write(user) or not self.is_visible_to(user):
            return False
        return containers.get(self.container_kind).can_post(self.container, user)

    def can_moderate(self, user) -> bool:
        return is_moderator(user)

    def can_choose_best_answer(self, user) -> bool:
        """The question's author or a moderator."""
        if not self.is_question or not can_write(user):
            return False
        return user.id == self.author_id or is_moderator(user)


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (UniqueConstraint("thread_id", "number", name="uq_posts_thread_id_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Hidden by a moderator: members see "Hidden by a moderator" in its place, moderators the text.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))

    thread: Mapped[Thread] = relationship(foreign_keys=[thread_id])
    author = relationship("User", foreign_keys=[author_id])

    def __repr__(self) -> str:
        return f"<Post {self.thread_id}#{self.number}>"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def page(self) -> int:
        return (self.number - 1) // POSTS_PER_PAGE + 1

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @classmethod
    def visible_clause(cls, viewer):
        """SQL: the posts whose text ``viewer`` may read — in a thread they may see, neither deleted
        nor hidden unless they moderate. Surfaces that show posts outside their thread's page (search,
        feeds, notifications, profiles, exports) use it; ``is_visible_to`` says the same for one."""
        threads = select(Thread.id).where(Thread.visible_clause(viewer))
        conditions = [cls.thread_id.in_(threads)]
        if not has_role(viewer, "moderator"):  # None is a visitor, never the current user
            conditions += [cls.hidden_at.is_(None), cls.deleted_at.is_(None)]
        return and_(*conditions)

    def is_visible_to(self, user) -> bool:
        return self.thread.is_visible_to(user) and self.text_is_visible_to(user)

    def text_is_visible_to(self, user) -> bool:
        """A deleted or hidden post's text is for moderators only."""
        return not (self.is_deleted or self.is_hidden) or is_moderator(user)

    def is_editable_by(self, user) -> bool:
        """Its author while the thread is open and the post not hidden, and moderators."""
        if self.is_deleted or not can_write(user):
            return False
        if is_moderator(user):
            return True
        return user.id == self.author_id and not self.thread.locked and not self.is_hidden

    def is_deletable_by(self, user) -> bool:
        return self.number > 1 and self.is_editable_by(user)


class PostRevision(db.Model):
    """A post as it was before an edit."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime())  # when this version was written
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    editor = relationship("User")


class MergedPost(db.Model):
    """Where a post that came with a merged thread lived before: the old thread and number, so that
    old links (``/discussie/<old>/bericht/<n>``) still find it, also after later merges."""

    __tablename__ = "merged_posts"

    old_thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True)
    old_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)


class ThreadReader(db.Model):
    """One member and one thread: the last post number read and how they follow it."""

    __tablename__ = "thread_readers"
    __table_args__ = (Index("ix_thread_readers_thread_id_level", "thread_id", "level"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True)
    last_read: Mapped[int] = mapped_column(Integer, default=0)
    level: Mapped[FollowLevel] = mapped_column(
        enum_column(FollowLevel, "follow_level"), default=FollowLevel.NORMAL
    )


class ContainerFollow(db.Model):
    """A member follows a container (a theme): they hear of every new thread in it."""

    __tablename__ = "container_follows"
    __table_args__ = (Index("ix_container_follows_container", "container_kind", "container_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    container_kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    container_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
