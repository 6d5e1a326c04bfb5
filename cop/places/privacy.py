"""Neighbourhoods' part of a member's data export and of deleting the account."""

from __future__ import annotations

from sqlalchemy import delete, select

from cop.accounts import privacy
from cop.extensions import db
from cop.places.models import MemberArea, Neighbourhood


def export(member) -> dict:
    """The member's working areas and the neighbourhoods they proposed: two queries."""
    areas = db.session.execute(
        select(MemberArea, Neighbourhood)
        .join(Neighbourhood, Neighbourhood.id == MemberArea.neighbourhood_id)
        .where(MemberArea.user_id == member.id)
    ).all()
    proposed = db.session.scalars(
        select(Neighbourhood).where(Neighbourhood.proposed_by_id == member.id)
    ).all()
    return {
        "werkgebied": [
            {"wijk": place.name, "gemeente": place.municipality, "op_profiel": area.public}
            for area, place in areas
        ],
        "voorgestelde_wijken": [
            {
                "wijk": place.name,
                "gemeente": place.municipality,
                "status": place.status.value,
                "voorgesteld": privacy.when(place.created_at),
            }
            for place in proposed
        ],
    }


def delete_part(member) -> None:
    """The working areas go; proposed neighbourhoods stay (a proposal is not personal)."""
    db.session.execute(delete(MemberArea).where(MemberArea.user_id == member.id))
