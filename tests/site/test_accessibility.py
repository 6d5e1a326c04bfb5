"""Accessibility that axe-core does not find, in real Chromium (WCAG 2.1 AA): focus that stays
visible in forced colours (Windows high contrast), the contrast of focused elements, reflow at
320 CSS pixels without scrolling sideways, wide tables that stack on a phone, the header that folds
into "Menu" on a phone, the language of parts (English words in Dutch pages and Dutch words in the
English interface) and the municipality fields' autofill.

Screenshots of the home page, a lesson and the header of a logged-in administrator, at 375 and
1280 pixels, land in test-artifacts/ as a11y-*.png.
"""

from __future__ import annotations

import re

import pytest

from cop.extensions import db
from cop.guide import queries as guide_queries
from tests.browser import screenshot
from tests.circles.factories import make_circle
from tests.contributions.factories import in_review, practice, promote_into, submitted
from tests.factories import PASSWORD, make_user
from tests.guide.factories import LESSON_REF, import_shipped
from tests.places.factories import import_places, place

pytestmark = pytest.mark.browser

LESSON = f"/les/{LESSON_REF}"
ADMIN, MODERATOR = "beheer@example.nl", "redactie@example.nl"
PHONE, NARROWEST, DESKTOP = 375, 320, 1280
LOGOUT = "form[action='/account/uitloggen'] button"


# --- data and navigation ----------------------------------------------------------------------------


def build() -> dict[str, str]:
    """The guide, the neighbourhoods, an administrator, a moderator and a member whose practice
    experience became part of lesson 1.2 (so the lesson has a second version and a diff), one
    waiting for review, and a learning circle. Returns the paths that need an id."""
    import_shipped()
    import_places()
    make_user("admin", email=ADMIN, display_name="Ada Beheerder-Vanderveldenstraat")
    moderator = make_user("moderator", email=MODERATOR, display_name="Mo Redactie")
    member = make_user(display_name="Carla Smit")
    kanaleneiland = place("kanaleneiland-utrecht")
    promoted = in_review(
        practice(member, "Buurttafels in Kanaleneiland", places=[kanaleneiland]), member, moderator
    )
    promote_into(promoted, moderator, guide_queries.lesson_by_ref(LESSON_REF))
    submitted(practice(member, "Wijkschouwen met bewonersorganisaties", places=[kanaleneiland]), member)
    make_circle(moderator, name="Leerkring Participatiesamenleving")
    db.session.commit()
    return {"contribution": f"/bijdrage/{promoted.id}"}


def browse(new_page, width: int, height: int = 900):
    return new_page(viewport={"width": width, "height": height})


def open_page(page, axe, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    axe(page)


def log_in(page, email: str) -> None:
    page.goto("/account/inloggen")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/account/inloggen" not in page.url


def tab_to(page, selector: str, limit: int = 150):
    """Press Tab from the top of the page until the focus is on ``selector``; returns a locator."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return page.locator(":focus")
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


# --- colour -----------------------------------------------------------------------------------------

# The element's text colour and the colour behind it: its own background or the first ancestor's
# that is not transparent, semi-transparent layers composed over white.
COLOURS_JS = """el => {
  const layers = [];
  for (let node = el; node; node = node.parentElement) {
    const background = getComputedStyle(node).backgroundColor;
    layers.push(background);
    if (!/rgba\\(.*,\\s*0(\\.\\d+)?\\)$/.test(background) || /,\\s*1\\)$/.test(background)) break;
  }
  return {color: getComputedStyle(el).color, layers: layers.reverse()};
}"""
RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def parse_rgb(css: str) -> tuple[float, float, float, float]:
    match = RGB.fullmatch(css.strip())
    assert match, f"not an rgb() colour: {css}"
    red, green, blue, alpha = match.groups()
    return float(red), float(green), float(blue), float(alpha) if alpha is not None else 1.0


def over(top: tuple[float, float, float, float], below: tuple[float, float, float]) -> tuple[float, ...]:
    alpha = top[3]
    return tuple(top[i] * alpha + below[i] * (1 - alpha) for i in range(3))


def luminance(rgb: tuple[float, ...]) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour (0–255 per channel)."""

    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: tuple[float, ...], second: tuple[float, ...]) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_contrast(locator) -> tuple[float, str, str]:
    """The contrast ratio of ``locator``'s text against what is behind it, as the page shows it."""
    found = locator.evaluate(COLOURS_JS)
    background: tuple[float, ...] = (255.0, 255.0, 255.0)
    for layer in found["layers"]:
        background = over(parse_rgb(layer), background)
    text = over(parse_rgb(found["color"]), background)
    return contrast(text, background), found["color"], found["layers"][-1]


