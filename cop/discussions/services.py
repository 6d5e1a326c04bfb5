"""Discussion operations: start a thread, reply, edit and delete posts, choose the best answer,
pin and lock, follow and mute, and the reading position. Public functions own the commit and send
their signal before it (notifications subscribe)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import and_, case, literal, select, update

from cop import signals
from cop.accounts import User
from cop.db_types import UTCDateTime, utcnow
from cop.discussions.models import (
    ContainerFollow,
    FollowLevel,
    Post,
    PostRevision,
    Thread,
    ThreadKind,
    ThreadReader,
)
from cop.discussions.moderating import recount
from cop.extensions import db
from cop.sanitize import mentioned_handles, render
from cop.security import log_after_commit
from cop.sql import upsert
from cop.text import slugify
from cop.transactions import DomainError, commit, retry_when_locked
from cop.urls import public_path

TITLE_MAX = 200
BODY_MAX = 50_000
SLUG_MAX = 80


def _mentions(body: str, thread: Thread | None) -> tuple[dict[str, str], list[int]]:
    """The profile links of the known handles ``body`` mentions, and the ids of those mentioned
    (outside quotes and code) who may read the thread. One query."""
    handles = mentioned_handles(body)
    linked = set(mentioned_handles(body, in_quotes=True))  # quoted ones become links, not notices
    if not linked:
        return {}, []
    users = db.session.scalars(select(User).where(User.handle.in_(linked))).all()
    links = {user.handle: public_path("accounts.member", handle=user.handle) for user in users}
    notify = [
        user.id
        for user in users
        if user.handle in handles and user.is_confirmed and (thread is None or thread.is_visible_to(user))
    ]
    return links, notify


def _render(body: str, thread: Thread | None):
    links, mentioned = _mentions(body, thread)
    return render(body, links), mentioned


def _check_text(title: str | None, body: str) -> None:
    if title is not None and not title.strip():
        raise DomainError(_("Enter a title."), "title")
    if not body.strip():
        raise DomainError(_("Write your message."), "body")
    if len(body) > BODY_MAX:
        raise DomainError(_("Use at most %(max)d characters.", max=BODY_MAX), "body")


def _follow(thread_id: int, user_id: int, level: FollowLevel, only_from=None) -> None:
    """Set the member's level for the thread (one statement); ``only_from`` limits which levels change."""
    table = ThreadReader.__table__
    db.session.execute(
        upsert(
            table,
            {"user_id": user_id, "thread_id": thread_id, "last_read": 0, "level": level.value},
            ["user_id", "thread_id"],
            lambda excluded: {"level": excluded.level},
            (lambda excluded: table.c.level.in_([lvl.value for lvl in only_from])) if only_from else None,
        )
    )


@retry_when_locked
def start_thread(
    *, container_kind: str, container, author, kind: str, title: str, body: str, lesson=None
) -> Thread:
    """A new thread with its opening post (number 1); the author follows it."""
    thread = stage_thread(
        container_kind=container_kind,
        container=container,
        author=author,
        kind=kind,
        title=title,
        body=body,
        lesson=lesson,
    )
    commit()
    return thread


def stage_thread(
    *, container_kind: str, container, author, kind: str, title: str, body: str, lesson=None
) -> Thread:
    """``start_thread`` without the commit, for a higher package that stores more with it (a
    contribution's first comment)."""
    from cop.discussions import containers

    _check_text(title, body)
    if not containers.get(container_kind).can_post(container, author):
        raise DomainError(_("You cannot start a discussion here."))
    now = utcnow()
    thread = Thread(
        container_kind=container_kind,
        container_id=container.id,
        lesson_id=getattr(lesson, "id", None),
        kind=ThreadKind(kind),
        title=title.strip(),
        slug=slugify(title, SLUG_MAX),
        author_id=author.id,
        created_at=now,
        last_number=1,
        reply_count=0,
        last_posted_at=now,
        last_poster_id=author.id,
    )
    db.session.add(thread)
    db.session.flush()
    body_html, mentioned = _render(body, thread)
    post = Post(
        thread_id=thread.id, number=1, author_id=author.id, body=body, body_html=body_html, created_at=now
    )
    db.session.add(post)
    db.session.flush()
    _follow(thread.id, author.id, FollowLevel.FOLLOWING)
    db.session.execute(
        update(ThreadReader)
        .where(ThreadReader.user_id == author.id, ThreadReader.thread_id == thread.id)
        .values(last_read=1)
    )
    signals.thread_started.send(
        thread, post=post, author=author, mentioned=[i for i in mentioned if i != author.id]
    )
    return thread


