"""Reading notifications: the header's count, /meldingen (grouped, newest first), opening one, and
what each says and where it leads. A notification about something the member may no longer see
(they left a private circle) is not shown."""

from __future__ import annotations

from collections import OrderedDict

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import joinedload

from cop.circles import queries as circle_queries
from cop.contributions import queries as contribution_queries
from cop.contributions.states import STATUS_LABELS
from cop.db_types import utcnow
from cop.discussions import queries as thread_queries
from cop.extensions import db
from cop.notifications.kinds import KINDS, PERSONAL_KINDS
from cop.notifications.models import Notification
from cop.pagination import Page
from cop.transactions import commit
from cop.urls import public_path


def _among(column, ids):
    """SQL: ``column`` is empty or one of ``ids`` (a select of ids), asked per notification (EXISTS)
    rather than by building the set of every visible thread or post first (IN inside OR): the
    member's few notifications are checked, not the forum's million posts."""
    return or_(column.is_(None), ids.where(ids.selected_columns[0] == column).exists())


def visible(user):
    """SQL: notifications about what ``user`` may still see."""
    return and_(
        _among(Notification.thread_id, thread_queries.visible_threads(user)),
        _among(Notification.post_id, thread_queries.visible_posts(user)),
        or_(
            Notification.circle_id.is_(None),
            Notification.kind.in_(PERSONAL_KINDS),
            circle_queries.content_visible(user, Notification.circle_id),
        ),
        or_(
            Notification.contribution_id.is_(None),
            Notification.kind == "review_needed",
            contribution_queries.visible_ids(user, Notification.contribution_id),
        ),
    )


_UNREAD: OrderedDict = OrderedDict()  # the count's statement, built once per member and role
_UNREAD_KEPT = 512


def unread_count(user, cap: int = 100) -> int:
    """How many unread notifications (counted up to ``cap``): one query. Asked on every page a
    member sees; building its statement took longer than running it, so a worker keeps the
    statements of its last few hundred members (they hold nothing but the member's id and role)."""
    key = (user.id, user.role, cap)
    statement = _UNREAD.get(key)
    if statement is None:
        unread = (
            select(Notification.id)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None), visible(user))
            .limit(cap)
            .subquery()
        )
        statement = _UNREAD[key] = select(func.count()).select_from(unread)
        while len(_UNREAD) > _UNREAD_KEPT:
            _UNREAD.popitem(last=False)
    else:
        _UNREAD.move_to_end(key)
    return db.session.scalar(statement)


def _options():
    return (
        joinedload(Notification.thread),
        joinedload(Notification.post),
        joinedload(Notification.actor),
        joinedload(Notification.circle),
        joinedload(Notification.meeting),
        joinedload(Notification.contribution),
    )


def page(user, number: int, per_page: int = 30) -> Page:
    """A page of the member's notifications, newest first, grouped: two queries (count and rows)."""
    statement = select(Notification).where(Notification.user_id == user.id, visible(user))
    total = db.session.scalar(
        select(func.count()).select_from(statement.with_only_columns(Notification.id).subquery())
    )
    rows = db.session.scalars(
        statement.options(*_options())
        .order_by(Notification.id.desc())
        .limit(per_page)
        .offset((number - 1) * per_page)
    ).all()
    return Page(group(rows), total, number, per_page)


