"""What contributions add to the pages of lower packages (cop.panels): a lesson's provenance and
open improvements, a theme's and a neighbourhood's contributions, the link to what neighbourhoods
learn from each other, the writers' contributions in the guide on their profile, a member's
contributions on /mijn, and the contributions behind an edition's new and changed lessons."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import update

from cop.contributions import queries
from cop.contributions.models import EndorsementRow, contribution_places
from cop.extensions import db
from cop.permissions import is_moderator


def lesson_panel(lesson):
    """One query for the provenance (however many contributions), one for open improvements."""
    credits = queries.lesson_credits(lesson)
    suggestions = queries.lesson_suggestions(lesson, current_user)
    return "contributions/_lesson_panel.html", {
        "lesson": lesson,
        "credits": credits,
        "suggestions": suggestions,
    }


def theme_panel(theme):
    """Two queries."""
    return "contributions/_theme_panel.html", {
        "theme": theme,
        "contributions": queries.theme_contributions(theme, current_user),
    }


def neighbourhood_panel(place):
    """Four queries: the contributions (with their neighbourhoods), how many, and the lessons that
    came from them."""
    contributions, total = queries.place_contributions(place, current_user)
    return "contributions/_neighbourhood_panel.html", {
        "place": place,
        "contributions": contributions,
        "total": total,
        "lessons": queries.place_lessons(place),
    }


def neighbourhoods_panel(viewer):
    """No queries: the way to the table of what neighbourhoods learn from each other."""
    return "contributions/_neighbourhoods_panel.html", {}


def profile_panel(member):
    """One query: the member's contributions that became part of the guide."""
    rows = queries.member_in_guide(member)
    return ("contributions/_profile_panel.html", {"rows": rows}) if rows else None


def dashboard_panel(member):
    """One query (two for a moderator): the member's contributions and invitations."""
    return "contributions/_dashboard_panel.html", {
        "rows": queries.my_contributions(member),
        "counts": queries.queue_counts(member) if is_moderator(member) else None,
    }


def edition_panel(edition):
    """Two queries: the edition before it, and the contributions behind its changes."""
    from cop.guide import queries as guide_queries

    rows = queries.edition_contributions(edition, guide_queries.previous_edition(edition))
    return ("contributions/_edition_panel.html", {"rows": rows}) if rows else None


def repoint_neighbourhood(old_id: int, new_id: int) -> None:
    """A merged neighbourhood's contributions and endorsements follow it into the one it joined
    (a contribution that named both keeps one row)."""
    table = contribution_places
    both = (
        db.session.execute(
            table.select()
            .with_only_columns(table.c.contribution_id)
            .where(table.c.neighbourhood_id == new_id)
        )
        .scalars()
        .all()
    )
    if both:
        db.session.execute(
            table.delete().where(table.c.neighbourhood_id == old_id, table.c.contribution_id.in_(both))
        )
    db.session.execute(
        table.update().where(table.c.neighbourhood_id == old_id).values(neighbourhood_id=new_id)
    )
    db.session.execute(
        update(EndorsementRow)
        .where(EndorsementRow.neighbourhood_id == old_id)
        .values(neighbourhood_id=new_id)
    )


def home_panel(viewer):
    """One query: the lessons that recently came from practice."""
    return "contributions/_home_panel.html", {"rows": queries.recent_origins()}
