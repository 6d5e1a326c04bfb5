"""Learning circles in real Chromium, with axe-core (WCAG 2.1 A+AA) on every page visited.

A private learning circle from start to calendar: its facilitator starts it through the form,
fills its reading plan, invites a colleague without an account by email and plans a summer and a
winter meeting; the colleague comes in through the mailed invitation (registering, confirming,
logging in), says she is coming, ticks a lesson as read and takes the meetings into her calendar,
one file and her personal feed, with Dutch summer and winter time. A member outside the circle
finds nothing of it anywhere. And a closed professional group: a request refused with a message,
asked again, accepted, and the group's discussion opens.
"""

from __future__ import annotations

import re
import time
from datetime import date
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from sqlalchemy import select

from cop.extensions import db
from cop.guide.models import Chapter
from tests.browser import screenshot
from tests.conftest import link_in, mails_to
from tests.factories import PASSWORD, make_user
from tests.guide.factories import LESSON_REF, import_shipped, make_lesson

pytestmark = pytest.mark.browser

THEME = "/thema/wijkaanpak-algemeen"
LESSON = f"/les/{LESSON_REF}"
CIRCLE = "Leerkring Stille Bewoners"
CIRCLE_PATH = "/leerkring/leerkring-stille-bewoners"
MUNICIPALITY = "Houten"  # no other circle or member has it
THREAD = "Wie kent de stille bewoners in de Molenwijk?"
NEXT_YEAR = date.today().year + 1
SUMMER = date(NEXT_YEAR, 6, 16)  # summer time: UTC+2
WINTER = date(NEXT_YEAR, 1, 12)  # winter time: UTC+1
SUMMER_MEETING = "Zomeravond over stille bewoners"
WINTER_MEETING = "Winteravond over stille bewoners"
BEA = "bea@gemeente.nl"
BEA_PASSWORD = "een lang wachtwoord voor bea"


# --- helpers --------------------------------------------------------------------------------------


def log_in(page, axe, email: str, password: str = PASSWORD) -> None:
    page.goto("/account/inloggen")
    axe(page)
    fill_login(page, email, password)
    axe(page)


def fill_login(page, email: str, password: str) -> None:
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    follow(page, page.get_by_role("main").get_by_role("button", name="Inloggen"))
    assert "Je bent ingelogd" in flash(page)


def visit(page, axe, url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response.status == status, url
    axe(page)


def follow(page, target) -> None:
    """Click ``target`` and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        target.click()


def path_of(page) -> str:
    return urlsplit(page.url).path


def flash(page) -> str:
    return page.locator(".flash").inner_text()


def main(page):
    return page.get_by_role("main")


def mail_to(live_server, address: str, subject: str):
    """The newest mail to ``address`` whose subject holds ``subject``; the app sends it just after
    the response, so wait for it a moment."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        found = [m for m in mails_to(live_server.app, address) if subject in m["Subject"]]
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no mail “{subject}” to {address}")


def fetch_calendar(page, url: str, name: str) -> Calendar:
    """``url`` fetched with the page's cookies, parsed as iCalendar."""
    response = page.request.get(url)
    assert response.status == 200, url
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.body())
    assert str(calendar["X-WR-CALNAME"]) == name
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    return calendar


def event_of(calendar: Calendar, uid: str):
    [event] = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == uid]
    return event


def check_times(event, day: date, offset: str) -> None:
    """19:30 to 21:00 Dutch time on ``day``, at UTC ``offset``, named in Europe/Amsterdam."""
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.isoformat() == f"{day.isoformat()}T19:30:00{offset}"
    assert end.isoformat() == f"{day.isoformat()}T21:00:00{offset}"
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event["DTEND"].params["TZID"] == "Europe/Amsterdam"