def test_the_contrast_helper_matches_known_ratios():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((255, 255, 255), (255, 255, 255)) == pytest.approx(1.0)
    # the two defects this file keeps away, measured with the site's tokens
    assert contrast((0x0B, 0x0C, 0x0C), (0x12, 0x32, 0x4F)) < 2  # dark text on the navy header
    assert 4 < contrast((0xB0, 0x22, 0x1D), (0xFF, 0xBF, 0x47)) < 4.5  # error red on the focus colour
    assert contrast((0x0B, 0x0C, 0x0C), (0xFF, 0xBF, 0x47)) >= 4.5  # the focus style itself


# --- focus ------------------------------------------------------------------------------------------


def outline(locator) -> dict[str, str]:
    return locator.evaluate(
        "el => { const s = getComputedStyle(el);"
        " return {style: s.outlineStyle, width: s.outlineWidth, color: s.outlineColor}; }"
    )


def assert_visible_outline(locator, where: str) -> None:
    found = outline(locator)
    assert found["style"] != "none" and float(found["width"].removesuffix("px")) >= 2, (where, found)
    assert parse_rgb(found["color"])[3] > 0, (where, found)  # forced colours turn it into Highlight


def test_focus_stays_visible_in_forced_colours(new_page, axe, live_server):
    build()
    page = browse(new_page, DESKTOP)
    page.emulate_media(forced_colors="active")
    checks = [
        ("/", ".site-nav a", "a link in the main menu"),
        ("/", ".header-language__button", "the language button"),
        ("/account/inloggen", "main a", "a link in the page"),
        ("/account/inloggen", "main button[type=submit]", "the log-in button"),
        (LESSON, ".lesson-content a, main a", "a link in a lesson"),
    ]
    for url, selector, what in checks:
        open_page(page, axe, url)
        assert_visible_outline(tab_to(page, selector), f"{what} on {url}")
    log_in(page, ADMIN)
    assert_visible_outline(tab_to(page, LOGOUT), "Uitloggen")
    screenshot(page, "a11y-forced-colours-focus")

    phone = browse(new_page, PHONE)
    phone.emulate_media(forced_colors="active")
    open_page(phone, axe, "/")
    assert_visible_outline(tab_to(phone, "summary.site-menu__toggle"), "Menu on a phone")

    # Without forced colours the outline is there but transparent: the yellow focus style shows.
    plain = browse(new_page, DESKTOP)
    open_page(plain, axe, "/")
    found = outline(tab_to(plain, ".site-nav a"))
    assert found["style"] == "solid" and parse_rgb(found["color"])[3] == 0, found


def test_focused_elements_in_the_header_and_the_error_summary_keep_their_contrast(new_page, axe, live_server):
    build()
    page = browse(new_page, DESKTOP)
    log_in(page, ADMIN)
    open_page(page, axe, "/gids/")
    for selector, what in (
        (LOGOUT, "Uitloggen"),
        (".site-nav a", "a link in the main menu"),
        (".account-nav a", "a link in the account menu"),
        (".header-language__button", "the language button"),
    ):
        focused = tab_to(page, selector)
        ratio, colour, background = text_contrast(focused)
        assert ratio >= 4.5, f"focused {what}: {colour} on {background} is {ratio:.2f}:1"

    # A phone: "Menu" and, in the opened menu, Uitloggen.
    phone = browse(new_page, PHONE)
    log_in(phone, ADMIN)
    for selector, what in (("summary.site-menu__toggle", "Menu"), (LOGOUT, "Uitloggen in the menu")):
        focused = tab_to(phone, selector)
        ratio, colour, background = text_contrast(focused)
        assert ratio >= 4.5, f"focused {what} on a phone: {colour} on {background} is {ratio:.2f}:1"
        if selector.startswith("summary"):
            phone.keyboard.press("Enter")  # opens the menu

    # The error summary's links: the focus style of every other link, not red on yellow.
    errors = browse(new_page, DESKTOP)
    open_page(errors, axe, "/account/inloggen")
    errors.click("main form button[type=submit]")
    errors.wait_for_load_state()
    axe(errors)
    focused = tab_to(errors, ".error-summary a")
    ratio, colour, background = text_contrast(focused)
    assert ratio >= 4.5, f"focused error-summary link: {colour} on {background} is {ratio:.2f}:1"
    open_page(errors, axe, "/account/inloggen")
    _ratio, *plain_link = text_contrast(tab_to(errors, "main a"))
    assert [colour, background] == plain_link, "the error summary's links keep the focus style of links"


# --- reflow -----------------------------------------------------------------------------------------


