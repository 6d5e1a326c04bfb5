"""A member's pages in the page cache, in real Chromium (axe-core on every page visited): a reload is
served from the store, what she changes and what a colleague posts shows at once, and after she
logs out the browser's Back button and the address bar show no member's page.

The live server here has the page cache on (a folder), as `make run` has; the suite's other
servers run without it.
"""

from __future__ import annotations

import pytest

from tests.browser import LiveServer, free_port, screenshot
from tests.conftest import make_test_app
from tests.discussions.factories import start_thread
from tests.discussions.test_browser import flash, follow, log_in, notifications_link
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.commits]

FOLLOWING = "Je volgt deze discussie."


@pytest.fixture(scope="module")
def cached_server(database_url, tmp_path_factory, app):
    port = free_port()
    folder = tmp_path_factory.mktemp("cached")
    live_app = make_test_app(
        database_url,
        folder,
        WTF_CSRF_ENABLED=True,
        TESTING=False,
        PUBLIC_URL=f"http://127.0.0.1:{port}",
        CACHE_URL=f"file://{folder / 'page-cache'}",
    )
    server = LiveServer(live_app, port).start()
    yield server
    server.stop()


@pytest.fixture
def tabs(new_page, cached_server):
    """``tabs()`` opens a tab of its own on the server with the page cache."""
    return lambda: new_page(base_url=cached_server.url)


def reload_until_stored(page, axe):
    """Reload until the store serves the page (the first answers render it), and check it."""
    for _attempt in range(4):
        response = page.reload()
        assert response.status == 200
        if response.headers.get("x-cache") == "hit":
            axe(page)
            return response
    raise AssertionError(f"{page.url} was never served from the store")


def test_a_member_reloads_follows_reads_a_reply_and_logs_out(tabs, axe):
    marieke = make_user(display_name="Marieke Lid", email="marieke@gemeente.nl")
    joost = make_user(display_name="Joost Buur", email="joost@woonbedrijf.nl")
    thread = start_thread(joost, title="Buurtkamer in de wijk", body="Wie heeft er een buurtkamer opgezet?")
    path = f"/discussie/{thread.ref}"

    m = tabs()
    log_in(m, axe, marieke.email)
    assert m.goto(path).status == 200
    axe(m)
    reload_until_stored(m, axe)
    assert FOLLOWING not in m.locator(".follow-controls").first.inner_text()

    # She follows the thread: the message, then her page says so on every reload.
    follow(m, m.locator(".follow-controls").first.get_by_role("button", name="Volgen"))
    assert "Je volgt deze discussie" in flash(m)
    axe(m)
    response = m.reload()
    assert response.headers.get("x-cache") != "hit"
    assert m.locator(".follow-controls").first.inner_text().startswith(FOLLOWING)
    reload_until_stored(m, axe)
    assert m.locator(".follow-controls").first.inner_text().startswith(FOLLOWING)

    # Joost replies from his own browser; her next reload shows it.
    j = tabs()
    log_in(j, axe, joost.email)
    assert j.goto(path).status == 200
    j.get_by_label("Je reactie").fill("In de oude bibliotheek, elke dinsdag open.")
    follow(j, j.locator("#reageren").get_by_role("button", name="Plaatsen"))
    response = m.reload()
    assert response.headers.get("x-cache") != "hit"
    assert "In de oude bibliotheek, elke dinsdag open." in m.locator("main").inner_text()
    assert notifications_link(m).inner_text().split() == ["Meldingen", "1", "ongelezen"]
    axe(m)
    screenshot(m, "member-page-cache-thread")

    # She logs out: Back and the address bar give the visitor's page, not hers.
    follow(m, m.get_by_role("button", name="Uitloggen"))
    assert "Je bent uitgelogd." in flash(m)
    m.go_back()
    assert "Marieke Lid" not in m.locator("header").first.inner_text()
    assert m.goto(path).status == 200
    assert "Marieke Lid" not in m.locator("header").first.inner_text()
    assert m.get_by_role("link", name="Inloggen").count() >= 1
    axe(m)
