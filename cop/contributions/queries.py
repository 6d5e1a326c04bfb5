"""Reading contributions: every page's data in a bounded number of queries. Who may see a
contribution is asked in SQL (``visible``) before a page is cut, the same rule as
``Contribution.is_visible_to``. Each function says how many queries it runs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from cop.accounts import User
from cop.contributions.kinds import Endorsement, Kind
from cop.contributions.models import (
    Contribution,
    ContributionEvent,
    ContributionWriter,
    EndorsementRow,
    LessonOrigin,
    ReviewCheck,
    contribution_places,
    contribution_themes,
)
from cop.contributions.states import OPEN_FOR_REVIEW, PUBLISHED_TO_MEMBERS, Status
from cop.discussions import ContainerFollow, Post
from cop.extensions import db
from cop.guide import Lesson, LessonRevision, Theme
from cop.pagination import Page
from cop.permissions import is_moderator
from cop.places import Neighbourhood

PER_PAGE = 25
SORTS = {"nieuwste", "steun"}
STATUS_FILTERS = {s.value for s in Status}


def _user_id(user) -> int | None:
    return user.id if getattr(user, "is_authenticated", False) else None


def writer_of(user_id):
    """SQL: ids of the contributions ``user_id`` writes or was invited to write."""
    return select(ContributionWriter.contribution_id).where(ContributionWriter.user_id == user_id)


def visible(user):
    """SQL: the contributions ``user`` may see (see ``Contribution.is_visible_to``)."""
    promoted = Contribution.status == Status.PROMOTED
    user_id = _user_id(user)
    if user_id is None:
        return promoted
    shown = Contribution.status.in_(list(PUBLISHED_TO_MEMBERS))
    if is_moderator(user):
        shown = Contribution.status != Status.DRAFT
    return or_(shown, Contribution.id.in_(writer_of(user_id)))


def visible_ids(user, id_column):
    return id_column.in_(select(Contribution.id).where(visible(user)))


def readers(contribution_id: int, user_id_column):
    """SQL on a member id column: may read the contribution (for notifications in bulk)."""
    published = (
        select(Contribution.id)
        .where(Contribution.id == contribution_id, Contribution.status.in_(list(PUBLISHED_TO_MEMBERS)))
        .exists()
    )
    writers = (
        select(ContributionWriter.user_id)
        .where(
            ContributionWriter.contribution_id == contribution_id,
            ContributionWriter.user_id == user_id_column,
        )
        .exists()
    )
    return or_(published, writers)


def by_id(contribution_id) -> Contribution | None:
    """One query with its themes and neighbourhoods (a few of each); its writers and their
    accounts come with a second."""
    try:
        contribution_id = int(contribution_id)
    except (TypeError, ValueError):
        return None
    if not 0 < contribution_id < 2**62:
        return None
    return (
        db.session.scalars(
            select(Contribution)
            .options(
                selectinload(Contribution.writers).joinedload(ContributionWriter.user),
                joinedload(Contribution.author),
                joinedload(Contribution.assignee),
                joinedload(Contribution.themes),
                joinedload(Contribution.places),
            )
            .where(Contribution.id == contribution_id)
        )
        .unique()
        .one_or_none()
    )


# --- lists ----------------------------------------------------------------------------------------


@dataclass
class Filters:
    theme: str | None = None
    place: str | None = None
    municipality: str | None = None
    kind: str | None = None
    status: str | None = None
    sort: str = "nieuwste"

    def args(self) -> dict:
        return {
            "thema": self.theme,
            "wijk": self.place,
            "gemeente": self.municipality,
            "soort": self.kind,
            "status": self.status,
            "sorteer": self.sort if self.sort != "nieuwste" else None,
        }


def _filtered(statement, filters: Filters):
    if filters.theme:
        statement = statement.where(
            Contribution.id.in_(
                select(contribution_themes.c.contribution_id)
                .join(Theme, Theme.id == contribution_themes.c.theme_id)
                .where(Theme.slug == filters.theme)
            )
        )
    if filters.place or filters.municipality:
        places = select(contribution_places.c.contribution_id).join(
            Neighbourhood, Neighbourhood.id == contribution_places.c.neighbourhood_id
        )
        if filters.place:
            places = places.where(Neighbourhood.slug == filters.place)
        if filters.municipality:
            places = places.where(func.lower(Neighbourhood.municipality) == filters.municipality.lower())
        statement = statement.where(Contribution.id.in_(places))
    if filters.kind in {k.value for k in Kind}:
        statement = statement.where(Contribution.kind == filters.kind)
    if filters.status in STATUS_FILTERS:
        statement = statement.where(Contribution.status == filters.status)
    else:
        statement = statement.where(Contribution.status != Status.DRAFT)
    return statement


def _card_options():
    return (
        joinedload(Contribution.author),
        joinedload(Contribution.thread),
        selectinload(Contribution.places),
        selectinload(Contribution.themes),
    )


def listing(viewer, filters: Filters, page: int) -> Page:
    """/bijdragen/: four queries (count, page, its neighbourhoods, its themes)."""
    statement = _filtered(select(Contribution).where(visible(viewer)), filters)
    total = db.session.scalar(
        select(func.count()).select_from(statement.with_only_columns(Contribution.id).subquery())
    )
    if filters.sort == "steun":
        order = (Contribution.endorsement_count.desc(), Contribution.id.desc())
    else:
        order = (
            func.coalesce(Contribution.submitted_at, Contribution.created_at).desc(),
            Contribution.id.desc(),
        )
    items = db.session.scalars(
        statement.options(*_card_options()).order_by(*order).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return Page(list(items), total, page, PER_PAGE)


QUEUES = {
    "open": (Status.SUBMITTED, Status.IN_REVIEW),
    "wachtend": (Status.CHANGES_REQUESTED,),
    "afgewezen": (Status.DECLINED,),
    "opgenomen": (Status.PROMOTED,),
}


def queue(name: str, moderator, page: int, mine: bool = False) -> Page:
    """/moderatie/beoordelen: oldest first (by when it came into this state). Five queries (count,
    page, its neighbourhoods, themes and assignees)."""
    statuses = QUEUES.get(name, QUEUES["open"])
    statement = select(Contribution).where(Contribution.status.in_(statuses))
    if mine:
        statement = statement.where(Contribution.assignee_id == moderator.id)
    total = db.session.scalar(
        select(func.count()).select_from(statement.with_only_columns(Contribution.id).subquery())
    )
    # the page's ids first, ordered from the queue's index alone; then only those rows, whole
    ids = (
        statement.with_only_columns(Contribution.id)
        .order_by(Contribution.status_changed_at, Contribution.id)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    items = db.session.scalars(
        select(Contribution)
        .where(Contribution.id.in_(ids.scalar_subquery()))
        .options(*_card_options(), joinedload(Contribution.assignee))
        .order_by(Contribution.status_changed_at, Contribution.id)
    ).all()
    return Page(list(items), total, page, PER_PAGE)


def queue_counts(moderator) -> dict[str, int]:
    """How many wait, and how many the moderator has: one query."""
    row = db.session.execute(
        select(
            func.count().filter(Contribution.status.in_(list(OPEN_FOR_REVIEW))),
            func.count().filter(
                Contribution.status.in_(list(OPEN_FOR_REVIEW)), Contribution.assignee_id == moderator.id
            ),
            func.count().filter(Contribution.status == Status.SUBMITTED, Contribution.assignee_id.is_(None)),
        ).where(Contribution.status.in_(list(OPEN_FOR_REVIEW)))  # all three are among these
    ).one()
    return {"open": row[0], "mine": row[1], "untaken": row[2]}


def moderators() -> list[User]:
    """For "give it to another moderator": one query."""
    from cop.accounts.models import Role

    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_([Role.MODERATOR, Role.ADMIN]), User.confirmed_at.is_not(None))
            .order_by(User.display_name)
        )
    )


# --- one contribution -----------------------------------------------------------------------------


def events(contribution: Contribution) -> list[ContributionEvent]:
    """The trail, oldest first, with who did it: one query."""
    return list(
        db.session.scalars(
            select(ContributionEvent)
            .options(joinedload(ContributionEvent.actor))
            .where(ContributionEvent.contribution_id == contribution.id)
            .order_by(ContributionEvent.created_at, ContributionEvent.id)
        )
    )


def checks(contribution: Contribution) -> dict[str, ReviewCheck]:
    """The checklist's verdicts by criterion: one query."""
    rows = db.session.scalars(select(ReviewCheck).where(ReviewCheck.contribution_id == contribution.id))
    return {row.criterion: row for row in rows}


