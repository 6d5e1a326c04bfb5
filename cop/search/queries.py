"""The read side of search: one search over everything the viewer may see, filtered in the query so
counts and pages are right. Each function says how many queries it runs."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from flask import url_for
from markupsafe import Markup
from sqlalchemy import and_, bindparam, column, func, literal_column, or_, select, table
from sqlalchemy.sql.elements import ColumnElement

from cop.accounts import User
from cop.circles import queries as circle_queries
from cop.db_types import utcnow
from cop.discussions import containers
from cop.extensions import db
from cop.guide import Lesson, LessonStatus
from cop.pagination import Page
from cop.permissions import can_edit_content, is_moderator
from cop.places import queries as place_queries
from cop.search.models import SearchDocument as D
from cop.search.models import SearchWord
from cop.search.text import Query, snippet

PER_PAGE = 20
KINDS = ("lesson", "chapter", "thread", "post", "contribution", "circle", "meeting", "place", "member")
_CONTAINED = ("thread", "post", "meeting", "contribution")
_FTS = table("search_fts", column("rowid"))  # SQLite's FTS5 index (migration 0012)


def visibility(viewer) -> ColumnElement:
    """SQL: the documents ``viewer`` may see — each kind asks the rule of the package it comes from:
    threads, replies and meetings their container's (a private circle's only for its members, a
    contribution's draft only for its writers), hidden ones only moderators; lessons published
    ones (drafts for editors); circles those the viewer may know of; neighbourhoods approved ones;
    members only confirmed, unsuspended ones who made their profile public."""
    contained = and_(
        D.kind.in_(_CONTAINED), containers.visible_condition(D.container_kind, D.container_id, viewer)
    )
    if not is_moderator(viewer):
        contained = and_(contained, D.hidden.is_(False))
    lessons = D.kind == "lesson"
    if not can_edit_content(viewer):
        lessons = and_(
            lessons, D.object_id.in_(select(Lesson.id).where(Lesson.status == LessonStatus.PUBLISHED))
        )
    public_profiles = select(User.id).where(
        User.profile_public.is_(True),
        User.confirmed_at.is_not(None),
        or_(User.suspended_until.is_(None), User.suspended_until <= utcnow()),
    )
    return or_(
        contained,
        lessons,
        D.kind == "chapter",
        and_(D.kind == "circle", circle_queries.visible(viewer, D.object_id)),
        and_(D.kind == "place", place_queries.visible(viewer, D.object_id)),
        and_(D.kind == "member", D.object_id.in_(public_profiles)),
    )


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _matching(statement, query: Query):
    """``statement`` limited to the documents that match ``query``; returns it with "the title
    matches" (a boolean column) and the rank (ascending: best first)."""
    if _dialect() == "postgresql":
        vector = literal_column("search_documents.search_vector")
        asked = func.to_tsquery("dutch", bindparam("q", query.tsquery()))
        in_title = vector.op("@@")(func.to_tsquery("dutch", bindparam("qt", query.tsquery(title_only=True))))
        return statement.where(vector.op("@@")(asked)), in_title, -func.ts_rank(vector, asked)
    fts = literal_column("search_fts")
    title_hits = (
        select(_FTS.c.rowid)
        .where(fts.op("MATCH")(bindparam("qt", query.fts5(title_only=True))))
        .scalar_subquery()
    )
    statement = statement.join(_FTS, _FTS.c.rowid == D.id).where(
        fts.op("MATCH")(bindparam("q", query.fts5()))
    )
    return statement, D.id.in_(title_hits), func.bm25(fts, 10.0, 1.0)  # the title weighs ten times the body


@dataclass
class Result:
    kind: str
    title: str
    context: str
    url: str
    snippet: Markup


@dataclass
class Outcome:
    page: Page | None = None
    counts: dict[str, int] = field(default_factory=dict)
    suggestion: str | None = None

    @property
    def total(self) -> int:
        return self.page.total if self.page else 0


def _url(kind: str, ref: str) -> str:
    if kind == "post":
        thread_ref, _slash, number = ref.rpartition("/")
        return url_for("discussions.post_link", ref=thread_ref, number=int(number))
    endpoints = {
        "lesson": ("guide.lesson", "ref", str),
        "chapter": ("guide.chapter", "number", int),
        "thread": ("discussions.thread", "ref", str),
        "circle": ("circles.circle", "slug", str),
        "meeting": ("circles.meeting", "meeting_id", int),
        "contribution": ("contributions.contribution", "contribution_id", int),
        "place": ("places.neighbourhood", "slug", str),
        "member": ("accounts.member", "handle", str),
    }
    endpoint, name, cast = endpoints[kind]
    return url_for(endpoint, **{name: cast(ref)})


def search(
    viewer, query: Query, kind: str | None, theme_id: int | None, place_id: int | None, page: int
) -> Outcome:
    """Two queries: the number of hits per kind, and the page of hits (a third when nothing is found:
    the words for a suggestion). Title matches come first, then the best matches."""
    if query.is_empty:
        return Outcome()
    conditions = [visibility(viewer)]
    if theme_id is not None:
        conditions.append(D.theme_ids.contains(f",{theme_id},"))
    if place_id is not None:
        conditions.append(D.place_ids.contains(f",{place_id},"))
    counting, _in_title, _rank = _matching(select(D.kind, func.count(D.id)).select_from(D), query)
    counts = dict(db.session.execute(counting.where(*conditions).group_by(D.kind)).all())
    total = counts.get(kind, 0) if kind else sum(counts.values())
    outcome = Outcome(counts=counts)
    if total == 0:
        outcome.page = Page([], 0, 1, PER_PAGE)
        outcome.suggestion = suggest(query)
        return outcome
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    if kind:
        conditions.append(D.kind == kind)
    listing, in_title, rank = _matching(
        select(D.kind, D.title, D.context, D.ref, D.body).select_from(D), query
    )
    rows = db.session.execute(
        listing.where(*conditions)
        .order_by(in_title.desc(), rank, D.id)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    stems = query.stems()
    items = [
        Result(
            row.kind,
            row.title or row.context,
            row.context if row.title else "",
            _url(row.kind, row.ref),
            snippet(row.body, stems),
        )
        for row in rows
    ]
    outcome.page = Page(items, total, page, PER_PAGE)
    return outcome


def suggest(query: Query) -> str | None:
    """The query with each unknown word replaced by the closest word of the guide's vocabulary, or
    None. One query (none without words)."""
    typed = query.typed_words()
    if not typed:
        return None
    shortest, longest = min(len(w) for w in typed), max(len(w) for w in typed)
    vocabulary = set(
        db.session.scalars(
            select(SearchWord.word).where(SearchWord.length.between(shortest - 2, longest + 2))
        )
    )
    changed, suggested = False, []
    for word in typed:
        if word in vocabulary or len(word) < 4:
            suggested.append(word)
            continue
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
        if close:
            changed = True
        suggested.append(close[0] if close else word)
    return " ".join(suggested) if changed else None
