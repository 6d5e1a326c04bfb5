"""What neighbourhoods add to pages of lower packages: the working area on a member's profile and
on their dashboard."""

from __future__ import annotations

from flask_login import current_user

from cop.permissions import is_moderator
from cop.places import queries


def profile_panel(member):
    """One query: the working area, when the member made it public (a proposal only to those who
    may see it: its proposer and the moderators)."""
    place = queries.areas_of([member.id]).get(member.id)
    if place is None or not place.is_visible_to(current_user):
        return None
    return "places/_profile_panel.html", {"place": place}


def dashboard_panel(member):
    """One query (two for a moderator): the member's working area, public or not, with a link to
    change it; for moderators, how many proposed neighbourhoods wait."""
    return "places/_dashboard_panel.html", {
        "area": queries.working_area(member),
        "proposals": queries.proposal_count() if is_moderator(member) else 0,
    }