def viewer_state(contribution: Contribution, viewer) -> tuple[set[str], bool]:
    """What the viewer did with the contribution: the kinds they endorsed it with, and whether they
    follow it. One query (none for a visitor)."""
    user_id = _user_id(viewer)
    if user_id is None:
        return set(), False
    endorsed = [
        select(EndorsementRow.user_id)
        .where(
            EndorsementRow.contribution_id == contribution.id,
            EndorsementRow.user_id == user_id,
            EndorsementRow.kind == kind.value,
        )
        .exists()
        for kind in Endorsement
    ]
    following = (
        select(ContainerFollow.user_id)
        .where(
            ContainerFollow.user_id == user_id,
            ContainerFollow.container_kind == "contribution",
            ContainerFollow.container_id == contribution.id,
        )
        .exists()
    )
    *kinds, follows = db.session.execute(select(*endorsed, following)).one()
    return {kind.value for kind, yes in zip(Endorsement, kinds, strict=True) if yes}, bool(follows)


def works_here(contribution: Contribution, limit: int = 50) -> list[EndorsementRow]:
    """The "works for us too" endorsements with their members and neighbourhoods: one query."""
    return list(
        db.session.scalars(
            select(EndorsementRow)
            .options(joinedload(EndorsementRow.user), joinedload(EndorsementRow.neighbourhood))
            .where(
                EndorsementRow.contribution_id == contribution.id, EndorsementRow.kind == "werkt_ook_bij_ons"
            )
            .order_by(EndorsementRow.created_at)
            .limit(limit)
        )
    )


