"""The read side of neighbourhoods. Each function says how many queries it runs."""

from __future__ import annotations

from itertools import groupby

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from cop.db_types import utcnow
from cop.extensions import db
from cop.permissions import is_moderator
from cop.places.models import MemberArea, Neighbourhood, PlaceStatus, Programme, match_key


def by_slug(slug: str) -> Neighbourhood | None:
    """One query. Includes proposals (the loader decides who may see them)."""
    return db.session.scalar(select(Neighbourhood).where(Neighbourhood.slug == slug[:120]))


def by_id(neighbourhood_id) -> Neighbourhood | None:
    try:
        return db.session.get(Neighbourhood, int(neighbourhood_id))
    except (TypeError, ValueError, OverflowError):
        return None


def directory(q: str | None, programme: str | None, municipality: str | None) -> list[tuple[str, list]]:
    """Approved neighbourhoods matching the filters, grouped by municipality. One query."""
    stmt = select(Neighbourhood).where(Neighbourhood.status == PlaceStatus.APPROVED)
    if q:
        needle = q.lower()
        letters = match_key(q, "").strip("/")  # "zuilen oost" finds Zuilen-Oost
        conditions = [
            func.lower(Neighbourhood.name).contains(needle, autoescape=True),
            func.lower(Neighbourhood.municipality).contains(needle, autoescape=True),
        ]
        if letters:
            conditions.append(Neighbourhood.key.contains(letters, autoescape=True))
        stmt = stmt.where(or_(*conditions))
    if programme:
        stmt = stmt.where(Neighbourhood.programme == Programme(programme))
    if municipality:
        stmt = stmt.where(func.lower(Neighbourhood.municipality) == municipality.lower())
    rows = db.session.scalars(stmt.order_by(Neighbourhood.municipality, Neighbourhood.name))
    return [(name, list(places)) for name, places in groupby(rows, key=lambda n: n.municipality)]


def municipalities() -> list[str]:
    """The municipalities of approved neighbourhoods, for the filter. One query."""
    return list(
        db.session.scalars(
            select(Neighbourhood.municipality)
            .where(Neighbourhood.status == PlaceStatus.APPROVED)
            .distinct()
            .order_by(Neighbourhood.municipality)
        )
    )


def _choosable(user):
    """SQL: approved neighbourhoods and ``user``'s own open proposals."""
    condition = Neighbourhood.status == PlaceStatus.APPROVED
    if getattr(user, "is_authenticated", False):
        condition = or_(
            condition,
            (Neighbourhood.status == PlaceStatus.PROPOSED) & (Neighbourhood.proposed_by_id == user.id),
        )
    return condition


def choices_for(user) -> list[Neighbourhood]:
    """The neighbourhoods ``user`` can point at: approved ones and their own open proposals. One query."""
    return list(
        db.session.scalars(
            select(Neighbourhood)
            .where(_choosable(user))
            .order_by(Neighbourhood.municipality, Neighbourhood.name)
        )
    )


def choices_with_area(user) -> tuple[list[Neighbourhood], int | None]:
    """``choices_for(user)``, and the id of the member's working area when it is one of them (for a
    form's preselected choice). One query."""
    if not getattr(user, "is_authenticated", False):
        return choices_for(user), None
    rows = db.session.execute(
        select(Neighbourhood, MemberArea.user_id)
        .outerjoin(
            MemberArea, (MemberArea.neighbourhood_id == Neighbourhood.id) & (MemberArea.user_id == user.id)
        )
        .where(_choosable(user))
        .order_by(Neighbourhood.municipality, Neighbourhood.name)
    ).all()
    area = next((place.id for place, member in rows if member is not None), None)
    return [place for place, _member in rows], area


def visible(user, id_column):
    """SQL condition: the neighbourhood ``id_column`` names is one ``user`` may know of."""
    condition = Neighbourhood.status.in_([PlaceStatus.APPROVED, PlaceStatus.MERGED])
    if is_moderator(user):
        return id_column.in_(select(Neighbourhood.id))
    if getattr(user, "is_authenticated", False):
        condition = or_(condition, Neighbourhood.proposed_by_id == user.id)
    return id_column.in_(select(Neighbourhood.id).where(condition))


def proposals() -> list[Neighbourhood]:
    """Open proposals, oldest first, with their proposers. One query."""
    return list(
        db.session.scalars(
            select(Neighbourhood)
            .options(joinedload(Neighbourhood.proposed_by))
            .where(Neighbourhood.status == PlaceStatus.PROPOSED)
            .order_by(Neighbourhood.created_at, Neighbourhood.id)
        )
    )


def proposal_count() -> int:
    """One query."""
    return (
        db.session.scalar(
            select(func.count(Neighbourhood.id)).where(Neighbourhood.status == PlaceStatus.PROPOSED)
        )
        or 0
    )


def proposals_of(user) -> list[Neighbourhood]:
    """A member's own proposals that are not approved yet (or were declined). One query."""
    return list(
        db.session.scalars(
            select(Neighbourhood)
            .where(
                Neighbourhood.proposed_by_id == user.id,
                Neighbourhood.status.in_([PlaceStatus.PROPOSED, PlaceStatus.DECLINED]),
            )
            .order_by(Neighbourhood.created_at.desc())
        )
    )


def public_members(neighbourhood: Neighbourhood, viewer, limit: int = 60) -> list:
    """Confirmed, unsuspended members who chose this working area and made it public; a visitor
    who is not logged in sees only those whose profile is public as well. One query."""
    from cop.accounts.models import User

    stmt = (
        select(User)
        .join(MemberArea, MemberArea.user_id == User.id)
        .where(
            MemberArea.neighbourhood_id == neighbourhood.id,
            MemberArea.public.is_(True),
            User.confirmed_at.is_not(None),
            or_(User.suspended_until.is_(None), User.suspended_until <= utcnow()),
        )
    )
    if not getattr(viewer, "is_authenticated", False):
        stmt = stmt.where(User.profile_public.is_(True))
    return list(db.session.scalars(stmt.order_by(User.display_name).limit(limit)))


def working_area(user) -> MemberArea | None:
    """One query (none for a visitor)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(MemberArea).options(joinedload(MemberArea.neighbourhood)).where(MemberArea.user_id == user.id)
    )


def areas_of(user_ids) -> dict[int, Neighbourhood]:
    """The public working areas of these members, by member id. One query."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(MemberArea.user_id, Neighbourhood)
        .join(Neighbourhood, Neighbourhood.id == MemberArea.neighbourhood_id)
        .where(MemberArea.user_id.in_(ids), MemberArea.public.is_(True))
    )
    return dict(rows.all())
