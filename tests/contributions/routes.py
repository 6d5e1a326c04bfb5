"""The contributions' routes for the shared checks (tests/routing.py). The matrix's "member" wrote
every contribution here (a draft, a submitted one, one in review, one declined, a promoted one and
a suggested improvement); the "facilitator", the "outsider" and the "circle_member" are just other
members, so every row here is ``owned()``: the latter two get what the facilitator gets."""

from __future__ import annotations

from cop.guide import queries as guide_queries
from tests.contributions.factories import change_proposal, in_review, practice, promote_into, submitted
from tests.places.factories import place
from tests.routing import Route, route, same_for_all

LAYER = 37


def build(world) -> None:
    from cop.contributions import services

    member, moderator = world.users["member"], world.users["moderator"]
    kanaleneiland = place("kanaleneiland-utrecht")
    lesson = guide_queries.lesson_by_ref(world["lesson"])
    draft = practice(member, "Een concept", places=[kanaleneiland])
    open_one = submitted(practice(member, "Ingediend", places=[kanaleneiland]), member)
    reviewed = in_review(practice(member, "In behandeling"), member, moderator)
    declined = in_review(practice(member, "Afgewezen"), member, moderator)
    services.decide(declined, moderator, "decline", "Past niet in de gids.")
    promoted = in_review(practice(member, "Opgenomen"), member, moderator)
    promote_into(promoted, moderator, lesson)
    body = lesson.current_revision.body
    change = submitted(change_proposal(member, lesson, body=body + "\n\nEen betere zin."), member)
    world["draft_contribution"] = draft.id
    world["submitted_contribution"] = open_one.id
    world["review_contribution"] = reviewed.id
    world["declined_contribution"] = declined.id
    world["promoted_contribution"] = promoted.id
    world["change_contribution"] = change.id
    world["member_id"] = member.id


def owned(method: str, path: str, outcomes: str, **options) -> Route:
    """A row about the member's own contributions: other members get the facilitator's outcome."""
    values = outcomes.split()
    facilitator = values[6] if len(values) == 7 else values[2]
    return route(method, path, outcomes, others=facilitator, **options)


WRITE = "login confirm 200 login 200 200"
WRITERS = "login 403 200 login 403 403 403"  # the matrix's member wrote them; others are refused
MODERATORS = "login 403 403 login 200 200 403"
MEMBERS = "404 200 200 404 200 200"  # submitted: any logged-in member (not suspended: logged out)
#               anonymous unconfirmed member suspended moderator admin [facilitator]
ROUTES = [
    same_for_all(
        "GET",
        "/bijdragen/",
        "200",
        query=("thema", "wijk", "gemeente", "soort", "status", "sorteer", "pagina"),
    ),
    owned("GET", "/bijdragen/nieuw", WRITE, query=("soort", "les")),
    owned("POST", "/bijdragen/nieuw", WRITE, query=("soort", "les")),
    owned("GET", "/bijdrage/{draft_contribution}", "404 404 200 404 404 404 404"),
    owned("GET", "/bijdrage/{submitted_contribution}", MEMBERS),
    owned("GET", "/bijdrage/{declined_contribution}", "404 404 200 404 200 200 404"),
    same_for_all("GET", "/bijdrage/{promoted_contribution}", "200"),
    owned("GET", "/bijdrage/{draft_contribution}/bewerken", "login confirm 200 login 404 404 404"),
    owned("POST", "/bijdrage/{draft_contribution}/bewerken", "login confirm 200 login 404 404 404"),
    owned("GET", "/bijdrage/{submitted_contribution}/bewerken", "login confirm 200 login 403 403 403"),
    owned("GET", "/bijdrage/{promoted_contribution}/bewerken", "login confirm 302 login 403 403 403"),
    owned("GET", "/bijdrage/{draft_contribution}/indienen", "login confirm 200 login 404 404 404"),
    owned("POST", "/bijdrage/{draft_contribution}/indienen", "login confirm 200 login 404 404 404"),
    owned("GET", "/bijdrage/{submitted_contribution}/intrekken", "login confirm 200 login 403 403 403"),
    owned("GET", "/bijdrage/{draft_contribution}/schrijvers", "login confirm 200 login 404 404 404"),
    owned("POST", "/bijdrage/{draft_contribution}/schrijvers", "login confirm 200 login 404 404 404"),
    owned(
        "POST",
        "/bijdrage/{draft_contribution}/schrijvers/{member_id}/verwijderen",
        "login confirm 302 login 404 404 404",
    ),
    owned("POST", "/bijdrage/{draft_contribution}/uitnodiging", "login 404 302 login 404 404 404"),
    owned("POST", "/bijdrage/{submitted_contribution}/steunen", "login confirm 403 login 400 400 400"),
    owned("POST", "/bijdrage/{submitted_contribution}/reageren", "login confirm 400 login 400 400 400"),
    owned("POST", "/bijdrage/{submitted_contribution}/volgen", "login 400 400 login 400 400 400"),
    owned("POST", "/bijdrage/{submitted_contribution}/bericht", "login confirm 400 login 400 400 403"),
    same_for_all("GET", "/wijken/leren", "200"),
    owned("GET", "/moderatie/beoordelen", MODERATORS, query=("lijst", "van", "pagina")),
    owned("GET", "/moderatie/beoordelen/{submitted_contribution}", MODERATORS),
    owned("GET", "/moderatie/beoordelen/{draft_contribution}", "login 403 403 login 404 404 403"),
    owned(
        "POST", "/moderatie/beoordelen/{submitted_contribution}/toewijzen", MODERATORS.replace("200", "400")
    ),
    owned("POST", "/moderatie/beoordelen/{review_contribution}/criteria", "login 403 403 login 302 302 403"),
    owned("POST", "/moderatie/beoordelen/{review_contribution}/besluit", MODERATORS.replace("200", "400")),
    owned(
        "GET",
        "/moderatie/beoordelen/{review_contribution}/opnemen",
        MODERATORS.replace("200", "404"),
        query=("als", "les"),
    ),
    owned(
        "POST",
        "/moderatie/beoordelen/{review_contribution}/opnemen",
        MODERATORS.replace("200", "404"),
        query=("als", "les"),
    ),
    # last: they withdraw and delete the member's contributions
    owned("POST", "/bijdrage/{submitted_contribution}/intrekken", "login confirm 302 login 403 403 403"),
    owned("POST", "/bijdrage/{draft_contribution}/verwijderen", "login confirm 302 login 404 404 404"),
]
