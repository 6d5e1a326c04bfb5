"""The community around a contribution: endorsements, comments (a thread of its own, started by
the first comment) and following. Public functions own the commit."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, select, update

from cop import signals
from cop.contributions.kinds import Endorsement
from cop.contributions.models import Contribution, EndorsementRow
from cop.contributions.states import Status
from cop.db_types import utcnow
from cop.discussions import ContainerFollow, FollowLevel, ThreadReader
from cop.discussions import services as discussions
from cop.extensions import db
from cop.permissions import can_write
from cop.places import queries as places_queries
from cop.sql import upsert
from cop.transactions import DomainError, commit

CONTAINER = "contribution"
_COUNTERS = {Endorsement.RECOGNISED: "recognised_count", Endorsement.WORKS_HERE: "works_here_count"}


def _check_member(contribution: Contribution, user) -> None:
    if not can_write(user):
        raise DomainError(_("Confirm your email address first; then you can take part."))
    if not contribution.is_visible_to(user) or contribution.status == Status.DRAFT:
        raise DomainError(_("This contribution cannot be endorsed or commented on now."))


def _recount(contribution_id: int) -> None:
    """The counts from the rows: one UPDATE, right however many endorse at the same moment."""
    table = Contribution.__table__
    rows = EndorsementRow.__table__

    def count(kind=None):
        condition = rows.c.contribution_id == table.c.id
        if kind is not None:
            condition = condition & (rows.c.kind == kind.value)
        return select(func.count()).select_from(rows).where(condition).scalar_subquery()

    db.session.execute(
        update(table)
        .where(table.c.id == contribution_id)
        .values(
            recognised_count=count(Endorsement.RECOGNISED),
            works_here_count=count(Endorsement.WORKS_HERE),
            endorsement_count=count(),
        )
        .execution_options(synchronize_session=False)
    )


def endorse(contribution: Contribution, user, kind: str, neighbourhood_id=None) -> bool:
    """Endorse once per kind; "works for us too" names the member's neighbourhood. False when
    the member had endorsed it so already."""
    _check_member(contribution, user)
    try:
        kind = Endorsement(kind)
    except ValueError:
        raise DomainError(_("Choose an endorsement.")) from None
    if contribution.is_writer(user):
        raise DomainError(_("You cannot endorse your own contribution."))
    place_id = None
    if kind == Endorsement.WORKS_HERE:
        if neighbourhood_id in (None, ""):
            raise DomainError(_("Choose the neighbourhood where it works too."), "neighbourhood")
        place = places_queries.by_id(neighbourhood_id)
        if place is None or place.id not in {n.id for n in places_queries.choices_for(user)}:
            raise DomainError(_("Choose a neighbourhood from the list."), "neighbourhood")
        place_id = place.id
    if db.session.get(EndorsementRow, (contribution.id, user.id, kind.value)) is not None:
        return False
    db.session.execute(
        insert(EndorsementRow).values(
            contribution_id=contribution.id,
            user_id=user.id,
            kind=kind.value,
            neighbourhood_id=place_id,
            created_at=utcnow(),
        )
    )
    _recount(contribution.id)
    signals.contribution_endorsed.send(contribution, actor=user, kind=kind)
    commit(_("You endorsed this at the same moment in another window."))
    db.session.refresh(contribution)
    return True


def withdraw_endorsement(contribution: Contribution, user, kind: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        raise DomainError(_("Log in first."))
    result = db.session.execute(
        delete(EndorsementRow).where(
            EndorsementRow.contribution_id == contribution.id,
            EndorsementRow.user_id == user.id,
            EndorsementRow.kind == str(kind)[:20],
        )
    )
    if not result.rowcount:
        return False
    _recount(contribution.id)
    commit()
    db.session.refresh(contribution)
    return True


def comment(contribution: Contribution, user, body: str) -> tuple:
    """(thread, number of the new post)."""
    # the first comment starts the contribution's thread; its followers hear of every comment
    _check_member(contribution, user)
    if contribution.thread is not None:
        post = discussions.reply(contribution.thread, user, body)
        return post.thread, post.number
    thread = discussions.stage_thread(
        container_kind=CONTAINER,
        container=contribution,
        author=user,
        kind="discussion",
        title=contribution.title,
        body=body,
    )
    contribution.thread_id = thread.id
    commit(_("Someone else commented at the same moment. Your comment was not saved: post it again."))
    return thread, 1


def stage_follow(contribution: Contribution, user_id: int, follow: bool) -> None:
    """Follow (or stop following) the contribution: what happens to it, and every comment."""
    existing = db.session.get(ContainerFollow, (user_id, CONTAINER, contribution.id))
    if follow and existing is None:
        db.session.add(
            ContainerFollow(user_id=user_id, container_kind=CONTAINER, container_id=contribution.id)
        )
    elif not follow and existing is not None:
        db.session.delete(existing)
    if contribution.thread_id is not None:
        level = FollowLevel.FOLLOWING if follow else FollowLevel.NORMAL
        table = ThreadReader.__table__
        db.session.execute(
            upsert(
                table,
                {
                    "user_id": user_id,
                    "thread_id": contribution.thread_id,
                    "last_read": 0,
                    "level": level.value,
                },
                ["user_id", "thread_id"],
                lambda excluded: {"level": excluded.level},
            )
        )


def follow(contribution: Contribution, user, follow: bool) -> None:
    if not getattr(user, "is_authenticated", False) or not contribution.is_visible_to(user):
        raise DomainError(_("Log in first."))
    stage_follow(contribution, user.id, follow)
    commit()
