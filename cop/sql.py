"""SQL that SQLite and PostgreSQL each spell their own way."""

from __future__ import annotations

from collections.abc import Callable

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
