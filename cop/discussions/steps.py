"""The discussions' part of a new member's first steps (cop.panels "first-steps")."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from cop.discussions.models import ContainerFollow
from cop.extensions import db
from cop.panels import FirstStep


def follow_themes_step(member) -> FirstStep:
    """One query."""
    follows = db.session.scalar(
        select(ContainerFollow.container_id)
        .where(ContainerFollow.user_id == member.id, ContainerFollow.container_kind == "theme")
        .limit(1)
    )
    return FirstStep(
        30,
        _("Follow the themes you work on: open a theme and choose “Follow”"),
        url_for("site.home") + "#home-guide-title",
        follows is not None,
    )