def comments(contribution: Contribution, limit: int = 50) -> list[Post]:
    """The first comments with their authors: one query (none without comments)."""
    if contribution.thread_id is None:
        return []
    return list(
        db.session.scalars(
            select(Post)
            .options(joinedload(Post.author))
            .where(Post.thread_id == contribution.thread_id)
            .order_by(Post.number)
            .limit(limit)
        )
    )


def origins_of_contribution(contribution: Contribution) -> list[LessonOrigin]:
    """Where the contribution went in the guide: one query."""
    return list(
        db.session.scalars(
            select(LessonOrigin)
            .options(joinedload(LessonOrigin.lesson), joinedload(LessonOrigin.revision))
            .where(LessonOrigin.contribution_id == contribution.id)
            .order_by(LessonOrigin.created_at)
        )
    )


def lessons_for_choice() -> list[Lesson]:
    """Lessons to choose from (promotion into a lesson, a suggested improvement): one query."""
    return list(
        db.session.scalars(
            select(Lesson).options(joinedload(Lesson.current_revision)).order_by(Lesson.sort_key)
        )
    )


# --- the trail on other pages ---------------------------------------------------------------------


@dataclass
class Credit:
    """One contribution a lesson came from: its writers and neighbourhoods."""

    origin: LessonOrigin
    contribution: Contribution
    writers: list = field(default_factory=list)
    places: list = field(default_factory=list)


def _writers_and_places(contribution_ids) -> tuple[dict, dict]:
    """Accepted writers (with their accounts) and neighbourhoods per contribution: two queries."""
    writers, places = defaultdict(list), defaultdict(list)
    if not contribution_ids:
        return writers, places
    for row in db.session.scalars(
        select(ContributionWriter)
        .options(joinedload(ContributionWriter.user))
        .where(
            ContributionWriter.contribution_id.in_(contribution_ids),
            ContributionWriter.accepted_at.is_not(None),
        )
        .order_by(ContributionWriter.contribution_id, ContributionWriter.position)
    ):
        writers[row.contribution_id].append(row.user)
    for contribution_id, place in db.session.execute(
        select(contribution_places.c.contribution_id, Neighbourhood)
        .join(Neighbourhood, Neighbourhood.id == contribution_places.c.neighbourhood_id)
        .where(contribution_places.c.contribution_id.in_(contribution_ids))
        .order_by(Neighbourhood.name)
    ):
        places[contribution_id].append(place)
    return writers, places


