"""``cop.sql.execute_prepared``: on PostgreSQL a statement is prepared once per connection and its
plan kept (search plans in some 10 ms and runs in a few); on SQLite it simply runs."""

from __future__ import annotations

import pytest
from sqlalchemy import Integer, String, bindparam, literal, literal_column, select, text

from cop import sql
from cop.extensions import db
from tests.conftest import logged_in
from tests.factories import make_user


def prepared_here() -> list:
    """The app's prepared statements on this connection: (name, generic plans, custom plans)."""
    return db.session.execute(
        text(
            "SELECT name, generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE name LIKE 'cop\\_%' ORDER BY prepare_time"
        )
    ).all()


@pytest.fixture
def postgresql_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PREPARE is PostgreSQL's; on SQLite the statement simply runs (the first test)")


HOSTILE = "50% van o'Brien; \\ %(x)s $1 %% DEALLOCATE ALL; --"


def test_values_reach_the_database_as_given(app):
    written = literal(HOSTILE, literal_execute=True)  # in the statement's text
    numbers = bindparam("numbers", expanding=True)
    statement = select(bindparam("value", type_=String()), literal("kind"), literal(3), written).where(
        literal(2).in_(numbers)
    )
    for value in (HOSTILE, "", "wijk"):
        found = sql.execute_prepared(statement, {"value": value, "numbers": [1, 2]}).one()
        assert found == (value, "kind", 3, HOSTILE)
    assert sql.execute_prepared(statement, {"value": "x", "numbers": [5]}).first() is None
    # and the statements after it in the same transaction are sent as before
    assert db.session.execute(select(literal_column("'100%'"))).scalar() == "100%"


def test_a_search_is_prepared_once_and_its_plan_kept(app, postgresql_only):
    client = logged_in(app, make_user())
    before = {name for name, *_ in prepared_here()}
    for _ in range(3):
        assert client.get("/zoeken?q=bewoners").status_code == 200
    added = [row for row in prepared_here() if row[0] not in before]
    assert len(added) == 1  # the same statement each time: the words are its parameters
    _name, generic, custom = added[0]
    assert (generic, custom) == (3, 0)  # planned once, for any words
    assert client.get("/zoeken?q=huismeester").status_code == 200
    assert [row[0] for row in prepared_here() if row[0] not in before] == [_name]


def test_a_connection_keeps_the_newest_statements_only(app, postgresql_only, monkeypatch):
    monkeypatch.setattr(sql, "PREPARED_MAX", 3)
    before = {name for name, *_ in prepared_here()}
    statements = [select(bindparam("value", type_=String()), literal_column(str(n))) for n in range(5)]
    for n, statement in enumerate(statements):
        assert sql.execute_prepared(statement, {"value": "a"}).one() == ("a", n)
    kept = [name for name, *_ in prepared_here() if name not in before]
    assert len(kept) == 3
    assert sql.execute_prepared(statements[0], {"value": "b"}).one() == ("b", 0)  # prepared again


def test_a_rollback_does_not_forget_them(app, postgresql_only):
    statement = select(bindparam("value", type_=String()), literal("kept"))
    assert sql.execute_prepared(statement, {"value": "a"}).one() == ("a", "kept")
    for _ in range(8):  # psycopg would prepare this one by itself, and forget all at a rollback
        db.session.execute(text("SELECT 1")).one()
    db.session.rollback()
    assert sql.execute_prepared(statement, {"value": "b"}).one() == ("b", "kept")


def test_a_statement_written_out_once_still_takes_each_calls_values(app):
    """A statement whose text cannot change (no list, nothing written in from the values) is
    written out once on PostgreSQL; every call still sends its own values, and a parameter with a
    function (such as the time) is asked again each call."""
    calls = []

    def counted():
        calls.append(None)
        return len(calls)

    statement = select(
        bindparam("value", type_=String()),
        bindparam("counter", callable_=counted, type_=Integer()),
        literal(HOSTILE, literal_execute=True),
    )
    for value in ("a", HOSTILE, "", "%(value)s"):
        assert sql.execute_prepared(statement, {"value": value}).one() == (value, len(calls), HOSTILE)
    assert len(calls) == 4
