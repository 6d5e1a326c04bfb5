"""The circles' routes for the shared checks (tests/routing.py). The "facilitator" facilitates all
three circles (open, closed, private); the "member" is a member of the closed circle only; the
"circle_member" is a plain member of the private circle only; nobody else in the matrix is in any.
The private circle holds a thread with a reply by its member, a meeting and a reading item."""

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
        if name == "closed":
            add_member(circle, member)
        if name == "private":
            add_member(circle, world.users["circle_member"])
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
    private_thread = discussions.start_thread(
        container_kind="circle",
        container=queries.circle_by_slug(world["private_circle"]),
        author=facilitator,
        kind="discussion",
        title="Alleen voor leden",
        body="Tekst",
    )
    reply = discussions.reply(private_thread, world.users["circle_member"], "Een reactie van een lid.")
    world["private_thread"] = private_thread.ref
    world["private_reply"] = reply.number


WRITE = "login confirm 200 login 200 200"
MEMBERS_ONLY = "404 404 200 404 404 404 200"  # the closed circle's: others="404"
PRIVATE = "404 404 404 404 404 404 200"  # and circle_member="200": nobody else knows it exists


def private(outcome: str, facilitator: str | None = None) -> str:
    """Members of the private circle (its facilitator, and circle_member= by keyword) get
    ``outcome``; to everyone else who is logged in, the circle does not exist (404)."""
    return f"login confirm 404 login 404 404 {facilitator or outcome}"


def private_any_login(outcome: str) -> str:
    """As ``private()``, for what unconfirmed members may do elsewhere: here they are refused (404)."""
    return f"login 404 404 login 404 404 {outcome}"


def facilitators(outcome: str) -> str:
    """Only the facilitator gets ``outcome``; members and staff are refused (403)."""
    return f"login confirm 403 login 403 403 {outcome}"


