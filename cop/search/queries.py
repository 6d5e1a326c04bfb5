"""The read side of search: one search over everything the viewer may see, filtered in the query so
counts and pages are right. Each function says how many queries it runs.

A search looks at the newest ``CANDIDATES`` hits of each kind only: it counts them (a kind with
more says so) and ranks them, so that a word found in nearly every document costs no more than a
rarer one; the database's full-text index yields the newest hits first and stops there. The
statement depends on the viewer, the kinds, the filters and the shape of the query, not on the
words: it is built once for each of those (``_statement``) and run with the words as parameters.
Everything else in it is written into its text (``_inline``), so that PostgreSQL can plan it once
for any words and keep the plan with the statement, prepared on each connection (``_PLANNED``).
"""

from __future__ import annotations

import difflib
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import url_for
from markupsafe import Markup
from sqlalchemy import (
    Float,
    Integer,
    String,
    and_,
    bindparam,
    case,
    column,
    false,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    table,
    text,
    true,
    union_all,
)
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from cop.accounts import User
from cop.circles import queries as circle_queries
from cop.contributions import Contribution
from cop.contributions import queries as contribution_queries
from cop.db_types import UTCDateTime, utcnow
from cop.discussions import containers
from cop.extensions import db
from cop.guide import Lesson, LessonStatus
from cop.pagination import Page
from cop.permissions import can_edit_content, is_moderator
from cop.places import queries as place_queries
from cop.search.documents import PLACED, THEMED
from cop.search.models import SearchDocument as D
from cop.search.models import SearchWord
from cop.search.text import Query, snippet
from cop.sql import execute_prepared

PER_PAGE = 20
CANDIDATES = 100  # of each kind, the newest hits that are counted and ranked
KINDS = ("lesson", "chapter", "thread", "post", "contribution", "circle", "meeting", "place", "member")
_CONTAINED = ("thread", "post", "meeting", "contribution")
# PostgreSQL: of the kinds with many documents, the newest that a search reads one by one first,
# and the documents among them with the words (DENSE) from which reading on, newest first, beats
# the GIN index. For words in a share d of a kind's documents, reading on takes CANDIDATES / d
# documents, in order (a few microseconds each); the GIN index yields all d * size of them, spread
# over the table (some 35 microseconds each at large): the two cost the same at d near
# sqrt(CANDIDATES / (10 * size)), so the window is about DENSE / d documents there (for sizes of a
# million replies, 50,000 threads and 10,000-20,000 contributions and members).
WINDOWS = {"post": 2000, "thread": 500, "contribution": 100, "member": 100, "lesson": 100}
MANY = tuple(WINDOWS)
_SEEN_FIRST = ("contribution",)
DENSE = 5
_DUTCH = literal_column("'dutch'::regconfig")  # the text search configuration, in the statement's text
_FTS = table("search_fts", column("rowid"))  # SQLite's FTS5 index (migrations 0012, 0014)
_PLANNED = text(
    "SELECT set_config('enable_sort', 'off', true), set_config('jit', 'off', true),"
    " set_config('plan_cache_mode', 'force_generic_plan', true),"
    " set_config('max_parallel_workers_per_gather', '0', true)"
)
_STATEMENTS: OrderedDict = OrderedDict()  # statements built, by what they depend on (_statement)
_KEPT = 64


def visibility(viewer, kind: str | None = None) -> ColumnElement:
    """SQL: the documents ``viewer`` may see — each kind asks the rule of the package it comes from:
    threads, replies and meetings their container's (a private circle's only for its members, a
    contribution's draft only for its writers), hidden ones only moderators; lessons published
    ones (drafts for editors); circles those the viewer may know of; neighbourhoods approved ones;
    members only confirmed, unsuspended ones who made their profile public. With ``kind``: the rule
    for documents of that kind only (the caller limits the kind)."""
    if kind is None:
        return or_(*(and_(D.kind == name, visibility(viewer, name)) for name in KINDS))
    if kind == "contribution":  # a contribution is its own container (documents.py), never hidden
        visible = contribution_queries.visible(viewer)
        if not getattr(viewer, "is_authenticated", False):  # a visitor sees the few promoted ones
            return _among(D.object_id, select(Contribution.id).where(visible))
        return _holds(select(literal(1)).where(Contribution.id == D.object_id, visible))
    if kind in _CONTAINED:
        # the container's kind compared as an expression, so that the planner never walks the
        # documents by the container index (a kind's newest documents lead)
        container_kind = D.container_kind.concat("")
        contained = containers.visible_condition(container_kind, D.container_id, viewer)
        return contained if is_moderator(viewer) else and_(contained, D.hidden.is_(False))
    if kind == "lesson":
        if can_edit_content(viewer):
            return true()
        return _among(D.object_id, select(Lesson.id).where(Lesson.status == LessonStatus.PUBLISHED))
    if kind == "circle":
        return circle_queries.visible(viewer, D.object_id)
    if kind == "place":
        return place_queries.visible(viewer, D.object_id)
    if kind == "member":
        return _holds(
            select(literal(1)).where(
                User.id == D.object_id,
                User.profile_public.is_(True),
                User.confirmed_at.is_not(None),
                or_(User.suspended_until.is_(None), User.suspended_until <= _NOW),
            )
        )
    return true()  # chapters


