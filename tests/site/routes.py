"""The site's routes for the shared checks (tests/routing.py)."""

from __future__ import annotations

from tests.routing import route, same_for_all

LAYER = 90

ROUTES = [
    same_for_all("GET", "/", "200"),
    route("GET", "/mijn", "login 200 200 login 200 200"),
    same_for_all("GET", "/over", "200"),
    same_for_all("GET", "/privacy", "200"),
    same_for_all("GET", "/toegankelijkheid", "200"),
    same_for_all("GET", "/healthz", "200"),
    same_for_all("GET", "/static/css/site.css", "200"),
]
