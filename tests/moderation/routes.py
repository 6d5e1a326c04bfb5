"""Moderation's routes for the shared checks (tests/routing.py). In the world, the "member" reported
the opening post of the discussions' thread (someone else's) once; the reports page of that post is
the moderators'. The member wrote ``own_post`` and every contribution, the facilitator started the
circles: their own things have no "Report" page for them (403)."""

from __future__ import annotations

from cop.circles import queries as circle_queries
from cop.discussions import queries as discussion_queries
from cop.moderation import services
from tests.routing import route

LAYER = 38


def build(world) -> None:
    member = world.users["member"]
    thread = discussion_queries.thread_by_ref(world["thread"])
    others = discussion_queries.post_by_number(thread, 1)  # not deletable: other rows delete post 2
    own = discussion_queries.post_by_number(thread, int(world["own_post"]))
    services.flag(member, "post", others, "spam", "Reclame voor een adviesbureau.")
    world["flagged_post_id"] = others.id
    world["own_post_id"] = own.id
    world["thread_id"] = thread.id
    world["private_thread_id"] = discussion_queries.thread_by_ref(world["private_thread"]).id
    world["open_circle_id"] = circle_queries.circle_by_slug(world["open_circle"]).id
    world["private_circle_id"] = circle_queries.circle_by_slug(world["private_circle"]).id


FLAG = "login confirm 200 login 200 200"  # confirmed members who did not write it
OWN = "login confirm 403 login 200 200 200"  # the member wrote it
MODERATORS = "login 403 403 login 200 200"
#               anonymous unconfirmed member suspended moderator admin [facilitator]
ROUTES = [
    route("GET", "/melden/bericht/{flagged_post_id}", FLAG),
    route("GET", "/melden/bericht/{own_post_id}", OWN, others="200"),
    route("GET", "/melden/discussie/{thread_id}", FLAG),
    route(
        "GET",
        "/melden/discussie/{private_thread_id}",
        "login confirm 404 login 404 404 403",
        circle_member="200",
    ),
    route("GET", "/melden/bijdrage/{promoted_contribution}", OWN, others="200"),
    route("GET", "/melden/leerkring/{open_circle_id}", "login confirm 200 login 200 200 403"),
    route(
        "GET",
        "/melden/leerkring/{private_circle_id}",
        "login confirm 404 login 404 404 403",
        circle_member="200",
    ),
    route("GET", "/melden/lid/{other_id}", FLAG),
    route("GET", "/moderatie/", MODERATORS, query=("pagina",)),
    route("GET", "/moderatie/meldingen/bericht/{flagged_post_id}", MODERATORS),
    route("GET", "/moderatie/logboek", MODERATORS, query=("wie", "actie", "van", "tot", "pagina")),
    route(
        "POST",
        "/melden/bericht/{flagged_post_id}",
        FLAG,
        example={"reason": "offensive", "text": "Kwetsend."},
    ),
    route(
        "POST",
        "/moderatie/meldingen/bericht/{flagged_post_id}",
        MODERATORS,
        example={"decision": "dismiss", "note": "Geen reclame.", "duration": "7", "suspension_reason": ""},
    ),
]