# the time a search runs, taken when the (kept) statement runs
_NOW = bindparam("now", callable_=utcnow, type_=UTCDateTime())


def _among(id_column, ids) -> ColumnElement:
    """SQL: ``id_column`` is one of ``ids`` (a few thousand at most), a list made once and looked up
    for each hit. Asked as ``(… IN …) IS TRUE``, which PostgreSQL does not turn into a join: a join
    would drive the search from the list and read every hit of the kind before taking the newest."""
    return id_column.in_(ids).is_(True)


def _holds(statement) -> ColumnElement:
    """SQL: ``statement`` (a row of the document's object, by its primary key) finds a row. Asked of
    each hit the search reads (a few hundred), as a subquery that the planner keeps per row instead
    of joining the whole table of objects."""
    return statement.limit(_count(1)).scalar_subquery().is_not(None)


def _count(number: int) -> ColumnElement:
    """A LIMIT written into the statement, not a parameter: PostgreSQL plans a prepared statement
    for any value of a parameter, and without a known limit it would not read the few newest rows
    in order but gather every row and sort them."""
    return literal_column(str(int(number)))


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _kinds(theme_id: int | None, place_id: int | None) -> list[str]:
    """The kinds a search looks in: those a filter by theme or neighbourhood can find at all."""
    return [
        name
        for name in KINDS
        if (theme_id is None or name in THEMED) and (place_id is None or name in PLACED)
    ]


def _sqlite_title_and_rank(shape: tuple[int, ...]) -> tuple[ColumnElement, ColumnElement]:
    """SQL on SQLite: whether the title matches all of a query of ``shape`` (the number of
    alternatives of each clause; parameter ``a<clause>_<n>`` is an alternative's stems with a space
    on either side, ``n<clause>_<n>`` one more than their length), and the rank (ascending: best
    first). Read from the prepared text, stems separated by single spaces, so that a phrase is found
    as its stems with a space on either side, as FTS5 finds it; the rank is how often the stems
    occur (in the title ten times as much as in the body), less in long texts. FTS5's own
    ``bm25()`` would first count every document that holds each word, which for a common word
    costs more than the search itself."""
    title = literal(" ") + D.index_title + literal(" ")
    names = [(f"a{c}_{n}", f"n{c}_{n}") for c, size in enumerate(shape) for n in range(size)]
    in_title = and_(
        *(
            or_(*(func.instr(title, bindparam(f"a{c}_{n}", type_=String())) > 0 for n in range(size)))
            for c, size in enumerate(shape)
        )
    )

    def occurrences(text_column, stems: str, length: str):  # each one takes len(stems) + 1 characters out
        padded = literal(" ") + text_column + literal(" ")
        kept = func.length(func.replace(padded, bindparam(stems, type_=String()), literal(" ")))
        return (func.length(text_column) + 2 - kept) / bindparam(length, type_=Float())

    counted = (10 * occurrences(D.index_title, a, n) + occurrences(D.index_body, a, n) for a, n in names)
    hits = sum(counted, literal(0))
    return in_title, -hits / (1.0 + func.length(D.index_body) / 1000.0)


def _newest_matches(viewer, kind: str, themed: bool, placed: bool, ranked):
    """SQL: the newest ``CANDIDATES + 1`` documents of ``kind`` that match the query and that
    ``viewer`` may see, as (id, kind, title matches, rank); ``ranked`` is the pair of
    ``_sqlite_title_and_rank`` on SQLite (True on PostgreSQL), or None for the number of hits only.
    The full-text index leads: on PostgreSQL the (kind, id) index read backwards (a common word) or
    a GIN index (a rare one), on SQLite the FTS5 index, which holds the kind and the filters too,
    newest first (parameter ``match_<kind>``)."""
    if _dialect() == "postgresql":
        return _pg_newest_matches(viewer, kind, themed, placed, ranked)
    in_title, rank = ranked if ranked else (false(), literal(0.0))
    match = literal_column("search_fts").op("MATCH")(bindparam(f"match_{kind}", type_=String()))
    return (
        select(D.id, D.kind, in_title.label("in_title"), rank.label("rank"))
        .select_from(_FTS)
        .join(D, D.id == _FTS.c.rowid)
        .where(match, visibility(viewer, kind))
        .order_by(_FTS.c.rowid.desc())
        .limit(_count(CANDIDATES + 1))
    )