def plan_meeting(page, axe, title: str, day: date, lesson: str | None = None) -> int:
    """From the circle page through "Bijeenkomst plannen"; the meeting's id."""
    visit(page, axe, CIRCLE_PATH)
    follow(page, main(page).get_by_role("link", name="Bijeenkomst plannen"))
    assert path_of(page) == f"{CIRCLE_PATH}/bijeenkomsten/nieuw"
    axe(page)
    page.get_by_label("Titel").fill(title)
    assert page.get_by_role("group", name="Soort").get_by_label("Bijeenkomst", exact=True).is_checked()
    page.get_by_label("Datum", exact=True).fill(day.isoformat())
    page.get_by_label("Begintijd").fill("19:30")
    page.get_by_label("Eindtijd").fill("21:00")
    page.get_by_label("Adres").fill("Buurthuis De Schalm, Houten")
    page.get_by_label("Agenda (niet verplicht)").fill("Kennismaken, en **les 1.2** bespreken.")
    if lesson:
        page.get_by_role("group", name="Lessen om voor te bereiden (niet verplicht)").get_by_label(
            lesson
        ).check()
    follow(page, page.get_by_role("button", name="Bijeenkomst opslaan"))
    assert "De bijeenkomst is gepland." in flash(page)
    axe(page)
    match = re.fullmatch(r"/bijeenkomst/(\d+)", path_of(page))
    assert match, page.url
    assert page.get_by_role("heading", level=1).inner_text() == title
    when = page.locator(".summary-list").inner_text()
    assert "19:30" in when and "21:00" in when
    return int(match.group(1))


def uid_of(live_server, meeting_id: int) -> str:
    return f"meeting-{meeting_id}@{urlsplit(live_server.url).hostname}"


# --- journey 1: a private learning circle ----------------------------------------------------------


