"""A person in real Chromium: register, confirm from the mail, log in, edit the profile,
change the password, log out, log in again — with axe-core on every page visited."""

from __future__ import annotations

import re
import time

import pytest

from tests.browser import screenshot
from tests.conftest import link_in, mails_to
from tests.factories import make_user

pytestmark = pytest.mark.browser

EMAIL = "yasmina@woonbedrijf.nl"
FIRST_PASSWORD = "mijn buurt is mijn werkplek"
SECOND_PASSWORD = "een nieuwe zin voor het nieuwe jaar"


def log_in(page, axe, email, password):
    page.goto("/account/inloggen")
    axe(page)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("main").get_by_role("button", name="Inloggen").click()


def test_register_confirm_login_profile_password_logout(page, live_server, axe):
    page.goto("/")
    axe(page)
    screenshot(page, "home")
    page.get_by_role("link", name="Account aanmaken").first.click()
    axe(page)

    # A first try with a mistake: the message stands at the field, the input is kept.
    page.get_by_label("E-mailadres").fill("yasmina-at-woonbedrijf")
    page.get_by_label("Weergavenaam").fill("Yasmina El Idrissi")
    page.get_by_label("Organisatie").fill("Woonbedrijf Eindhoven")
    page.get_by_label("Functie").fill("Wijkconsulent")
    page.get_by_label("Wachtwoord").fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Account aanmaken").click()
    assert page.get_by_role("alert").is_visible()
    assert page.locator("#email-error").inner_text().strip().startswith("Fout:")
    assert page.get_by_label("Weergavenaam").input_value() == "Yasmina El Idrissi"
    axe(page)
    screenshot(page, "register-error")

    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Wachtwoord").fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Account aanmaken").click()
    page.get_by_role("heading", name="Check je e-mail").wait_for()
    axe(page)

    # The confirmation link from the mail.
    [mail] = mails_to(live_server.app, EMAIL)
    link = link_in(mail)
    page.goto(re.sub(r"^https?://[^/]+", live_server.url, link))
    axe(page)
    page.get_by_role("button", name="Mijn e-mailadres bevestigen").click()
    assert "bevestigd" in page.locator(".flash").inner_text()

    log_in(page, axe, EMAIL, FIRST_PASSWORD)
    assert "Je bent ingelogd" in page.locator(".flash").inner_text()
    axe(page)

    page.get_by_role("link", name="Mijn profiel").click()
    axe(page)
    page.get_by_label("Over jou (niet verplicht)").fill("Ik werk aan **buurtbudgetten** in Woensel-West.")
    page.get_by_label("Gemeente (niet verplicht)").fill("Eindhoven")
    page.get_by_role("button", name="Profiel opslaan").click()
    assert "opgeslagen" in page.locator(".flash").inner_text()
    page.get_by_role("link", name="Bekijk je openbare profiel").click()
    axe(page)
    assert page.locator(".prose strong").inner_text() == "buurtbudgetten"
    screenshot(page, "member-profile")

    page.goto("/account/wachtwoord")
    axe(page)
    page.get_by_label("Huidig wachtwoord").fill(FIRST_PASSWORD)
    page.get_by_label("Nieuw wachtwoord").fill(SECOND_PASSWORD)
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    assert "gewijzigd" in page.locator(".flash").inner_text()
    axe(page)

    page.get_by_role("button", name="Uitloggen").click()
    assert "Je bent uitgelogd" in page.locator(".flash").inner_text()
    assert page.get_by_role("link", name="Inloggen").count() >= 1

    log_in(page, axe, EMAIL, FIRST_PASSWORD)  # the old password no longer works
    assert "klopt niet" in page.locator("#password-error").inner_text()
    axe(page)
    page.get_by_label("Wachtwoord", exact=True).fill(SECOND_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Inloggen").click()
    assert "Je bent ingelogd" in page.locator(".flash").inner_text()
    assert len(axe.checked) >= 12


def test_admin_pages_and_english_in_the_browser(page, axe):
    admin = make_user("admin", email="beheer@example.nl", display_name="Ada Beheer")
    make_user(display_name="Bram Buurtwerker")
    log_in(page, axe, admin.email, "lange zin over de wijk")
    page.get_by_role("link", name="Ledenbeheer").click()
    axe(page)
    page.get_by_role("link", name="Bram Buurtwerker").click()
    axe(page)
    page.get_by_role("button", name="Schorsen").click()  # without a reason
    assert page.get_by_role("alert").is_visible()
    axe(page)
    screenshot(page, "admin-user-error")

    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wijzig", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Members admin").click()
    page.get_by_role("link", name="Bram Buurtwerker").click()
    assert page.get_by_role("heading", name="Suspension").is_visible()
    axe(page)
    screenshot(page, "admin-user-en")


def test_small_screen_has_no_horizontal_scroll(page, axe):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/", "/account/registreren", "/account/inloggen"):
        page.goto(path)
        axe(page)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, path
    screenshot(page, "login-320")


def test_error_pages_are_dutch_and_accessible(page, axe):
    response = page.goto("/bestaat-niet")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Pagina niet gevonden"
    axe(page)


def wait_for_mail(live_server, address: str, subject: str):
    """The newest mail to ``address`` whose subject holds ``subject`` (sent just after the response)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        found = [m for m in mails_to(live_server.app, address) if subject in m["Subject"]]
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no mail “{subject}” to {address}")


def test_an_unconfirmed_member_is_told_on_every_page_and_mends_a_mistyped_address(page, live_server, axe):
    make_user(confirmed=False, email="anna@gemeente-arnhme.nl", display_name="Anna Arnhem")
    log_in(page, axe, "anna@gemeente-arnhme.nl", "lange zin over de wijk")
    notice = page.locator(".unconfirmed-notice")
    assert "nog niet bevestigd" in notice.inner_text()
    axe(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    axe(page)
    screenshot(page, "unconfirmed-notice-320")
    page.set_viewport_size({"width": 1280, "height": 800})

    notice.get_by_role("button", name="Stuur de link opnieuw").click()
    assert "nieuwe link gestuurd" in page.locator(".flash").inner_text()
    page.goto("/gids/")
    page.locator(".unconfirmed-notice").get_by_role("link", name="Wijzig het").click()
    page.get_by_role("heading", name="E-mailadres wijzigen").wait_for()
    axe(page)
    page.get_by_label("Nieuw e-mailadres").fill("anna@gemeente-arnhem.nl")
    page.get_by_label("Huidig wachtwoord").fill("lange zin over de wijk")
    page.get_by_role("button", name="Stuur de link").click()
    assert "anna@gemeente-arnhem.nl" in page.locator(".flash").inner_text()

    mail = wait_for_mail(live_server, "anna@gemeente-arnhem.nl", "nieuwe e-mailadres")
    page.goto(re.sub(r"^https?://[^/]+", live_server.url, link_in(mail)))
    axe(page)
    page.get_by_role("button", name="Mijn e-mailadres wijzigen").click()
    assert "gewijzigd in anna@gemeente-arnhem.nl" in page.locator(".flash").inner_text()
    assert page.locator(".unconfirmed-notice").count() == 0  # the link confirmed the new address
    axe(page)
