"""Extension points owned by the app: higher packages add parts to pages and processes of lower ones.

A *point* is a named list of functions kept in ``app.extensions`` (not in module state, so two apps
in one process do not share them). A package contributes at app creation::

    panels.contribute(app, "lesson", lesson_discussions)   # fn(lesson) -> (template, context) | None

and the owner of the point asks for every contribution in registration order. Panel points render
parts of a page: the function returns a template name and its context, fetched in a bounded
number of queries, or None to show nothing; ``templates/_partials/panels.html`` renders them.
The other points collect a package's part of a process (the privacy export, deleting an account,
the search index) in the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

PANEL_POINTS = {
    "lesson": "parts of the lesson page, fn(lesson)",
    "theme": "parts of the theme page, fn(theme)",
    "home": "parts of the home page, fn(viewer)",
    "home-intro": "parts right under the home page's introduction (the search box), fn(viewer)",
    "dashboard": "parts of the member's dashboard, fn(member)",
    "profile": "parts of a member's public profile, fn(member)",
    "neighbourhood": "parts of a neighbourhood's page, fn(neighbourhood)",
    "neighbourhoods": "parts of the neighbourhood directory, fn(viewer)",
    "edition-changes": "parts of an edition's 'what is new' page, fn(edition)",
}
PROCESS_POINTS = {
    "privacy-export": "a package's part of a member's data export, fn(member) -> {name: data}",
    "account-deletion": "what a package removes or anonymises when a member deletes the account, fn(member)",
    "search-index": "what a package puts in the search index, fn() -> iterable of documents",
    "mail-unsubscribe": "the one-click unsubscribe link of a mail, fn(recipient_id, kind) -> url | None",
    "neighbourhood-merge": "rows that follow a neighbourhood merged into another, fn(old_id, new_id)",
    "first-steps": "a new member's first steps on /mijn, fn(member) -> FirstStep | None",
    "lesson-credits": "where lessons came from, many at once (the printable guide), fn(lesson_ids) -> "
    "(template, context) | None; the template gets ``panel``, ``lesson_id`` and the printed ``revision_id``",
}
POINTS = {**PANEL_POINTS, **PROCESS_POINTS}


@dataclass(frozen=True)
class FirstStep:
    """One step of a new member's first steps: ``done`` ticks it off; ``order`` places it."""

    order: int
    label: str
    url: str
    done: bool


_KEY = "cop_extension_points"


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = {name: [] for name in POINTS}


def contribute(app: Flask, point: str, fn: Callable) -> Callable:
    """Add ``fn`` to ``point`` (once); returns ``fn``."""
    functions = app.extensions[_KEY][point]  # an unknown point is a KeyError: a typo, not a no-op
    if fn not in functions:
        functions.append(fn)
    return fn


def contributions(point: str) -> list[Callable]:
    return list(current_app.extensions[_KEY][point])


def panels(point: str, obj) -> list[tuple[str, dict]]:
    """The parts of a page at ``point`` for ``obj``: (template, context) pairs, in order."""
    if point not in PANEL_POINTS:
        raise KeyError(point)
    parts = []
    for fn in contributions(point):
        part = fn(obj)
        if part is not None:
            parts.append(part)
    return parts
