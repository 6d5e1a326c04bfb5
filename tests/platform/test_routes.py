"""Checks that hold for every route of the app, read from each capability's ``routes.py``:

- every route and method of ``app.url_map`` has a row (a new route without one fails here);
- the authorization matrix: every row × every role gets exactly the declared answer, and every
  answer carries the security headers (and ``no-store`` for logged-in members);
- every POST is refused without its CSRF token, with the Dutch message, changing nothing.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from cop.extensions import db
from tests.routing import ROLES, all_routes, build_world

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def outcome(response) -> str:
    if response.status_code in (302, 303):
        path = urlsplit(response.headers["Location"]).path
        if path == "/account/inloggen":
            return "login"
        if path == "/account/bevestigen":
            return "confirm"
        return "302"
    return str(response.status_code)


def endpoint_of(app, url: str, method: str) -> str:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(urlsplit(url).path, method=method)
    except HTTPException as error:
        raise AssertionError(f"{method} {url} matches no route ({error})") from None
    return endpoint


def ordered(routes):
    """Reads first, then writes, so that a POST (logging out, say) cannot change what a GET sees."""
    return sorted(routes, key=lambda declared: declared.method != "GET")


@pytest.fixture
def world(app):
    return build_world(app)


def test_every_route_of_the_app_has_a_row_in_the_matrix(app, world):
    declared = {(endpoint_of(app, r.url(world), r.method), r.method) for r in all_routes()}
    existing = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - IGNORED_METHODS
    }
    missing = sorted(existing - declared)
    assert not missing, f"routes without a row in a tests/<capability>/routes.py: {missing}"
    size = len(all_routes()) * len(ROLES)
    print(f"\nauthorization matrix: {len(all_routes())} rows x {len(ROLES)} roles = {size} cells")


@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(world, role):
    wrong = []
    for declared in ordered(all_routes()):
        url = declared.url(world)
        response = world.client(role).open(url, method=declared.method)
        got = outcome(response)
        if got != declared.expect[role]:
            wrong.append(f"{declared.method} {url}: expected {declared.expect[role]}, got {got}")
        headers = response.headers
        if "Content-Security-Policy" not in headers or headers.get("X-Content-Type-Options") != "nosniff":
            wrong.append(f"{declared.method} {url}: security headers missing")
        logged_in = role not in ("anonymous", "suspended") and declared.method == "GET"
        if logged_in and headers.get("Cache-Control") != "no-store":
            wrong.append(f"{declared.method} {url}: a logged-in page without Cache-Control: no-store")
    assert not wrong, "\n".join(wrong)


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def _row_counts() -> dict[str, int]:
    return {table.name: db.session.query(table).count() for table in db.metadata.sorted_tables}


def test_every_post_without_its_csrf_token_is_refused(world, csrf_on):
    before = _row_counts()
    wrong = []
    for declared in all_routes():
        if declared.method != "POST" or declared.csrf_exempt:
            continue
        role = next((r for r in ROLES if declared.allowed(r)), "admin")
        response = world.client(role).post(declared.url(world), data={"csrf_token": "vervalst"})
        page = response.get_data(as_text=True)
        if response.status_code != 400 or "Het formulier is verlopen" not in page:
            wrong.append(f"POST {declared.url(world)} as {role}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert _row_counts() == before
