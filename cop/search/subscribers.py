"""Keeping the index current: every write that changes something findable sends a signal before
its commit, and these subscribers put the new documents in the same transaction (a write that
rolls back leaves the index as it was)."""

from __future__ import annotations

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from cop import signals
from cop.circles import Circle, Meeting
from cop.contributions import Contribution
from cop.discussions import Post, Thread
from cop.extensions import db
from cop.search import documents as docs
from cop.search import index

_PENDING = "cop_search_pending"


def _put_or_drop(kind: str, object_id: int, document) -> None:
    if document is None:
        index.drop(kind, object_id)
    else:
        index.put(document)


def lesson_saved(lesson, **_facts) -> None:
    _put_or_drop("lesson", lesson.id, docs.lesson_document(lesson))


def chapter_saved(chapter, **_facts) -> None:
    db.session.flush()  # a new chapter has its id only once flushed
    index.put(docs.chapter_document(chapter))


def reindex_thread(thread: Thread, with_replies: bool = False) -> None:
    """The thread's document, and (after a hide, move or merge) its replies', read afresh: a
    moderation may have changed the rows with bulk statements the loaded objects do not show."""
    db.session.flush()
    if with_replies:
        db.session.refresh(thread)
    _put_or_drop("thread", thread.id, docs.thread_document(thread, docs.opening_post(thread)))
    if with_replies:
        index.drop_replies(thread.id)
        replies = db.session.scalars(
            select(Post)
            .where(Post.thread_id == thread.id, Post.number > 1)
            .execution_options(populate_existing=True)
        )
        for post in replies:
            _put_or_drop("post", post.id, docs.post_document(post))


def thread_started(thread, **_facts) -> None:
    reindex_thread(thread)


def post_changed(post, **_facts) -> None:
    if post.number == 1:  # the opening post: the thread's document; its title may have changed
        reindex_thread(post.thread)
        index.rename_replies(post.thread_id, post.thread.title)
    else:
        _put_or_drop("post", post.id, docs.post_document(post))


def thread_moderated(thread, action=None, into=None, **_facts) -> None:
    """Hidden or shown again, moved, merged (``into`` the target): the thread and its replies.
    Pinning and locking change nothing that is found."""
    if action in ("pin", "unpin", "lock", "unlock"):
        return
    reindex_thread(thread, with_replies=True)
    if isinstance(into, Thread):
        reindex_thread(into, with_replies=True)


def circle_changed(circle, **_facts) -> None:
    index.put(docs.circle_document(circle))


def meeting_changed(meeting, **_facts) -> None:
    _put_or_drop("meeting", meeting.id, docs.meeting_document(meeting))


def contribution_changed(contribution, **_facts) -> None:
    index.put(docs.contribution_document(contribution))


def member_changed(user, **_facts) -> None:
    _put_or_drop("member", user.id, docs.member_document(user))


def member_deleted(user, rewritten=None, **_facts) -> None:
    """The member's document goes; what lost the member's name in its text is indexed again; on
    SQLite the FTS5 index is merged, so no old segment keeps the deleted words."""
    index.drop("member", user.id)
    db.session.flush()
    for kind, ids in (rewritten or {}).items():
        for object_id in sorted(ids or ()):
            _reindex_object(kind, object_id)
    if index.dialect() == "sqlite":
        db.session.execute(text("INSERT INTO search_fts(search_fts) VALUES ('optimize')"))


def _reindex_object(kind: str, object_id: int) -> None:
    from cop.accounts import User
    from cop.guide import Chapter, Lesson

    models = {
        "post": Post,
        "thread": Thread,
        "lesson": Lesson,
        "chapter": Chapter,
        "circle": Circle,
        "meeting": Meeting,
        "contribution": Contribution,
        "member": User,
    }
    model = models.get(kind)
    obj = db.session.get(model, object_id, populate_existing=True) if model is not None else None
    if obj is None:
        return
    if isinstance(obj, Post):
        post_changed(obj)
    elif isinstance(obj, Thread):
        reindex_thread(obj)
    elif isinstance(obj, Lesson):
        lesson_saved(obj)
    elif isinstance(obj, User):
        member_changed(obj)
    else:
        _, build = _watched()[type(obj)]
        _put_or_drop(kind, object_id, build(obj))


SUBSCRIPTIONS = {
    "lesson_saved": lesson_saved,
    "chapter_saved": chapter_saved,
    "thread_started": thread_started,
    "post_created": post_changed,
    "post_edited": post_changed,
    "post_deleted": post_changed,
    "post_hidden": post_changed,
    "post_restored": post_changed,
    "thread_moderated": thread_moderated,
    "circle_created": circle_changed,
    "circle_changed": circle_changed,  # not sent yet: edits of a circle are noted at flush (below)
    "meeting_planned": meeting_changed,
    "meeting_changed": meeting_changed,
    "meeting_cancelled": meeting_changed,
    "contribution_changed": contribution_changed,
    "contribution_promoted": contribution_changed,
    "member_registered": member_changed,
    "member_confirmed": member_changed,
    "profile_changed": member_changed,
    "member_suspended": member_changed,
    "member_unsuspended": member_changed,
    "member_deleted": member_deleted,
}


def connect() -> None:
    """Subscribe to every signal of ``SUBSCRIPTIONS`` that exists (some are added by packages being
    built alongside this one). Blinker keeps one subscription per function, so this is idempotent."""
    for name, fn in SUBSCRIPTIONS.items():
        signal = getattr(signals, name, None)
        if signal is not None:
            signal.connect(fn)
    watch_models()


# --- the safety net: writes that send no signal ---------------------------------------------------
# Creating or editing a contribution, editing a circle, importing a chapter, a meeting's notes and
# every change to a neighbourhood send no signal (yet). So that the index still follows them in the
# same transaction, the objects of these models that a flush wrote are noted, and their documents
# are put (or dropped) just before the transaction commits; a rollback forgets the note.


def _watched() -> dict[type, tuple[str, object]]:
    from cop.guide import Chapter
    from cop.places import Neighbourhood

    return {
        Chapter: ("chapter", docs.chapter_document),
        Contribution: ("contribution", docs.contribution_document),
        Circle: ("circle", docs.circle_document),
        Meeting: ("meeting", docs.meeting_document),
        Neighbourhood: ("place", docs.place_document),
    }


def _note_flushed(session: Session, _flush_context) -> None:
    watched = _watched()
    pending = session.info.setdefault(_PENDING, {})
    for obj in (*session.new, *session.dirty):
        if type(obj) in watched and obj.id is not None:
            pending[(type(obj), obj.id)] = obj
    for obj in session.deleted:
        if type(obj) in watched and obj.id is not None:
            pending[(type(obj), obj.id)] = None


def _index_noted(session: Session) -> None:
    if not session.info.get(_PENDING):
        return
    session.flush()
    watched = _watched()
    while session.info.get(_PENDING):
        pending = session.info.pop(_PENDING)
        for (model, object_id), obj in pending.items():
            kind, build = watched[model]
            _put_or_drop(kind, object_id, build(obj) if obj is not None else None)


def watch_models() -> None:
    if not event.contains(Session, "after_flush", _note_flushed):
        event.listen(Session, "after_flush", _note_flushed)
        event.listen(Session, "before_commit", _index_noted)
        event.listen(Session, "after_soft_rollback", _forget_on_rollback)


def _forget_on_rollback(session: Session, previous_transaction) -> None:
    session.info.pop(_PENDING, None)