def _pg_newest_matches(viewer, kind: str, themed: bool, placed: bool, ranked: bool):
    """``_newest_matches`` on PostgreSQL, in plans that do not depend on what the planner guesses of
    the words (a statement is prepared once and run with any words; the guesses for common words and
    phrases are poor): the GIN index yields every hit of a word before the newest can be taken, which
    for a common word in a million documents is slower than the whole page may be. The documents of
    the kinds with very many (``MANY``) are therefore read one by one, newest first, as far as the
    newest ``WINDOWS``; when these hold fewer hits than wanted, the older ones are read on the same
    way if the words were common among them (in ``DENSE`` documents, whoever may see them and
    whatever the filters), or else found through the kind's GIN index (a rare word). Of the other
    kinds, with a few thousand documents, the hits come from their own GIN index, all of them, and
    the newest are taken. (The index of ids of each kind: migration 0015; a GIN index for each kind:
    0015 and 0018.)"""
    vector = literal_column("search_documents.search_vector")
    asked = select(func.to_tsquery(_DUTCH, bindparam("q", type_=String()))).scalar_subquery()  # once
    conditions = []  # the filters first, read from the row itself; then who may see it
    if themed:
        conditions.append(D.theme_ids.contains(bindparam("theme", type_=String())))
    if placed:
        conditions.append(D.place_ids.contains(bindparam("place", type_=String())))
    allowed = and_(*conditions, visibility(viewer, kind))

    def newest(*where, order=None):
        statement = select(D.id).where(D.kind == kind, *where)
        return statement.order_by(*(order or (D.id.desc(),))).limit(_count(CANDIDATES + 1))

    indexed = vector.op("@@")(asked)
    sorted_after = (D.id + 0).desc()  # no index gives this order: the hits are found, then sorted
    if kind in MANY:
        # the kind's own index of ids (migration 0015), read backwards from a given id
        reads = func.ts_match_vq(vector, asked)  # the function, not the operator: row by row, no index
        # Of contributions, whose words take long to unpack and most of which a visitor may not
        # see, what the viewer may see first (a CASE keeps the order); of the others a theme or
        # neighbourhood asked for (a short text of the row, which most rows fail), then the words,
        # then who may see it: the planner keeps conditions of the same cost in this order
        if kind in _SEEN_FIRST:
            allowed_with_words = case((allowed, reads), else_=false())
        else:
            allowed_with_words = and_(*conditions, reads, visibility(viewer, kind))
        window = select(D.id).where(D.kind == kind).order_by(D.id.desc()).limit(_count(WINDOWS[kind]))
        window = window.subquery()
        boundary = select(func.coalesce(func.min(window.c.id), 0)).scalar_subquery()  # its oldest
        first = newest(D.id >= boundary, allowed_with_words).cte(f"newest_{kind}")
        found = select(func.count()).select_from(first).scalar_subquery()
        # how common the words are (whoever may see the documents, whatever the filters say)
        common = (
            select(func.count())
            .select_from(
                select(D.id).where(D.kind == kind, D.id >= boundary, reads).limit(_count(DENSE)).subquery()
            )
            .scalar_subquery()
        )
        wanting = found <= CANDIDATES
        read_on = newest(D.id < boundary, allowed_with_words, wanting, common >= DENSE)
        rare = newest(D.id < boundary, indexed, allowed, wanting, common < DENSE, order=(sorted_after,))
        hits = union_all(select(first.c.id), read_on, rare).subquery()
        ids = select(hits.c.id).order_by(hits.c.id.desc()).limit(_count(CANDIDATES + 1)).subquery()
    else:
        ids = newest(indexed, allowed, order=(sorted_after,)).subquery()
    if not ranked:
        unranked = (false().label("in_title"), literal(0.0).label("rank"))
        return select(ids.c.id, literal(kind).label("kind"), *unranked)
    title_query = select(func.to_tsquery(_DUTCH, bindparam("qt", type_=String()))).scalar_subquery()
    return select(
        D.id,
        D.kind,
        vector.op("@@")(title_query).label("in_title"),
        (-func.ts_rank(vector, asked)).label("rank"),
    ).join_from(ids, D, D.id == ids.c.id)


