"""URLs in and out.

In: numbers from URLs without ever handing the database a number it cannot store. A path or query
number past a 32-bit integer is treated as "no such thing" (404, or the default), never passed to
SQL, where SQLite and PostgreSQL would refuse it with an error.

Out: every absolute URL that leaves the app (mail, calendar files, feeds, the API, a permalink to
copy) is built from the configured ``PUBLIC_URL``, never from the request's Host header, which a
client or a careless proxy controls.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, request
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


def public_url(endpoint: str, **values) -> str:
    """The absolute URL of ``endpoint`` at the platform's public address (``PUBLIC_URL``)."""
    adapter = current_app.extensions["cop_public_urls"]
    return adapter.build(endpoint, values, force_external=True)


def public_path(endpoint: str, **values) -> str:
    """The path of ``endpoint`` under the public address, for links stored in rendered text, which
    must not depend on the request that happened to write them."""
    return current_app.extensions["cop_public_urls"].build(endpoint, values)


def check_public_url(value: str) -> str:
    """``value`` without a trailing slash if it is an http(s) address with a host; else ValueError."""
    parts = urlsplit(value or "")
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"PUBLIC_URL must look like https://wijkengids.example, not {value!r}")
    return value.rstrip("/")


def public_host(app: Flask) -> str:
    return urlsplit(app.config["PUBLIC_URL"]).hostname


def init_app(app: Flask) -> None:
    """Must run before any blueprint is registered, so that every route uses the bounded int."""
    app.url_map.converters["int"] = BoundedIntConverter
    parts = urlsplit(check_public_url(app.config["PUBLIC_URL"]))
    app.extensions["cop_public_urls"] = app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )
