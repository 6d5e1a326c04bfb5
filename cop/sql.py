"""SQL that SQLite and PostgreSQL each spell their own way."""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable

from psycopg.sql import Literal
from sqlalchemy import Table

from cop.extensions import db


def upsert(table: Table, values: dict, keys: list[str], update: Callable, where: Callable | None = None):
    """One INSERT … ON CONFLICT (keys) DO UPDATE statement. ``update(excluded)`` gives the columns to
    set from the row that was not inserted; ``where(excluded)`` limits when (e.g. only forward)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values(**values)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[table.c[key] for key in keys],
        set_=update(excluded),
        where=where(excluded) if where else None,
    )


def insert_ignoring_duplicates(table: Table, values: dict, keys: list[str]):
    """One INSERT … ON CONFLICT (keys) DO NOTHING statement: a row that exists stays as it is."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return (
        insert(table).values(**values).on_conflict_do_nothing(index_elements=[table.c[key] for key in keys])
    )


PREPARED_MAX = 64  # statements kept prepared on one PostgreSQL connection
_PREPARED = "cop_prepared"  # in the pool's record of a connection: the names prepared on it
_AS_IS = {"no_parameters": True}  # sent as written: psycopg reads no placeholders in the text
_PLACEHOLDER = re.compile(r"%%|%\((\w+)\)s")  # an escaped percent sign, or a named parameter


def execute_prepared(statement, values: dict):
    """Run ``statement`` with ``values``; on PostgreSQL as a statement prepared on the connection
    the first time it runs there (``PREPARE``, then ``EXECUTE``), so that the server keeps its plan.
    For a statement whose planning costs more than running it (search: some 10 ms against a few),
    with ``plan_cache_mode`` set to keep a generic plan. Everything but ``values`` must be written
    into the statement's text (``literal_execute``), or the plan cannot use what it does not see.

    psycopg prepares statements by itself too, but forgets them at every rollback, and every
    request that wrote nothing ends in one; the app turns that off (``cop._connection_settings``)
    so that it never deallocates these. A connection keeps ``PREPARED_MAX`` statements, the oldest
    going first. One statement, and the first time on a connection one more (``PREPARE``)."""
    session = db.session
    if session.get_bind().dialect.name != "postgresql":
        return session.execute(statement, values)
    connection = session.connection()
    compiled = _compiled(statement, connection.dialect)
    expanded = compiled.construct_expanded_state(values)
    names: list[str] = []

    def numbered(match) -> str:
        if match.group(1) is None:
            return "%"
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    sql = _PLACEHOLDER.sub(numbered, expanded.statement)
    name = "cop_" + hashlib.sha256(sql.encode()).hexdigest()[:24]
    prepared = connection.connection.info.setdefault(_PREPARED, OrderedDict())
    if name in prepared:
        prepared.move_to_end(name)
    else:
        connection.exec_driver_sql(f"PREPARE {name} AS {sql}", execution_options=_AS_IS)
        prepared[name] = None
        while len(prepared) > PREPARED_MAX:
            connection.exec_driver_sql(
                f"DEALLOCATE {prepared.popitem(last=False)[0]}", execution_options=_AS_IS
            )
    # EXECUTE takes no parameters of its own: the values are written into its text, as psycopg
    # quotes them, each cast to its type
    given, processors = expanded.parameters, expanded.processors
    spell = connection.dialect.type_compiler_instance.process
    driver = connection.connection.driver_connection
    origin = {new: old for old, expansion in expanded.parameter_expansion.items() for new in expansion}
    arguments = []
    for key in names:
        value = processors[key](given[key]) if key in processors else given[key]
        kind = compiled.binds[origin.get(key, key)].type
        arguments.append(f"{Literal(value).as_string(driver)}::{spell(kind)}")
    return connection.exec_driver_sql(f"EXECUTE {name}({', '.join(arguments)})", execution_options=_AS_IS)


_COMPILED: OrderedDict = OrderedDict()  # (statement, dialect) -> compiled, the newest kept


def _compiled(statement, dialect):
    key = (id(statement), dialect.name)
    found = _COMPILED.get(key)
    if found is not None and found[0] is statement:
        _COMPILED.move_to_end(key)
        return found[1]
    compiled = statement.compile(dialect=dialect)
    _COMPILED[key] = (statement, compiled)
    while len(_COMPILED) > 2 * PREPARED_MAX:
        _COMPILED.popitem(last=False)
    return compiled