def _statement(viewer, kinds: tuple[str, ...], shown: tuple[str, ...], themed: bool, placed: bool, shape):
    """SQL: per kind of ``kinds`` a row (kind, hits) with the number of its newest hits, up to
    ``CANDIDATES + 1``; then the rows of a page (parameter ``offset``; the last page if there are
    fewer hits) of the hits of the ``shown`` kinds in order: (kind, id, title matches, rank) and what
    a result shows; or, when there are none, the words of the vocabulary for a suggestion (in
    ``title``, the rest empty). Kept for the next search of the same viewer, kinds, filters and shape of query
    (the viewer's own values, such as the circles it is a member of, are in the statement)."""
    key = (
        _dialect(),
        getattr(viewer, "id", None) if getattr(viewer, "is_authenticated", False) else None,
        is_moderator(viewer),
        can_edit_content(viewer),
        kinds,
        shown,
        themed,
        placed,
        shape,
        CANDIDATES,
        PER_PAGE,
    )
    statement = _STATEMENTS.get(key)
    if statement is not None:
        _STATEMENTS.move_to_end(key)
        return statement
    ranked = True if _dialect() == "postgresql" else _sqlite_title_and_rank(shape)
    parts = [
        _newest_matches(viewer, name, themed, placed, ranked if name in shown else None) for name in kinds
    ]
    hits = union_all(*(select(part.subquery()) for part in parts)).cte("hits")
    newest_first = func.row_number().over(partition_by=hits.c.kind, order_by=hits.c.id.desc())
    numbered = select(hits, newest_first.label("n")).cte("numbered")
    listed = and_(numbered.c.n <= CANDIDATES, numbered.c.kind.in_(shown))
    total = select(func.count()).select_from(numbered).where(listed).scalar_subquery()
    smaller, larger = (func.least, func.greatest) if _dialect() == "postgresql" else (func.min, func.max)
    offset = smaller(bindparam("offset", type_=Integer()), larger(total - 1, 0) // PER_PAGE * PER_PAGE)
    on_page = (
        select(numbered.c.kind, numbered.c.id, numbered.c.in_title, numbered.c.rank)
        .where(listed)
        .order_by(numbered.c.in_title.desc(), numbered.c.rank, numbered.c.id.desc())
        .limit(_count(PER_PAGE))
        .offset(offset)
        .subquery()
    )
    nothing = null()
    statement = union_all(
        select(
            numbered.c.kind,
            func.count().label("hits"),
            nothing.label("id"),
            nothing.label("in_title"),
            nothing.label("rank"),
            nothing.label("title"),
            nothing.label("context"),
            nothing.label("ref"),
            nothing.label("body"),
        ).group_by(numbered.c.kind),
        select(
            on_page.c.kind,
            nothing,
            on_page.c.id,
            on_page.c.in_title,
            on_page.c.rank,
            D.title,
            D.context,
            D.ref,
            D.body,
        ).join_from(on_page, D, D.id == on_page.c.id),
        # when nothing is listed: the vocabulary for a suggestion (parameters shortest, longest)
        select(nothing, nothing, nothing, nothing, nothing, SearchWord.word, nothing, nothing, nothing).where(
            SearchWord.length.between(
                bindparam("shortest", type_=Integer()), bindparam("longest", type_=Integer())
            ),
            ~select(numbered.c.id).where(listed).exists(),
        ),
    )
    statement = _inline(statement)
    _STATEMENTS[key] = statement
    while len(_STATEMENTS) > _KEPT:
        _STATEMENTS.popitem(last=False)
    return statement


def _inline(statement):
    """``statement`` with every value known when it was built (a kind, a status, the viewer's id)
    written into its text; only the named parameters (the words, the filters, the page, the time)
    stay parameters. A plan made for any value of a parameter cannot know that ``kind = $1`` means
    the lessons, so it would not use the lessons' own index (migration 0015) but read every
    document newest first: seconds. With the kinds in the text, a generic plan is as good as one
    made for the words at hand, and PostgreSQL keeps it with the prepared statement
    (``cop.sql.execute_prepared``, ``_PLANNED``), where planning the statement anew takes some 10 ms
    of each search at a million replies."""
    dialect = db.session.get_bind().dialect

    def written(element):
        constant = isinstance(element, BindParameter) and element.unique and element.callable is None
        if constant and element.type.dialect_impl(dialect).literal_processor(dialect) is not None:
            return element.render_literal_execute()
        return None

    return visitors.replacement_traverse(statement, {}, written)


def _parameters(query: Query, kinds, theme_id, place_id, page: int) -> dict:
    """The values of a search for ``_statement``."""
    if _dialect() == "postgresql":
        values = {"q": query.tsquery(), "qt": query.tsquery(title_only=True)}
        if theme_id is not None:
            values["theme"] = f",{int(theme_id)},"
        if place_id is not None:
            values["place"] = f",{int(place_id)},"
    else:
        narrowed = []
        if theme_id is not None:
            narrowed.append(f'{{theme_ids}} : "{int(theme_id)}"')
        if place_id is not None:
            narrowed.append(f'{{place_ids}} : "{int(place_id)}"')
        words = query.fts5()
        values = {f"match_{name}": " AND ".join([f"{{kind}} : {name}", *narrowed, words]) for name in kinds}
        for c, alternatives in enumerate(query.stemmed()):
            for n, alternative in enumerate(alternatives):
                values[f"a{c}_{n}"] = f" {alternative} "
                values[f"n{c}_{n}"] = float(len(alternative) + 1)
    values["offset"] = (max(page, 1) - 1) * PER_PAGE
    typed = query.typed_words()
    values["shortest"] = min((len(w) for w in typed), default=1) - 2
    values["longest"] = max((len(w) for w in typed), default=-1) + 2 if typed else -1
    return values


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
    counts: dict[str, int] = field(default_factory=dict)  # hits per kind, at most CANDIDATES each
    beyond: frozenset[str] = frozenset()  # the kinds with more hits than counted
    more: bool = False  # the list shown has more hits than counted (and ranked)
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
    """One query: the number of hits of each kind and the page of hits, or the words for a
    suggestion when nothing is found (on PostgreSQL one more before it, a setting). Title matches
    come first, then the best matches, then the newest."""
    if query.is_empty:
        return Outcome()
    kinds = tuple(_kinds(theme_id, place_id))
    shown = (kind,) if kind else kinds
    shape = tuple(len(alternatives) for alternatives in query.stemmed())
    statement = _statement(viewer, kinds, shown, theme_id is not None, place_id is not None, shape)
    if _dialect() == "postgresql":
        # For this transaction: no sorting where rows can be read in order (the planner's guesses,
        # poor without statistics, would rather sort every older reply than read the newest few);
        # no JIT (the plan's estimated cost may pass jit_above_cost; compiling it would take longer
        # than running it); the plan made for any words, kept with the prepared statement
        # (``execute_prepared``), instead of a new one for each search (``_inline``); and no
        # parallel workers, whose start costs more than the few hundred rows a search reads.
        db.session.execute(_PLANNED)
    rows = execute_prepared(statement, _parameters(query, kinds, theme_id, place_id, page)).all()
    found = {row.kind: row.hits for row in rows if row.hits is not None}
    vocabulary = {row.title for row in rows if row.kind is None}
    outcome = Outcome(
        counts={name: min(n, CANDIDATES) for name, n in found.items()},
        beyond=frozenset(name for name, n in found.items() if n > CANDIDATES),
    )
    total = sum(outcome.counts.get(name, 0) for name in shown)
    outcome.more = bool(outcome.beyond.intersection(shown))
    if not total:
        outcome.page = Page([], 0, 1, PER_PAGE)
        outcome.suggestion = _suggestion(query, vocabulary)
        return outcome
    page = min(max(page, 1), -(-total // PER_PAGE))
    listed = [row for row in rows if row.hits is None and row.kind is not None]
    listed.sort(key=lambda row: (not row.in_title, row.rank, -row.id))  # as the database ordered them
    stems = query.stems()
    items = [
        Result(
            row.kind,
            row.title or row.context,
            row.context if row.title else "",
            _url(row.kind, row.ref),
            snippet(row.body, stems),
        )
        for row in listed
    ]
    outcome.page = Page(items, total, page, PER_PAGE)
    return outcome


def suggest(query: Query) -> str | None:
    """The query with each unknown word replaced by the closest word of the guide's vocabulary, or
    None. One query (none without words); ``search`` gets the words with its own."""
    typed = query.typed_words()
    if not typed:
        return None
    shortest, longest = min(len(w) for w in typed), max(len(w) for w in typed)
    vocabulary = set(
        db.session.scalars(
            select(SearchWord.word).where(SearchWord.length.between(shortest - 2, longest + 2))
        )
    )
    return _suggestion(query, vocabulary)


def _suggestion(query: Query, vocabulary: set[str]) -> str | None:
    """``suggest`` with the vocabulary of words 2 shorter than the shortest word typed to 2 longer
    than the longest."""
    changed, suggested = False, []
    for word in query.typed_words():
        if word in vocabulary or len(word) < 4:
            suggested.append(word)
            continue
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
        if close:
            changed = True
        suggested.append(close[0] if close else word)
    return " ".join(suggested) if changed else None
