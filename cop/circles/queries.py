"""Reading circles: every page's data in a bounded number of queries. Who may see a circle, and who
may see its content, is asked in SQL (``visible``, ``content_visible``) before a page is cut, so
pages stay full and counts stay right."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, case, false, func, null, or_, select
from sqlalchemy.orm import joinedload, selectinload

from cop.accounts import User
from cop.circles.models import (
    Answer,
    Attendance,
    CalendarFeed,
    Circle,
    CircleKind,
    CircleMember,
    Invitation,
    JoinRequest,
    Meeting,
    MemberRole,
    ReadingItem,
    ReadingMark,
    Visibility,
    circle_themes,
)
from cop.db_types import utcnow
from cop.extensions import db
from cop.guide import Lesson, LessonRevision, Theme
from cop.pagination import Page

CIRCLES_PER_PAGE = 25


def _user_id(user) -> int | None:
    return user.id if getattr(user, "is_authenticated", False) else None


def member_circle_ids(user):
    """SQL: the ids of the circles ``user`` is a member of."""
    user_id = _user_id(user)
    if user_id is None:
        return select(CircleMember.circle_id).where(false())
    return select(CircleMember.circle_id).where(CircleMember.user_id == user_id)


def visible(user, id_column=None):
    """SQL: circles whose existence ``user`` may know (not private, or a member)."""
    id_column = Circle.id if id_column is None else id_column
    public = select(Circle.id).where(Circle.visibility != Visibility.PRIVATE)
    return or_(id_column.in_(public), id_column.in_(member_circle_ids(user)))


def content_visible(user, id_column=None):
    """SQL: circles whose threads, members, meetings and plan ``user`` may see (open, or a member)."""
    id_column = Circle.id if id_column is None else id_column
    opened = select(Circle.id).where(Circle.visibility == Visibility.OPEN)
    return or_(id_column.in_(opened), id_column.in_(member_circle_ids(user)))


def readers_of(circle_id: int, user_id_column):
    """SQL on a user id column: who may read this circle's content (for bulk notifications)."""
    is_open = select(Circle.id).where(Circle.id == circle_id, Circle.visibility == Visibility.OPEN).exists()
    members = select(CircleMember.user_id).where(CircleMember.circle_id == circle_id)
    return or_(is_open, user_id_column.in_(members))


def circle_by_slug(slug: str) -> Circle | None:
    return db.session.scalar(select(Circle).where(Circle.slug == slug).options(selectinload(Circle.themes)))


def circle_by_id(circle_id: int) -> Circle | None:
    return db.session.get(Circle, circle_id)


# --- the list -------------------------------------------------------------------------------------


@dataclass
class CircleRow:
    circle: Circle
    members: int
    next_meeting: object  # a datetime, or None (also when the viewer may not see the meetings)
    my_role: MemberRole | None


def _member_count():
    return (
        select(func.count())
        .select_from(CircleMember)
        .where(CircleMember.circle_id == Circle.id)
        .correlate(Circle)
        .scalar_subquery()
    )


def _next_meeting(user):
    """The next meeting's start, for circles whose meetings the viewer may see."""
    soonest = (
        select(func.min(Meeting.starts_at))
        .where(Meeting.circle_id == Circle.id, Meeting.starts_at > utcnow(), Meeting.cancelled_at.is_(None))
        .correlate(Circle)
        .scalar_subquery()
    )
    return case((content_visible(user), soonest), else_=None)


def _my_role(user):
    user_id = _user_id(user)
    if user_id is None:
        return null()
    return (
        select(CircleMember.role)
        .where(CircleMember.circle_id == Circle.id, CircleMember.user_id == user_id)
        .correlate(Circle)
        .scalar_subquery()
    )


