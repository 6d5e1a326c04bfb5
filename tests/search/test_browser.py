"""Search in real Chromium at 1280 and 375 pixels, with axe-core (WCAG 2.1 A+AA) on every page:
a visitor searches from the header (on a phone inside "Menu") and from the home page, filters,
follows a suggestion for a misspelt word and opens the lesson found."""

from __future__ import annotations

import pytest

from tests.browser import screenshot
from tests.guide.factories import import_shipped

pytestmark = pytest.mark.browser

WIDTHS = pytest.mark.parametrize("width", [1280, 375], ids=["1280", "375"])


def arrived(page, axe, width: int) -> None:
    axe(page)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide at {width}px"


def submit(page, axe, width: int, button) -> None:
    with page.expect_navigation() as navigation:
        button.click()
    assert navigation.value.status == 200, page.url
    arrived(page, axe, width)


@WIDTHS
def test_a_visitor_searches_from_the_header_and_the_home_page(new_page, axe, width):
    import_shipped()
    page = new_page(viewport={"width": width, "height": 900})
    page.goto("/")
    arrived(page, axe, width)

    header = page.locator("header")
    if page.locator("summary.site-menu__toggle").is_visible():  # a phone: the box is in "Menu"
        assert not header.get_by_role("searchbox", name="Zoeken").is_visible()
        page.locator("summary.site-menu__toggle").click()
    else:  # wide: the box sits in the one row of the main menu, which does not wrap
        box = header.get_by_role("search").bounding_box()
        nav = page.get_by_role("navigation", name="Hoofdmenu").bounding_box()
        language = page.locator(".header-language").bounding_box()
        assert abs(box["y"] - nav["y"]) < nav["height"] and abs(language["y"] - nav["y"]) < nav["height"]
    header.get_by_role("searchbox", name="Zoeken").fill("wijken bewoners")
    submit(page, axe, width, header.get_by_role("button", name="Zoeken"))
    main = page.get_by_role("main")
    assert main.get_by_role("link", name="Wat de wijkengids beoogt").is_visible()
    assert main.locator("mark").first.is_visible()
    assert main.get_by_role("searchbox", name="Zoek naar").input_value() == "wijken bewoners"
    screenshot(page, f"search-results-{width}")

    # another word, filtered to chapters: the lesson is gone, the chapter "Vooraf" is there
    main.get_by_role("searchbox", name="Zoek naar").fill("wijkengids")
    main.get_by_label("Soort").select_option(label="Hoofdstukken")
    submit(page, axe, width, main.get_by_role("button", name="Zoeken"))
    assert main.get_by_role("link", name="Vooraf").is_visible()
    assert main.get_by_role("link", name="Wat de wijkengids beoogt").count() == 0

    # from the home page, a misspelt word: nothing found, a suggestion that finds the lesson
    page.goto("/")
    arrived(page, axe, width)
    home_box = main.get_by_role("searchbox", name="Zoeken")
    home_box.fill("wijkengidss")
    submit(page, axe, width, main.get_by_role("search").get_by_role("button", name="Zoeken"))
    assert "Niets gevonden" in main.inner_text()
    submit(page, axe, width, main.get_by_role("link", name="wijkengids"))
    with page.expect_navigation():
        main.get_by_role("link", name="Wat de wijkengids beoogt").click()
    arrived(page, axe, width)
    assert page.get_by_role("heading", level=1).inner_text().endswith("Wat de wijkengids beoogt")
