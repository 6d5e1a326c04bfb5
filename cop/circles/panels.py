"""What circles add to other pages (cop.panels): the theme page's circles, "Besproken in leerkring"
on a lesson, a member's circles on their profile, and a member's circles and meetings on /mijn."""

from __future__ import annotations

from flask_login import current_user

from cop.circles import queries


def theme_panel(theme):
    """The circles on the theme that the viewer may see: one query."""
    circles = queries.theme_circles(theme, current_user)
    return "circles/_theme_panel.html", {"theme": theme, "circles": circles}


def lesson_panel(lesson):
    """The learning circles whose reading plan the viewer may see that hold the lesson: one query."""
    circles = queries.lesson_circles(lesson, current_user)
    return ("circles/_lesson_panel.html", {"circles": circles}) if circles else None


def profile_panel(member):
    """The member's circles whose members the viewer may see: one query."""
    circles = queries.member_circles(member, current_user)
    return ("circles/_profile_panel.html", {"member": member, "circles": circles}) if circles else None


def dashboard_panel(member):
    """The member's circles and their coming meetings: two queries."""
    return "circles/_dashboard_panel.html", {
        "circles": queries.my_circles(member),
        "meetings": queries.upcoming_meetings(member, limit=5),
    }


def neighbourhood_panel(place):
    """The circles tied to the neighbourhood that the viewer may see: one query."""
    circles = queries.neighbourhood_circles(place, current_user)
    return ("circles/_neighbourhood_panel.html", {"circles": circles}) if circles else None


def repoint_neighbourhood(old_id: int, new_id: int) -> None:
    """A merged neighbourhood's circles follow it into the one it joined."""
    from sqlalchemy import update

    from cop.circles.models import Circle
    from cop.extensions import db

    db.session.execute(
        update(Circle).where(Circle.neighbourhood_id == old_id).values(neighbourhood_id=new_id)
    )


def home_panel(viewer):
    """The coming meetings of open circles: one query."""
    return "circles/_home_panel.html", {"meetings": queries.open_meetings()}