def circle_list(user, kind: str | None, theme_slug: str | None, municipality: str | None, page: int) -> Page:
    """The circles ``user`` may see, filtered, by name: two queries (count and page)."""
    statement = select(Circle).where(visible(user))
    if kind in {k.value for k in CircleKind}:
        statement = statement.where(Circle.kind == kind)
    if theme_slug:
        statement = statement.where(
            Circle.id.in_(
                select(circle_themes.c.circle_id)
                .join(Theme, Theme.id == circle_themes.c.theme_id)
                .where(Theme.slug == theme_slug)
            )
        )
    if municipality:
        statement = statement.where(func.lower(Circle.municipality) == municipality.strip().lower())
    total = db.session.scalar(
        select(func.count()).select_from(statement.with_only_columns(Circle.id).subquery())
    )
    rows = db.session.execute(
        statement.add_columns(_member_count(), _next_meeting(user), _my_role(user))
        .order_by(Circle.archived_at.is_not(None), func.lower(Circle.name), Circle.id)
        .limit(CIRCLES_PER_PAGE)
        .offset((page - 1) * CIRCLES_PER_PAGE)
    ).all()
    items = [
        CircleRow(circle, members, soon, MemberRole(role) if role else None)
        for circle, members, soon, role in rows
    ]
    return Page(items, total, page, CIRCLES_PER_PAGE)


def municipalities(user) -> list[str]:
    """The municipalities of the circles ``user`` may see, for the filter: one query."""
    return list(
        db.session.scalars(
            select(Circle.municipality)
            .where(visible(user), Circle.municipality != "")
            .distinct()
            .order_by(Circle.municipality)
        )
    )


# --- one circle -----------------------------------------------------------------------------------


def members(circle: Circle) -> list[CircleMember]:
    """Facilitators first, then by name: one query."""
    return list(
        db.session.scalars(
            select(CircleMember)
            .join(User, User.id == CircleMember.user_id)
            .where(CircleMember.circle_id == circle.id)
            .options(joinedload(CircleMember.user))
            .order_by(CircleMember.role == MemberRole.MEMBER, func.lower(User.display_name))
        )
    )


def facilitators(circle: Circle) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(CircleMember, CircleMember.user_id == User.id)
            .where(CircleMember.circle_id == circle.id, CircleMember.role == MemberRole.FACILITATOR)
            .order_by(func.lower(User.display_name))
        )
    )


def member_count(circle: Circle) -> int:
    return db.session.scalar(
        select(func.count()).select_from(CircleMember).where(CircleMember.circle_id == circle.id)
    )


def facilitator_count(circle: Circle) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(CircleMember)
        .where(CircleMember.circle_id == circle.id, CircleMember.role == MemberRole.FACILITATOR)
    )


def membership(circle: Circle, user) -> CircleMember | None:
    user_id = user.id if hasattr(user, "id") else user
    return db.session.get(CircleMember, (circle.id, user_id))


def open_requests(circle: Circle) -> list[JoinRequest]:
    return list(
        db.session.scalars(
            select(JoinRequest)
            .where(JoinRequest.circle_id == circle.id, JoinRequest.decided_at.is_(None))
            .options(joinedload(JoinRequest.user))
            .order_by(JoinRequest.created_at)
        )
    )


def pending_request(circle: Circle, user) -> JoinRequest | None:
    user_id = _user_id(user)
    if user_id is None:
        return None
    return db.session.scalar(
        select(JoinRequest).where(
            JoinRequest.circle_id == circle.id,
            JoinRequest.user_id == user_id,
            JoinRequest.decided_at.is_(None),
        )
    )


def request_by_id(circle: Circle, request_id: int) -> JoinRequest | None:
    return db.session.scalar(
        select(JoinRequest).where(JoinRequest.id == request_id, JoinRequest.circle_id == circle.id)
    )


def invitation_by_id(invitation_id: int) -> Invitation | None:
    return db.session.scalar(
        select(Invitation).where(Invitation.id == invitation_id).options(joinedload(Invitation.circle))
    )


def open_invitations(circle: Circle) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.circle_id == circle.id, Invitation.accepted_at.is_(None))
            .order_by(Invitation.created_at.desc())
        )
    )


