"""SQL that SQLite and PostgreSQL each spell their own way."""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

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
    fixed = _fixed_text(compiled, values)
    shape = _SHAPES.get(compiled) if fixed else None
    if shape is not None:
        given = compiled.construct_params(values)
    else:
        shape, given = _shape(compiled, values, connection)
        if fixed:
            _SHAPES[compiled] = shape
    prepared = connection.connection.info.setdefault(_PREPARED, OrderedDict())
    if shape.name in prepared:
        prepared.move_to_end(shape.name)
    else:
        connection.exec_driver_sql(f"PREPARE {shape.name} AS {shape.sql}", execution_options=_AS_IS)
        prepared[shape.name] = None
        while len(prepared) > PREPARED_MAX:
            connection.exec_driver_sql(
                f"DEALLOCATE {prepared.popitem(last=False)[0]}", execution_options=_AS_IS
            )
    # EXECUTE takes no parameters of its own: the values are written into its text, as psycopg
    # quotes them, each cast to its type
    driver = connection.connection.driver_connection
    arguments = []
    for key, cast in zip(shape.names, shape.casts, strict=True):
        value = shape.processors[key](given[key]) if key in shape.processors else given[key]
        arguments.append(f"{Literal(value).as_string(driver)}::{cast}")
    return connection.exec_driver_sql(
        f"EXECUTE {shape.name}({', '.join(arguments)})", execution_options=_AS_IS
    )


@dataclass(frozen=True)
class _Shape:
    """A statement as PostgreSQL prepares it: its text with numbered placeholders, its name, and
    per placeholder the parameter's key, its cast and how its value is processed."""

    sql: str
    name: str
    names: tuple[str, ...]
    casts: tuple[str, ...]
    processors: dict


def _shape(compiled, values: dict, connection) -> tuple[_Shape, dict]:
    """The shape of ``compiled`` written out for ``values``, and the values by their keys."""
    expanded = compiled.construct_expanded_state(values)
    names: list[str] = []

    def numbered(match) -> str:
        if match.group(1) is None:
            return "%"
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    sql = _PLACEHOLDER.sub(numbered, expanded.statement)
    spell = connection.dialect.type_compiler_instance.process
    origin = {new: old for old, expansion in expanded.parameter_expansion.items() for new in expansion}
    shape = _Shape(
        sql=sql,
        name="cop_" + hashlib.sha256(sql.encode()).hexdigest()[:24],
        names=tuple(names),
        casts=tuple(spell(compiled.binds[origin.get(key, key)].type) for key in names),
        processors={key: expanded.processors[key] for key in names if key in expanded.processors},
    )
    return shape, expanded.parameters


def _fixed_text(compiled, values: dict) -> bool:
    """Whether ``compiled`` is written out the same for any ``values``: none of its parameters is a
    list (``expanding``), and no value given replaces one written into its text (``literal_execute``).
    Then its shape is made once: writing out search's 27 kB statement, numbering its placeholders
    and hashing it takes some 0.6 ms."""
    return not any(
        bind.expanding or bind.callable is not None or bind.key in values
        for bind in compiled.post_compile_params
    )


_SHAPES: WeakKeyDictionary = WeakKeyDictionary()  # compiled -> _Shape, for a text that cannot change
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
