"""Moderators keep discussions healthy: hide and restore posts and threads, move a thread to another
theme, merge a duplicate thread into another. Each function owns the commit and sends
``thread_moderated`` (actions hide, unhide, move, merge) or ``post_hidden`` / ``post_restored``
before it, with the actor and the reason, so that the audit log records it in the same transaction.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, insert, literal, select, update

from cop import signals
from cop.db_types import utcnow
from cop.discussions.models import REASON_MAX, FollowLevel, MergedPost, Post, Thread, ThreadReader
from cop.extensions import db
from cop.permissions import is_moderator
from cop.security import log_after_commit
from cop.transactions import DomainError, commit


def _check(actor, reason: str | None, required: bool) -> str | None:
    if not is_moderator(actor):
        raise DomainError(_("Only moderators can do this."))
    reason = (reason or "").strip()
    if required and not reason:
        raise DomainError(_("Say why, for the other moderators and the log."), "reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_("Use at most %(max)d characters.", max=REASON_MAX), "reason")
    return reason or None


def recount(thread: Thread) -> None:
    """Set the thread's reply count and last post (time and poster) from the posts members may read,
    so that a list never points at a hidden post: three queries. The thread's row is locked and its
    counters read anew first (on SQLite the change before took the database's lock), so that a reply
    at the same moment waits and is counted, instead of being overwritten by a count made without it."""
    db.session.refresh(thread, ["reply_count", "last_posted_at", "last_poster_id"], with_for_update=True)
    readable = (Post.thread_id == thread.id, Post.deleted_at.is_(None), Post.hidden_at.is_(None))
    thread.reply_count = db.session.scalar(
        select(func.count()).select_from(Post).where(*readable, Post.number > 1)
    )
    last = db.session.execute(
        select(Post.created_at, Post.author_id)
        .where(*readable)
        .order_by(Post.created_at.desc(), Post.number.desc())
        .limit(1)
    ).first()
    if last is not None:
        thread.last_posted_at, thread.last_poster_id = last


def _set_hidden(item: Post | Thread, actor, reason: str | None = None) -> None:
    """Mark a post or thread hidden by ``actor`` for ``reason``, or (``actor`` None) visible again."""
    item.hidden_at = utcnow() if actor is not None else None
    item.hidden_by_id = actor.id if actor is not None else None
    item.hidden_reason = reason if actor is not None else None


# --- posts ----------------------------------------------------------------------------------------


def hide_post(post: Post, actor, reason: str) -> None:
    """Members see "Hidden by a moderator" in the post's place; moderators still see the text."""
    reason = _check(actor, reason, required=True)
    if post.is_hidden:
        return
    _set_hidden(post, actor, reason)
    db.session.flush()
    recount(post.thread)
    log_after_commit("post_hidden", actor, post=post.id, thread=post.thread_id)
    signals.post_hidden.send(post, actor=actor, reason=reason)
    commit()


def restore_post(post: Post, actor, reason: str | None = None) -> None:
    reason = _check(actor, reason, required=False)
    if not post.is_hidden:
        return
    _set_hidden(post, None)
    db.session.flush()
    recount(post.thread)
    log_after_commit("post_restored", actor, post=post.id, thread=post.thread_id)
    signals.post_restored.send(post, actor=actor, reason=reason)
    commit()


# --- threads --------------------------------------------------------------------------------------


def hide_thread(thread: Thread, actor, reason: str) -> None:
    """The thread disappears for members from every list, and its page is a 404 to them."""
    reason = _check(actor, reason, required=True)
    if thread.is_hidden:
        return
    _set_hidden(thread, actor, reason)
    log_after_commit("thread_hide", actor, thread=thread.id)
    signals.thread_moderated.send(thread, actor=actor, action="hide", reason=reason)
    commit()


def restore_thread(thread: Thread, actor, reason: str | None = None) -> None:
    reason = _check(actor, reason, required=False)
    if not thread.is_hidden:
        return
    _set_hidden(thread, None)
    log_after_commit("thread_unhide", actor, thread=thread.id)
    signals.thread_moderated.send(thread, actor=actor, action="unhide", reason=reason)
    commit()


def move_thread(thread: Thread, theme, actor, reason: str | None = None) -> None:
    """Move a theme's thread to another theme; its posts, readers and address stay as they are."""
    reason = _check(actor, reason, required=False)
    if thread.container_kind != "theme":
        raise DomainError(_("Only a discussion in a theme can be moved to another theme."), "theme")
    if theme is None or theme.is_retired:
        raise DomainError(_("Choose a theme that is in use."), "theme")
    if theme.id == thread.container_id:
        raise DomainError(_("The discussion is already in this theme."), "theme")
    old_theme = thread.container
    thread.container_id = theme.id
    thread.__dict__.pop("container", None)  # the cached container is the old theme
    log_after_commit("thread_move", actor, thread=thread.id, theme=theme.id)
    signals.thread_moderated.send(
        thread, actor=actor, action="move", reason=reason, old_theme=old_theme, new_theme=theme
    )
    commit()


def _may_merge(source: Thread, target: Thread) -> bool:
    """Within one container, or between themes (public both): never across a circle's walls."""
    same = (source.container_kind, source.container_id) == (target.container_kind, target.container_id)
    return same or (source.container_kind == target.container_kind == "theme")


def merge_thread(source: Thread, target: Thread, actor, reason: str | None = None) -> None:
    """Merge a duplicate ``source`` into ``target``: its posts are appended in their order, keeping
    their authors and times, numbered on from the target's last post; followers come along; the
    source disappears from lists and its addresses (and its posts' addresses) redirect."""
    reason = _check(actor, reason, required=False)
    if target is None or target.merged_into_id is not None or not target.is_visible_to(actor):
        raise DomainError(_("Choose an existing discussion to merge into."), "target")
    if target.id == source.id:
        raise DomainError(_("A discussion cannot be merged into itself."), "target")
    if not _may_merge(source, target):
        raise DomainError(
            _("A discussion can only be merged into one in a theme or in the same place."), "target"
        )
    threads = Thread.__table__
    # Claim both rows first (on PostgreSQL this locks them): a reply at the same moment waits, and a
    # reply to the source after the merge is refused (reply() asks merged_into_id IS NULL).
    count = db.session.execute(
        update(threads)
        .where(threads.c.id == source.id, threads.c.merged_into_id.is_(None))
        .values(merged_into_id=target.id, best_post_id=None)
        .returning(threads.c.last_number)
    ).scalar_one_or_none()
    if count is None:
        raise DomainError(_("This discussion has already been merged."), "target")
    offset = (
        db.session.execute(
            update(threads)
            .where(threads.c.id == target.id)
            .values(last_number=threads.c.last_number + count)
            .returning(threads.c.last_number)
        ).scalar_one()
        - count
    )
    # old addresses of the moved posts, then the move itself: numbers continue after the target's
    db.session.execute(
        insert(MergedPost).from_select(
            ["old_thread_id", "old_number", "post_id"],
            select(Post.thread_id, Post.number, Post.id).where(Post.thread_id == source.id),
        )
    )
    db.session.execute(
        update(Post)
        .where(Post.thread_id == source.id)
        .values(thread_id=target.id, number=Post.number + offset)
        .execution_options(synchronize_session=False)
    )
    # threads merged into the source before now point at the target (one redirect, not a chain)
    db.session.execute(
        update(threads).where(threads.c.merged_into_id == source.id).values(merged_into_id=target.id)
    )
    _carry_readers(source.id, target.id)
    db.session.expire_all()
    recount(target)
    log_after_commit("thread_merge", actor, thread=source.id, into=target.id)
    signals.thread_moderated.send(source, actor=actor, action="merge", reason=reason, into=target)
    commit()


def _carry_readers(source_id: int, target_id: int) -> None:
    """The source's followers follow the target (a member who muted the target stays muted); those
    new to the target start unread. Two statements."""
    following = select(ThreadReader.user_id).where(
        ThreadReader.thread_id == source_id, ThreadReader.level == FollowLevel.FOLLOWING
    )
    db.session.execute(
        update(ThreadReader)
        .where(
            ThreadReader.thread_id == target_id,
            ThreadReader.level == FollowLevel.NORMAL,
            ThreadReader.user_id.in_(following),
        )
        .values(level=FollowLevel.FOLLOWING)
        .execution_options(synchronize_session=False)
    )
    known = select(ThreadReader.user_id).where(ThreadReader.thread_id == target_id)
    db.session.execute(
        insert(ThreadReader).from_select(
            ["user_id", "thread_id", "last_read", "level"],
            select(ThreadReader.user_id, literal(target_id), literal(0), ThreadReader.level).where(
                ThreadReader.thread_id == source_id, ThreadReader.user_id.not_in(known)
            ),
        )
    )
