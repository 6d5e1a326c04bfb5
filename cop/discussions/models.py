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

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db_types import UTCDateTime, enum_column, utcnow
from cop.extensions import db
from cop.permissions import can_write, is_moderator

POSTS_PER_PAGE = 20


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

    @cached_property
    def container(self):
        """The theme (or circle …) the thread lives in, loaded once per thread object."""
        from cop.discussions import containers

        return containers.get(self.container_kind).load(self.container_id)

    def is_visible_to(self, user) -> bool:
        from cop.discussions import containers

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

    def text_is_visible_to(self, user) -> bool:
        """A deleted post's text is for moderators only."""
        return not self.is_deleted or is_moderator(user)

    def is_editable_by(self, user) -> bool:
        """Its author while the thread is open, and moderators."""
        if self.is_deleted or not can_write(user):
            return False
        if is_moderator(user):
            return True
        return user.id == self.author_id and not self.thread.locked

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
