"""The circles' routes for the shared checks (tests/routing.py). The "member" role is a member of
the closed and the private circle, not of the open one; nobody else in the matrix is in any."""

from __future__ import annotations

from cop.circles import services
from cop.discussions import services as discussions
from cop.guide import queries as guide_queries
from tests.circles.factories import add_member, make_circle, plan_meeting
from tests.factories import make_user
from tests.routing import route, same_for_all

LAYER = 35


def build(world) -> None:
    facilitator = world.users["facilitator"]
    member = world.users["member"]
    lesson = guide_queries.all_lessons(None)[0]
    for name in ("open", "closed", "private"):
        visibility = {"open": "open", "closed": "besloten", "private": "prive"}[name]
        circle = make_circle(facilitator, name=f"Kring {name}", visibility=visibility)
        if name != "open":
            add_member(circle, member)
        meeting = plan_meeting(circle, facilitator, title=f"Bijeenkomst {name}")
        item = services.add_reading(circle, lesson, "Lees dit eerst.", meeting)
        world[f"{name}_circle"] = circle.slug
        world[f"{name}_meeting"] = meeting.id
        world[f"{name}_item"] = item.id
    asker = make_user(display_name="Wil Graag Mee")
    from cop.circles import queries

    closed = queries.circle_by_slug(world["closed_circle"])
    services.join(closed, asker, "Mag ik meedoen?")
    world["closed_request"] = queries.pending_request(closed, asker).id
    # to the open circle: a matrix role accepting it must not become a member of the private one
    invitation = services.invite(
        queries.circle_by_slug(world["open_circle"]), "nieuw@example.org", facilitator
    )
    world["invitation_token"] = services.invitation_token(invitation)
    world["facilitator"] = facilitator.handle
    world["feed_token"] = services.calendar_feed(member).token
    discussions.start_thread(
        container_kind="circle",
        container=queries.circle_by_slug(world["private_circle"]),
        author=facilitator,
        kind="discussion",
        title="Alleen voor leden",
        body="Tekst",
    )


WRITE = "login confirm 200 login 200 200"
MEMBERS_ONLY = "404 404 200 404 404 404 200"


def facilitators(outcome: str) -> str:
    """Only the facilitator gets ``outcome``; members and staff are refused (403)."""
    return f"login confirm 403 login 403 403 {outcome}"


#               anonymous unconfirmed member suspended moderator admin [facilitator]
ROUTES = [
    same_for_all("GET", "/leerkringen/", "200", query=("soort", "thema", "gemeente", "pagina")),
    route("GET", "/leerkringen/nieuw", WRITE),
    route("POST", "/leerkringen/nieuw", WRITE),
    same_for_all("GET", "/leerkring/{open_circle}", "200"),
    same_for_all("GET", "/leerkring/{closed_circle}", "200"),
    route("GET", "/leerkring/{private_circle}", MEMBERS_ONLY),
    route("GET", "/leerkring/{open_circle}/bewerken", facilitators("200")),
    route("POST", "/leerkring/{open_circle}/bewerken", facilitators("200")),
    route("GET", "/leerkring/{private_circle}/bewerken", "login confirm 403 login 404 404 200"),
    route("POST", "/leerkring/{open_circle}/lid-worden", "login confirm 302 login 302 302"),
    route("POST", "/leerkring/{private_circle}/lid-worden", "login confirm 302 login 404 404"),
    route("POST", "/leerkring/{closed_circle}/verlaten", "login 302 302 login 302 302"),
    same_for_all("GET", "/leerkring/{open_circle}/leden", "200"),
    route("GET", "/leerkring/{closed_circle}/leden", MEMBERS_ONLY),
    route("GET", "/leerkring/{private_circle}/leden", MEMBERS_ONLY),
    route("POST", "/leerkring/{open_circle}/uitnodigen", facilitators("400")),
    route("POST", "/leerkring/{closed_circle}/verzoeken/{closed_request}", facilitators("400")),
    route("POST", "/leerkring/{open_circle}/leden/{facilitator}/begeleider", facilitators("400")),
    route("GET", "/leerkring/{open_circle}/leden/{facilitator}/verwijderen", facilitators("200")),
    route("POST", "/leerkring/{open_circle}/leden/{facilitator}/verwijderen", facilitators("400")),
    same_for_all("GET", "/leerkring/uitnodiging/{invitation_token}", "200"),
    route("POST", "/leerkring/uitnodiging/{invitation_token}", "200 200 302 200 302 302"),
    same_for_all("GET", "/leerkring/{open_circle}/discussies", "200", query=("soort", "pagina")),
    route("GET", "/leerkring/{private_circle}/discussies", MEMBERS_ONLY),
    route("GET", "/leerkring/{open_circle}/discussies/nieuw", facilitators("200")),
    route("GET", "/leerkring/{private_circle}/discussies/nieuw", "login confirm 200 login 404 404"),
    route("POST", "/leerkring/{private_circle}/discussies/nieuw", "login confirm 200 login 404 404"),
    route("POST", "/leerkring/{open_circle}/volgen", "login confirm 400 login 400 400"),
    route("GET", "/leerkring/{open_circle}/bijeenkomsten/nieuw", facilitators("200")),
    route("POST", "/leerkring/{open_circle}/bijeenkomsten/nieuw", facilitators("200")),
    same_for_all("GET", "/bijeenkomst/{open_meeting}", "200"),
    route("GET", "/bijeenkomst/{closed_meeting}", MEMBERS_ONLY),
    route("GET", "/bijeenkomst/{private_meeting}", MEMBERS_ONLY),
    route("GET", "/bijeenkomst/{open_meeting}/bewerken", facilitators("200")),
    route("POST", "/bijeenkomst/{open_meeting}/bewerken", facilitators("200")),
    route("POST", "/bijeenkomst/{private_meeting}/aanwezigheid", "login confirm 400 login 404 404"),
    route("POST", "/bijeenkomst/{open_meeting}/verslag", facilitators("302")),
    route("POST", "/bijeenkomst/{open_meeting}/verslag/discussie", facilitators("302")),
    same_for_all("GET", "/bijeenkomst/{open_meeting}.ics", "200"),
    route("GET", "/bijeenkomst/{private_meeting}.ics", MEMBERS_ONLY),
    same_for_all("GET", "/agenda/{feed_token}.ics", "200"),
    route("GET", "/account/agenda", "login 200 200 login 200 200"),
    route("POST", "/account/agenda", "login 302 302 login 302 302"),
    route("GET", "/leerkring/{open_circle}/leesplan", facilitators("200")),
    route("POST", "/leerkring/{open_circle}/leesplan", facilitators("200")),
    route("POST", "/leerkring/{open_circle}/leesplan/{open_item}", facilitators("400")),
    route(
        "POST",
        "/leerkring/{private_circle}/leesplan/{private_item}/gelezen",
        "login confirm 400 login 404 404",
    ),
    # last, because they change what the rows above see: cancelling a meeting, archiving the circle
    route("POST", "/bijeenkomst/{open_meeting}/annuleren", facilitators("302")),
    route("POST", "/leerkring/{open_circle}/archiveren", facilitators("400")),  # empty: which way?
]