def describe(notification: Notification) -> str:
    """What the notification says, in the reader's language."""
    kind = KINDS[notification.kind]
    actor = notification.actor.display_name if notification.actor else _("A former member")
    if notification.thread is not None:
        title = notification.thread.title
    elif notification.meeting is not None:
        title = notification.meeting.title
    elif notification.circle is not None:
        title = notification.circle.name
    elif notification.contribution is not None:
        title = notification.contribution.title
    else:
        title = (notification.data or {}).get("title", "")
    data = notification.data or {}
    status = STATUS_LABELS.get(data.get("status"), "")
    text = kind.line % {"actor": actor, "title": title, "status": str(status).lower()}
    if notification.kind == "circle_decided":
        text += " " + (_("Accepted.") if data.get("accepted") else _("Not accepted."))
        if data.get("answer"):
            text += " " + data["answer"]
    elif notification.kind == "circle_removed" and data.get("reason"):
        text += " " + _("Reason: %(reason)s", reason=data["reason"])
    elif notification.kind == "flag_resolved":
        from cop.notifications.making import _flag_outcome

        text += " " + _flag_outcome(data.get("outcome", ""))
    return text


def target(notification: Notification) -> str:
    """Where opening the notification leads (a path on this site)."""
    if notification.thread is not None:
        if notification.post is not None:
            return public_path(
                "discussions.post_link", ref=notification.thread.ref, number=notification.post.number
            )
        return public_path("discussions.thread", ref=notification.thread.ref)
    if notification.meeting is not None:
        return public_path("circles.meeting", meeting_id=notification.meeting.id)
    if notification.contribution is not None:
        if notification.kind == "contrib_promoted" and (notification.data or {}).get("lesson"):
            return public_path("guide.lesson", ref=notification.data["lesson"])
        if notification.kind == "review_needed":
            return public_path("contributions.review", contribution_id=notification.contribution_id)
        return public_path("contributions.contribution", contribution_id=notification.contribution_id)
    if notification.kind == "circle_invited" and (notification.data or {}).get("invitation"):
        from cop.circles import queries, services

        invitation = queries.invitation_by_id(notification.data["invitation"])
        if invitation is not None:
            return public_path("circles.invitation", token=services.invitation_token(invitation))
    if notification.kind == "circle_request" and notification.circle is not None:
        return public_path("circles.members", slug=notification.circle.slug)
    if notification.circle is not None and notification.kind != "circle_removed":
        return public_path("circles.circle", slug=notification.circle.slug)
    return public_path("notifications.index")


class Entry:
    """One line of /meldingen: a notification, or several unread replies in one thread."""

    def __init__(self, notification: Notification):
        self.first = notification
        self.items = [notification]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def unread(self) -> bool:
        return any(item.read_at is None for item in self.items)

    @property
    def text(self) -> str:
        if self.count > 1:
            return ngettext(
                "%(num)d new reply in “%(title)s”",
                "%(num)d new replies in “%(title)s”",
                self.count,
                title=self.first.thread.title,
            )
        return describe(self.first)

    @property
    def actors(self) -> list[str]:
        names = [item.actor.display_name for item in self.items if item.actor]
        return list(dict.fromkeys(names))


def group(rows: list[Notification]) -> list[Entry]:
    """Unread replies in the same thread on one page become one entry (at the newest one's place)."""
    entries: list[Entry] = []
    by_thread: dict[int, Entry] = {}
    for notification in rows:
        key = notification.thread_id
        if notification.kind == "reply" and notification.read_at is None and key in by_thread:
            by_thread[key].items.append(notification)
            continue
        entry = Entry(notification)
        entries.append(entry)
        if notification.kind == "reply" and notification.read_at is None:
            by_thread[key] = entry
    return entries


def notification_for(user, notification_id: int) -> Notification | None:
    """The member's own notification, if they may still see what it is about."""
    return db.session.scalar(
        select(Notification)
        .where(Notification.id == notification_id, Notification.user_id == user.id, visible(user))
        .options(*_options())
    )


def mark_read(user, notification: Notification) -> None:
    """Read by opening: this one and, for a reply, the other unread replies in its thread."""
    condition = Notification.id == notification.id
    if notification.kind == "reply":
        condition = or_(
            condition, and_(Notification.thread_id == notification.thread_id, Notification.kind == "reply")
        )
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None), condition)
        .values(read_at=utcnow())
    )
    commit()


def mark_all_read(user) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    commit()
