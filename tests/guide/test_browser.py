"""The guide's main journey in a real Chromium, with axe-core on every page visited."""

from __future__ import annotations

import pytest

from tests.browser import screenshot
from tests.factories import PASSWORD, make_user
from tests.guide.factories import LESSON_REF, import_shipped

pytestmark = pytest.mark.browser

LESSON = f"/les/{LESSON_REF}"
OLD_SENTENCE = "De aanpak verschilde per wijk."
NEW_SENTENCE = "De aanpak verschilde sterk per wijk."


def log_in(page, axe, email: str) -> None:
    page.goto("/account/inloggen")
    axe(page)
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/account/inloggen" not in page.url


def log_out(page) -> None:
    page.click("form[action='/account/uitloggen'] button")
    page.wait_for_load_state()


def marked(page, tag: str) -> list[str]:
    """The visible text of each <ins> or <del> on the page (without the screen-reader label)."""
    return page.eval_on_selector_all(
        f".diff {tag}",
        """els => els.map(e => { const c = e.cloneNode(true);
            c.querySelectorAll('.visually-hidden').forEach(n => n.remove());
            return c.textContent.trim(); })""",
    )


def visit(page, axe, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    axe(page)


def test_edit_diff_restore_and_publish_an_edition(page, axe, live_server):
    import_shipped()
    make_user("moderator", email="redactie@example.nl", display_name="Rena Redactie")
    make_user("admin", email="beheer@example.nl", display_name="Bert Beheer")

    # A reader's pages.
    for url in ("/gids/", "/gids/1/", "/thema/wijkaanpak-algemeen", LESSON):
        visit(page, axe, url)
    assert page.locator("figure.quote figcaption").inner_text() == "Jan Jans, gemeente Arnhem"
    screenshot(page, "guide-lesson")

    # The moderator changes one sentence and adds a source, previewing first.
    log_in(page, axe, "redactie@example.nl")
    visit(page, axe, LESSON)
    page.click(f"a[href='{LESSON}/bewerken']")
    axe(page)
    body = page.locator("#body")
    assert OLD_SENTENCE in body.input_value()
    body.fill(body.input_value().replace(OLD_SENTENCE, NEW_SENTENCE))
    assert page.locator("#sources-1-title").count() == 0  # no empty blocks: a button adds one
    page.click("button[value=add-sources]")
    page.wait_for_load_state()
    axe(page)
    assert NEW_SENTENCE in page.locator("#body").input_value()  # what was typed is kept
    page.fill("#sources-1-title", "Wijkengids, tweede versie")
    page.fill("#sources-1-authors", "Platform31")
    page.fill("#change_note", "Eén zin aangescherpt en een bron toegevoegd.")
    page.press("#change_note", "Enter")  # Enter in a one-line field previews, it does not save
    page.wait_for_load_state()
    axe(page)
    assert NEW_SENTENCE in page.locator("section.preview").inner_text()
    assert page.locator("section.preview h3").first.inner_text().startswith("1.2")
    assert page.locator("#sources-2-title").count() == 0
    page.click("input[name=save]")
    page.wait_for_load_state()
    assert page.url.endswith(LESSON)
    axe(page)
    assert NEW_SENTENCE in page.locator(".lesson-body").inner_text()
    assert "Platform31" in page.locator(".references__list").inner_text()

    # The diff shows exactly that change.
    page.click(f"a[href='{LESSON}/geschiedenis']")
    axe(page)
    page.click(f"a[href='{LESSON}/verschil?van=1&naar=2']")
    page.wait_for_load_state()
    axe(page)
    screenshot(page, "guide-diff")
    insertions, deletions = marked(page, "ins"), marked(page, "del")
    assert insertions[0] == "sterk"  # the one sentence, word by word
    assert "Platform31" in insertions[1] and "Wijkengids, tweede versie" in insertions[1]
    assert len(insertions) == 2
    # Without colour: every mark carries text for screen readers (and +/− and underline/strike).
    assert page.locator("ins > .visually-hidden").count() == 2 * len(insertions)
    assert deletions == []
    assert len(page.locator("section.diff").all()) == 2  # Text and Sources, nothing else

    # Restore the old version, as a new version, after confirming on a page that shows the change.
    visit(page, axe, f"{LESSON}/geschiedenis")
    page.click(f"a[href='{LESSON}/versie/1/herstellen']")
    page.wait_for_load_state()
    axe(page)
    assert marked(page, "del")[0] == "sterk" and "Platform31" in marked(page, "del")[1]
    page.click(f"main form[action='{LESSON}/versie/1/herstellen'] button")
    page.wait_for_load_state()
    axe(page)
    visit(page, axe, LESSON)
    assert OLD_SENTENCE in page.locator(".lesson-body").inner_text()
    assert "Platform31" not in page.locator("main").inner_text()
    # Back to the text of edition 2: the guide has nothing new since it.
    visit(page, axe, "/gids/")
    assert page.locator(".edition-box").count() == 0
    log_out(page)

    # The admin publishes edition 3; lesson 1.2 has the text it had, so it is not listed as changed.
    log_in(page, axe, "beheer@example.nl")
    visit(page, axe, "/edities/")
    page.click("a[href='/edities/nieuw']")
    axe(page)
    page.click("main form button[type=submit]")  # without a title: an error, nothing published
    page.wait_for_load_state()
    axe(page)
    assert page.locator(".error-summary").count() == 1
    page.fill("#title", "Derde versie")
    page.fill("#note", "Een editie zonder **nieuwe** tekst.")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/editie/3/nieuw")
    axe(page)
    assert "Een editie zonder nieuwe tekst." in page.locator("main").inner_text()
    assert page.locator(f"a[href^='{LESSON}/verschil']").count() == 0
    assert "Geen gewijzigde lessen." in page.locator("main").inner_text()

    # Edition 2 still shows the text as it was.
    visit(page, axe, "/editie/2/")
    visit(page, axe, f"/editie/2/les/{LESSON_REF}")
    text = page.locator("main").inner_text()
    assert OLD_SENTENCE in text and NEW_SENTENCE not in text
    visit(page, axe, f"{LESSON}/versie/2")
    assert NEW_SENTENCE in page.locator(".lesson-body").inner_text()
    assert len(axe.checked) >= 20


SIDEWAYS = """() => {
    const width = document.documentElement.clientWidth, wide = [];
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect(), right = box.left + window.scrollX + el.scrollWidth;
      if (right > width + 0.5 && getComputedStyle(el).overflowX === 'visible') {
        wide.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className}: ${Math.round(right)}`);
      }
    }
    return {scroll: document.documentElement.scrollWidth, width: width, wide: wide.slice(-8)};
}"""


def assert_no_sideways_scrolling(page) -> None:
    """The page is no wider than the window; else name the innermost elements whose content reaches
    past it (a box, or a word too long for its box)."""
    found = page.evaluate(SIDEWAYS)
    assert found["scroll"] <= found["width"], found


def test_the_editor_fits_320_px_without_scrolling_sideways(new_page, axe, live_server):
    import_shipped()
    make_user("moderator", email="smal@example.nl", display_name="Sam Smal")
    page = new_page(viewport={"width": 320, "height": 640})
    log_in(page, axe, "smal@example.nl")
    visit(page, axe, f"{LESSON}/bewerken")
    # Long Dutch compounds in the legends and the fields of the lists.
    page.click("button[value=add-examples]")
    page.wait_for_load_state()
    assert page.url.endswith("#examples-1")  # back at the new block
    page.fill("#examples-1-title", "Wijkontwikkelingsmaatschappijsamenwerkingsverbanden")
    page.fill("#examples-1-text", "Buurtbeheerbedrijfsvoeringsovereenkomstonderhandelingen duurden lang.")
    page.click("input[name=preview]")
    page.wait_for_load_state()
    axe(page)
    assert page.locator("section.preview").count() == 1
    assert_no_sideways_scrolling(page)
    # The actions are within reach at the top of the form: preview first.
    top = page.locator("form.lesson-form input[type=submit]").first
    assert top.get_attribute("name") == "preview"
    assert top.bounding_box()["y"] < page.locator("#chapter").bounding_box()["y"]
    screenshot(page, "guide-editor-320")
