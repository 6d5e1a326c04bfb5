"""The home page, static pages and the health check: what a first-time visitor meets."""

from __future__ import annotations

import pytest

from tests.factories import make_user


def test_home_page_tells_a_visitor_what_this_is_and_where_to_start(client):
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="nl">' in page
    assert "<h1" in page and page.count("<h1") == 1
    assert "40- en 40+-wijken" in page
    assert 'href="/account/registreren"' in page
    assert 'href="#inhoud"' in page  # skip link
    assert "<main" in page and "<nav" in page and "<footer" in page


def test_home_page_greets_members_differently(member_client):
    page = member_client.get("/").get_data(as_text=True)
    assert 'href="/account/registreren"' not in page
    assert "Uitloggen" in page


@pytest.mark.parametrize("path", ["/privacy", "/toegankelijkheid"])
def test_statements_are_public_pages(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<h1") == 1


@pytest.mark.parametrize(
    ("path", "role", "limit"),
    [
        # the home page: the guide's entry (chapters, themes, recent lessons: 3), active discussions
        # and open questions (2), open meetings (1), lessons from practice (1); a logged-in member
        # costs two more: loading the member, counting their unread notifications
        ("/", None, 7),
        ("/", "member", 9),
        # the dashboard: the member and their unread count (2), the panels (working area, followed
        # threads, circles, meetings, contributions: 5), the first steps (lesson 1.2 and whether it
        # was read, working area, followed themes, circles, contributions: 5; the profile step
        # reads the member already loaded)
        ("/mijn", "member", 12),
        ("/account/inloggen", None, 0),
        ("/account/profiel", "member", 2),
        # and one each for the circles, working area and contributions-in-the-guide panels
        ("/leden/{handle}", "member", 6),
        ("/beheer/leden/{id}", "admin", 3),
    ],
)
def test_main_pages_run_a_fixed_small_number_of_queries(app, count_queries, path, role, limit):
    from tests.conftest import logged_in

    client = app.test_client()
    viewer = make_user(role or "member")
    if role:
        client = logged_in(app, viewer)
    for _ in range(20):
        make_user()
    url = path.format(id=viewer.id, handle=viewer.handle)
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    assert counter.count <= limit, counter.statements
