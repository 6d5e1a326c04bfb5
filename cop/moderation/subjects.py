"""What members can flag: a post, a thread, a contribution, a circle, a member's profile.

Each kind says how its items are found (one at a time for the flag page, many at once for the
moderators' dashboard), whether a member may see one, and what the moderators are shown of it:
a label, the address, a short excerpt, and who wrote it (whom a suspension from the flag concerns).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cop.accounts import User
from cop.circles import Circle
from cop.contributions import Contribution
from cop.discussions import Post, Thread
from cop.extensions import db
from cop.permissions import is_moderator
from cop.sanitize import text_of
from cop.urls import public_path as url_for

EXCERPT = 300


@dataclass(frozen=True)
class SubjectKind:
    name: str  # stored in flags and audit entries
    segment: str  # in the address: /melden/<segment>/<id>
    label: object  # what it is called: "message", "discussion" …
    model: type
    options: tuple = ()  # eager loading for many at once
    title: Callable = str  # the item's label
    url: Callable = str
    excerpt: Callable = lambda obj: ""
    author_id: Callable = lambda obj: None
    visible: Callable = lambda obj, user: True


def _post_visible(post: Post, user) -> bool:
    if post.is_deleted or (post.is_hidden and not is_moderator(user)):
        return False
    return post.thread.is_visible_to(user)


def _contribution_excerpt(contribution: Contribution) -> str:
    html = next(iter((contribution.fields_html or {}).values()), "")
    return text_of(html)[:EXCERPT]


KINDS = {
    kind.name: kind
    for kind in (
        SubjectKind(
            "post",
            "bericht",
            _l("message"),
            Post,
            options=(joinedload(Post.thread), joinedload(Post.author)),
            title=lambda post: f"{post.thread.title} #{post.number}",
            url=lambda post: url_for("discussions.post_link", ref=post.thread.ref, number=post.number),
            excerpt=lambda post: text_of(post.body_html)[:EXCERPT],
            author_id=lambda post: post.author_id,
            visible=_post_visible,
        ),
        SubjectKind(
            "thread",
            "discussie",
            _l("discussion"),
            Thread,
            options=(joinedload(Thread.author),),
            title=lambda thread: thread.title,
            url=lambda thread: url_for("discussions.thread", ref=thread.ref),
            author_id=lambda thread: thread.author_id,
            visible=lambda thread, user: thread.is_visible_to(user),
        ),
        SubjectKind(
            "contribution",
            "bijdrage",
            _l("contribution"),
            Contribution,
            options=(joinedload(Contribution.author),),
            title=lambda contribution: contribution.title,
            url=lambda contribution: url_for("contributions.contribution", contribution_id=contribution.id),
            excerpt=_contribution_excerpt,
            author_id=lambda contribution: contribution.author_id,
            visible=lambda contribution, user: contribution.is_visible_to(user),
        ),
        SubjectKind(
            "circle",
            "leerkring",
            _l("learning circle"),
            Circle,
            title=lambda circle: circle.name,
            url=lambda circle: url_for("circles.circle", slug=circle.slug),
            excerpt=lambda circle: text_of(circle.description_html)[:EXCERPT],
            author_id=lambda circle: circle.created_by_id,
            visible=lambda circle, user: circle.is_visible_to(user),
        ),
        SubjectKind(
            "member",
            "lid",
            _l("profile"),
            User,
            title=lambda member: f"{member.display_name} (@{member.handle})",
            url=lambda member: url_for("accounts.member", handle=member.handle),
            excerpt=lambda member: text_of(member.bio_html)[:EXCERPT],
            author_id=lambda member: member.id,
            visible=lambda member, user: member.is_visible_to(user),
        ),
    )
}
BY_SEGMENT = {kind.segment: kind for kind in KINDS.values()}


def load(kind: SubjectKind, subject_id: int):
    """One query (the post's thread with it)."""
    if not 0 < subject_id < 2**31:
        return None
    return db.session.scalar(select(kind.model).options(*kind.options).where(kind.model.id == subject_id))


def load_many(pairs) -> dict[tuple[str, int], object]:
    """The items named by (kind, id) pairs: one query per kind among them."""
    wanted: dict[str, set[int]] = {}
    for name, subject_id in pairs:
        wanted.setdefault(name, set()).add(subject_id)
    found = {}
    for name, ids in wanted.items():
        kind = KINDS.get(name)
        if kind is None:
            continue
        rows = db.session.scalars(select(kind.model).options(*kind.options).where(kind.model.id.in_(ids)))
        for obj in rows:
            found[(name, obj.id)] = obj
    return found


@dataclass
class FlagGroup:
    """A flagged item, as the moderators and the flaggers are told of it."""

    kind: str
    subject_id: int
    label: str
    path: str
    excerpt: str = ""
    author_id: int | None = None
    obj: object = None

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind].label)

    @property
    def segment(self) -> str:
        return KINDS[self.kind].segment


def describe(name: str, subject_id: int, obj) -> FlagGroup:
    kind = KINDS[name]
    if obj is None:  # the item is gone
        return FlagGroup(name, subject_id, f"{kind.label} {subject_id}", "", "")
    return FlagGroup(
        name, subject_id, kind.title(obj), kind.url(obj), kind.excerpt(obj), kind.author_id(obj), obj
    )
