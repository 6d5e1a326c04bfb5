"""The front door: a home page that shows what lives on the platform (each part from the package
that owns it, each item a link to a real page), /over, and a new member's first steps on /mijn."""

from __future__ import annotations

import re

from cop.discussions import services as discussions
from cop.guide import queries as guide_queries
from tests.circles.factories import make_circle, plan_meeting
from tests.conftest import logged_in
from tests.contributions.factories import in_review, practice, promote_into
from tests.factories import make_user
from tests.guide.factories import import_shipped
from tests.places.factories import import_places, place


def links(page: str) -> set[str]:
    return set(re.findall(r'href="(/[^"#]*)', page))


def test_an_empty_platform_says_so_honestly_and_invites_the_first_step(client):
    page = client.get("/").get_data(as_text=True)
    assert "Nog geen discussies" in page
    assert "Er zijn geen open bijeenkomsten gepland." in page
    assert "De gids heeft nog geen hoofdstukken." in page


def test_the_home_page_shows_the_guide_discussions_meetings_and_practice_with_real_links(app, client):
    import_shipped()
    import_places()
    anna = make_user(display_name="Anna de Boer")
    mo = make_user("moderator")
    theme = guide_queries.themes()[0]
    discussions.start_thread(
        container_kind="theme",
        container=theme,
        author=anna,
        kind="question",
        title="Wie heeft ervaring?",
        body="Vraag",
    )
    circle = make_circle(anna, name="Leerkring Buurtbudget")
    plan_meeting(circle, anna, title="Eerste bijeenkomst")
    hidden = make_circle(anna, name="Geheime kring", visibility="prive")
    plan_meeting(hidden, anna, title="Geheime bijeenkomst")
    promote_into(
        in_review(practice(anna, "Buurttafels", places=[place("kanaleneiland-utrecht")]), anna, mo), mo
    )

    page = client.get("/").get_data(as_text=True)
    # the guide: chapters, the themes in the guide's own groups with their counts, recent lessons
    assert "Aan de slag" in page and "Thema" in page
    assert "Wat is er aan de hand?" in page and "Burgerschap" in page
    assert "Thema uit de Wijkengids" not in page  # no placeholder descriptions
    assert "Wie heeft ervaring?" in page  # an open question
    assert "Eerste bijeenkomst" in page and "Geheime bijeenkomst" not in page
    assert "Buurttafels" in page  # a lesson that came from practice
    for href in links(page):
        if href.startswith("/static/"):
            continue
        status = client.get(href).status_code
        assert status in (200, 302), (href, status)  # every link leads somewhere real


def test_about_tells_where_the_guide_comes_from_and_whom_to_write_to(app, client):
    app.config["CONTACT_EMAIL"] = "team@wijkengids.example"
    page = client.get("/over").get_data(as_text=True)
    assert "Platform31" in page and "2012" in page and "BZK" in page
    assert "mailto:team@wijkengids.example" in page
    for path in ("/privacy", "/toegankelijkheid"):
        assert "mailto:team@wijkengids.example" in client.get(path).get_data(as_text=True)
    assert 'href="/over"' in client.get("/").get_data(as_text=True)  # from the footer


def test_a_new_members_first_steps_tick_themselves_off(app):
    import_shipped()
    import_places()
    newcomer = make_user(display_name="Nieuw Lid", organisation="", municipality="")
    client = logged_in(app, newcomer)

    def steps():
        page = client.get("/mijn").get_data(as_text=True)
        section = (
            page.split('id="first-steps-title"', 1)[1].split("</section>", 1)[0]
            if "first-steps-title" in page
            else ""
        )
        return page, section

    _page, section = steps()
    assert "0 van 6 gedaan" in section
    assert 'href="/account/profiel"' in section and 'href="/account/werkgebied"' in section

    response = client.post(
        "/account/profiel",
        data={
            "display_name": "Nieuw Lid",
            "handle": newcomer.handle,
            "organisation": "Gemeente Utrecht",
            "municipality": "Utrecht",
            "job_title": "Wijkmanager",
            "bio": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    _page, section = steps()
    assert "1 van 6 gedaan" in section
    assert 'href="/account/profiel"' not in section  # done: no longer a link

    client.get(f"/les/{guide_queries.lesson_by_ref('1.2').ref}")
    client.get(f"/les/{guide_queries.lesson_by_ref('1.2').ref}")  # twice is once
    theme = guide_queries.themes()[0]
    client.post(f"/thema/{theme.slug}/volgen", data={"volgen": "ja"})
    _page, section = steps()
    assert "3 van 6 gedaan" in section
