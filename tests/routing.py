"""Every route of the app, declared by the capability that owns it, for the checks that hold for all.

Each capability keeps a ``tests/<capability>/routes.py`` with

- ``LAYER``: its place in the dependency order (a world is built lower layers first);
- ``build(world)``: makes the objects its routes need and names them in ``world`` (``world["lesson"]
  = "1.2-…"``), so that paths like ``/les/{lesson}`` can be filled in;
- ``ROUTES``: one ``route(method, path, outcomes, query=…)`` per route and method, with what each role
  gets (see ``OUTCOMES``).

The roles (``ROLES``, nine, as issue 12 asks) and who they are in the world ``build_world`` makes:

==============  =====================================================================================
anonymous       not logged in
unconfirmed     registered, address not confirmed yet
member          a confirmed member who *wrote things*: the world's contributions, a post, a proposed
                neighbourhood (each capability's ``routes.py`` says what); a member of the closed
                circle, **not** of the private one
suspended       a member suspended for a week, holding the session from before the suspension
moderator       role moderator; a member of no circle
admin           role admin; a member of no circle
facilitator     a confirmed member who facilitates (and started) all three circles: open, closed,
                private, and started the private circle's thread; wrote nothing else
outsider        a confirmed member of nothing who wrote nothing: the non-member of the private
                circle, and the plain "any other member" of rows about what the member owns
circle_member   a plain member (not a facilitator) of the private circle only; wrote nothing
==============  =====================================================================================

How a row gives the outcomes: a string of six or seven, positionally, for ``anonymous unconfirmed
member suspended moderator admin [facilitator]`` (the order rows have always used); the rest by
keyword, named as the role::

    route("GET", "/leerkring/{private_circle}", "404 404 404 404 404 404 200", circle_member="200")

A role a row does not give gets the **member's** outcome (the facilitator too, when six are given).
That default is safe for the private circle (the member is not in it, so a forgotten keyword
expects 404 and a leak fails), but wrong wherever the member owns what the row is about: such rows
name ``outsider`` and ``circle_member`` (``others=`` sets both at once). Since the member owns
nothing in the private circle, a row about it must say ``circle_member=`` for the member of it.

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

POSITIONAL = ("anonymous", "unconfirmed", "member", "suspended", "moderator", "admin", "facilitator")
ROLES = (*POSITIONAL, "outsider", "circle_member")  # who they are: see the module's docstring
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


def route(
    method: str,
    path: str,
    outcomes: str,
    *,
    outsider: str | None = None,
    circle_member: str | None = None,
    others: str | None = None,
    **options,
) -> Route:
    """A row: six or seven outcomes by position (see ``POSITIONAL``), the new roles by keyword
    (``others`` for both); what is not given is the member's outcome."""
    values = outcomes.split()
    if len(values) == len(POSITIONAL) - 1:
        values.append(values[POSITIONAL.index("member")])
    assert len(values) == len(POSITIONAL), f"{method} {path}: one outcome per role {POSITIONAL}"
    expect = dict(zip(POSITIONAL, values, strict=True))
    member = expect["member"]
    expect["outsider"] = outsider or others or member
    expect["circle_member"] = circle_member or others or member
    assert set(expect.values()) <= OUTCOMES, f"{method} {path}: unknown outcome in {expect}"
    return Route(method, path, expect, **options)


def same_for_all(method: str, path: str, outcome: str, **options) -> Route:
    return route(method, path, " ".join([outcome] * len(POSITIONAL)), **options)


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
        "outsider": make_user("member", display_name="Buiten Staander"),
        "circle_member": make_user("member", display_name="Kring Lid"),
    }
    suspended = make_user("member", display_name="Ge Schorst")
    world.tokens["suspended"] = suspended.session_token
    account_services.suspend(suspended, 7, "Test", actor=None)
    for module in capabilities():
        build = getattr(module, "build", None)
        if build:
            build(world)
    return world
