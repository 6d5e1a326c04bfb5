"""Discussions in real Chromium, with axe-core (WCAG 2.1 A+AA) on every page visited.

Three members, each in a browser of their own: a question that mentions a colleague, the
notification that brings him to it, a quoted reply, the best answer, and what a third member sees
afterwards (also on a phone-sized screen). And a lesson discussed from the lesson page.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.browser import screenshot
from tests.factories import PASSWORD, make_user
from tests.guide.factories import LESSON_REF, import_shipped

pytestmark = pytest.mark.browser

THEME = "/thema/wijkaanpak-algemeen"
LESSON = f"/les/{LESSON_REF}"
TITLE = "Hoe houd je bewoners betrokken na de startbijeenkomst?"
QUESTION = "Na de eerste avond haken veel bewoners af. Wat werkt bij jullie?"
ANSWER = "Bij ons hielp een vast spreekuur in het buurthuis, elke dinsdag."


def log_in(page, axe, email: str) -> None:
    page.goto("/account/inloggen")
    axe(page)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    follow(page, page.get_by_role("main").get_by_role("button", name="Inloggen"))
    assert "Je bent ingelogd" in page.locator(".flash").inner_text()
    axe(page)


def visit(page, axe, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    axe(page)


def follow(page, target) -> None:
    """Click ``target`` and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        target.click()


def path_of(page) -> str:
    return urlsplit(page.url).path


def flash(page) -> str:
    return page.locator(".flash").inner_text()


def notifications_link(page):
    return page.get_by_role("navigation", name="Account").get_by_role("link", name=re.compile(r"^Meldingen"))


def open_notification(page, axe, line: str) -> None:
    """From the header to /meldingen, and on through the (unread) notification that says ``line``."""
    follow(page, notifications_link(page))
    assert path_of(page) == "/meldingen"
    axe(page)
    item = page.locator(".notification-list li", has_text=line)
    assert "Ongelezen:" in item.inner_text()
    follow(page, item.get_by_role("link", name=line))


def test_question_mention_quote_reply_and_best_answer(new_page, axe):
    import_shipped()
    anna = make_user(display_name="Anna de Vries", email="anna@gemeente.nl")
    bram = make_user(display_name="Bram Bakker", email="bram@woonbedrijf.nl")
    carla = make_user(display_name="Carla Jansen", email="carla@welzijn.nl")
    assert bram.handle == "bram-bakker"

    # Anna asks her colleagues a question in the theme, and mentions Bram.
    a = new_page()
    log_in(a, axe, anna.email)
    visit(a, axe, THEME)
    follow(a, a.get_by_role("link", name="Alle discussies over Wijkaanpak algemeen"))
    assert path_of(a) == f"{THEME}/discussies"
    axe(a)
    follow(a, a.get_by_role("main").get_by_role("link", name="Begin een discussie of stel een vraag"))
    assert path_of(a) == f"{THEME}/discussies/nieuw"
    axe(a)
    a.get_by_role("group", name="Wat begin je?").get_by_label("Een vraag aan collega's").check()
    a.get_by_label("Titel").fill(TITLE)
    a.get_by_label("Je bericht").fill(
        f"{QUESTION}\n\n@{bram.handle}, hoe doen jullie dat in de Kruidenbuurt?"
    )
    follow(a, a.get_by_role("button", name="Plaatsen"))
    assert "Je discussie is begonnen." in flash(a)
    axe(a)
    thread_path = path_of(a)
    assert thread_path.startswith("/discussie/")
    assert a.get_by_role("heading", level=1).inner_text() == TITLE
    assert a.locator(".thread-meta .badge").inner_text() == "Vraag"
    mention = a.locator("#bericht-1 .post__body").get_by_role("link", name=f"@{bram.handle}")
    assert mention.get_attribute("href") == f"/leden/{bram.handle}"
    screenshot(a, "discussion-question")

    # Bram logs in, sees one unread notification in the header, and follows it to the question.
    b = new_page()
    log_in(b, axe, bram.email)
    assert notifications_link(b).inner_text().split() == ["Meldingen", "1", "ongelezen"]
    open_notification(b, axe, f"Anna de Vries noemde je in “{TITLE}”")
    assert path_of(b) == thread_path
    axe(b)
    assert notifications_link(b).inner_text().strip() == "Meldingen"  # read now

    # He quotes the question: the reply field comes filled from the server (no JavaScript needed).
    follow(b, b.locator("#bericht-1").get_by_role("link", name="Citaat bericht 1"))
    assert path_of(b) == thread_path and "citeer=1" in b.url
    axe(b)
    reply = b.get_by_label("Je reactie")
    served = reply.text_content()  # the textarea's content as the server sent it
    assert served.startswith("> [Anna de Vries ")
    assert f"(/discussie/{thread_path.rsplit('/', 1)[-1]}/bericht/1)" in served
    assert f"> {QUESTION}" in served
    assert reply.input_value() == served
    reply.fill(served + ANSWER)
    follow(b, b.locator("#reageren").get_by_role("button", name="Plaatsen"))
    assert path_of(b) == thread_path and b.url.endswith("#bericht-2")
    axe(b)
    own = b.locator("#bericht-2")
    assert QUESTION in own.locator("blockquote").inner_text()
    assert ANSWER in own.locator(".post__body").inner_text()
    screenshot(b, "discussion-quoted-reply")

    # Anna sees the reply in her header, follows it, and marks it as the best answer.
    a.reload()
    axe(a)
    assert notifications_link(a).inner_text().split() == ["Meldingen", "1", "ongelezen"]
    open_notification(a, axe, f"Bram Bakker reageerde op je vraag “{TITLE}”")
    assert path_of(a) == thread_path and a.url.endswith("#bericht-2")
    axe(a)
    assert a.locator("#bericht-1").get_by_role("button", name=re.compile("beste antwoord")).count() == 0
    follow(a, a.locator("#bericht-2").get_by_role("button", name="Markeer als beste antwoord (bericht 2)"))
    assert "Het beste antwoord is gemarkeerd." in flash(a)
    axe(a)
    assert a.locator(".thread-meta .badge").inner_text() == "Beantwoord"
    assert a.locator("#bericht-2").get_by_role("button", name="Beste antwoord terugnemen").count() == 1

    # Bram hears that his reply is the best answer.
    b.goto("/")
    axe(b)
    assert notifications_link(b).inner_text().split() == ["Meldingen", "1", "ongelezen"]
    open_notification(b, axe, f"Anna de Vries koos jouw reactie als beste antwoord op “{TITLE}”")
    assert path_of(b) == thread_path and b.url.endswith("#bericht-2")
    axe(b)
    b.goto("/meldingen")
    axe(b)
    assert b.locator(".notification-list li").count() == 2
    assert "Ongelezen:" not in b.locator(".notification-list").inner_text()

    # Carla finds the question answered in the theme's list, the best answer right under it.
    c = new_page()
    log_in(c, axe, carla.email)
    visit(c, axe, f"{THEME}/discussies")
    row = c.locator(".thread-list__item", has_text=TITLE)
    assert row.locator(".badge--answered").inner_text() == "Beantwoord"
    assert "1 reactie" in row.locator(".thread-list__meta").inner_text()
    screenshot(c, "discussion-list-answered")
    follow(c, row.get_by_role("link", name=TITLE))
    assert path_of(c) == thread_path
    axe(c)
    best = c.get_by_role("region", name="Beste antwoord")
    assert best.count() == 1
    assert c.evaluate(
        "document.querySelector('#bericht-1').nextElementSibling.matches('section.best-answer')"
    )
    assert ANSWER in best.locator(".post__body").inner_text()
    assert "Bram Bakker" in best.locator(".post__author").inner_text()
    assert c.locator("#bericht-2").get_attribute("class").split() == ["post", "post--best"]
    assert c.get_by_role("button", name=re.compile("beste antwoord")).count() == 0  # only the asker
    screenshot(c, "discussion-best-answer")

    # On a phone-sized screen the thread still fits, without scrolling sideways.
    c.set_viewport_size({"width": 375, "height": 740})
    visit(c, axe, thread_path)
    assert c.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(c, "discussion-thread-375")
    assert len(axe.checked) >= 25