def test_private_circle_from_invitation_by_mail_to_the_calendar(new_page, axe, live_server):
    import_shipped()
    chapter = db.session.scalar(select(Chapter).where(Chapter.number == 1))
    second = make_lesson(chapter, "1.3", "Voor wie de wijkengids is")
    anna = make_user(display_name="Anna de Vries", email="anna@gemeente.nl")
    carla = make_user(display_name="Carla Jansen", email="carla@welzijn.nl")
    first_label, second_label = "1.2 Wat de wijkengids beoogt", f"1.3 {second.title}"

    # Anna starts a private learning circle through the form.
    a = new_page()
    log_in(a, axe, anna.email)
    visit(a, axe, "/leerkringen/")
    follow(a, main(a).get_by_role("link", name="Begin een kring"))
    assert path_of(a) == "/leerkringen/nieuw"
    axe(a)
    a.get_by_role("group", name="Wat voor groep?").get_by_label(re.compile(r"^Leerkring:")).check()
    a.get_by_label("Naam", exact=True).fill(CIRCLE)
    a.get_by_label("Beschrijving").fill("Wij zoeken samen uit hoe je **stille bewoners** bereikt.")
    a.get_by_label("Vraag of doel (leerkringen)").fill("Hoe bereiken we bewoners die nooit komen?")
    a.get_by_role("group", name="Thema's").get_by_label("Wijkaanpak algemeen").check()
    a.get_by_label("Gemeente (niet verplicht)").fill(MUNICIPALITY)
    a.get_by_role("group", name="Wie kan de kring zien?").get_by_label(re.compile(r"^Privé:")).check()
    follow(a, a.get_by_role("button", name="Begin de kring"))
    assert "Je kring is begonnen." in flash(a)
    assert path_of(a) == CIRCLE_PATH
    axe(a)
    assert a.get_by_role("heading", level=1).inner_text() == CIRCLE
    assert a.locator(".thread-meta .badge").all_inner_texts() == ["Leerkring", "Privékring"]
    assert "Je bent begeleider van deze kring." in a.get_by_role("region", name="Meedoen").inner_text()

    # She puts two lessons in its reading plan.
    for label, note in ((first_label, "Lees vooral de doelen."), (second_label, "")):
        follow(a, main(a).get_by_role("link", name="Les toevoegen aan het leesplan"))
        assert path_of(a) == f"{CIRCLE_PATH}/leesplan"
        axe(a)
        a.get_by_label("Les", exact=True).select_option(label=label)
        a.get_by_label("Toelichting voor de lezers (niet verplicht)").fill(note)
        follow(a, a.get_by_role("button", name="Toevoegen aan het leesplan"))
        assert "De les is aan het leesplan toegevoegd." in flash(a)
        assert path_of(a) == CIRCLE_PATH and a.url.endswith("#leesplan")
        axe(a)
    plan = a.get_by_role("region", name="Leesplan")
    assert plan.locator(".reading-plan__lesson").all_inner_texts() == [first_label, second_label]
    assert "Lees vooral de doelen." in plan.inner_text()

    # She invites Bea, who has no account yet, by her email address.
    follow(a, main(a).get_by_role("link", name="Leden, verzoeken en uitnodigingen"))
    assert path_of(a) == f"{CIRCLE_PATH}/leden"
    axe(a)
    a.get_by_role("textbox", name="Uitnodigen").fill("Bea@Gemeente.nl")
    follow(a, a.get_by_role("button", name="Uitnodiging versturen"))
    assert f"De uitnodiging is gemaild naar {BEA}." in flash(a)
    axe(a)
    assert BEA in a.get_by_role("region", name="Uitnodigen").inner_text()

    # She plans a summer meeting, to prepare lesson 1.2, and starts a discussion in the circle.
    summer_id = plan_meeting(a, axe, SUMMER_MEETING, SUMMER, lesson=first_label)
    prepare = a.get_by_role("region", name="Ter voorbereiding")
    assert prepare.get_by_role("link", name=first_label).get_attribute("href") == LESSON
    screenshot(a, "circle-meeting-facilitator")
    visit(a, axe, CIRCLE_PATH)
    follow(a, main(a).get_by_role("link", name="Begin een discussie of stel een vraag"))
    assert path_of(a) == f"{CIRCLE_PATH}/discussies/nieuw"
    axe(a)
    a.get_by_role("group", name="Wat begin je?").get_by_label("Een discussie").check()
    a.get_by_label("Titel").fill(THREAD)
    a.get_by_label("Je bericht").fill("Wie heeft contact met bewoners die nooit op een avond komen?")
    follow(a, a.get_by_role("button", name="Plaatsen"))
    assert "Je discussie is begonnen." in flash(a)
    axe(a)
    thread_path = path_of(a)
    assert thread_path.startswith("/discussie/")
    assert CIRCLE in a.get_by_role("navigation", name="Kruimelpad").inner_text()

    # Bea opens the invitation from her mail, and creates an account from there.
    invitation_mail = mail_to(live_server, BEA, f"Een uitnodiging voor {CIRCLE}")
    assert "Anna de Vries" in invitation_mail.get_body(("plain",)).get_content()
    invitation_link = link_in(invitation_mail)
    assert invitation_link.startswith(f"{live_server.url}/leerkring/uitnodiging/")
    invitation_path = urlsplit(invitation_link).path
    b = new_page()
    visit(b, axe, invitation_link)
    assert b.get_by_role("heading", level=1).inner_text() == f"Je bent uitgenodigd voor {CIRCLE}"
    screenshot(b, "circle-invitation")
    follow(b, main(b).get_by_role("link", name="Maak een account aan"))
    assert path_of(b) == "/account/registreren"
    axe(b)
    assert b.get_by_label("E-mailadres").input_value() == BEA
    b.get_by_label("Weergavenaam").fill("Bea Bakker")
    b.get_by_label("Organisatie").fill("Gemeente Houten")
    b.get_by_label("Functie").fill("Wijkadviseur")
    b.get_by_label("Wachtwoord", exact=True).fill(BEA_PASSWORD)
    follow(b, b.get_by_role("button", name="Account aanmaken"))
    assert path_of(b) == "/account/registreren/verstuurd"
    axe(b)
    assert BEA in main(b).inner_text()

    # She confirms her address from the mail, logs in and is back at the invitation.
    confirm_link = link_in(mail_to(live_server, BEA, "Bevestig je e-mailadres"))
    assert confirm_link.startswith(f"{live_server.url}/account/bevestigen/")
    visit(b, axe, confirm_link)
    follow(b, b.get_by_role("button", name="Mijn e-mailadres bevestigen"))
    assert "Je e-mailadres is bevestigd." in flash(b)
    assert path_of(b) == "/account/inloggen"
    axe(b)
    fill_login(b, BEA, BEA_PASSWORD)
    assert path_of(b) == invitation_path
    axe(b)
    follow(b, b.get_by_role("button", name="Accepteren en lid worden"))
    assert f"Welkom: je bent lid van {CIRCLE}." in flash(b)
    assert path_of(b) == CIRCLE_PATH
    axe(b)
    assert "Je bent lid van deze kring." in b.get_by_role("region", name="Meedoen").inner_text()

    # She says she is coming to the summer meeting.
    meetings = b.get_by_role("region", name="Komende bijeenkomsten")
    follow(b, meetings.get_by_role("link", name=SUMMER_MEETING))
    assert path_of(b) == f"/bijeenkomst/{summer_id}"
    axe(b)
    b.get_by_role("group", name="Kom je?").get_by_label("Ik kom", exact=True).check()
    follow(b, b.get_by_role("button", name="Mijn antwoord opslaan"))
    assert "Je antwoord is opgeslagen." in flash(b)
    assert path_of(b) == f"/bijeenkomst/{summer_id}"
    axe(b)
    coming = b.get_by_role("region", name="Wie komt er")
    assert coming.locator(".inline-list").inner_text() == "Bea Bakker"
    assert coming.get_by_label("Ik kom", exact=True).is_checked()
    screenshot(b, "circle-meeting-coming")

    # She ticks lesson 1.2 as read, with her name shown.
    visit(b, axe, CIRCLE_PATH)
    plan = b.get_by_role("region", name="Leesplan")
    item = plan.get_by_role("listitem").filter(has_text=first_label)
    item.get_by_label("Toon mijn naam").check()
    follow(b, item.get_by_role("button", name=re.compile(r"^Ik heb het gelezen\s*: 1\.2$")))
    assert path_of(b) == CIRCLE_PATH and re.search(r"#les-\d+$", b.url)
    axe(b)
    item = b.get_by_role("region", name="Leesplan").get_by_role("listitem").filter(has_text=first_label)
    assert "1 lid heeft het gelezen: Bea Bakker" in item.inner_text()
    assert (
        item.get_by_role("button", name=re.compile(r"^Ik heb het toch niet gelezen\s*: 1\.2$")).count() == 1
    )
    other = b.get_by_role("region", name="Leesplan").get_by_role("listitem").filter(has_text=second_label)
    assert "0 leden hebben het gelezen" in other.inner_text()
    screenshot(b, "circle-reading-plan")

    # She downloads the meeting's calendar file: 19:30 to 21:00 at +02:00 in summer.
    visit(b, axe, f"/bijeenkomst/{summer_id}")
    ics = b.get_by_role("link", name="Download het agendabestand (.ics)").get_attribute("href")
    assert ics == f"/bijeenkomst/{summer_id}.ics"
    event = event_of(fetch_calendar(b, live_server.url + ics, CIRCLE), uid_of(live_server, summer_id))
    check_times(event, SUMMER, "+02:00")
    assert str(event["SUMMARY"]) == SUMMER_MEETING
    assert str(event["LOCATION"]) == "Buurthuis De Schalm, Houten"
    assert str(event["STATUS"]) == "CONFIRMED"

    # Her personal calendar address gives the meeting too.
    visit(b, axe, "/account/agenda")
    feed_url = b.get_by_label("Je agenda-adres").input_value()
    assert re.fullmatch(re.escape(live_server.url) + r"/agenda/[^/]+\.ics", feed_url), feed_url
    assert b.get_by_label("Je agenda-adres").get_attribute("readonly") is not None
    feed = fetch_calendar(b, feed_url, "Wijkengids: mijn bijeenkomsten")
    check_times(event_of(feed, uid_of(live_server, summer_id)), SUMMER, "+02:00")

    # Anna plans a winter meeting: +01:00, in its file and in Bea's feed.
    winter_id = plan_meeting(a, axe, WINTER_MEETING, WINTER)
    visit(b, axe, f"/bijeenkomst/{winter_id}")
    ics = b.get_by_role("link", name="Download het agendabestand (.ics)").get_attribute("href")
    event = event_of(fetch_calendar(b, live_server.url + ics, CIRCLE), uid_of(live_server, winter_id))
    check_times(event, WINTER, "+01:00")
    assert str(event["SUMMARY"]) == WINTER_MEETING
    feed = fetch_calendar(b, feed_url, "Wijkengids: mijn bijeenkomsten")
    assert len(feed.walk("VEVENT")) == 2
    check_times(event_of(feed, uid_of(live_server, winter_id)), WINTER, "+01:00")
    check_times(event_of(feed, uid_of(live_server, summer_id)), SUMMER, "+02:00")
    visit(b, axe, "/account/agenda")
    coming = main(b).get_by_role("list").filter(has_text=SUMMER_MEETING)
    assert coming.get_by_role("link").all_inner_texts() == [WINTER_MEETING, SUMMER_MEETING]

    # Bea, a member, finds the circle on the theme, on lesson 1.2 and on Anna's profile.
    visit(b, axe, THEME)
    assert CIRCLE in b.get_by_role("region", name="Leerkringen over dit thema").inner_text()
    visit(b, axe, LESSON)
    assert CIRCLE in b.get_by_role("region", name="Besproken in leerkringen").inner_text()
    visit(b, axe, f"/leden/{anna.handle}")
    assert CIRCLE in b.get_by_role("region", name="Kringen").inner_text()

    # On a phone-sized screen the circle page fits, without scrolling sideways.
    b.set_viewport_size({"width": 375, "height": 740})
    visit(b, axe, CIRCLE_PATH)
    assert b.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(b, "circle-375")

    # Carla, a member outside the circle: 404 on all of it, and its name nowhere.
    c = new_page()
    log_in(c, axe, carla.email)
    for path in (
        CIRCLE_PATH,
        f"{CIRCLE_PATH}/leden",
        f"{CIRCLE_PATH}/discussies",
        thread_path,
        f"/bijeenkomst/{summer_id}",
        f"/bijeenkomst/{summer_id}.ics",
        f"/bijeenkomst/{winter_id}",
        f"/bijeenkomst/{winter_id}.ics",
    ):
        visit(c, axe, path, status=404)
        assert CIRCLE not in c.content(), path
    assert c.request.get(f"{live_server.url}/bijeenkomst/{summer_id}.ics").status == 404
    for path in ("/leerkringen/", THEME, LESSON, f"/leden/{anna.handle}", "/mijn"):
        visit(c, axe, path)
        html = c.content()
        for secret in (CIRCLE, THREAD, SUMMER_MEETING, WINTER_MEETING, "leerkring-stille-bewoners"):
            assert secret not in html, (path, secret)
        if path == "/leerkringen/":
            assert (
                MUNICIPALITY not in c.get_by_label("Gemeente", exact=True).inner_text()
            )  # not even in the filter
        if path == LESSON:
            assert c.get_by_role("region", name="Besproken in leerkringen").count() == 0
    assert len(axe.checked) >= 50