writers_and_places = _writers_and_places  # for the API's list of promoted contributions


def lesson_credits(lesson: Lesson) -> list[Credit]:
    """ "Voortgekomen uit de praktijkbijdrage van …" for every contribution that fed the lesson:
    one query, however many (a lesson comes from a few contributions, each with a few writers and
    neighbourhoods: they are joined in)."""
    origins = (
        db.session.scalars(
            select(LessonOrigin)
            .join(LessonOrigin.contribution)
            .options(
                contains_eager(LessonOrigin.contribution)
                .joinedload(Contribution.writers)
                .joinedload(ContributionWriter.user),
                contains_eager(LessonOrigin.contribution).joinedload(Contribution.places),
            )
            .where(LessonOrigin.lesson_id == lesson.id)
            .order_by(LessonOrigin.created_at, LessonOrigin.id)
        )
        .unique()
        .all()
    )
    return [
        Credit(
            origin,
            origin.contribution,
            [writer.user for writer in origin.contribution.writers if writer.accepted_at is not None],
            sorted(origin.contribution.places, key=lambda place: place.name),
        )
        for origin in origins
    ]


def credits_of_lessons(lesson_ids) -> dict[int, list[Credit]]:
    """``lesson_credits`` for many lessons at once (the printed guide, the API), by lesson id:
    three queries however many lessons and contributions (one when none has any, none without
    lessons)."""
    found: dict[int, list[Credit]] = defaultdict(list)
    if not lesson_ids:
        return found
    rows = db.session.execute(
        select(LessonOrigin, Contribution)
        .join(Contribution, Contribution.id == LessonOrigin.contribution_id)
        .where(LessonOrigin.lesson_id.in_(list(lesson_ids)))
        .order_by(LessonOrigin.lesson_id, LessonOrigin.created_at, LessonOrigin.id)
    ).all()
    writers, places = _writers_and_places(list({c.id for _o, c in rows}))
    for origin, c in rows:
        found[origin.lesson_id].append(Credit(origin, c, writers[c.id], places[c.id]))
    return found


def lesson_suggestions(lesson: Lesson, viewer, limit: int = 10) -> list[Contribution]:
    """Open suggested improvements of the lesson the viewer may see: one query."""
    if _user_id(viewer) is None:
        return []
    return list(
        db.session.scalars(
            select(Contribution)
            .where(
                Contribution.lesson_id == lesson.id,
                Contribution.kind == Kind.CHANGE,
                Contribution.status.in_([Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED]),
                visible(viewer),
            )
            .order_by(Contribution.submitted_at.desc())
            .limit(limit)
        )
    )


def theme_contributions(theme: Theme, viewer, limit: int = 5) -> list[Contribution]:
    """The latest contributions on the theme the viewer may see: one query (two with neighbourhoods)."""
    return list(
        db.session.scalars(
            select(Contribution)
            .options(selectinload(Contribution.places))
            .join(contribution_themes, contribution_themes.c.contribution_id == Contribution.id)
            .where(
                contribution_themes.c.theme_id == theme.id,
                visible(viewer),
                Contribution.status != Status.DRAFT,
            )
            .order_by(
                func.coalesce(Contribution.submitted_at, Contribution.created_at).desc(),
                Contribution.id.desc(),
            )
            .limit(limit)
        )
    )


