"""Search's routes for the shared checks (tests/routing.py): one page, for everyone."""

from __future__ import annotations

from tests.routing import same_for_all

LAYER = 75

ROUTES = [
    same_for_all("GET", "/zoeken", "200", query=("q", "soort", "thema", "wijk", "pagina")),
]