# --- journey 2: a closed professional group --------------------------------------------------------


GROUP = "Vakgroep Wijkregisseurs Midden"
GROUP_PATH = "/leerkring/vakgroep-wijkregisseurs-midden"
GROUP_THREAD = "Werkoverleg over de nieuwe wijkindeling"
REFUSAL = "Deze vakgroep is alleen voor wijkregisseurs; kijk eens bij de leerkringen."


def notification_item(page, line: str):
    return page.locator(".notification-list li", has_text=line)


def test_closed_group_refuses_a_request_with_a_message_then_accepts_the_next(new_page, axe):
    femke = make_user(display_name="Femke Visser", email="femke@gemeente.nl")
    dirk = make_user(display_name="Dirk de Boer", email="dirk@woonbedrijf.nl")

    # Femke starts a closed professional group through the form, and a discussion in it.
    f = new_page()
    log_in(f, axe, femke.email)
    visit(f, axe, "/leerkringen/nieuw")
    f.get_by_role("group", name="Wat voor groep?").get_by_label(re.compile(r"^Vakgroep:")).check()
    f.get_by_label("Naam", exact=True).fill(GROUP)
    f.get_by_label("Beschrijving").fill("Voor wijkregisseurs in Midden-Nederland.")
    f.get_by_role("group", name="Wie kan de kring zien?").get_by_label(re.compile(r"^Besloten:")).check()
    follow(f, f.get_by_role("button", name="Begin de kring"))
    assert "Je kring is begonnen." in flash(f)
    assert path_of(f) == GROUP_PATH
    axe(f)
    assert f.locator(".thread-meta .badge").all_inner_texts() == ["Vakgroep", "Besloten kring"]
    follow(f, main(f).get_by_role("link", name="Begin een discussie of stel een vraag"))
    axe(f)
    f.get_by_role("group", name="Wat begin je?").get_by_label("Een discussie").check()
    f.get_by_label("Titel").fill(GROUP_THREAD)
    f.get_by_label("Je bericht").fill("Wat betekent de nieuwe indeling voor jullie wijken?")
    follow(f, f.get_by_role("button", name="Plaatsen"))
    assert "Je discussie is begonnen." in flash(f)
    axe(f)
    thread_path = path_of(f)

    # Dirk cannot read the discussion; he finds the group and asks to join, with a message.
    d = new_page()
    log_in(d, axe, dirk.email)
    visit(d, axe, thread_path, status=404)
    assert GROUP_THREAD not in d.content()
    visit(d, axe, "/leerkringen/")
    follow(d, main(d).get_by_role("link", name=GROUP))
    assert path_of(d) == GROUP_PATH
    axe(d)
    assert GROUP_THREAD not in d.content()
    taking_part = d.get_by_role("region", name="Meedoen")
    assert "Deze kring is besloten: een begeleider beslist over je verzoek." in taking_part.inner_text()
    d.get_by_label("Een bericht voor de begeleiders (niet verplicht)").fill("Ik ben opbouwwerker in Zeist.")
    follow(d, d.get_by_role("button", name="Vraag om lid te worden"))
    assert "Je verzoek is naar de begeleiders gestuurd." in flash(d)
    assert path_of(d) == GROUP_PATH
    axe(d)
    assert "gevraagd om lid te worden" in d.get_by_role("region", name="Meedoen").inner_text()

    # Femke follows her notification to the members page and refuses, with a message.
    visit(f, axe, "/meldingen")
    asked = f"Dirk de Boer vraagt om lid te worden van “{GROUP}”"
    follow(f, notification_item(f, asked).get_by_role("link", name=asked))
    assert path_of(f) == f"{GROUP_PATH}/leden"
    axe(f)
    requests = f.get_by_role("region", name="Verzoeken om lid te worden")
    assert "Ik ben opbouwwerker in Zeist." in requests.locator("blockquote").inner_text()
    screenshot(f, "circle-members-request")
    requests.get_by_label("Bericht aan de aanvrager (niet verplicht)").fill(REFUSAL)
    follow(f, requests.get_by_role("button", name=re.compile(r"^Weigeren\s*: Dirk de Boer$")))
    assert "Je hebt het verzoek van Dirk de Boer geweigerd." in flash(f)
    assert path_of(f) == f"{GROUP_PATH}/leden"
    axe(f)
    assert f.get_by_role("region", name="Verzoeken om lid te worden").count() == 0
    assert "Dirk de Boer" not in f.get_by_role("region", name="1 lid").inner_text()

    # Dirk reads the refusal, with Femke's message, in his notifications.
    visit(d, axe, "/meldingen")
    answered = f"Femke Visser beantwoordde je verzoek om lid te worden van “{GROUP}”"
    refused = notification_item(d, answered)
    assert "Ongelezen:" in refused.inner_text()
    assert f"Je verzoek is niet geaccepteerd. {REFUSAL}" in refused.inner_text()
    screenshot(d, "circle-refusal-notification")
    visit(d, axe, thread_path, status=404)

    # He asks again; this time Femke accepts.
    visit(d, axe, GROUP_PATH)
    d.get_by_label("Een bericht voor de begeleiders (niet verplicht)").fill("Toch graag, als gast.")
    follow(d, d.get_by_role("button", name="Vraag om lid te worden"))
    assert "Je verzoek is naar de begeleiders gestuurd." in flash(d)
    axe(d)
    visit(f, axe, f"{GROUP_PATH}/leden")
    requests = f.get_by_role("region", name="Verzoeken om lid te worden")
    assert "Toch graag, als gast." in requests.inner_text()
    assert "Ik ben opbouwwerker in Zeist." not in requests.inner_text()
    follow(f, requests.get_by_role("button", name=re.compile(r"^Accepteren\s*: Dirk de Boer$")))
    assert "Dirk de Boer is nu lid." in flash(f)
    axe(f)
    assert "Dirk de Boer" in f.get_by_role("region", name="2 leden").inner_text()

    # Dirk hears it, and the discussion that was closed to him opens.
    visit(d, axe, "/meldingen")
    assert "Je verzoek is geaccepteerd." in d.locator(".notification-list li").first.inner_text()
    visit(d, axe, thread_path)
    assert d.get_by_role("heading", level=1).inner_text() == GROUP_THREAD
    visit(d, axe, GROUP_PATH)
    assert "Je bent lid van deze kring." in d.get_by_role("region", name="Meedoen").inner_text()
    assert GROUP_THREAD in d.get_by_role("region", name="Discussies").inner_text()
    assert len(axe.checked) >= 20
