"""Meetings: Dutch times stored in UTC through daylight saving, calendar files that calendars
update instead of duplicating, attendance, notes, mail about changes, reminders and the calendar
address."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from cop.circles import services
from cop.circles.models import Meeting
from cop.circles.times import AMSTERDAM
from cop.db_types import utcnow
from cop.extensions import db
from cop.notifications import mailing
from tests.circles.factories import add_member, make_circle, meeting_fields, plan_meeting
from tests.conftest import logged_in, mails_to
from tests.factories import make_user

SUMMER = date(2027, 6, 15)
WINTER = date(2027, 1, 12)


@pytest.fixture
def anna():
    return make_user(display_name="Anna de Vries", email="anna@example.nl")


@pytest.fixture
def circle(anna):
    return make_circle(anna, name="Leerkring Kanaleneiland", visibility="besloten")


def form(**changes) -> dict:
    data = {
        "title": "Tweede bijeenkomst",
        "kind": "bijeenkomst",
        "day": SUMMER.isoformat(),
        "start_time": "19:30",
        "end_time": "21:00",
        "end_day": "",
        "location": "Buurthuis De Pijp, Utrecht",
        "online_url": "",
        "agenda": "Lessen 1.2 en 1.3",
    }
    data.update(changes)
    return data


def parse(response) -> Calendar:
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.get_data())


def events(calendar: Calendar):
    return list(calendar.walk("VEVENT"))


@pytest.mark.parametrize(("day", "offset"), [(SUMMER, timedelta(hours=2)), (WINTER, timedelta(hours=1))])
def test_dutch_times_are_stored_in_utc_and_come_back_in_the_calendar_file(app, anna, circle, day, offset):
    response = logged_in(app, anna).post(
        f"/leerkring/{circle.slug}/bijeenkomsten/nieuw", data=form(day=day.isoformat())
    )
    meeting = db.session.scalar(select(Meeting))
    assert response.status_code == 302 and response.location.endswith(f"/bijeenkomst/{meeting.id}")
    assert meeting.starts_at == datetime.combine(day, time(19, 30), tzinfo=UTC) - offset
    calendar = parse(logged_in(app, anna).get(f"/bijeenkomst/{meeting.id}.ics"))
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Amsterdam"
    [event] = events(calendar)
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.utcoffset() == offset and end.utcoffset() == offset
    assert (start.hour, start.minute, end.hour, end.minute) == (19, 30, 21, 0)
    assert str(event["SUMMARY"]) == "Tweede bijeenkomst"
    assert str(event["LOCATION"]) == "Buurthuis De Pijp, Utrecht"
    assert str(event["UID"]) == f"meeting-{meeting.id}@localhost"
    assert event.decoded("DTSTAMP").tzinfo is not None
    page = logged_in(app, anna).get(f"/bijeenkomst/{meeting.id}").get_data(as_text=True)
    assert "19:30" in page and "21:00" in page


def test_a_change_keeps_the_uid_raises_the_sequence_and_a_cancellation_says_so(app, anna, circle):
    meeting = plan_meeting(circle, anna, day=SUMMER)
    client = logged_in(app, anna)
    first = events(parse(client.get(f"/bijeenkomst/{meeting.id}.ics")))[0]
    client.post(f"/bijeenkomst/{meeting.id}/bewerken", data=form(start_time="20:00", title="Verplaatst"))
    second = events(parse(client.get(f"/bijeenkomst/{meeting.id}.ics")))[0]
    assert second["UID"] == first["UID"] and int(second["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert second.decoded("DTSTART").hour == 20
    client.post(f"/bijeenkomst/{meeting.id}/annuleren")
    third = events(parse(client.get(f"/bijeenkomst/{meeting.id}.ics")))[0]
    assert str(third["STATUS"]) == "CANCELLED" and int(third["SEQUENCE"]) == int(second["SEQUENCE"]) + 1
    assert "Deze bijeenkomst is afgelast." in client.get(f"/bijeenkomst/{meeting.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_time": "18:00"}, "end_time", "moet eindigen na het begin"),
        (
            {"day": "2027-03-28", "start_time": "02:30", "end_time": "04:00"},
            "start_time",
            "bestaat niet in Nederland",
        ),
        ({"kind": "online", "location": "", "online_url": "javascript:alert(1)"}, "online_url", "https://"),
        ({"kind": "online", "location": "", "online_url": ""}, "online_url", "het adres in waar"),
        ({"location": ""}, "location", "waar de bijeenkomst"),
        ({"title": "x" * 300}, "title", "Gebruik maximaal 200 tekens."),
        ({"day": "31-02-2027"}, "day", "datum"),
    ],
)
def test_a_bad_meeting_gets_a_message_at_the_field_and_is_not_stored(
    app, anna, circle, changes, field, message
):
    response = logged_in(app, anna).post(
        f"/leerkring/{circle.slug}/bijeenkomsten/nieuw", data=form(**changes)
    )
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page, page[page.find("error-summary") :][:800]
    assert message in page
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 0


def test_the_autumn_hour_that_happens_twice_means_the_first(anna, circle):
    from cop.circles.times import to_utc

    moment = to_utc(date(2027, 10, 31), time(2, 30))
    assert moment.astimezone(AMSTERDAM).utcoffset() == timedelta(hours=2)


def test_members_answer_and_see_who_comes_outsiders_only_counts(app, anna):
    circle = make_circle(anna, visibility="open")
    bram, carla = make_user(display_name="Bram Bakker"), make_user(display_name="Carla Claes")
    for person in (bram, carla):
        add_member(circle, person)
    meeting = plan_meeting(circle, anna)
    logged_in(app, bram).post(f"/bijeenkomst/{meeting.id}/aanwezigheid", data={"answer": "ja"})
    logged_in(app, carla).post(f"/bijeenkomst/{meeting.id}/aanwezigheid", data={"answer": "misschien"})
    member_view = logged_in(app, carla).get(f"/bijeenkomst/{meeting.id}").get_data(as_text=True)
    assert "Ik kom: 1" in member_view or ": 1 · misschien: 1" in member_view
    assert "Bram Bakker" in member_view
    outsider = logged_in(app, make_user()).get(f"/bijeenkomst/{meeting.id}").get_data(as_text=True)
    assert "Bram Bakker" not in outsider
    refused = logged_in(app, make_user()).post(
        f"/bijeenkomst/{meeting.id}/aanwezigheid", data={"answer": "ja"}
    )
    assert refused.status_code == 403


def test_notes_become_a_discussion_of_the_circle(app, anna, circle):
    meeting = plan_meeting(circle, anna, day=utcnow().date() - timedelta(days=2))
    client = logged_in(app, anna)
    client.post(f"/bijeenkomst/{meeting.id}/verslag", data={"notes": "We spraken af: **elke maand**."})
    response = client.post(f"/bijeenkomst/{meeting.id}/verslag/discussie")
    assert response.status_code == 302 and "/discussie/" in response.location
    page = client.get(response.location, follow_redirects=True).get_data(as_text=True)
    assert "<strong>elke maand</strong>" in page and "Verslag" in page


# --- mail ---------------------------------------------------------------------------------------------------


def test_members_hear_of_a_new_a_changed_and_a_cancelled_meeting(app, anna, circle):
    bram = make_user(display_name="Bram Bakker", email="bram@example.nl")
    add_member(circle, bram)
    meeting = plan_meeting(circle, anna, title="Kennisbijeenkomst")
    services.update_meeting(meeting, meeting_fields(title="Kennisbijeenkomst", start=time(20, 0)), anna)
    services.cancel_meeting(meeting, anna)
    subjects = [mail["Subject"] for mail in mails_to(app, "bram@example.nl")]
    assert subjects[-3:] == [
        "Nieuwe bijeenkomst: “Kennisbijeenkomst”",
        "Gewijzigd: “Kennisbijeenkomst”",
        "Afgelast: “Kennisbijeenkomst”",
    ]
    assert mails_to(app, "anna@example.nl") == []  # not the facilitator who did it
    body = mails_to(app, "bram@example.nl")[-2].get_body(("plain",)).get_content()
    assert "20:00" in body and "Leerkring Kanaleneiland" in body


def test_reminders_go_once_to_who_comes_and_respect_the_setting(app, runner, anna, circle):
    bram = make_user(email="bram@example.nl")
    carla = make_user(email="carla@example.nl")
    dirk = make_user(email="dirk@example.nl")
    for person in (bram, carla, dirk):
        add_member(circle, person)
    soon = utcnow() + timedelta(hours=20)
    meeting = services.plan_meeting(
        circle, meeting_fields(title="Morgen", starts_at=soon, ends_at=soon + timedelta(hours=2)), anna
    )
    later = plan_meeting(circle, anna, title="Later", day=(utcnow() + timedelta(days=5)).date())
    services.answer(meeting, bram, "ja")
    services.answer(meeting, carla, "misschien")
    services.answer(meeting, dirk, "ja")
    services.answer(later, bram, "ja")
    mailing.save_settings(dirk, {"meeting_reminder": "off"})
    for _ in range(2):
        result = runner.invoke(args=["mail", "reminders"])
        assert result.exit_code == 0, result.output
    reminders = [m for m in mails_to(app, "bram@example.nl") if m["Subject"].startswith("Morgen")]
    assert [m["Subject"] for m in reminders] == ["Morgen: “Morgen”"]
    assert not [m for m in mails_to(app, "carla@example.nl") if m["Subject"].startswith("Morgen")]
    assert not [m for m in mails_to(app, "dirk@example.nl") if m["Subject"].startswith("Morgen")]


# --- the calendar address -----------------------------------------------------------------------------------


def test_the_calendar_address_lists_my_circles_meetings_and_can_be_renewed(app, client, anna, circle):
    plan_meeting(circle, anna, title="In mijn agenda")
    other = make_circle(make_user(), name="Andere kring")
    plan_meeting(other, other_facilitator := services.queries.facilitators(other)[0], title="Niet van mij")
    assert other_facilitator
    page = logged_in(app, anna).get("/account/agenda").get_data(as_text=True)
    feed = services.calendar_feed(anna)
    assert f"http://localhost/agenda/{feed.token}.ics" in page
    calendar = parse(client.get(f"/agenda/{feed.token}.ics"))
    assert [str(e["SUMMARY"]) for e in events(calendar)] == ["In mijn agenda"]
    old = feed.token
    logged_in(app, anna).post("/account/agenda")
    assert client.get(f"/agenda/{old}.ics").status_code == 404
    assert client.get(f"/agenda/{services.calendar_feed(anna).token}.ics").status_code == 200
    assert client.get("/agenda/raden.ics").status_code == 404
