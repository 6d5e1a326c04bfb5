"""Builders for circles and meetings, through the services as facilitators use them."""

from __future__ import annotations

from datetime import date, time, timedelta

from cop.circles import services
from cop.circles.times import to_utc
from cop.db_types import utcnow


def make_circle(
    facilitator, name="Leerkring Wijkaanpak", visibility="open", kind="leerkring", themes=(), **extra
):
    fields = {
        "kind": kind,
        "name": name,
        "description": "Samen leren over de wijkaanpak.",
        "goal": "Hoe betrekken we bewoners?",
        "themes": list(themes),
        "municipality": extra.pop("municipality", "Utrecht"),
        "visibility": visibility,
        "starts_on": None,
        "ends_on": None,
    }
    fields.update(extra)
    return services.create_circle(facilitator, fields)


def meeting_fields(
    title="Eerste bijeenkomst", day: date | None = None, start=time(19, 30), end=time(21, 0), **extra
):
    day = day or (utcnow() + timedelta(days=10)).date()
    fields = {
        "title": title,
        "kind": "bijeenkomst",
        "starts_at": to_utc(day, start),
        "ends_at": to_utc(day, end),
        "location": "Buurthuis De Pijp, Utrecht",
        "online_url": "",
        "agenda": "Kennismaken.",
        "lessons": [],
    }
    fields.update(extra)
    return fields


def plan_meeting(circle, facilitator, **fields):
    return services.plan_meeting(circle, meeting_fields(**fields), facilitator)


def add_member(circle, user):
    """Make ``user`` a member whatever the circle's visibility (as an accepted invitation does)."""
    invitation = services.invite(circle, f"@{user.handle}", circle_facilitator(circle))
    return services.accept_invitation(invitation, user)


def circle_facilitator(circle):
    from cop.circles import queries

    return queries.facilitators(circle)[0]
