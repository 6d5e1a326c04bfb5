"""The privacy statement matches what the platform does: the cookies a whole journey sets are the
three it names, and it points to the pages where members use their rights."""

from __future__ import annotations

import re

from cop.extensions import db
from cop.guide import queries as guide_queries
from tests.circles.factories import make_circle
from tests.contributions import factories as contribution_factories
from tests.discussions.factories import start_thread
from tests.factories import PASSWORD, make_user
from tests.guide.factories import import_shipped


def cookie_names(response) -> set[str]:
    return {header.split("=", 1)[0] for header in response.headers.getlist("Set-Cookie")}


def test_a_journey_sets_only_the_cookies_the_statement_names(app):
    import_shipped()
    member = make_user(display_name="Kees Koekje")
    thread = start_thread(member, theme=guide_queries.themes()[0])
    circle = make_circle(member, name="Kring Koekje")
    contribution = contribution_factories.submitted(contribution_factories.practice(member), member)
    db.session.commit()
    client = app.test_client()
    seen: set[str] = set()

    def visit(method, url, **kwargs):
        response = client.open(url, method=method, **kwargs)
        assert response.status_code < 400, (url, response.status_code)
        seen.update(cookie_names(response))
        return response

    for url in ("/", "/gids/", "/les/1.2", "/account/inloggen", "/privacy"):
        visit("GET", url, follow_redirects=True)
    visit("POST", "/account/inloggen", data={"email": member.email, "password": PASSWORD, "remember": "y"})
    for url in (
        f"/discussie/{thread.ref}",
        f"/leerkring/{circle.slug}",
        f"/bijdrage/{contribution.id}",
        "/account/gegevens",
        "/mijn",
    ):
        visit("GET", url, follow_redirects=True)
    visit("POST", "/taal", data={"language": "en", "next": "/"})
    visit("POST", "/account/uitloggen")

    assert seen == {"cop_session", "cop_remember", "lang"}
    statement = client.get("/privacy").get_data(as_text=True)
    named = set(re.findall(r"<li><code>([a-z_]+)</code>", statement))
    assert named == seen


def test_the_statement_covers_what_the_code_does(client, app):
    page = client.get("/privacy").get_data(as_text=True)
    for link in ('href="/account/gegevens"', 'href="/account/profiel"', 'href="/account/verwijderen"'):
        assert link in page
    for words in ("Autoriteit Persoonsgegevens", "verwijderd lid", "een deelnemer", "Bezwaar", "zes maanden"):
        assert words in page, words
    assert f'href="mailto:{app.config["CONTACT_EMAIL"]}"' in page
