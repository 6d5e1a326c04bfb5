"""The printable guide in real Chromium: a reader goes from the edition to its printable page
(axe-core on both), prints it to PDF with ``page.pdf()``, and the PDF's text (read with pypdf)
holds every lesson's title and its provenance line, and none of the site's navigation."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from cop.guide import services as guide_services
from tests.api.helpers import build
from tests.browser import ARTIFACTS

pytestmark = pytest.mark.browser

NAVIGATION = [
    "Naar de inhoud",  # the skip link
    "Menu",
    "Inloggen",
    "Registreren",
    "Leerkringen",
    "Toegankelijkheid",
    "Inhoudsopgave",  # the printable page's own table of contents is for the screen
    "afdrukfunctie",  # and so is its hint
]


def test_a_reader_prints_the_whole_guide_to_a_clean_pdf(new_page, axe, live_server):
    world = build()
    guide_services.publish_edition(title="Derde", published_on=None, note="", actor=world.moderator)
    lesson_title = world.lesson.current_revision.title
    page = new_page()
    page.goto("/editie/3/")
    axe(page)
    page.get_by_role("link", name="De hele gids van editie 3 op één pagina, om af te drukken").click()
    page.wait_for_url("**/editie/3/afdrukken")
    axe(page)
    assert page.get_by_role("heading", level=3, name=re.compile(lesson_title)).is_visible()
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # no sideways scrolling
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "printed-guide-edition-3.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(path), format="A4", print_background=False)
    reader = PdfReader(str(path))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert "1.2" in text and lesson_title in text
    assert "Voortgekomen uit de praktijkbijdrage van Marieke Lid" in text
    assert "Buurttafels werken" in text
    for words in NAVIGATION:
        assert words not in text, f"{words!r} printed"
