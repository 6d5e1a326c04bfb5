"""The neighbourhoods' part of a new member's first steps (cop.panels "first-steps")."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from cop.extensions import db
from cop.panels import FirstStep
from cop.places.models import MemberArea


def working_area_step(member) -> FirstStep:
    """One query."""
    return FirstStep(
        20,
        _("Choose the neighbourhood you work in"),
        url_for("places.working_area"),
        db.session.get(MemberArea, member.id) is not None,
    )
