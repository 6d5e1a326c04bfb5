"""Reading writes nothing (issue 13): an anonymous visitor's read of any main page sends no INSERT,
UPDATE or DELETE; a member's read writes at most their reading position (in a thread, of a lesson),
once, when it moves on, and nothing on a second visit of the same page.

Every SQL statement of each request is recorded, as ``count_queries`` records them, and the writes
among them are named in the failure."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from cop.discussions.models import POSTS_PER_PAGE
from cop.discussions.queries import thread_by_ref
from cop.extensions import db
from tests.discussions.factories import bulk_posts
from tests.routing import build_world

WRITE = re.compile(r"^\s*(WITH\b.*?\)\s*)?(INSERT|UPDATE|DELETE|REPLACE|MERGE|UPSERT)\b", re.I | re.S)
# What a member's read may write: the reading position in the thread, the first read of a lesson.
READ_POSITIONS = re.compile(r"^\s*(INSERT INTO|UPDATE) (thread_readers|lesson_reads)\b", re.I)

PAGES = {
    "home": "/",
    "guide": "/gids/",
    "lesson": "/les/{lesson}",
    "theme": "/thema/{theme}",
    "thread, first page": "/discussie/{long_thread}",
    "thread, last page": "/discussie/{long_thread}?pagina={last_page}",
    "circles": "/leerkringen/",
    "circle": "/leerkring/{open_circle}",
    "contribution": "/bijdrage/{promoted_contribution}",
    "search": "/zoeken?q=bewoners",
}
MEMBERS_PAGES = {"my page": "/mijn"}
MODERATORS_PAGES = {"review queue": "/moderatie/beoordelen"}
# The pages where a member's first visit moves a reading position on.
RECORDS_READING = {"lesson", "thread, first page", "thread, last page"}


@contextmanager
def recording():
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def writes_of(client, path: str) -> list[str]:
    """The INSERT, UPDATE and DELETE statements of one GET of ``path`` (which must answer 200),
    including the work done after the response."""
    with recording() as statements:
        response = client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return [" ".join(statement.split())[:120] for statement in statements if WRITE.match(statement)]


@pytest.fixture
def world(app):
    world = build_world(app)
    thread = thread_by_ref(world["thread"])
    author = world.users["facilitator"]
    bulk_posts(thread, [author], 2 * POSTS_PER_PAGE + 5)  # three pages
    world["long_thread"] = thread.ref
    world["last_page"] = thread.pages
    return world


def paths(world, pages: dict[str, str]) -> dict[str, str]:
    return {name: path.format(**world.names) for name, path in pages.items()}


def test_an_anonymous_read_writes_nothing(world):
    client = world.client("anonymous")
    found = {}
    for visit in ("first", "again"):
        for name, path in paths(world, PAGES).items():
            written = writes_of(client, path)
            if written:
                found[f"{name} ({visit}: {path})"] = written
    assert not found, found


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_a_members_read_writes_only_the_reading_position_and_only_when_it_moves_on(world, role):
    client = world.client(role)
    pages = {**PAGES, **MEMBERS_PAGES, **(MODERATORS_PAGES if role == "moderator" else {})}
    unexpected, first = {}, {}
    for name, path in paths(world, pages).items():
        written = writes_of(client, path)
        first[name] = written
        others = [statement for statement in written if not READ_POSITIONS.match(statement)]
        if others or len(written) > 1:
            unexpected[f"{name} ({path})"] = written
    assert not unexpected, f"a first read wrote more than the reading position: {unexpected}"
    # the first visit of each page that shows something new to read moves the position on, once
    assert {name for name, written in first.items() if written} == RECORDS_READING, first
    again = {name: writes_of(client, path) for name, path in paths(world, pages).items()}
    assert not any(again.values()), f"a second read wrote: { {n: w for n, w in again.items() if w} }"
    # and going back to the thread's first page does not move the position back
    assert not writes_of(client, paths(world, PAGES)["thread, first page"])


def test_a_member_back_with_the_remember_cookie_reads_without_writing(app, world):
    """The session ran out; the remember cookie logs the member in again, which writes nothing (the
    login itself, with its password, is what counts as one)."""
    from tests.conftest import login

    client = app.test_client()
    assert login(client, world.users["outsider"].email, remember=True).status_code == 302
    client.delete_cookie(app.config["SESSION_COOKIE_NAME"])
    assert client.get_cookie(app.config["REMEMBER_COOKIE_NAME"]) is not None
    for name, path in paths(world, {**PAGES, **MEMBERS_PAGES}).items():
        if name in RECORDS_READING:
            continue
        assert not writes_of(client, path), name
    assert "Uitloggen" in client.get("/mijn").get_data(as_text=True)  # logged in all along
