"""The contributions' part of a new member's first steps (cop.panels "first-steps")."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from cop.contributions.models import Contribution, ContributionWriter
from cop.contributions.states import Status
from cop.extensions import db
from cop.panels import FirstStep


def share_step(member) -> FirstStep:
    """One query: done once the member submitted (or co-wrote) a contribution."""
    shared = db.session.scalar(
        select(ContributionWriter.contribution_id)
        .join(Contribution, Contribution.id == ContributionWriter.contribution_id)
        .where(
            ContributionWriter.user_id == member.id,
            ContributionWriter.accepted_at.is_not(None),
            Contribution.status != Status.DRAFT,
        )
        .limit(1)
    )
    return FirstStep(
        60,
        _("Share a practice experience from your neighbourhood"),
        url_for("contributions.new", soort="praktijkervaring"),
        shared is not None,
    )
