"""What goes into the index: one ``Document`` per lesson, chapter, thread, reply, circle, meeting,
contribution, neighbourhood and member, built from the object (``document_for``), and every
document of a kind for a rebuild (the ``search-index`` process point, see ``init_app``).

A builder returns None for what is not to be found at all (a lesson without content, a deleted
reply, a cancelled meeting, a thread merged into another); who may see the rest is decided when
searching (``queries.visibility``)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cop.accounts import User
from cop.circles import Circle, Meeting
from cop.contributions import Contribution
from cop.discussions import Post, Thread
from cop.extensions import db
from cop.guide import Chapter, Lesson
from cop.places import Neighbourhood, PlaceStatus

BATCH = 500
# The kinds whose documents may name themes or neighbourhoods (see the builders below): a search
# filtered by a theme or a neighbourhood looks only at these.
THEMED = frozenset({"lesson", "thread", "post", "circle", "meeting", "contribution"})
PLACED = frozenset({"circle", "meeting", "contribution", "place"})
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Document:
    kind: str
    object_id: int
    title: str
    body: str
    ref: str
    context: str = ""
    parent_id: int | None = None
    container_kind: str | None = None
    container_id: int | None = None
    theme_ids: tuple[int, ...] = ()
    place_ids: tuple[int, ...] = ()
    hidden: bool = False
    public_words: bool = False  # its words join the vocabulary of suggestions


def plain(markup: str | None) -> str:
    """Text of rendered (sanitized) HTML."""
    return " ".join(html.unescape(_TAG.sub(" ", markup or "")).split())


def _join(*parts) -> str:
    return "\n".join(p for p in parts if p)


def _is_hidden(obj) -> bool:
    return getattr(obj, "hidden_at", None) is not None


# --- builders ------------------------------------------------------------------------------------


def lesson_document(lesson: Lesson) -> Document | None:
    revision = lesson.current_revision
    if revision is None:
        return None
    quotes = [
        _join(q.get("text", ""), q.get("speaker", ""), q.get("organisation", ""))
        for q in revision.quotes or []
    ]
    examples = [
        _join(e.get("title", ""), e.get("place", ""), plain(e.get("text_html")) or e.get("text", ""))
        for e in revision.examples or []
    ]
    return Document(
        kind="lesson",
        object_id=lesson.id,
        title=revision.title,
        body=_join(
            plain(revision.summary_html),
            *revision.objectives or [],
            plain(revision.body_html),
            *quotes,
            *examples,
        ),
        ref=lesson.ref,
        context=lesson.number,
        theme_ids=tuple(t.id for t in lesson.themes),
        public_words=lesson.is_published,
    )


def chapter_document(chapter: Chapter) -> Document:
    return Document(
        kind="chapter",
        object_id=chapter.id,
        title=chapter.title,
        body=_join(plain(chapter.intro_html), chapter.objectives_intro, *chapter.objectives or []),
        ref=str(chapter.number),
        context=str(chapter.number),
        public_words=True,
    )


def _theme_of(thread: Thread) -> tuple[int, ...]:
    return (thread.container_id,) if thread.container_kind == "theme" else ()


def thread_document(thread: Thread, opening: Post | None) -> Document | None:
    if getattr(thread, "merged_into_id", None) is not None:
        return None
    return Document(
        kind="thread",
        object_id=thread.id,
        title=thread.title,
        # a hidden or deleted opening post leaves the thread findable by its title only
        body=plain(opening.body_html)
        if opening is not None and opening.deleted_at is None and not _is_hidden(opening)
        else "",
        ref=thread.ref,
        container_kind=thread.container_kind,
        container_id=thread.container_id,
        theme_ids=_theme_of(thread),
        hidden=_is_hidden(thread),
    )


def post_document(post: Post) -> Document | None:
    """Replies only: the opening post is the thread's document."""
    thread = post.thread
    if post.number <= 1 or post.deleted_at is not None or getattr(thread, "merged_into_id", None) is not None:
        return None
    return Document(
        kind="post",
        object_id=post.id,
        title="",
        body=plain(post.body_html),
        ref=f"{thread.ref}/{post.number}",
        context=thread.title,
        parent_id=thread.id,
        container_kind=thread.container_kind,
        container_id=thread.container_id,
        theme_ids=_theme_of(thread),
        hidden=_is_hidden(post) or _is_hidden(thread),
    )


