"""Meetings as iCalendar (RFC 5545), made with the ``icalendar`` package.

Each meeting keeps one ``UID`` through every change; ``SEQUENCE`` rises when its time, place or
title changes or it is cancelled (then ``STATUS:CANCELLED``), so Outlook, Google and Apple
calendars update the event they have instead of adding another. Times carry ``TZID=Europe/
Amsterdam`` with its ``VTIMEZONE``, so a meeting at 19:30 stays at 19:30 in summer and winter.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from icalendar import Calendar, Event, Timezone

from cop.circles.times import AMSTERDAM, local
from cop.db_types import utcnow
from cop.sanitize import text_of
from cop.urls import public_host, public_url

PRODID = "-//Wijkengids community//leerkringen//NL"


def uid(meeting) -> str:
    return f"meeting-{meeting.id}@{public_host(current_app)}"


def _event(meeting) -> Event:
    event = Event()
    event.add("uid", uid(meeting))
    event.add("dtstamp", utcnow())
    event.add("created", meeting.created_at)
    event.add("last-modified", meeting.updated_at)
    event.add("sequence", meeting.sequence)
    event.add("dtstart", local(meeting.starts_at))
    event.add("dtend", local(meeting.ends_at))
    event.add("summary", meeting.title)
    page = public_url("circles.meeting", meeting_id=meeting.id)
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", meeting.online_url or page)
    description = "\n\n".join(
        part for part in (meeting.circle.name, text_of(meeting.agenda_html), meeting.online_url, page) if part
    )
    event.add("description", description)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def calendar(meetings, name: str) -> bytes:
    """A calendar with ``meetings`` (each with its circle loaded)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    if meetings:
        first = min(local(m.starts_at) for m in meetings).date() - timedelta(days=1)
        last = max(local(m.ends_at) for m in meetings).date() + timedelta(days=1)
        cal.add_component(Timezone.from_tzid(AMSTERDAM.key, first_date=first, last_date=last))
    for meeting in meetings:
        cal.add_component(_event(meeting))
    return cal.to_ical()