def test_discuss_a_lesson_from_the_lesson_page(page, axe):
    import_shipped()
    member = make_user(display_name="Dirk Dekker", email="dirk@gemeente.nl")
    log_in(page, axe, member.email)

    visit(page, axe, LESSON)
    panel = page.get_by_role("region", name="Discussies over deze les")
    assert "Niemand heeft deze les nog besproken." in panel.inner_text()
    follow(page, panel.get_by_role("link", name="Bespreek deze les"))
    assert path_of(page) == f"{THEME}/discussies/nieuw" and f"les={LESSON_REF}" in page.url
    axe(page)
    notice = page.locator("main .notice")
    assert "Je discussie wordt gekoppeld aan les" in notice.inner_text()
    assert notice.get_by_role("link").get_attribute("href") == LESSON
    theme = page.get_by_label("Thema", exact=True)
    assert theme.input_value() == "wijkaanpak-algemeen"  # the lesson's theme, to begin with
    title = page.get_by_label("Titel")
    assert title.input_value() == "Over les 1.2: Wat de wijkengids beoogt"
    theme.select_option("burgerschap")
    page.get_by_label("Je bericht").fill("Hoe gebruiken jullie de wijkengids bij het inwerken van collega's?")
    follow(page, page.get_by_role("button", name="Plaatsen"))
    assert "Je discussie is begonnen." in flash(page)
    axe(page)
    thread_path = path_of(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Over les 1.2: Wat de wijkengids beoogt"
    breadcrumbs = page.get_by_role("navigation", name="Kruimelpad")
    assert "Burgerschap" in breadcrumbs.inner_text()  # the theme chosen, not the lesson's
    screenshot(page, "discussion-about-lesson")

    follow(page, page.locator(".thread-meta").get_by_role("link", name=re.compile(r"^1\.2 ")))
    assert path_of(page) == LESSON
    axe(page)
    panel = page.get_by_role("region", name="Discussies over deze les")
    link = panel.get_by_role("link", name="Over les 1.2: Wat de wijkengids beoogt")
    assert link.get_attribute("href") == thread_path
    assert "Niemand heeft" not in panel.inner_text()
    screenshot(page, "lesson-with-discussion")
    follow(page, link)
    assert path_of(page) == thread_path
    axe(page)
    assert len(axe.checked) >= 7