def place_contributions(place: Neighbourhood, viewer, limit: int = 20) -> tuple[list[Contribution], int]:
    """A neighbourhood's contributions the viewer may see, and how many there are: three queries
    (count, page, their neighbourhoods for the cards)."""
    statement = (
        select(Contribution)
        .join(contribution_places, contribution_places.c.contribution_id == Contribution.id)
        .where(
            contribution_places.c.neighbourhood_id == place.id,
            visible(viewer),
            Contribution.status != Status.DRAFT,
        )
    )
    total = db.session.scalar(
        select(func.count()).select_from(statement.with_only_columns(Contribution.id).subquery())
    )
    items = db.session.scalars(
        statement.options(
            joinedload(Contribution.author),
            joinedload(Contribution.thread),
            selectinload(Contribution.places),
        )
        .order_by(
            func.coalesce(Contribution.submitted_at, Contribution.created_at).desc(), Contribution.id.desc()
        )
        .limit(limit)
    ).all()
    return list(items), total


def place_lessons(place: Neighbourhood) -> list[tuple[Lesson, Contribution]]:
    """The published lessons that came from the neighbourhood's contributions: one query."""
    from cop.guide import LessonStatus

    return list(
        db.session.execute(
            select(Lesson, Contribution)
            .join(LessonOrigin, LessonOrigin.lesson_id == Lesson.id)
            .join(Contribution, Contribution.id == LessonOrigin.contribution_id)
            .join(contribution_places, contribution_places.c.contribution_id == Contribution.id)
            .options(joinedload(Lesson.current_revision))
            .where(
                contribution_places.c.neighbourhood_id == place.id, Lesson.status == LessonStatus.PUBLISHED
            )
            .order_by(Lesson.sort_key)
        )
        .unique()
        .all()
    )


def member_in_guide(member, limit: int = 20) -> list[tuple[Contribution, Lesson]]:
    """The member's contributions that became part of the guide, with their lessons: one query."""
    return list(
        db.session.execute(
            select(Contribution, Lesson)
            .join(LessonOrigin, LessonOrigin.contribution_id == Contribution.id)
            .join(Lesson, Lesson.id == LessonOrigin.lesson_id)
            .join(ContributionWriter, ContributionWriter.contribution_id == Contribution.id)
            .where(ContributionWriter.user_id == member.id, ContributionWriter.accepted_at.is_not(None))
            .order_by(LessonOrigin.created_at.desc())
            .limit(limit)
        ).all()
    )


def my_contributions(member, limit: int = 10) -> list[tuple[Contribution, bool]]:
    """The member's contributions (and invitations to write one), latest change first: one query.
    Each with whether the member still has to answer the invitation."""
    rows = db.session.execute(
        select(Contribution, ContributionWriter.accepted_at.is_(None))
        .join(ContributionWriter, ContributionWriter.contribution_id == Contribution.id)
        .where(ContributionWriter.user_id == member.id)
        .order_by(ContributionWriter.accepted_at.is_not(None), Contribution.status_changed_at.desc())
        .limit(limit)
    ).all()
    return [(contribution, bool(pending)) for contribution, pending in rows]


def edition_contributions(edition, previous) -> list[tuple[Lesson, Contribution]]:
    """The contributions behind the lessons an edition added or changed: those recorded in a
    revision after the previous edition's and up to this edition's. One query."""
    from cop.guide.models import EditionEntry

    this_entry = EditionEntry.__table__.alias("this_entry")
    this_revision = LessonRevision.__table__.alias("this_revision")
    origin_revision = LessonRevision.__table__.alias("origin_revision")
    statement = (
        select(Lesson, Contribution)
        .select_from(LessonOrigin)
        .join(Lesson, Lesson.id == LessonOrigin.lesson_id)
        .join(Contribution, Contribution.id == LessonOrigin.contribution_id)
        .join(this_entry, and_(this_entry.c.lesson_id == Lesson.id, this_entry.c.edition_id == edition.id))
        .join(this_revision, this_revision.c.id == this_entry.c.revision_id)
        .join(origin_revision, origin_revision.c.id == LessonOrigin.revision_id)
        .where(origin_revision.c.number <= this_revision.c.number)
    )
    if previous is not None:
        before_entry = EditionEntry.__table__.alias("before_entry")
        before_revision = LessonRevision.__table__.alias("before_revision")
        statement = (
            statement.outerjoin(
                before_entry,
                and_(before_entry.c.lesson_id == Lesson.id, before_entry.c.edition_id == previous.id),
            )
            .outerjoin(before_revision, before_revision.c.id == before_entry.c.revision_id)
            .where(
                or_(before_revision.c.number.is_(None), origin_revision.c.number > before_revision.c.number)
            )
        )
    return list(db.session.execute(statement.order_by(Lesson.sort_key, Contribution.id)).all())


