"""The accounts' part of a new member's first steps (cop.panels "first-steps")."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from cop.panels import FirstStep


def profile_step(member) -> FirstStep:
    """No query: the member is loaded."""
    return FirstStep(
        10,
        _("Complete your profile: your organisation and municipality"),
        url_for("accounts.profile"),
        bool(member.organisation and member.municipality),
    )