def circle_document(circle: Circle) -> Document:
    return Document(
        kind="circle",
        object_id=circle.id,
        title=circle.name,
        body=_join(plain(circle.description_html), plain(circle.goal_html), circle.municipality),
        ref=circle.slug,
        context=circle.municipality,
        theme_ids=tuple(t.id for t in circle.themes),
        place_ids=(circle.neighbourhood_id,) if circle.neighbourhood_id else (),
    )


def meeting_document(meeting: Meeting) -> Document | None:
    if meeting.cancelled_at is not None:
        return None
    circle = meeting.circle
    return Document(
        kind="meeting",
        object_id=meeting.id,
        title=meeting.title,
        body=_join(plain(meeting.agenda_html), plain(meeting.notes_html), meeting.location),
        ref=str(meeting.id),
        context=circle.name,
        container_kind="circle",
        container_id=circle.id,
        theme_ids=tuple(t.id for t in circle.themes),
        place_ids=(circle.neighbourhood_id,) if circle.neighbourhood_id else (),
    )


def contribution_document(contribution: Contribution) -> Document:
    texts = [plain(value) for value in (contribution.fields_html or {}).values() if isinstance(value, str)]
    return Document(
        kind="contribution",
        object_id=contribution.id,
        title=contribution.title,
        body=_join(*texts),
        ref=str(contribution.id),
        container_kind="contribution",
        container_id=contribution.id,
        theme_ids=tuple(t.id for t in contribution.themes),
        place_ids=tuple(p.id for p in contribution.places),
    )


def place_document(place: Neighbourhood) -> Document | None:
    if place.status == PlaceStatus.MERGED:
        return None
    return Document(
        kind="place",
        object_id=place.id,
        title=place.name,
        body=_join(place.municipality, plain(place.description_html), place.note),
        ref=place.slug,
        context=place.municipality,
        place_ids=(place.id,),
        public_words=place.status == PlaceStatus.APPROVED,
    )


def member_document(user: User) -> Document | None:
    """Every confirmed member; only public profiles are found (asked when searching)."""
    if user.confirmed_at is None:
        return None
    return Document(
        kind="member",
        object_id=user.id,
        title=user.display_name,
        body=_join(user.job_title, user.organisation, user.municipality, plain(user.bio_html)),
        ref=user.handle,
        context=", ".join(p for p in (user.job_title, user.organisation) if p),
    )


def opening_post(thread: Thread) -> Post | None:
    """One query."""
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.number == 1))


# --- every document of a kind, for a rebuild (the "search-index" point) --------------------------


def _batches(statement) -> Iterator:
    """Rows of ``statement`` in batches by id, so a rebuild holds a few hundred objects at a time."""
    entity = statement.column_descriptions[0]["entity"]
    last = 0
    while True:
        rows = list(db.session.scalars(statement.where(entity.id > last).order_by(entity.id).limit(BATCH)))
        if not rows:
            return
        yield from rows
        last = rows[-1].id
        db.session.expire_all()


def _present(documents: Iterable[Document | None]) -> Iterator[Document]:
    return (d for d in documents if d is not None)


def all_guide() -> Iterator[Document]:
    yield from _present(
        lesson_document(lesson)
        for lesson in _batches(
            select(Lesson).options(selectinload(Lesson.current_revision), selectinload(Lesson.themes))
        )
    )
    yield from (chapter_document(chapter) for chapter in _batches(select(Chapter)))


def all_places() -> Iterator[Document]:
    yield from _present(place_document(place) for place in _batches(select(Neighbourhood)))


def all_discussions() -> Iterator[Document]:
    for thread in _batches(select(Thread)):
        yield from _present([thread_document(thread, opening_post(thread))])
    yield from _present(
        post_document(post)
        for post in _batches(select(Post).options(selectinload(Post.thread)).where(Post.number > 1))
    )


def all_circles() -> Iterator[Document]:
    yield from (circle_document(c) for c in _batches(select(Circle).options(selectinload(Circle.themes))))
    yield from _present(
        meeting_document(m)
        for m in _batches(select(Meeting).options(selectinload(Meeting.circle).selectinload(Circle.themes)))
    )


def all_contributions() -> Iterator[Document]:
    yield from (
        contribution_document(c)
        for c in _batches(
            select(Contribution).options(selectinload(Contribution.themes), selectinload(Contribution.places))
        )
    )


def all_members() -> Iterator[Document]:
    yield from _present(member_document(u) for u in _batches(select(User)))


ALL = (all_guide, all_places, all_discussions, all_circles, all_contributions, all_members)
