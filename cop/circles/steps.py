"""The circles' part of a new member's first steps (cop.panels "first-steps")."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from cop.circles.models import CircleMember
from cop.extensions import db
from cop.panels import FirstStep


def circle_step(member) -> FirstStep:
    """One query."""
    member_of = db.session.scalar(
        select(CircleMember.circle_id).where(CircleMember.user_id == member.id).limit(1)
    )
    return FirstStep(
        50,
        _("Join a learning circle, or start one"),
        url_for("circles.index"),
        member_of is not None,
    )