def meetings(circle: Circle, upcoming: bool, limit: int = 50) -> list[Meeting]:
    """Upcoming meetings (soonest first) or past ones (latest first): one query."""
    now = utcnow()
    statement = select(Meeting).where(Meeting.circle_id == circle.id)
    if upcoming:
        statement = statement.where(Meeting.ends_at > now).order_by(Meeting.starts_at)
    else:
        statement = statement.where(Meeting.ends_at <= now).order_by(Meeting.starts_at.desc())
    return list(db.session.scalars(statement.limit(limit)))


def meeting_by_id(meeting_id: int) -> Meeting | None:
    return db.session.scalar(
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(joinedload(Meeting.circle), selectinload(Meeting.lessons))
    )


@dataclass
class AttendanceSummary:
    counts: dict[str, int]
    coming: list[User]  # the names of those who come (shown to members)
    mine: Answer | None


def attendance(meeting: Meeting, user) -> AttendanceSummary:
    """Counts per answer, who comes, and the viewer's own answer: one query."""
    rows = db.session.execute(
        select(Attendance.answer, Attendance.user_id, User)
        .join(User, User.id == Attendance.user_id)
        .where(Attendance.meeting_id == meeting.id)
        .order_by(func.lower(User.display_name))
    ).all()
    counts = {answer.value: 0 for answer in Answer}
    coming, mine = [], None
    for answer, user_id, member in rows:
        counts[Answer(answer).value] += 1
        if Answer(answer) == Answer.YES:
            coming.append(member)
        if user_id == _user_id(user):
            mine = Answer(answer)
    return AttendanceSummary(counts, coming, mine)


@dataclass
class PlanRow:
    item: ReadingItem
    readers: int
    read_by_me: bool
    shown_names: list[str]


def reading_plan(circle: Circle, user) -> list[PlanRow]:
    """The plan's lessons in order with their current title, how many members read each, whether
    the viewer did, and the names of those who chose to show it: two queries."""
    items = list(
        db.session.scalars(
            select(ReadingItem)
            .where(ReadingItem.circle_id == circle.id)
            .options(
                joinedload(ReadingItem.lesson)
                .joinedload(Lesson.current_revision)
                .load_only(LessonRevision.title, LessonRevision.number),
                joinedload(ReadingItem.meeting),
            )
            .order_by(ReadingItem.position, ReadingItem.id)
        )
    )
    if not items:
        return []
    marks = db.session.execute(
        select(ReadingMark.item_id, ReadingMark.user_id, ReadingMark.shown, User.display_name)
        .join(User, User.id == ReadingMark.user_id)
        .join(
            CircleMember,
            and_(CircleMember.user_id == ReadingMark.user_id, CircleMember.circle_id == circle.id),
        )
        .where(ReadingMark.item_id.in_([item.id for item in items]))
        .order_by(func.lower(User.display_name))
    ).all()
    viewer = _user_id(user)
    rows = []
    for item in items:
        mine = [m for m in marks if m.item_id == item.id]
        rows.append(
            PlanRow(
                item,
                len(mine),
                any(m.user_id == viewer for m in mine),
                [m.display_name for m in mine if m.shown],
            )
        )
    return rows


def reading_item(circle: Circle, item_id: int) -> ReadingItem | None:
    return db.session.scalar(
        select(ReadingItem).where(ReadingItem.id == item_id, ReadingItem.circle_id == circle.id)
    )


# --- panels and the dashboard ---------------------------------------------------------------------


def theme_circles(theme: Theme, user, limit: int = 10) -> list[Circle]:
    """The circles on a theme that ``user`` may see: one query."""
    return list(
        db.session.scalars(
            select(Circle)
            .join(circle_themes, circle_themes.c.circle_id == Circle.id)
            .where(circle_themes.c.theme_id == theme.id, visible(user), Circle.archived_at.is_(None))
            .order_by(func.lower(Circle.name))
            .limit(limit)
        )
    )


