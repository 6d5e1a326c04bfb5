"""Contributions' part of a member's data export and of deleting the account.

Export: the contributions the member writes or wrote (with the review conversation, which their
writers see on the contribution's page), invitations to write along, and their endorsements.
Deletion: drafts nobody else writes go; the rest stays with "verwijderd lid" as author, and lessons
that came from them credit "een deelnemer" (or the name the member chose to keep, see
``User.credit_name``); the member's name leaves the trail, the checklist notes and others' texts.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, delete, exists, or_, select
from sqlalchemy.orm import joinedload

from cop.accounts import privacy
from cop.contributions.models import (
    Contribution,
    ContributionEvent,
    ContributionWriter,
    EndorsementRow,
    ReviewCheck,
)
from cop.contributions.states import Status
from cop.extensions import db
from cop.sanitize import render


def _actor_name(event, member) -> str:
    if event.actor_id == member.id:
        return member.display_name
    return event.actor.display_name if event.actor else ""


def export(member) -> dict:
    """Four queries."""
    writing = select(ContributionWriter.contribution_id).where(ContributionWriter.user_id == member.id)
    contributions = db.session.scalars(
        select(Contribution)
        .where(or_(Contribution.author_id == member.id, Contribution.id.in_(writing)))
        .order_by(Contribution.created_at)
    ).all()
    ids = [contribution.id for contribution in contributions]
    trail = defaultdict(list)
    if ids:
        for event in db.session.scalars(
            select(ContributionEvent)
            .options(joinedload(ContributionEvent.actor))
            .where(ContributionEvent.contribution_id.in_(ids))
            .order_by(ContributionEvent.created_at, ContributionEvent.id)
        ):
            trail[event.contribution_id].append(
                {
                    "wie": _actor_name(event, member),
                    "actie": event.action,
                    "van": event.from_status,
                    "naar": event.to_status,
                    "bericht": event.message,
                    "wanneer": privacy.when(event.created_at),
                }
            )
    roles = {
        row.contribution_id: row
        for row in db.session.scalars(
            select(ContributionWriter).where(ContributionWriter.user_id == member.id)
        )
    }
    endorsements = db.session.execute(
        select(EndorsementRow, Contribution.title)
        .join(Contribution, Contribution.id == EndorsementRow.contribution_id)
        .where(EndorsementRow.user_id == member.id)
        .order_by(EndorsementRow.created_at)
    ).all()
    return {
        "bijdragen": [
            {
                "id": contribution.id,
                "soort": contribution.kind.value,
                "status": contribution.status.value,
                "titel": contribution.title,
                "velden": contribution.fields,
                "auteur": contribution.author_id == member.id,
                "medeauteur_sinds": privacy.when(roles[contribution.id].accepted_at)
                if contribution.id in roles and contribution.author_id != member.id
                else None,
                "aangemaakt": privacy.when(contribution.created_at),
                "ingediend": privacy.when(contribution.submitted_at),
                "verloop": trail[contribution.id],
            }
            for contribution in contributions
        ],
        "steunbetuigingen": [
            {"bijdrage": title, "soort": row.kind, "wanneer": privacy.when(row.created_at)}
            for row, title in endorsements
        ],
    }


def delete_part(member) -> None:
    """Drafts only the member writes go; the member's name leaves the trails, checklist notes and
    every contribution's text."""
    others = exists().where(
        and_(ContributionWriter.contribution_id == Contribution.id, ContributionWriter.user_id != member.id)
    )
    db.session.execute(
        delete(Contribution)
        .where(Contribution.author_id == member.id, Contribution.status == Status.DRAFT, ~others)
        .execution_options(synchronize_session=False)
    )
    for event in db.session.scalars(
        select(ContributionEvent).where(
            or_(
                privacy.mentions_member(ContributionEvent.message, member),
                privacy.mentions_member(ContributionEvent.data, member, is_json=True),
            )
        )
    ):
        event.message = privacy.scrub_text(event.message, member)
        event.message_html = render(event.message)
        event.data = privacy.scrub_data(event.data, member)
    for check in db.session.scalars(
        select(ReviewCheck).where(privacy.mentions_member(ReviewCheck.note, member))
    ):
        check.note = privacy.scrub_text(check.note, member)
    for contribution in db.session.scalars(
        select(Contribution).where(
            or_(
                privacy.mentions_member(Contribution.title, member),
                privacy.mentions_member(Contribution.fields, member, is_json=True),
                privacy.mentions_member(Contribution.fields_html, member, is_json=True),
                privacy.mentions_member(Contribution.proposal, member, is_json=True),
            )
        )
    ):
        contribution.title = privacy.scrub_text(contribution.title, member)
        contribution.fields = privacy.scrub_data(contribution.fields, member)
        contribution.fields_html = privacy.scrub_data(contribution.fields_html, member)
        contribution.proposal = privacy.scrub_data(contribution.proposal, member)
        privacy.rewrote("contribution", contribution.id)