@retry_when_locked
def reply(thread: Thread, author, body: str) -> Post:
    """Add a post with the next number. The number and the time come from one UPDATE of the thread's
    counters, so that replies at the same moment get consecutive numbers (the row, or on SQLite the
    database, is locked until the commit) and a later number never an earlier time: a reply that
    waited for the lock takes the time of the one before it if that is later than its own."""
    _check_text(None, body)
    if not thread.can_reply(author):
        raise DomainError(_("This discussion is closed: no new replies can be added."))
    body_html, mentioned = _render(body, thread)  # before the lock: others wait while it is held
    table = Thread.__table__
    clock = literal(utcnow(), UTCDateTime())
    claimed = db.session.execute(
        update(table)
        .where(table.c.id == thread.id, table.c.locked.is_(False), table.c.merged_into_id.is_(None))
        .values(
            last_number=table.c.last_number + 1,
            reply_count=table.c.reply_count + 1,
            last_posted_at=case((table.c.last_posted_at > clock, table.c.last_posted_at), else_=clock),
            last_poster_id=author.id,
        )
        .returning(table.c.last_number, table.c.last_posted_at)
    ).first()
    if claimed is None:
        db.session.rollback()
        raise DomainError(_("This discussion is closed: no new replies can be added."))
    number, now = claimed
    db.session.expire(thread, ["last_number", "reply_count", "last_posted_at", "last_poster_id"])
    post = Post(
        thread_id=thread.id,
        number=number,
        author_id=author.id,
        body=body,
        body_html=body_html,
        created_at=now,
    )
    db.session.add(post)
    db.session.flush()
    _follow(thread.id, author.id, FollowLevel.FOLLOWING, only_from=[FollowLevel.NORMAL])
    signals.post_created.send(post, author=author, mentioned=[i for i in mentioned if i != author.id])
    commit()
    return post


@retry_when_locked
def edit_post(post: Post, editor, body: str, *, title: str | None = None) -> bool:
    """Save a new text (and, for the opening post, the thread's title); the old one is kept. False
    when nothing changed."""
    _check_text(title, body)
    thread = post.thread
    new_title = title.strip() if title is not None and post.number == 1 else thread.title
    if body == post.body and new_title == thread.title:
        return False
    if body != post.body:
        db.session.add(
            PostRevision(
                post_id=post.id,
                body=post.body,
                body_html=post.body_html,
                written_at=post.edited_at or post.created_at,
                editor_id=post.author_id if post.edited_at is None else editor.id,
            )
        )
        post.body = body
        post.body_html, mentioned = _render(body, thread)
        post.edited_at = utcnow()
    else:
        mentioned = []
    if new_title != thread.title:
        thread.title = new_title
        thread.slug = slugify(new_title, SLUG_MAX)
    if editor.id != post.author_id:
        log_after_commit("post_edited_by_moderator", editor, post=post.id, thread=thread.id)
    signals.post_edited.send(post, editor=editor, mentioned=[i for i in mentioned if i != post.author_id])
    commit()
    return True


@retry_when_locked
def delete_post(post: Post, actor) -> None:
    """Soft delete: the post keeps its number and place; its text is for moderators only."""
    if post.number == 1:
        raise DomainError(_("The opening post cannot be deleted."))
    if post.is_deleted:
        return
    thread = post.thread
    post.deleted_at = utcnow()
    post.deleted_by_id = actor.id
    db.session.flush()
    recount(thread)  # counted, not decremented: a reply committed since the thread was read counts too
    if thread.best_post_id == post.id:
        thread.best_post_id = None
    if actor.id != post.author_id:
        log_after_commit("post_deleted_by_moderator", actor, post=post.id, thread=thread.id)
    signals.post_deleted.send(post, actor=actor)
    commit()


def choose_best_answer(thread: Thread, post: Post | None, actor) -> None:
    """Mark ``post`` as the question's best answer, or take the choice back (None)."""
    if not thread.is_question:
        raise DomainError(_("Only a question has a best answer."))
    if post is not None and (post.thread_id != thread.id or post.number == 1 or post.is_deleted):
        raise DomainError(_("Choose one of the replies as the best answer."))
    new_id = post.id if post is not None else None
    if thread.best_post_id == new_id:
        return
    thread.best_post_id = new_id
    signals.best_answer_chosen.send(thread, post=post, actor=actor)
    commit()


def moderate(thread: Thread, action: str, actor) -> None:
    """Pin, unpin, lock or unlock; written to the security log (the audit log comes later)."""
    changes = {
        "pin": ("pinned", True),
        "unpin": ("pinned", False),
        "lock": ("locked", True),
        "unlock": ("locked", False),
    }
    if action not in changes:
        raise DomainError(_("Unknown action."))
    name, value = changes[action]
    if getattr(thread, name) == value:
        return
    setattr(thread, name, value)
    log_after_commit(f"thread_{action}", actor, thread=thread.id)
    signals.thread_moderated.send(thread, actor=actor, action=action, reason=None)
    commit()


def set_follow_level(thread: Thread, user, level: str) -> None:
    _follow(thread.id, user.id, FollowLevel(level))
    commit()


def follow_container(user, kind: str, container_id: int, follow: bool) -> None:
    existing = db.session.get(ContainerFollow, (user.id, kind, container_id))
    if follow and existing is None:
        db.session.add(ContainerFollow(user_id=user.id, container_kind=kind, container_id=container_id))
    elif not follow and existing is not None:
        db.session.delete(existing)
    else:
        return
    commit()


@retry_when_locked
def record_read(thread: Thread, user, number: int) -> None:
    """Move the member's reading position forward to ``number`` (never back): one statement."""
    table = ThreadReader.__table__
    db.session.execute(
        upsert(
            table,
            {
                "user_id": user.id,
                "thread_id": thread.id,
                "last_read": number,
                "level": FollowLevel.NORMAL.value,
            },
            ["user_id", "thread_id"],
            lambda excluded: {"last_read": excluded.last_read},
            lambda excluded: and_(table.c.last_read < excluded.last_read),
        )
    )
    commit()


def preview(body: str, thread: Thread | None = None) -> str:
    """The post as it will look (mentions linked); nothing is stored."""
    html, _mentioned = _render(body, thread)
    return html
