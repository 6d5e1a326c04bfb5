"""Every route of the app, declared by the capability that owns it, for the checks that hold for all.

Each capability keeps a ``tests/<capability>/routes.py`` with

- ``LAYER``: its place in the dependency order (a world is built lower layers first);
- ``build(world)``: makes the objects its routes need and names them in ``world`` (``world["lesson"]
  = "1.2-…"``), so that paths like ``/les/{lesson}`` can be filled in;
- ``ROUTES``: one ``route(method, path, outcomes, query=…)`` per route and method, with what each role
  gets (see ``OUTCOMES``).

The shared checks in ``tests/platform/test_routes.py`` (the authorization matrix, security headers,
CSRF, hostile input in paths, query strings and every form field, HTML validity) read these, so a
new capability's routes are covered by adding its ``routes.py``, and a route without a row fails.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from cop.accounts import services as account_services
from cop.extensions import db
from tests.conftest import logged_in
from tests.factories import make_user

ROLES = ("anonymous", "unconfirmed", "member", "suspended", "moderator", "admin", "facilitator")
# "facilitator": a confirmed member who facilitates the world's circles. A row that gives six
# outcomes means the facilitator gets what the member gets.
# What a role gets: a status code, or a redirect to the login page ("login"), to the page that asks
# to confirm the address first ("confirm"), or anywhere else ("302").
OUTCOMES = {"200", "301", "302", "400", "403", "404", "405", "login", "confirm"}


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # a template filled from the world: /les/{lesson}
    expect: dict[str, str]
    query: tuple[str, ...] = ()  # the query parameters the view reads
    fields: tuple[str, ...] | None = None  # a POST's form fields, when no page shows its form
    example: dict | None = None  # valid values for a POST's form, so that one bad field is the only one
    csrf_exempt: str = ""  # why a POST takes no CSRF token (its URL carries a signed token instead)

    def url(self, world: World) -> str:
        return self.path.format(**world.names)

    def allowed(self, role: str) -> bool:
        """Whether ``role`` gets past authorization here (so its input is checked)."""
        return self.expect[role] not in ("login", "confirm", "403", "404", "405")


def route(method: str, path: str, outcomes: str, **options) -> Route:
    values = outcomes.split()
    if len(values) == len(ROLES) - 1:
        values.append(values[ROLES.index("member")])
    assert len(values) == len(ROLES), f"{method} {path}: one outcome per role {ROLES}"
    assert set(values) <= OUTCOMES, f"{method} {path}: unknown outcome in {values}"
    return Route(method, path, dict(zip(ROLES, values, strict=True)), **options)


def same_for_all(method: str, path: str, outcome: str, **options) -> Route:
    return route(method, path, " ".join([outcome] * len(ROLES)), **options)


@dataclass
class World:
    """The objects the routes name, and a member of each role."""

    app: object
    names: dict[str, str] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key):
        return self.names[key]

    def __setitem__(self, key, value):
        self.names[key] = str(value)

    def client(self, role: str):
        """A client of ``role``, made anew from the account's current session token."""
        if role == "anonymous":
            return self.app.test_client()
        if role == "suspended":  # the session from before the suspension, which must be over
            client = self.app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = self.tokens["suspended"]
            return client
        user = self.users[role]
        db.session.refresh(user)
        return logged_in(self.app, user)


def capabilities():
    """Every capability's routes module, lower layers first."""
    here = Path(__file__).resolve().parent
    modules = [
        importlib.import_module(f"tests.{path.parent.name}.routes") for path in here.glob("*/routes.py")
    ]
    return sorted(modules, key=lambda module: module.LAYER)


def all_routes() -> list[Route]:
    return [declared for module in capabilities() for declared in module.ROUTES]


def build_world(app) -> World:
    world = World(app)
    world.users = {
        "unconfirmed": make_user("member", confirmed=False, display_name="Nog Niet Bevestigd"),
        "member": make_user("member", display_name="Gewoon Lid"),
        "moderator": make_user("moderator", display_name="Mo Derator"),
        "admin": make_user("admin", display_name="Ada Beheer"),
        "facilitator": make_user("member", display_name="Fee Cilitator"),
    }
    suspended = make_user("member", display_name="Ge Schorst")
    world.tokens["suspended"] = suspended.session_token
    account_services.suspend(suspended, 7, "Test", actor=None)
    for module in capabilities():
        build = getattr(module, "build", None)
        if build:
            build(world)
    return world
