"""Moderation in real Chromium, with axe-core (WCAG 2.1 A+AA) on every page visited.

A member reports a post; a moderator opens /moderatie/, hides the post, suspends its author with a
reason, and finds both in the audit log; the suspended member cannot log in and is told why and
until when; the reporter is told the report was handled.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import screenshot
from tests.circles.test_browser import flash, follow, log_in, main, path_of, visit
from tests.discussions.factories import start_thread
from tests.factories import PASSWORD, make_user
from tests.guide.factories import make_theme

pytestmark = pytest.mark.browser

TITLE = "Buurtbudgetten in Overvecht"


def test_a_report_leads_to_a_hidden_post_a_suspension_and_the_log(new_page, axe):
    theme = make_theme()
    sjaak = make_user(display_name="Sjaak Spammer", email="sjaak@example.nl")
    marieke = make_user(display_name="Marieke Melder", email="marieke@gemeente.nl")
    mo = make_user("moderator", display_name="Mo Derator", email="mo@gemeente.nl")
    thread = start_thread(marieke, theme, title=TITLE, body="Wie heeft ervaring met buurtbudgetten?")
    from cop.discussions import services

    services.reply(thread, sjaak, "Koop nu ons adviespakket: bel 06-12345678!")

    # Marieke reports Sjaak's reply.
    m = new_page()
    log_in(m, axe, marieke.email)
    visit(m, axe, f"/discussie/{thread.ref}")
    reply = m.locator("#bericht-2")
    follow(m, reply.get_by_role("link", name=re.compile("^Melden")))
    assert path_of(m).startswith("/melden/bericht/")
    axe(m)
    m.get_by_role("group", name="Wat is er mis mee?").get_by_label("Spam of reclame").check()
    m.get_by_label("Toelichting").fill("Reclame voor een adviesbureau, met telefoonnummer.")
    follow(m, main(m).get_by_role("button", name="Melding versturen"))
    assert "Bedankt voor je melding" in flash(m)
    axe(m)
    # a second report of the same post is refused at the field
    visit(m, axe, _flag_path(thread))
    assert "Je hebt dit al gemeld" in main(m).inner_text()

    # Mo opens the dashboard and the reports about the post.
    o = new_page()
    log_in(o, axe, mo.email)
    visit(o, axe, "/moderatie/")
    assert "Marieke Melder" in main(o).inner_text() and "spam" in main(o).inner_text()
    screenshot(o, "moderation-dashboard")
    follow(o, main(o).get_by_role("link", name=f"{TITLE} #2", exact=True))
    axe(o)
    # first without a note: the message is at the field and nothing happened
    o.get_by_role("group", name="Wat doe je?").get_by_label("Verbergen").check()
    follow(o, main(o).get_by_role("button", name="Besluit opslaan"))
    axe(o)
    assert "Schrijf een korte notitie voor het logboek." in main(o).inner_text()
    o.get_by_label("Opmerking").fill("Reclame met een telefoonnummer.")
    follow(o, main(o).get_by_role("button", name="Besluit opslaan"))
    assert "De meldingen zijn afgehandeld." in flash(o)
    assert path_of(o) == "/moderatie/"
    axe(o)

    # The post is hidden for members; Mo suspends its author from a new report about his profile.
    visit(m, axe, f"/leden/{sjaak.handle}")
    follow(m, main(m).get_by_role("link", name=re.compile("^Melden")))
    axe(m)
    m.get_by_role("group", name="Wat is er mis mee?").get_by_label("Iets anders").check()
    m.get_by_label("Toelichting").fill("Hij plaatst overal reclame.")
    follow(m, main(m).get_by_role("button", name="Melding versturen"))
    assert "Bedankt voor je melding" in flash(m)

    visit(o, axe, "/moderatie/")
    follow(o, main(o).get_by_role("link", name=f"Sjaak Spammer (@{sjaak.handle})", exact=True))
    axe(o)
    o.get_by_role("group", name="Wat doe je?").get_by_label("De maker schorsen").check()
    o.get_by_label("Opmerking").fill("Herhaald reclame geplaatst.")
    o.get_by_label("Schorsing: hoe lang").select_option("30")
    o.get_by_label("Schorsing: reden").fill("Reclame in berichten")
    follow(o, main(o).get_by_role("button", name="Besluit opslaan"))
    assert "De meldingen zijn afgehandeld." in flash(o)
    axe(o)

    # Both are in the audit log, and the filter finds the suspension.
    visit(o, axe, "/moderatie/logboek")
    log = main(o).inner_text()
    assert "Bericht verborgen" in log and "Lid geschorst" in log and "Reclame in berichten" in log
    o.get_by_label("Actie").select_option(label="Lid geschorst")
    follow(o, main(o).get_by_role("button", name="Filteren"))
    axe(o)
    filtered = main(o).get_by_role("table").inner_text()
    assert "1 regel" in main(o).inner_text()
    assert "Lid geschorst" in filtered and "Bericht verborgen" not in filtered
    screenshot(o, "moderation-log-filtered")
    visit(o, axe, "/moderatie/logboek?van=31-12-2026")
    assert "Vul een datum in zoals 2026-03-31." in main(o).inner_text()

    # The moderators' pages fit a 320 px wide screen without scrolling sideways.
    o.set_viewport_size({"width": 320, "height": 640})
    for path in (
        "/moderatie/",
        "/moderatie/logboek",
        _flag_path(thread).replace("/melden/", "/moderatie/meldingen/"),
    ):
        visit(o, axe, path)
        assert not o.evaluate("document.documentElement.scrollWidth > window.innerWidth"), path
    m.set_viewport_size({"width": 320, "height": 640})
    visit(m, axe, f"/melden/lid/{mo.id}")
    assert not m.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    m.set_viewport_size({"width": 1280, "height": 800})

    # The members see the hidden post's place, not its text.
    visit(m, axe, f"/discussie/{thread.ref}")
    assert "adviespakket" not in main(m).inner_text()

    # Sjaak cannot log in and is told why and until when.
    s = new_page()
    visit(s, axe, "/account/inloggen")
    s.get_by_label("E-mailadres").fill(sjaak.email)
    s.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    follow(s, main(s).get_by_role("button", name="Inloggen"))
    axe(s)
    text = main(s).inner_text()
    assert "geschorst tot" in text and "Reclame in berichten" in text

    # Marieke is told her reports were handled.
    visit(m, axe, "/meldingen")
    assert "Je melding over “Buurtbudgetten in Overvecht #2” is afgehandeld." in main(m).inner_text()


def _flag_path(thread) -> str:
    from sqlalchemy import select

    from cop.discussions import Post
    from cop.extensions import db

    post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.number == 2))
    return f"/melden/bericht/{post_id}"
