"""The front door in real Chromium, at 1280 and at 375 pixels, with axe-core (WCAG 2.1 A+AA) on
every page visited and no page wider than the window.

A first-time visitor reaches a lesson, a theme and /over from the home page in at most two clicks
each, on a phone through the folded "Menu" and the footer. A newcomer registers with two mistakes
(each sent back at its field with the input kept, and with rate limiting on, not counted against
them), confirms from the plain-text copy of the mail, lands on /mijn with "0 van 6 gedaan", completes
the profile step and sees it ticked off. A moderator opens the lesson editor.

Screenshots land in test-artifacts/ as front-home-*.png, front-lesson-*.png, front-mijn-*.png and
front-editor-*.png.
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cop.extensions import db, limiter
from tests.browser import screenshot
from tests.circles.test_browser import fill_login, flash, main, path_of
from tests.conftest import link_in, mails_to, make_test_app
from tests.factories import PASSWORD as FACTORY_PASSWORD
from tests.factories import make_user
from tests.guide.factories import LESSON_REF, import_shipped
from tests.places.factories import import_places
from tests.site.test_accessibility import too_wide

pytestmark = pytest.mark.browser

WIDTHS = pytest.mark.parametrize("width", [1280, 375], ids=["1280", "375"])
PHONE = 375
LESSON = f"/les/{LESSON_REF}"
PASSWORD = "fietsen langs de singel in de regen"
PROFILE_STEP = "Vul je profiel aan: je organisatie en gemeente"


# --- helpers --------------------------------------------------------------------------------------


def open_at(new_page, width: int):
    return new_page(viewport={"width": width, "height": 900})


def arrived(page, axe, width: int) -> None:
    """Every page visited: no axe-core violations, and nothing wider than the window."""
    axe(page)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide at {width}px: {too_wide(page)}"


def visit(page, axe, width: int, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    arrived(page, axe, width)


def click(page, axe, width: int, target) -> None:
    """Follow a real link or button to a page that answers 200."""
    with page.expect_navigation() as navigation:
        target.click()
    assert navigation.value.status == 200, page.url
    arrived(page, axe, width)


def on_phone(page) -> bool:
    return page.locator("summary.site-menu__toggle").is_visible()


def open_menu(page) -> None:
    """On a phone the header folds into "Menu" (a <details>): open it; elsewhere it is open."""
    if on_phone(page) and not page.locator("details.site-menu").evaluate("el => el.open"):
        page.locator("summary.site-menu__toggle").click()


def header_link(page, nav: str, name: str):
    open_menu(page)
    link = page.get_by_role("navigation", name=nav).get_by_role("link", name=name, exact=True)
    assert link.is_visible()
    return link


def focused_on_the_error_summary(page) -> bool:
    return page.evaluate("document.activeElement.matches('[data-error-summary]')")


def text_mail_to(live_server, address: str, subject: str) -> str:
    """The newest plain-text copy (.txt) of a mail to ``address`` whose subject holds ``subject``,
    as development writes it next to each .eml; the app sends just after the response."""
    folder = Path(live_server.app.config["MAIL_FILE_DIR"])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        found = []
        for path in sorted(folder.glob("*.txt")) if folder.exists() else []:
            text = path.read_text(encoding="utf-8")
            head = text.partition("\n\n")[0].splitlines()
            if f"To: {address}" in head and any(
                line.startswith("Subject:") and subject in line for line in head
            ):
                found.append(text)
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no .txt mail “{subject}” to {address} in {folder}")


@contextmanager
def registrations_counted(live_server, database_url, tmp_path, limit: str = "1 per hour"):
    """Rate limiting on for the live server, with room for ``limit`` registrations from this
    address: were a registration sent back with errors counted, the newcomer would be locked out."""
    make_test_app(database_url, tmp_path, RATELIMIT_ENABLED=True)  # gives the shared limiter its store
    config = live_server.app.config
    before = config["RATELIMIT_REGISTER"]
    config["RATELIMIT_REGISTER"] = limit
    limiter.enabled = True
    limiter.reset()
    try:
        yield
    finally:
        limiter.reset()
        limiter.enabled = False
        config["RATELIMIT_REGISTER"] = before


def fill_registration(page, email: str) -> None:
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Weergavenaam").fill("Noor Bakker")
    page.get_by_label("Organisatie").fill("Buurtwerk Noord")
    page.get_by_label("Functie").fill("Opbouwwerker")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)


def build_guide() -> None:
    import_shipped()
    import_places()
    db.session.commit()


# --- journey 1: a first-time visitor ---------------------------------------------------------------


@WIDTHS
def test_a_first_time_visitor_reaches_a_lesson_a_theme_and_about_in_two_clicks(new_page, axe, width):
    build_guide()
    page = open_at(new_page, width)
    visit(page, axe, width, "/")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    if width == PHONE:
        # The main menu is folded into "Menu"; the page starts with the hero, not the links.
        assert on_phone(page)
        assert page.locator("summary.site-menu__toggle").inner_text().strip() == "Menu"
        assert not menu.get_by_role("link", name="Gids").is_visible()
    else:
        assert not on_phone(page) and menu.get_by_role("link", name="Gids").is_visible()
    screenshot(page, f"front-home-{width}")

    # A lesson, in one click: "Onlangs toegevoegd of gewijzigd" on the home page.
    guide = page.get_by_role("region", name="De gids")
    recent = guide.locator("h3", has_text="Onlangs toegevoegd of gewijzigd").locator(
        "xpath=following-sibling::ul[1]"
    )
    first = recent.get_by_role("link").first
    href, title = first.get_attribute("href"), first.inner_text()
    assert href.startswith("/les/"), href
    click(page, axe, width, first)
    assert path_of(page) == href
    assert page.get_by_role("heading", level=1).inner_text() == title

    # A lesson, in two clicks: "Lees de gids", then a lesson in its contents.
    visit(page, axe, width, "/")
    click(page, axe, width, main(page).get_by_role("link", name="Lees de gids"))
    assert path_of(page) == "/gids/"
    contents = page.get_by_role("region", name="Inhoudsopgave")
    lesson = contents.locator(f"a[href='{LESSON}']")
    lesson_title = lesson.inner_text()
    click(page, axe, width, lesson)
    assert path_of(page) == LESSON
    assert page.get_by_role("heading", level=1).inner_text() == lesson_title
    screenshot(page, f"front-lesson-{width}")

    # The guide through the main menu: on a phone, "Menu" opens it (no page load), then "Gids".
    visit(page, axe, width, "/")
    click(page, axe, width, header_link(page, "Hoofdmenu", "Gids"))
    assert path_of(page) == "/gids/"

    # A theme, in one click: a tile on the home page (one with a lesson: most shipped themes have none).
    visit(page, axe, width, "/")
    tile = (
        page.locator(".theme-grid__item")
        .filter(has_not_text=re.compile(r"\b0 lessen"))
        .first.get_by_role("link")
    )
    tile_title, tile_href = tile.inner_text(), tile.get_attribute("href")
    assert tile_href.startswith("/thema/"), tile_href
    click(page, axe, width, tile)
    assert path_of(page) == tile_href
    heading = page.get_by_role("heading", level=1)
    assert heading.locator(".chapter-kicker").inner_text() == "Thema"
    assert heading.locator("[lang=nl]").inner_text() == tile_title
    lessons = page.get_by_role("region", name="Lessen over dit thema")
    assert lessons.locator(f"a[href='{LESSON}']").count() == 1

    # /over, in one click: the footer's "Over", with the main menu still folded on a phone.
    visit(page, axe, width, "/")
    if width == PHONE:
        assert not page.locator("details.site-menu").evaluate("el => el.open")
    click(page, axe, width, page.get_by_role("contentinfo").get_by_role("link", name="Over", exact=True))
    assert path_of(page) == "/over"
    assert page.get_by_role("heading", level=1).inner_text() == "Over de Wijkengids"
    assert "Platform31" in main(page).inner_text()
    # … and from /over, its own links lead on.
    click(page, axe, width, main(page).get_by_role("link", name="Toegankelijkheidsverklaring"))
    assert path_of(page) == "/toegankelijkheid"
    assert len(axe.checked) == 12


# --- journey 2: a newcomer registers, confirms and takes a first step --------------------------------


@WIDTHS
def test_a_newcomer_registers_after_two_mistakes_confirms_and_ticks_off_the_profile_step(
    new_page, axe, width, live_server, database_url, tmp_path
):
    build_guide()
    email = f"noor.{width}@buurtwerk-noord.nl"  # one address per width: the mail folder is shared
    page = open_at(new_page, width)
    visit(page, axe, width, "/")
    click(page, axe, width, main(page).get_by_role("link", name="Doe mee met de community"))
    assert path_of(page) == "/account/registreren"

    with registrations_counted(live_server, database_url, tmp_path):
        # A first try with a mistyped email address: the message stands at the field, the input is kept.
        fill_registration(page, "noor-at-buurtwerk-noord.nl")
        click(page, axe, width, page.get_by_role("button", name="Account aanmaken"))
        assert path_of(page) == "/account/registreren"
        summary = page.get_by_role("alert")
        assert "Er is een probleem" in summary.inner_text()
        assert "Vul een e-mailadres in, zoals naam@voorbeeld.nl." in summary.inner_text()
        error = page.locator("#email-error").inner_text()
        assert error.startswith("Fout:") and "naam@voorbeeld.nl" in error, error
        assert page.get_by_label("E-mailadres").get_attribute("aria-invalid") == "true"
        assert focused_on_the_error_summary(page)
        assert page.get_by_label("E-mailadres").input_value() == "noor-at-buurtwerk-noord.nl"
        assert page.get_by_label("Weergavenaam").input_value() == "Noor Bakker"
        assert page.get_by_label("Organisatie").input_value() == "Buurtwerk Noord"
        assert page.get_by_label("Functie").input_value() == "Opbouwwerker"
        assert page.locator("#password-error").count() == 0
        # The error summary's link leads to the field (and puts "#email" in the address).
        summary.get_by_role("link", name=re.compile("^E-mailadres")).click()
        assert page.evaluate("document.activeElement.id") == "email"
        assert urlsplit(page.url).fragment == "email"

        # A second try with the address mended and a password that is too common.
        page.get_by_label("E-mailadres").fill(email)
        page.get_by_label("Wachtwoord", exact=True).fill("wachtwoord123")
        click(page, axe, width, page.get_by_role("button", name="Account aanmaken"))
        assert path_of(page) == "/account/registreren"
        assert page.locator("#email-error").count() == 0
        # The answer lands on the new error summary, not on the field the last one linked to.
        assert urlsplit(page.url).fragment == ""
        assert focused_on_the_error_summary(page)
        error = page.locator("#password-error").inner_text()
        assert error.startswith("Fout:") and "te vaak gebruikt" in error, error
        assert page.get_by_label("Wachtwoord", exact=True).get_attribute("aria-invalid") == "true"
        assert page.get_by_label("E-mailadres").input_value() == email
        assert page.get_by_label("Weergavenaam").input_value() == "Noor Bakker"
        assert page.get_by_label("Organisatie").input_value() == "Buurtwerk Noord"
        if width == PHONE:
            screenshot(page, "front-register-error-375")

        # The third try passes: the two mistakes did not count against the one registration allowed.
        page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
        click(page, axe, width, page.get_by_role("button", name="Account aanmaken"))
        assert path_of(page) == "/account/registreren/verstuurd"
        assert page.get_by_role("heading", level=1).inner_text() == "Check je e-mail"
        assert email in main(page).inner_text()

        # The limit is real: a second registration from this address must now wait.
        other = open_at(new_page, width)
        visit(other, axe, width, "/account/registreren")
        fill_registration(other, f"tweede.{width}@buurtwerk-noord.nl")
        with other.expect_navigation() as navigation:
            other.get_by_role("button", name="Account aanmaken").click()
        assert navigation.value.status == 429
        assert other.get_by_role("heading", level=1).inner_text() == "Te veel pogingen"
        arrived(other, axe, width)

    # The plain-text copy of the mail keeps the link whole; it is the one in the .eml.
    text = text_mail_to(live_server, email, "Bevestig je e-mailadres")
    assert "Hallo Noor Bakker," in text
    links = re.findall(r"https?://\S+", text)
    assert len(links) == 1, links
    link = links[0]
    assert re.fullmatch(re.escape(live_server.url) + r"/account/bevestigen/[\w.\-]+", link), link
    [mail] = mails_to(live_server.app, email)
    assert link_in(mail) == link

    visit(page, axe, width, link)
    assert path_of(page).startswith("/account/bevestigen/")
    click(page, axe, width, page.get_by_role("button", name="Mijn e-mailadres bevestigen"))
    assert "Je e-mailadres is bevestigd." in flash(page)
    assert path_of(page) == "/account/inloggen"
    fill_login(page, email, PASSWORD)
    arrived(page, axe, width)
    assert path_of(page) == "/mijn"
    assert page.get_by_role("heading", level=1).inner_text() == "Welkom, Noor Bakker"

    # Six first steps, none done, each a link.
    steps = page.get_by_role("region", name="Je eerste stappen")
    assert "0 van 6 gedaan" in steps.inner_text()
    items = steps.get_by_role("listitem")
    assert items.count() == 6
    assert steps.get_by_role("link").count() == 6
    assert items.first.inner_text().strip() == PROFILE_STEP

    # The profile step: organisation and municipality.
    click(page, axe, width, steps.get_by_role("link", name=PROFILE_STEP))
    assert path_of(page) == "/account/profiel"
    assert page.get_by_label("Organisatie").input_value() == "Buurtwerk Noord"
    assert page.get_by_label("Gemeente (niet verplicht)").input_value() == ""
    page.get_by_label("Organisatie").fill("Stichting Buurtwerk Noord")
    page.get_by_label("Gemeente (niet verplicht)").fill("Zwolle")
    click(page, axe, width, page.get_by_role("button", name="Profiel opslaan"))
    assert "Je profiel is opgeslagen." in flash(page)
    assert path_of(page) == "/account/profiel"

    # Back on /mijn (through the header; on a phone through "Menu"): one of six done, no link now.
    click(page, axe, width, header_link(page, "Account", "Mijn pagina"))
    assert path_of(page) == "/mijn"
    steps = page.get_by_role("region", name="Je eerste stappen")
    assert "1 van 6 gedaan" in steps.inner_text()
    done = steps.locator(".first-steps__step--done")
    assert done.count() == 1
    assert " ".join(done.text_content().split()) == f"✓ Gedaan: {PROFILE_STEP}"
    assert done.get_by_role("link").count() == 0
    assert steps.get_by_role("link", name=PROFILE_STEP).count() == 0
    assert steps.get_by_role("link").count() == 5
    screenshot(page, f"front-mijn-{width}")
    assert len(axe.checked) == 13


# --- the lesson editor ------------------------------------------------------------------------------


@WIDTHS
def test_a_moderator_opens_the_lesson_editor_from_the_lesson(new_page, axe, width):
    build_guide()
    moderator = make_user("moderator", email="redactie@example.nl", display_name="Mo Redactie")
    page = open_at(new_page, width)
    visit(page, axe, width, "/account/inloggen")
    fill_login(page, moderator.email, FACTORY_PASSWORD)
    arrived(page, axe, width)
    visit(page, axe, width, LESSON)
    click(page, axe, width, main(page).get_by_role("link", name="Les bewerken"))
    assert path_of(page) == f"{LESSON}/bewerken"
    assert page.get_by_role("heading", level=1).inner_text() == "Les 1.2 bewerken"
    screenshot(page, f"front-editor-{width}")
    assert len(axe.checked) == 4
