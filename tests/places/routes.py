"""The neighbourhoods' routes for the shared checks (tests/routing.py). The matrix's "member"
proposed one neighbourhood that waits for a moderator."""

from __future__ import annotations

from cop.places import services
from tests.places.factories import import_places, place, propose
from tests.routing import route, same_for_all

LAYER = 25


def build(world) -> None:
    import_places()
    member, moderator = world.users["member"], world.users["moderator"]
    proposal = propose(member, "Lombok", "Utrecht")
    doubled = propose(member, "Kanaleneiland Zuid", "Utrecht")
    services.decide(doubled, "merge", moderator, merge_into=place("kanaleneiland-utrecht"))
    world["place"] = "kanaleneiland-utrecht"
    world["proposed_place"] = proposal.slug
    world["proposal_id"] = proposal.id
    world["merged_place"] = doubled.slug


WRITE = "login confirm 200 login 200 200"
MODERATORS = "login 403 403 login 200 200"
#               anonymous unconfirmed member suspended moderator admin [facilitator]
ROUTES = [
    same_for_all("GET", "/wijken/", "200", query=("q", "programma", "gemeente")),
    route("GET", "/wijken/voorstellen", WRITE),
    route("POST", "/wijken/voorstellen", WRITE),
    same_for_all("GET", "/wijk/{place}", "200"),
    route("GET", "/wijk/{proposed_place}", "404 404 200 404 200 200 404", others="404"),
    same_for_all("GET", "/wijk/{merged_place}", "301"),
    route("GET", "/moderatie/wijken", MODERATORS),
    route("GET", "/moderatie/wijken/{proposal_id}", MODERATORS),
    route("POST", "/moderatie/wijken/{proposal_id}", MODERATORS, example={"decision": "approve"}),
    route("GET", "/account/werkgebied", "login 200 200 login 200 200"),
    route("POST", "/account/werkgebied", "login 302 302 login 302 302"),
]
