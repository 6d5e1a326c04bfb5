"""Reading the guide: every page's data in a bounded number of queries (no N+1)."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, joinedload, load_only, selectinload, with_expression

from cop.extensions import db
from cop.guide.labels import import_note, is_legacy_import_note
from cop.guide.models import (
    Chapter,
    Edition,
    EditionEntry,
    Lesson,
    LessonAudience,
    LessonRead,
    LessonRevision,
    LessonStatus,
    RevisionSource,
    Theme,
    lesson_themes,
)
from cop.permissions import can_edit_content

HISTORY_PER_PAGE = 50
THEME_LESSONS_PER_PAGE = 50


def _listing_options():
    """A lesson in a list: its number, slug, status and current title, nothing heavier."""
    return (joinedload(Lesson.current_revision).load_only(LessonRevision.title, LessonRevision.number),)


def _visible(user) -> list:
    """SQL conditions: the lessons ``user`` may read (editors: drafts too)."""
    return [] if can_edit_content(user) else [Lesson.status == LessonStatus.PUBLISHED]


def visible_lessons(user=None):
    return select(Lesson).options(*_listing_options()).where(*_visible(user)).order_by(Lesson.sort_key)


def all_lessons(user=None) -> list[Lesson]:
    """Every lesson the viewer may read, in reading order, with its title: one query."""
    return list(db.session.scalars(visible_lessons(user)))


def _with_audience(statement, audience: str | None):
    if audience:
        statement = statement.where(
            Lesson.id.in_(select(LessonAudience.lesson_id).where(LessonAudience.audience == audience))
        )
    return statement


def chapters() -> list[Chapter]:
    return list(db.session.scalars(select(Chapter).order_by(Chapter.number)))


def themes(include_retired: bool = False) -> list[Theme]:
    """The themes in site order: the ones in use (the choices for new threads, contributions and
    circles, and the theme grids), or all of them. One query."""
    statement = select(Theme).order_by(Theme.position, Theme.title)
    if not include_retired:
        statement = statement.where(Theme.retired_at.is_(None))
    return list(db.session.scalars(statement))


OUTLINE_LESSONS = 12  # per chapter on the guide's front page; the chapter's page lists them all


def guide_outline(
    user=None, audience: str | None = None, per_chapter: int = OUTLINE_LESSONS
) -> list[tuple[Chapter, list[Lesson], int]]:
    """Chapters in order, each with its first ``per_chapter`` visible lessons in reading order and
    the number it has: two queries, whose rows do not grow with the guide."""
    place = func.row_number().over(partition_by=Lesson.chapter_id, order_by=Lesson.sort_key)
    total = func.count().over(partition_by=Lesson.chapter_id)
    ranked = _with_audience(
        select(Lesson.id, place.label("place"), total.label("total")).where(*_visible(user)), audience
    ).subquery()
    rows = db.session.execute(
        select(Lesson, ranked.c.total)
        .join(ranked, ranked.c.id == Lesson.id)
        .where(ranked.c.place <= per_chapter)
        .options(*_listing_options())
        .order_by(Lesson.sort_key)
    ).all()
    lessons: dict[int, list[Lesson]] = {}
    totals: dict[int, int] = {}
    for lesson, count in rows:
        lessons.setdefault(lesson.chapter_id, []).append(lesson)
        totals[lesson.chapter_id] = count
    return [(chapter, lessons.get(chapter.id, []), totals.get(chapter.id, 0)) for chapter in chapters()]


def latest_edition() -> Edition | None:
    return db.session.scalar(select(Edition).order_by(Edition.number.desc()).limit(1))


def revisions_with_content(ids) -> dict[int, LessonRevision]:
    """The revisions with these ids, with everything ``content()`` reads (their sources): one query."""
    ids = set(ids)
    if not ids:
        return {}
    rows = db.session.scalars(
        select(LessonRevision)
        .where(LessonRevision.id.in_(ids))
        .options(joinedload(LessonRevision.source_links).joinedload(RevisionSource.source))
    ).unique()
    return {revision.id: revision for revision in rows}


def _same_content(pairs) -> set[tuple[int, int]]:
    """Of (old revision id, new revision id) pairs, those whose content is the same (a restored
    version is a new revision with old content): compared on content, never on ids."""
    pairs = [(old, new) for old, new in pairs if old != new]
    revisions = revisions_with_content(i for pair in pairs for i in pair)
    return {
        (old, new)
        for old, new in pairs
        if old in revisions and new in revisions and revisions[old].content() == revisions[new].content()
    }


def changed_since(edition: Edition) -> tuple[list[Lesson], list[Lesson]]:
    """Published lessons added to or changed in the guide since ``edition``: (added, changed).

    A lesson counts as changed when its text differs from the one the edition froze, not when
    it merely has a newer revision (an edit that was restored back)."""
    entry = EditionEntry.__table__
    rows = db.session.execute(
        select(Lesson, entry.c.revision_id)
        .outerjoin(entry, and_(entry.c.lesson_id == Lesson.id, entry.c.edition_id == edition.id))
        .where(
            Lesson.status == LessonStatus.PUBLISHED,
            or_(entry.c.revision_id.is_(None), entry.c.revision_id != Lesson.current_revision_id),
        )
        .options(*_listing_options())
        .order_by(Lesson.sort_key)
    ).all()
    added = [lesson for lesson, frozen in rows if frozen is None]
    candidates = [(lesson, frozen) for lesson, frozen in rows if frozen is not None]
    same = _same_content((frozen, lesson.current_revision_id) for lesson, frozen in candidates)
    changed = [lesson for lesson, frozen in candidates if (frozen, lesson.current_revision_id) not in same]
    return added, changed


def chapter_by_number(number: int) -> Chapter | None:
    return db.session.scalar(select(Chapter).where(Chapter.number == number))


def chapter_lessons(chapter: Chapter, user=None) -> list[Lesson]:
    return list(db.session.scalars(visible_lessons(user).where(Lesson.chapter_id == chapter.id)))


def split_ref(ref: str) -> tuple[str, str]:
    number, _sep, slug = ref.partition("-")
    return number, slug


def lesson_by_ref(ref: str, reader=None) -> Lesson | None:
    """The lesson for '1.2-some-slug' (or '1.2'), with everything its page shows: four queries (the
    lesson with its chapter and current revision; its themes, audiences, and the revision's sources).
    Given a logged-in ``reader``, ``lesson.read_by_reader`` tells whether they opened it before (in
    the first query)."""
    number, _slug = split_ref(ref)
    statement = (
        select(Lesson)
        .where(Lesson.number == number)
        .options(
            joinedload(Lesson.chapter),
            selectinload(Lesson.themes),
            selectinload(Lesson.audience_rows),
            joinedload(Lesson.current_revision).selectinload(LessonRevision.source_links),
        )
    )
    if getattr(reader, "is_authenticated", False):
        statement = statement.options(with_expression(Lesson.read_by_reader, _has_read(reader.id)))
    return db.session.scalar(statement)


def _has_read(user_id: int):
    """SQL on a lesson row: ``user_id`` opened it."""
    return (
        select(LessonRead.lesson_id)
        .where(LessonRead.user_id == user_id, LessonRead.lesson_id == Lesson.id)
        .exists()
    )


def starting_lesson(number: str, reader) -> tuple[Lesson | None, bool]:
    """The lesson with this number with its title, and whether ``reader`` opened it: one query."""
    row = db.session.execute(
        select(Lesson, _has_read(reader.id)).where(Lesson.number == number).options(*_listing_options())
    ).first()
    return (row[0], bool(row[1])) if row else (None, False)


def revision_or_404(lesson: Lesson, number: int) -> LessonRevision:
    return db.one_or_404(
        select(LessonRevision)
        .where(LessonRevision.lesson_id == lesson.id, LessonRevision.number == number)
        .options(selectinload(LessonRevision.source_links).joinedload(RevisionSource.source))
    )


def neighbours(lesson: Lesson, user=None) -> tuple[Lesson | None, Lesson | None]:
    """The previous and next lesson in reading order that the viewer may read: one query."""
    other = aliased(Lesson)

    def nearest(aggregate, condition):
        statement = select(aggregate(other.sort_key)).where(condition)
        if not can_edit_content(user):
            statement = statement.where(other.status == LessonStatus.PUBLISHED)
        return statement.scalar_subquery()

    keys = [
        nearest(func.max, other.sort_key < lesson.sort_key),
        nearest(func.min, other.sort_key > lesson.sort_key),
    ]
    found = db.session.scalars(visible_lessons(user).where(Lesson.sort_key.in_(keys))).all()
    previous = [row for row in found if row.sort_key < lesson.sort_key]
    following = [row for row in found if row.sort_key > lesson.sort_key]
    return (previous[-1] if previous else None), (following[0] if following else None)


def theme_by_slug(slug: str) -> Theme | None:
    return db.session.scalar(select(Theme).where(Theme.slug == slug))


def theme_lessons(theme: Theme, user=None, audience: str | None = None, page: int = 1):
    statement = visible_lessons(user).where(
        Lesson.id.in_(select(lesson_themes.c.lesson_id).where(lesson_themes.c.theme_id == theme.id))
    )
    statement = _with_audience(statement, audience).options(joinedload(Lesson.chapter))
    return db.paginate(statement, page=page, per_page=THEME_LESSONS_PER_PAGE, error_out=False)


def history(lesson: Lesson, page: int = 1):
    statement = (
        select(LessonRevision)
        .where(LessonRevision.lesson_id == lesson.id)
        .order_by(LessonRevision.number.desc())
        .options(
            load_only(
                LessonRevision.number,
                LessonRevision.title,
                LessonRevision.created_at,
                LessonRevision.change_note,
                LessonRevision.kind,
                LessonRevision.restored_from,
                LessonRevision.editor_id,
            ),
            joinedload(LessonRevision.editor),
        )
    )
    return db.paginate(statement, page=page, per_page=HISTORY_PER_PAGE, error_out=False)


def first_editions(revision_ids) -> dict[int, int]:
    """The number of the first edition that froze each of these revisions (if any): one query."""
    ids = set(revision_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(EditionEntry.revision_id, func.min(Edition.number))
        .join(Edition, Edition.id == EditionEntry.edition_id)
        .where(EditionEntry.revision_id.in_(ids))
        .group_by(EditionEntry.revision_id)
    )
    return dict(rows.all())


def change_notes(revisions) -> dict[int, str]:
    """Each revision's change note as readers see it. A note the content import once made of a file
    name reads as where the text came from ("Taken from the Wijkengids, edition 2."), like the
    notes it writes now; every other note as it was written. At most one query."""
    legacy = [revision for revision in revisions if is_legacy_import_note(revision)]
    editions = first_editions(revision.id for revision in legacy if revision.number == 1)
    notes = {revision.id: revision.change_note for revision in revisions}
    for revision in legacy:
        notes[revision.id] = import_note(revision.number == 1, editions.get(revision.id))
    return notes


def revision_numbers(lesson: Lesson) -> list[int]:
    return list(
        db.session.scalars(
            select(LessonRevision.number)
            .where(LessonRevision.lesson_id == lesson.id)
            .order_by(LessonRevision.number.desc())
        )
    )


# --- editions -------------------------------------------------------------------------------------


def editions() -> list[tuple[Edition, int]]:
    """Every edition, newest first, with the number of lessons it froze: one query."""
    rows = db.session.execute(
        select(Edition, func.count(EditionEntry.lesson_id))
        .outerjoin(EditionEntry, EditionEntry.edition_id == Edition.id)
        .group_by(Edition.id)
        .order_by(Edition.number.desc())
    ).all()
    return [(edition, count) for edition, count in rows]


def edition_by_number(number: int) -> Edition | None:
    return db.session.scalar(select(Edition).where(Edition.number == number))


def previous_edition(edition: Edition) -> Edition | None:
    return db.session.scalar(
        select(Edition).where(Edition.number < edition.number).order_by(Edition.number.desc()).limit(1)
    )


def edition_revisions(edition: Edition, viewer) -> list[tuple[Lesson, LessonRevision]]:
    """(lesson, frozen revision) pairs of an edition, in reading order: one query.

    A lesson withdrawn since (a draft now) is left out for viewers who may not see it, so that an
    edition never links to a page that answers 404."""
    rows = db.session.execute(
        select(Lesson, LessonRevision)
        .join(EditionEntry, EditionEntry.lesson_id == Lesson.id)
        .join(LessonRevision, LessonRevision.id == EditionEntry.revision_id)
        .where(EditionEntry.edition_id == edition.id)
        .options(load_only(LessonRevision.title, LessonRevision.number, LessonRevision.lesson_id))
        .order_by(Lesson.sort_key)
    ).all()
    return [(lesson, revision) for lesson, revision in rows if lesson.is_visible_to(viewer)]


def edition_outline(edition: Edition, viewer) -> list[tuple[Chapter, list[tuple[Lesson, LessonRevision]]]]:
    pairs = edition_revisions(edition, viewer)
    by_chapter: dict[int, list] = {}
    for lesson, revision in pairs:
        by_chapter.setdefault(lesson.chapter_id, []).append((lesson, revision))
    return [(chapter, by_chapter[chapter.id]) for chapter in chapters() if chapter.id in by_chapter]


def edition_print_outline(
    edition: Edition, viewer
) -> list[tuple[Chapter, list[tuple[Lesson, LessonRevision]]]]:
    """The printable edition: chapters in order with their lessons and the whole frozen revisions
    (sources included). Three queries: the pairs, their sources, the chapters."""
    rows = db.session.execute(
        select(Lesson, LessonRevision)
        .join(EditionEntry, EditionEntry.lesson_id == Lesson.id)
        .join(LessonRevision, LessonRevision.id == EditionEntry.revision_id)
        .where(EditionEntry.edition_id == edition.id)
        .options(selectinload(LessonRevision.source_links).joinedload(RevisionSource.source))
        .order_by(Lesson.sort_key)
    ).all()
    by_chapter: dict[int, list] = {}
    for lesson, revision in rows:
        if lesson.is_visible_to(viewer):
            by_chapter.setdefault(lesson.chapter_id, []).append((lesson, revision))
    return [(chapter, by_chapter[chapter.id]) for chapter in chapters() if chapter.id in by_chapter]


def edition_revision_or_404(edition: Edition, lesson: Lesson) -> LessonRevision:
    return db.one_or_404(
        select(LessonRevision)
        .join(EditionEntry, EditionEntry.revision_id == LessonRevision.id)
        .where(EditionEntry.edition_id == edition.id, EditionEntry.lesson_id == lesson.id)
        .options(selectinload(LessonRevision.source_links).joinedload(RevisionSource.source))
    )


def edition_changes(edition: Edition, previous: Edition | None, viewer):
    """What an edition added, changed (its text differs) and dropped compared with the one before it."""
    now = {lesson.id: (lesson, revision) for lesson, revision in edition_revisions(edition, viewer)}
    before = (
        {lesson.id: (lesson, revision) for lesson, revision in edition_revisions(previous, viewer)}
        if previous
        else {}
    )
    added = [pair for lesson_id, pair in now.items() if lesson_id not in before]
    candidates = [
        (pair[0], before[lesson_id][1], pair[1])
        for lesson_id, pair in now.items()
        if lesson_id in before and before[lesson_id][1].id != pair[1].id
    ]
    # A lesson restored to the text it had in the previous edition is not changed.
    same = _same_content((old.id, new.id) for _lesson, old, new in candidates)
    changed = [(lesson, old, new) for lesson, old, new in candidates if (old.id, new.id) not in same]
    dropped = [pair for lesson_id, pair in before.items() if lesson_id not in now]
    return added, changed, dropped


# --- the home page --------------------------------------------------------------------------------


def chapters_with_counts() -> list[tuple[Chapter, int]]:
    """Chapters in order with their number of published lessons: one query."""
    count = (
        select(func.count(Lesson.id))
        .where(Lesson.chapter_id == Chapter.id, Lesson.status == LessonStatus.PUBLISHED)
        .scalar_subquery()
    )
    return [
        (chapter, n) for chapter, n in db.session.execute(select(Chapter, count).order_by(Chapter.number))
    ]


def themes_with_counts() -> list[tuple[Theme, int]]:
    """Themes in use, in site order, with their number of published lessons: one query."""
    count = (
        select(func.count(lesson_themes.c.lesson_id))
        .join(Lesson, Lesson.id == lesson_themes.c.lesson_id)
        .where(lesson_themes.c.theme_id == Theme.id, Lesson.status == LessonStatus.PUBLISHED)
        .scalar_subquery()
    )
    statement = select(Theme, count).where(Theme.retired_at.is_(None)).order_by(Theme.position)
    return [(theme, n) for theme, n in db.session.execute(statement)]


def recently_changed(limit: int = 5) -> list[Lesson]:
    """Published lessons by their latest change, newest first: one query."""
    return list(
        db.session.scalars(
            select(Lesson)
            .options(*_listing_options())
            .where(Lesson.status == LessonStatus.PUBLISHED)
            .order_by(Lesson.updated_at.desc(), Lesson.id.desc())
            .limit(limit)
        )
    )
