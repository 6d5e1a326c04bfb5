"""The API's and the feeds' routes for the shared checks (tests/routing.py). Everything here is
public: every role gets the same answer, and what is not public (a draft lesson, a draft
contribution) is a 404 for everyone, moderators included."""

from __future__ import annotations

from tests.routing import same_for_all

LAYER = 80


def build(world) -> None:
    world["api_lesson"] = world["lesson"].split("-", 1)[0]
    world["api_draft"] = world["draft"].split("-", 1)[0]
    world["api_thread"] = world["thread"].split("-", 1)[0]


LIST = ("limit", "cursor")
ROUTES = [
    same_for_all("GET", "/api/v1/", "200"),
    same_for_all("GET", "/api/v1/openapi.json", "200"),
    same_for_all("GET", "/api/v1/themes", "200", query=LIST),
    same_for_all("GET", "/api/v1/themes/{theme}", "200"),
    same_for_all("GET", "/api/v1/chapters", "200", query=LIST),
    same_for_all("GET", "/api/v1/chapters/{chapter}", "200"),
    same_for_all("GET", "/api/v1/lessons", "200", query=LIST),
    same_for_all("GET", "/api/v1/lessons/{api_lesson}", "200", query=("revision",)),
    same_for_all("GET", "/api/v1/lessons/{api_draft}", "404"),
    same_for_all("GET", "/api/v1/editions", "200", query=LIST),
    same_for_all("GET", "/api/v1/editions/{edition}", "200"),
    same_for_all("GET", "/api/v1/threads", "200", query=(*LIST, "theme")),
    same_for_all("GET", "/api/v1/threads/{api_thread}", "200"),
    same_for_all("GET", "/api/v1/threads/{api_thread}/posts", "200", query=LIST),
    same_for_all("GET", "/api/v1/neighbourhoods", "200", query=LIST),
    same_for_all("GET", "/api/v1/neighbourhoods/{place}", "200"),
    same_for_all("GET", "/api/v1/contributions", "200", query=LIST),
    same_for_all("GET", "/api/v1/contributions/{promoted_contribution}", "200"),
    same_for_all("GET", "/api/v1/contributions/{draft_contribution}", "404"),
    same_for_all("GET", "/feeds/lessen.atom", "200"),
    same_for_all("GET", "/feeds/thema/{theme}.atom", "200"),
    same_for_all("GET", "/feeds/bijdragen.atom", "200"),
    same_for_all("GET", "/feeds/editie/{edition}.atom", "200"),
]
