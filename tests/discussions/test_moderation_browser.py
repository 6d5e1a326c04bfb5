"""Moderation in real Chromium, with axe-core (WCAG 2.1 A+AA) on every page visited: a moderator
hides a post with a reason and moves the thread to another theme; a member then sees the notice
instead of the text, and finds the thread in its new theme. An admin retires a theme."""

from __future__ import annotations

import pytest

from cop.discussions import services
from tests.discussions.factories import start_thread
from tests.discussions.test_browser import flash, follow, log_in, path_of, visit
from tests.factories import make_user
from tests.guide.factories import make_theme

pytestmark = pytest.mark.browser

PHONE = "Bel me gerust op 06-12345678."


def test_a_moderator_hides_a_post_and_moves_the_thread(new_page, axe):
    theme = make_theme("burgerschap", "Burgerschap", 1)
    make_theme("zorg", "Zorg en welzijn", 2)
    anna = make_user(display_name="Anna de Vries", email="anna@gemeente.nl")
    make_user("moderator", display_name="Mo Derator", email="mo@wijkengids.nl")
    make_user(display_name="Bram Bakker", email="bram@woonbedrijf.nl")
    thread = start_thread(anna, theme, title="Buurtbudgetten verdelen", body="Hoe doen jullie dat?")
    services.reply(thread, anna, PHONE)

    mod = new_page()
    log_in(mod, axe, "mo@wijkengids.nl")
    visit(mod, axe, f"/discussie/{thread.ref}")
    follow(mod, mod.locator("#bericht-2").get_by_role("link", name="Verbergen bericht 2"))
    assert path_of(mod).endswith("/bericht/2/verbergen")
    axe(mod)
    follow(mod, mod.get_by_role("button", name="Verbergen"))  # without a reason: told at the field
    assert "Zeg waarom" in mod.locator(".field__error").inner_text()
    axe(mod)
    mod.get_by_label("Reden").fill("Persoonlijke gegevens")
    follow(mod, mod.get_by_role("button", name="Verbergen"))
    assert "Het bericht is verborgen" in flash(mod)
    hidden = mod.locator("#bericht-2")
    assert "Verborgen door een moderator" in hidden.inner_text() and PHONE in hidden.inner_text()
    axe(mod)

    follow(mod, mod.get_by_role("link", name="Verbergen, verplaatsen of samenvoegen"))
    axe(mod)
    mod.get_by_label("Verplaatsen naar thema").select_option(label="Zorg en welzijn")
    mod.get_by_label("Reden (optioneel)").first.fill("Gaat over zorg")
    follow(mod, mod.get_by_role("button", name="Verplaatsen"))
    assert "De discussie is verplaatst naar Zorg en welzijn" in flash(mod)
    assert path_of(mod) == f"/discussie/{thread.ref}"
    axe(mod)

    member = new_page()
    log_in(member, axe, "bram@woonbedrijf.nl")
    visit(member, axe, f"/discussie/{thread.ref}")
    text = member.locator("#bericht-2").inner_text()
    assert "Verborgen door een moderator" in text and PHONE not in text
    assert member.get_by_role("link", name="Verbergen bericht 2").count() == 0
    visit(member, axe, "/thema/zorg/discussies")
    assert member.get_by_role("link", name="Buurtbudgetten verdelen").count() == 1
    member.set_viewport_size({"width": 320, "height": 640})
    visit(member, axe, f"/discussie/{thread.ref}")
    assert member.evaluate("document.documentElement.scrollWidth <= 320")


def test_an_admin_retires_and_restores_a_theme(new_page, axe):
    make_theme("burgerschap", "Burgerschap", 1)
    make_theme("zorg", "Zorg en welzijn", 2)
    make_user("admin", display_name="Ada Beheer", email="ada@wijkengids.nl")
    page = new_page()
    log_in(page, axe, "ada@wijkengids.nl")
    visit(page, axe, "/beheer/themas")
    follow(page, page.get_by_role("button", name="Intrekken Zorg en welzijn"))
    assert "is ingetrokken" in flash(page)
    assert "Ingetrokken" in page.locator("#thema-zorg").inner_text()
    axe(page)
    follow(page, page.get_by_role("link", name="Nieuw thema"))
    axe(page)
    page.get_by_label("Titel").fill("Veiligheid")
    follow(page, page.get_by_role("button", name="Thema aanmaken"))
    assert "Het thema Veiligheid is aangemaakt" in flash(page)
    axe(page)