def neighbourhood_circles(place, user, limit: int = 20) -> list[Circle]:
    """The circles tied to a neighbourhood that ``user`` may see: one query."""
    return list(
        db.session.scalars(
            select(Circle)
            .where(Circle.neighbourhood_id == place.id, visible(user), Circle.archived_at.is_(None))
            .order_by(func.lower(Circle.name))
            .limit(limit)
        )
    )


def lesson_circles(lesson: Lesson, user, limit: int = 10) -> list[Circle]:
    """Learning circles whose reading plan holds the lesson, where ``user`` may see the plan: one query."""
    return list(
        db.session.scalars(
            select(Circle)
            .join(ReadingItem, ReadingItem.circle_id == Circle.id)
            .where(ReadingItem.lesson_id == lesson.id, content_visible(user))
            .order_by(func.lower(Circle.name))
            .limit(limit)
        )
    )


def member_circles(member: User, viewer, limit: int = 20) -> list[Circle]:
    """The circles ``member`` is in whose members ``viewer`` may see: one query."""
    return list(
        db.session.scalars(
            select(Circle)
            .join(CircleMember, CircleMember.circle_id == Circle.id)
            .where(CircleMember.user_id == member.id, content_visible(viewer))
            .order_by(func.lower(Circle.name))
            .limit(limit)
        )
    )


def my_circles(user, limit: int = 50) -> list[tuple[Circle, MemberRole]]:
    """The member's circles with their role: one query."""
    rows = db.session.execute(
        select(Circle, CircleMember.role)
        .join(CircleMember, CircleMember.circle_id == Circle.id)
        .where(CircleMember.user_id == user.id)
        .order_by(Circle.archived_at.is_not(None), func.lower(Circle.name))
        .limit(limit)
    ).all()
    return [(circle, MemberRole(role)) for circle, role in rows]


def upcoming_meetings(user, limit: int = 10, days: int | None = None) -> list[tuple[Meeting, Answer | None]]:
    """The member's circles' coming meetings with their own answer: one query."""
    now = utcnow()
    statement = (
        select(Meeting, Attendance.answer)
        .join(
            CircleMember, and_(CircleMember.circle_id == Meeting.circle_id, CircleMember.user_id == user.id)
        )
        .outerjoin(Attendance, and_(Attendance.meeting_id == Meeting.id, Attendance.user_id == user.id))
        .where(Meeting.ends_at > now)
        .options(joinedload(Meeting.circle))
        .order_by(Meeting.starts_at)
        .limit(limit)
    )
    if days is not None:
        statement = statement.where(Meeting.starts_at < now + timedelta(days=days))
    return [
        (meeting, Answer(answer) if answer else None) for meeting, answer in db.session.execute(statement)
    ]


def feed_meetings(user_id: int) -> list[Meeting]:
    """What a member's calendar feed holds: their circles' meetings from a month ago on: one query.
    Membership is checked now, so leaving a circle takes its meetings out at once."""
    return list(
        db.session.scalars(
            select(Meeting)
            .join(
                CircleMember,
                and_(CircleMember.circle_id == Meeting.circle_id, CircleMember.user_id == user_id),
            )
            .where(Meeting.ends_at > utcnow() - timedelta(days=31))
            .options(joinedload(Meeting.circle))
            .order_by(Meeting.starts_at)
            .limit(500)
        )
    )


def feed_by_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.token == token))


def feed_of(user) -> CalendarFeed | None:
    return db.session.get(CalendarFeed, user.id)


def open_meetings(limit: int = 5) -> list[Meeting]:
    """Coming meetings of open circles (anyone may see and join them), soonest first: one query."""
    return list(
        db.session.scalars(
            select(Meeting)
            .join(Circle, Circle.id == Meeting.circle_id)
            .options(joinedload(Meeting.circle))
            .where(
                Circle.visibility == Visibility.OPEN,
                Circle.archived_at.is_(None),
                Meeting.ends_at > utcnow(),
                Meeting.cancelled_at.is_(None),
            )
            .order_by(Meeting.starts_at)
            .limit(limit)
        )
    )
