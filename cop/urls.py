"""Reading numbers from URLs without ever handing the database a number it cannot store.

A path or query number past a 32-bit integer is treated as "no such thing" (404, or the default),
never passed to SQL, where SQLite and PostgreSQL would refuse it with an error.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1
MAX_PAGE = 10_000


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` that only matches 0 … 2**31-1; larger numbers are a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def int_arg(name: str, default: int | None = None, *, minimum: int = 1, maximum: int = MAX_ID):
    """The query argument ``name`` as an int within [minimum, maximum], else ``default``."""
    value = request.args.get(name, type=int)
    if value is None or not minimum <= value <= maximum:
        return default
    return value


def page_arg(name: str = "pagina") -> int:
    return int_arg(name, 1, maximum=MAX_PAGE)


def init_app(app: Flask) -> None:
    """Must run before any blueprint is registered, so that every route uses the bounded int."""
    app.url_map.converters["int"] = BoundedIntConverter
