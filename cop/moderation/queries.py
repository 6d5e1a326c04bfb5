"""The read side of moderation: open flags grouped per item, one item's flags, and the audit log.
Each function says how many queries it runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload

from cop.extensions import db
from cop.moderation.models import AuditEntry, Flag, FlagStatus
from cop.moderation.subjects import FlagGroup, describe, load_many
from cop.pagination import Page

GROUPS_PER_PAGE = 20
LOG_PER_PAGE = 50


@dataclass
class OpenGroup:
    """An item with open flags: how many, why, by whom, since when."""

    item: FlagGroup
    count: int
    first_at: datetime
    last_at: datetime
    flags: list[Flag] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return list(dict.fromkeys(flag.reason.value for flag in self.flags))


def open_group_count() -> int:
    """How many items have open flags. One query."""
    groups = select(Flag.subject_kind, Flag.subject_id).where(Flag.status == FlagStatus.OPEN).distinct()
    return db.session.scalar(select(func.count()).select_from(groups.subquery())) or 0


def open_groups(page: int, per_page: int = GROUPS_PER_PAGE) -> Page:
    """Items with open flags, the most recently flagged first, with their open flags and the items
    themselves: three queries, and one more per kind of item on the page (at most five)."""
    total = open_group_count()
    last = func.max(Flag.created_at)
    rows = db.session.execute(
        select(Flag.subject_kind, Flag.subject_id, func.count(), func.min(Flag.created_at), last)
        .where(Flag.status == FlagStatus.OPEN)
        .group_by(Flag.subject_kind, Flag.subject_id)
        .order_by(last.desc(), Flag.subject_kind, Flag.subject_id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    keys = [(kind, subject_id) for kind, subject_id, *_rest in rows]
    flags: dict[tuple[str, int], list[Flag]] = {key: [] for key in keys}
    if keys:
        by_kind: dict[str, list[int]] = {}
        for kind, subject_id in keys:
            by_kind.setdefault(kind, []).append(subject_id)
        condition = [(Flag.subject_kind == kind) & Flag.subject_id.in_(ids) for kind, ids in by_kind.items()]
        for item in db.session.scalars(
            select(Flag)
            .options(joinedload(Flag.reporter))
            .where(Flag.status == FlagStatus.OPEN, or_(*condition))
            .order_by(Flag.created_at, Flag.id)
        ):
            flags[(item.subject_kind, item.subject_id)].append(item)
    objects = load_many(keys)
    groups = [
        OpenGroup(
            describe(kind, subject_id, objects.get((kind, subject_id))),
            count,
            first,
            last_at,
            flags[(kind, subject_id)],
        )
        for kind, subject_id, count, first, last_at in rows
    ]
    return Page(groups, total, page, per_page)


def flags_about(kind: str, subject_id: int) -> list[Flag]:
    """Every flag about one item, open ones first, then newest first. One query."""
    return list(
        db.session.scalars(
            select(Flag)
            .options(joinedload(Flag.reporter), joinedload(Flag.handled_by))
            .where(Flag.subject_kind == kind, Flag.subject_id == subject_id)
            .order_by(
                case((Flag.status == FlagStatus.OPEN, 0), else_=1), Flag.created_at.desc(), Flag.id.desc()
            )
        )
    )


def flags_of(member) -> list[Flag]:
    """A member's own flags, for their data export. One query."""
    return list(
        db.session.scalars(select(Flag).where(Flag.reporter_id == member.id).order_by(Flag.created_at))
    )


# --- the audit log --------------------------------------------------------------------------------


def recent_entries(limit: int = 10) -> list[AuditEntry]:
    """The newest entries. One query."""
    return list(
        db.session.scalars(
            select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit)
        )
    )


@dataclass
class LogFilter:
    actor_id: int | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def log_page(filters: LogFilter, page: int, per_page: int = LOG_PER_PAGE) -> Page:
    """The log, newest first, filtered: two queries (count and rows)."""
    statement = select(AuditEntry)
    if filters.actor_id is not None:
        statement = statement.where(AuditEntry.actor_id == filters.actor_id)
    if filters.action:
        statement = statement.where(AuditEntry.action == filters.action)
    if filters.since is not None:
        statement = statement.where(AuditEntry.created_at >= _start_of(filters.since))
    if filters.until is not None:
        statement = statement.where(AuditEntry.created_at < _start_of(filters.until + timedelta(days=1)))
    total = db.session.scalar(
        select(func.count()).select_from(statement.with_only_columns(AuditEntry.id).subquery())
    )
    items = db.session.scalars(
        statement.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(list(items), total, page, per_page)


def log_actors() -> list[tuple[int, str]]:
    """Who appears as actor in the log (id, the latest name they acted under). One query."""
    latest = (
        select(func.max(AuditEntry.id)).where(AuditEntry.actor_id.is_not(None)).group_by(AuditEntry.actor_id)
    )
    rows = db.session.execute(
        select(AuditEntry.actor_id, AuditEntry.actor_label).where(AuditEntry.id.in_(latest))
    ).all()
    return sorted(((row[0], row[1]) for row in rows), key=lambda row: row[1].lower())