# --- what neighbourhoods can learn from each other ------------------------------------------------


@dataclass
class LearningTable:
    # theme -> neighbourhood -> contributions
    by_theme: list[tuple[Theme, list[tuple[Neighbourhood, list[Contribution]]]]]
    # neighbourhood -> [(other neighbourhood, shared themes)]
    peers: list[tuple[Neighbourhood, list[tuple[Neighbourhood, list[Theme]]]]]
    lessons: dict[int, list[Lesson]]  # contribution id -> lessons that came from it


def learning(viewer) -> LearningTable:
    """Per theme, which neighbourhoods contributed what; per neighbourhood, the others that worked on
    the same themes. Two queries, however many contributions."""
    rows = db.session.execute(
        select(Theme, Neighbourhood, Contribution)
        .select_from(Contribution)
        .join(contribution_themes, contribution_themes.c.contribution_id == Contribution.id)
        .join(Theme, Theme.id == contribution_themes.c.theme_id)
        .join(contribution_places, contribution_places.c.contribution_id == Contribution.id)
        .join(Neighbourhood, Neighbourhood.id == contribution_places.c.neighbourhood_id)
        .where(visible(viewer), Contribution.status != Status.DRAFT, Neighbourhood.status == "approved")
        .order_by(Theme.position, Neighbourhood.municipality, Neighbourhood.name, Contribution.id)
    ).all()
    themes: dict[int, Theme] = {}
    grid: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    places: dict[int, Neighbourhood] = {}
    for theme, place, contribution in rows:
        themes[theme.id] = theme
        places[place.id] = place
        grid[theme.id][place.id].append(contribution)
    by_theme = [(themes[t], [(places[p], items) for p, items in grid[t].items()]) for t in themes]
    place_themes: dict[int, set[int]] = defaultdict(set)
    for theme_id, cells in grid.items():
        for place_id in cells:
            place_themes[place_id].add(theme_id)
    peers = []
    ordered = sorted(places.values(), key=lambda n: (n.municipality, n.name))
    for place in ordered:
        others = [
            (other, [themes[t] for t in themes if t in place_themes[place.id] & place_themes[other.id]])
            for other in ordered
            if other.id != place.id and place_themes[place.id] & place_themes[other.id]
        ]
        peers.append((place, others))
    ids = {c.id for _t, _p, c in rows}
    lessons: dict[int, list[Lesson]] = defaultdict(list)
    if ids:
        from cop.guide import LessonStatus

        for contribution_id, lesson in db.session.execute(
            select(LessonOrigin.contribution_id, Lesson)
            .join(Lesson, Lesson.id == LessonOrigin.lesson_id)
            .where(LessonOrigin.contribution_id.in_(ids), Lesson.status == LessonStatus.PUBLISHED)
        ):
            lessons[contribution_id].append(lesson)
    return LearningTable(by_theme, peers, lessons)


def recent_origins(limit: int = 5) -> list[tuple[Lesson, Contribution]]:
    """Published lessons that recently came from contributions, newest first: one query."""
    from cop.guide import LessonStatus

    return list(
        db.session.execute(
            select(Lesson, Contribution)
            .select_from(LessonOrigin)
            .join(Lesson, Lesson.id == LessonOrigin.lesson_id)
            .join(Contribution, Contribution.id == LessonOrigin.contribution_id)
            .options(joinedload(Lesson.current_revision))
            .where(Lesson.status == LessonStatus.PUBLISHED)
            .order_by(LessonOrigin.created_at.desc(), LessonOrigin.id.desc())
            .limit(limit)
        ).all()
    )
