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
    page.fill("#sources-1-title", "Wijkengids, tweede versie")
    page.fill("#sources-1-authors", "Platform31")
    page.fill("#change_note", "Eén zin aangescherpt en een bron toegevoegd.")
    page.click("button[name=preview], input[name=preview]")
    page.wait_for_load_state()
    axe(page)
    assert NEW_SENTENCE in page.locator("section.preview").inner_text()
    assert page.locator("#sources-2-title").count() == 1  # room for one more source
    page.click("button[name=save], input[name=save]")
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

    # Restore the old version, as a new version.
    page.goto(f"{LESSON}/geschiedenis")
    page.click(f"form[action='{LESSON}/versie/1/herstellen'] button")
    page.wait_for_load_state()
    axe(page)
    visit(page, axe, LESSON)
    assert OLD_SENTENCE in page.locator(".lesson-body").inner_text()
    assert "Platform31" not in page.locator("main").inner_text()
    log_out(page)

    # The admin publishes edition 3; "what is new" lists lesson 1.2.
    log_in(page, axe, "beheer@example.nl")
    visit(page, axe, "/edities/")
    page.click("a[href='/edities/nieuw']")
    axe(page)
    page.click("main form button[type=submit]")  # without a title: an error, nothing published
    page.wait_for_load_state()
    axe(page)
    assert page.locator(".error-summary").count() == 1
    page.fill("#title", "Derde versie")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/editie/3/nieuw")
    axe(page)
    assert page.locator(f"a[href='/editie/3/les/{LESSON_REF}']").count() == 1
    diff_link = page.locator(f"a[href^='{LESSON}/verschil?van=1&naar=3']")
    assert diff_link.count() == 1
    diff_link.click()
    page.wait_for_load_state()
    axe(page)

    # Edition 2 still shows the text as it was.
    visit(page, axe, "/editie/2/")
    visit(page, axe, f"/editie/2/les/{LESSON_REF}")
    text = page.locator("main").inner_text()
    assert OLD_SENTENCE in text and NEW_SENTENCE not in text
    visit(page, axe, f"{LESSON}/versie/2")
    assert NEW_SENTENCE in page.locator(".lesson-body").inner_text()
    assert len(axe.checked) >= 20