def sideways(page) -> int:
    """How many pixels the page is wider than the window (0: it does not scroll sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


WIDEST_JS = """() => {
  const limit = window.innerWidth + 0.5, found = [];
  const name = el => el.localName + (typeof el.className === 'string' && el.className.trim()
    ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node && found.length < 5; node = walker.nextNode()) {
    let right;
    if (node.nodeType === Node.TEXT_NODE) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      right = range.getBoundingClientRect().right;
    } else {
      right = node.getBoundingClientRect().right;
      if ([...node.childNodes].some(c => c.nodeType === Node.ELEMENT_NODE
          ? c.getBoundingClientRect().right > limit : false)) continue;
    }
    if (right > limit) {
      const el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
      const text = (node.textContent || '').trim().slice(0, 40);
      found.push(`${name(el)} (${Math.round(right - limit)}px): ${text}`);
    }
  }
  return found;
}"""


def too_wide(page) -> list[str]:
    """The innermost elements that reach past the window's right edge."""
    return page.evaluate(WIDEST_JS)


def test_no_page_scrolls_sideways_at_320_pixels(new_page, axe, live_server):
    paths = build()
    wrong = []

    def check(page, url: str) -> None:
        open_page(page, axe, url)
        if sideways(page) > 0:
            wrong.append(f"{url}: {sideways(page)}px too wide: {too_wide(page)}")
        opened = page.locator("details.site-menu")
        if opened.count() and not opened.evaluate("el => el.open"):
            page.click("summary.site-menu__toggle")
            if sideways(page) > 0:
                wrong.append(f"{url} with the menu open: {sideways(page)}px too wide: {too_wide(page)}")

    anonymous = browse(new_page, NARROWEST)
    for url in ("/", "/gids/", LESSON, "/leerkringen/", "/bijdragen/", paths["contribution"], "/wijken/"):
        check(anonymous, url)
    for url in ("/wijken/leren", "/account/registreren", "/account/inloggen"):
        check(anonymous, url)
    anonymous.click("main form button[type=submit]")  # the log-in form with its error summary
    anonymous.wait_for_load_state()
    if sideways(anonymous) > 0:
        wrong.append(f"log-in errors: {sideways(anonymous)}px too wide")

    admin = browse(new_page, NARROWEST)
    log_in(admin, ADMIN)
    for url in ("/mijn", "/meldingen", "/beheer/leden", "/moderatie/beoordelen", f"{LESSON}/geschiedenis"):
        check(admin, url)
    for url in (
        "/wijken/leren",
        paths["contribution"],
        f"{LESSON}/verschil?van=1&naar=2",
        "/account/profiel",
    ):
        check(admin, url)

    moderator = browse(new_page, NARROWEST)
    log_in(moderator, MODERATOR)
    check(moderator, f"{LESSON}/bewerken")
    assert not wrong, "\n".join(wrong)


def test_wide_tables_stack_on_a_phone_and_scroll_as_named_regions_elsewhere(new_page, axe, live_server):
    build()
    page = browse(new_page, PHONE)
    log_in(page, ADMIN)
    for url in ("/beheer/leden", "/moderatie/beoordelen", f"{LESSON}/geschiedenis", "/wijken/leren"):
        open_page(page, axe, url)
        tables = page.locator("table.table--stack")
        assert tables.count() >= 1, url
        for index in range(tables.count()):
            table = tables.nth(index)
            assert table.evaluate("t => getComputedStyle(t.querySelector('tbody tr')).display") == "block", (
                url
            )
            label = table.evaluate(
                "t => getComputedStyle(t.querySelector('td[data-label]'), '::before').content"
            )
            assert label not in ("none", "normal", ""), (url, label)
            # The table stays a table for screen readers: header cells name the columns.
            assert table.get_by_role("columnheader").count() >= 2, url
            wrap = table.locator("xpath=..")
            assert wrap.get_attribute("role") == "region" and wrap.get_attribute("tabindex") == "0", url
            assert page.get_by_role("region", name=table.locator("caption").inner_text()).count() == 1, url
            assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth"), url
    open_page(page, axe, "/beheer/leden")
    screenshot(page, "a11y-members-admin-375")


# --- the header -------------------------------------------------------------------------------------


def rows(page) -> int:
    """The rows the header's visible parts (logo, Menu, the menus, the language button) take."""
    tops = page.eval_on_selector_all(
        ".site-logo, .site-menu__toggle, .site-nav, .account-nav, .header-language",
        "els => els.filter(e => e.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true}))"
        ".map(e => Math.round(e.getBoundingClientRect().top))",
    )
    distinct: list[int] = []
    for top in sorted(tops):
        if not distinct or top - distinct[-1] > 24:
            distinct.append(top)
    return len(distinct)


