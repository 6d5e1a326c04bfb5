"""Privacy in real Chromium, with axe-core (WCAG 2.1 A+AA) on every page visited.

A member walks the platform (home, guide, a lesson, logging in, a discussion, a learning circle, a
contribution, Mijn gegevens) while every request the browser makes is recorded: all of them go to
this site, none elsewhere. She downloads her data (one zip) and deletes her account; logging in
again fails.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cop.guide import queries as guide_queries
from tests.circles.factories import make_circle
from tests.contributions import factories as contribution_factories
from tests.discussions.factories import start_thread
from tests.factories import PASSWORD, make_user
from tests.guide.factories import LESSON_REF, import_shipped

pytestmark = pytest.mark.browser

EMAIL = "roos.privacy@example.nl"


def visit(page, axe, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    axe(page)


def follow(page, target) -> None:
    with page.expect_navigation():
        target.click()


def main(page):
    return page.get_by_role("main")


def flash(page) -> str:
    return page.locator(".flash").inner_text()


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_only_this_site_is_asked_and_a_member_takes_her_data_and_leaves(new_page, axe, live_server):
    import_shipped()
    roos = make_user(display_name="Roos Privé", email=EMAIL)
    other = make_user(display_name="Pim Anders")
    thread = start_thread(roos, theme=guide_queries.themes()[0], title="Wie deelt zijn ervaring?")
    circle = make_circle(other, name="Open kring Privacy")
    contribution = contribution_factories.submitted(contribution_factories.practice(other), other)

    page = new_page(accept_downloads=True)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    for url in ("/", "/gids/", f"/les/{LESSON_REF}", "/privacy", "/account/inloggen"):
        visit(page, axe, url)
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    follow(page, main(page).get_by_role("button", name="Inloggen"))
    assert "Je bent ingelogd" in flash(page)
    axe(page)
    for url in (
        f"/discussie/{thread.ref}",
        f"/leerkring/{circle.slug}",
        f"/bijdrage/{contribution.id}",
        "/account/profiel",
    ):
        visit(page, axe, url)
    follow(page, main(page).get_by_role("link", name="Mijn gegevens: download ze of verwijder je account"))
    assert page.url.endswith("/account/gegevens")
    axe(page)

    with page.expect_download() as info:
        main(page).get_by_role("button", name="Download mijn gegevens (zip)").click()
    download = info.value
    assert download.suggested_filename.startswith(
        "wijkengids-gegevens-"
    ) and download.suggested_filename.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
    assert json.loads(archive.read("profiel.json"))["email"] == EMAIL
    assert "Wie deelt zijn ervaring?" in archive.read("discussies.json").decode()
    assert "Roos Privé" in archive.read("overzicht.md").decode()

    follow(page, main(page).get_by_role("link", name="Mijn account verwijderen"))
    axe(page)
    # without the password nothing happens: the error is at the field
    follow(page, main(page).get_by_role("button", name="Mijn account voorgoed verwijderen"))
    assert "Vul je huidige wachtwoord in." in main(page).inner_text()
    axe(page)
    page.get_by_label("Huidig wachtwoord").fill(PASSWORD)
    follow(page, main(page).get_by_role("button", name="Mijn account voorgoed verwijderen"))
    assert "Je account is verwijderd" in flash(page)
    assert page.get_by_role("link", name="Inloggen").count() >= 1  # logged out
    axe(page)

    visit(page, axe, "/account/inloggen")
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    follow(page, main(page).get_by_role("button", name="Inloggen"))
    assert "Het e-mailadres of wachtwoord klopt niet." in main(page).inner_text()
    axe(page)

    elsewhere = sorted({url for url in requests if origin(url) != live_server.url})
    assert requests and not elsewhere, f"requests to other sites: {elsewhere}"