#               anonymous unconfirmed member suspended moderator admin [facilitator]; by keyword:
#               outsider circle_member (the member's outcome when not given)
ROUTES = [
    same_for_all("GET", "/leerkringen/", "200", query=("soort", "thema", "gemeente", "pagina")),
    route("GET", "/leerkringen/nieuw", WRITE),
    route("POST", "/leerkringen/nieuw", WRITE),
    same_for_all("GET", "/leerkring/{open_circle}", "200"),
    same_for_all("GET", "/leerkring/{closed_circle}", "200"),
    route("GET", "/leerkring/{private_circle}", PRIVATE, circle_member="200"),
    route("GET", "/leerkring/{open_circle}/bewerken", facilitators("200")),
    route("POST", "/leerkring/{open_circle}/bewerken", facilitators("200")),
    route("GET", "/leerkring/{private_circle}/bewerken", private("403", "200"), circle_member="403"),
    route("POST", "/leerkring/{open_circle}/lid-worden", "login confirm 302 login 302 302"),
    route("POST", "/leerkring/{private_circle}/lid-worden", private("302"), circle_member="302"),
    route("POST", "/leerkring/{closed_circle}/verlaten", "login 302 302 login 302 302"),
    same_for_all("GET", "/leerkring/{open_circle}/leden", "200"),
    route("GET", "/leerkring/{closed_circle}/leden", MEMBERS_ONLY, others="404"),
    route("GET", "/leerkring/{private_circle}/leden", PRIVATE, circle_member="200"),
    route("POST", "/leerkring/{open_circle}/uitnodigen", facilitators("400")),
    route("POST", "/leerkring/{closed_circle}/verzoeken/{closed_request}", facilitators("400")),
    route("POST", "/leerkring/{open_circle}/leden/{facilitator}/begeleider", facilitators("400")),
    route("GET", "/leerkring/{open_circle}/leden/{facilitator}/verwijderen", facilitators("200")),
    route("POST", "/leerkring/{open_circle}/leden/{facilitator}/verwijderen", facilitators("400")),
    same_for_all("GET", "/leerkring/uitnodiging/{invitation_token}", "200"),
    route("POST", "/leerkring/uitnodiging/{invitation_token}", "200 200 302 200 302 302"),
    same_for_all("GET", "/leerkring/{open_circle}/discussies", "200", query=("soort", "pagina")),
    route("GET", "/leerkring/{private_circle}/discussies", PRIVATE, circle_member="200"),
    route("GET", "/leerkring/{open_circle}/discussies/nieuw", facilitators("200")),
    route("GET", "/leerkring/{private_circle}/discussies/nieuw", private("200"), circle_member="200"),
    route("POST", "/leerkring/{private_circle}/discussies/nieuw", private("200"), circle_member="200"),
    # the private circle's thread, through the discussions' routes
    route("GET", "/discussie/{private_thread}", PRIVATE, circle_member="200"),
    route("POST", "/discussie/{private_thread}/reageren", private("200"), circle_member="200"),
    route(
        "GET",
        "/discussie/{private_thread}/bericht/{private_reply}",
        PRIVATE.replace("200", "302"),
        circle_member="302",
    ),
    route("GET", "/discussie/{private_thread}/ongelezen", private_any_login("302"), circle_member="302"),
    route(
        "GET",
        "/discussie/{private_thread}/bericht/{private_reply}/bewerken",
        private("200", "403"),
        circle_member="200",
    ),
    route(
        "GET",
        "/discussie/{private_thread}/bericht/{private_reply}/geschiedenis",
        PRIVATE,
        circle_member="200",
    ),
    route("POST", "/discussie/{private_thread}/vastzetten", private("403"), circle_member="403"),
    route("POST", "/discussie/{private_thread}/volgen", private_any_login("400"), circle_member="400"),
    route("POST", "/leerkring/{open_circle}/volgen", "login confirm 400 login 400 400"),
    route("GET", "/leerkring/{open_circle}/bijeenkomsten/nieuw", facilitators("200")),
    route("POST", "/leerkring/{open_circle}/bijeenkomsten/nieuw", facilitators("200")),
    same_for_all("GET", "/bijeenkomst/{open_meeting}", "200"),
    route("GET", "/bijeenkomst/{closed_meeting}", MEMBERS_ONLY, others="404"),
    route("GET", "/bijeenkomst/{private_meeting}", PRIVATE, circle_member="200"),
    route("GET", "/bijeenkomst/{open_meeting}/bewerken", facilitators("200")),
    route("POST", "/bijeenkomst/{open_meeting}/bewerken", facilitators("200")),
    route("POST", "/bijeenkomst/{private_meeting}/aanwezigheid", private("400"), circle_member="400"),
    route("POST", "/bijeenkomst/{open_meeting}/verslag", facilitators("302")),
    route("POST", "/bijeenkomst/{open_meeting}/verslag/discussie", facilitators("302")),
    same_for_all("GET", "/bijeenkomst/{open_meeting}.ics", "200"),
    route("GET", "/bijeenkomst/{private_meeting}.ics", PRIVATE, circle_member="200"),
    same_for_all("GET", "/agenda/{feed_token}.ics", "200"),
    route("GET", "/account/agenda", "login 200 200 login 200 200"),
    route("POST", "/account/agenda", "login 302 302 login 302 302"),
    route("GET", "/leerkring/{open_circle}/leesplan", facilitators("200")),
    route("POST", "/leerkring/{open_circle}/leesplan", facilitators("200")),
    route("POST", "/leerkring/{open_circle}/leesplan/{open_item}", facilitators("400")),
    route(
        "POST",
        "/leerkring/{private_circle}/leesplan/{private_item}/gelezen",
        private("400"),
        circle_member="400",
    ),
    # last, because they change what the rows above see: cancelling a meeting, archiving the circle
    route("POST", "/bijeenkomst/{open_meeting}/annuleren", facilitators("302")),
    route("POST", "/leerkring/{open_circle}/archiveren", facilitators("400")),  # empty: which way?
]