def test_the_header_folds_into_a_menu_on_a_phone(new_page, axe, live_server):
    build()
    phone = browse(new_page, PHONE)
    log_in(phone, ADMIN)
    open_page(phone, axe, "/")
    toggle = phone.locator("summary.site-menu__toggle")
    assert toggle.is_visible() and toggle.inner_text().strip() == "Menu"
    assert not phone.locator(LOGOUT).is_visible()
    assert rows(phone) == 1, "the closed header of an administrator is one row: the logo and Menu"
    assert phone.locator(".site-header").bounding_box()["height"] <= 100
    screenshot(phone, "a11y-header-admin-375")
    toggle.click()
    axe(phone)
    for name in ("Uitloggen", "Ledenbeheer", "Mijn pagina"):
        assert phone.get_by_role("navigation", name="Account").get_by_text(name).is_visible(), name
    assert phone.get_by_role("button", name="English").is_visible()  # the language switch, in the menu
    assert phone.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Gids").is_visible()
    screenshot(phone, "a11y-header-admin-375-open")
    toggle.click()
    assert not phone.locator(LOGOUT).is_visible()

    desktop = browse(new_page, DESKTOP)
    log_in(desktop, ADMIN)
    open_page(desktop, axe, "/")
    screenshot(desktop, "a11y-header-admin-1280")
    assert not desktop.locator("summary.site-menu__toggle").is_visible()
    assert desktop.locator(LOGOUT).is_visible()
    assert desktop.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Gids").is_visible()
    assert rows(desktop) <= 2


def test_screenshots_of_the_home_page_and_a_lesson(new_page, axe, live_server):
    build()
    for width in (PHONE, DESKTOP):
        page = browse(new_page, width)
        open_page(page, axe, "/")
        screenshot(page, f"a11y-home-{width}")
        open_page(page, axe, LESSON)
        screenshot(page, f"a11y-lesson-{width}")


# --- language of parts ------------------------------------------------------------------------------


def language_of(locator) -> str:
    return locator.evaluate("el => el.closest('[lang]').getAttribute('lang')")


def test_words_in_the_other_language_carry_their_own_lang(new_page, axe, live_server):
    build()
    page = browse(new_page, DESKTOP)
    log_in(page, ADMIN)

    # Dutch interface: the tagline is Dutch; the one English word is the switch to English.
    open_page(page, axe, LESSON)
    assert page.locator("html").get_attribute("lang") == "nl"
    tagline = page.locator(".site-logo__sub")
    assert tagline.inner_text() == "kennisgemeenschap wijkaanpak" and language_of(tagline) == "nl"
    switch = page.locator(".header-language__button")
    assert switch.inner_text() == "English" and switch.get_attribute("lang") == "en"
    assert language_of(page.locator("#language option[value='en']")) == "en"
    chrome = page.locator(".site-header, .site-footer")
    for text in ("community of practice", "Log out", "Members admin", "Language"):
        assert chrome.get_by_text(text, exact=False).count() == 0, text

    # The diff's screen-reader markers speak the interface's language inside the Dutch text.
    open_page(page, axe, f"{LESSON}/verschil?van=1&naar=2")
    marker = page.locator(".diff ins > .visually-hidden").first
    assert marker.inner_text().startswith("[toegevoegd:") and language_of(marker) == "nl"

    # The header's button switches to English and comes back to the same page.
    switch.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"{LESSON}/verschil?van=1&naar=2")
    assert page.locator("html").get_attribute("lang") == "en"
    axe(page)
    marker = page.locator(".diff ins > .visually-hidden").first
    assert marker.inner_text().startswith("[added:") and language_of(marker) == "en"
    assert language_of(page.locator(".diff ins").first) == "nl"  # the text itself stays Dutch

    # English interface: the Dutch words carry lang="nl".
    open_page(page, axe, LESSON)
    assert page.locator(".site-logo__sub").inner_text() == "knowledge community on the neighbourhood approach"
    assert language_of(page.locator(".site-logo__text").get_by_text("Wijkengids", exact=True)) == "nl"
    switch = page.locator(".header-language__button")
    assert switch.inner_text() == "Nederlands" and switch.get_attribute("lang") == "nl"
    assert language_of(page.locator("#language option[value='nl']")) == "nl"
    assert language_of(page.locator("#lesson-title span[lang]")) == "nl"
    assert language_of(page.locator(".lesson-content")) == "nl"

    # And back to Dutch through the header.
    page.click(".header-language__button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nl" and page.url.endswith(LESSON)


# --- autofill ---------------------------------------------------------------------------------------


def test_every_municipality_field_can_be_filled_in_automatically(new_page, axe, live_server):
    """WCAG 1.3.5: the municipality a member works or lives in is autocomplete="address-level2"."""
    build()
    page = browse(new_page, DESKTOP)
    open_page(page, axe, "/account/registreren")
    assert page.locator("#municipality").get_attribute("autocomplete") == "address-level2"
    log_in(page, ADMIN)
    for url in ("/account/profiel", "/leerkringen/nieuw", "/wijken/voorstellen"):
        open_page(page, axe, url)
        assert page.locator("#municipality").get_attribute("autocomplete") == "address-level2", url
