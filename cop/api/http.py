"""The API's HTTP manners: JSON errors, opaque cursors, a capped limit, validators (ETag,
Last-Modified) with 304 answers, CORS for GET, and no use of the visitor's session."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app, g, jsonify, request
from sqlalchemy import tuple_
from werkzeug.exceptions import HTTPException

from cop.extensions import login_manager

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
EXPOSED = (
    "ETag, Last-Modified, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
)


class BadParameter(HTTPException):
    code = 400

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.parameter = name


def error_response(code: int, message: str, headers=None):
    response = jsonify({"error": {"status": code, "message": message}})
    response.status_code = code
    for name, value in headers or []:
        if name.lower() != "content-type":
            response.headers[name] = value
    return add_cors(response)


MESSAGES = {
    400: "Bad request.",
    404: "Not found.",
    405: "Only GET is possible here.",
    429: "Too many requests from this address; wait and try again.",
}


def json_error(error: HTTPException):
    message = error.description if isinstance(error, BadParameter) else MESSAGES.get(error.code, error.name)
    return error_response(error.code or 500, message, error.get_headers())


def add_cors(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET"
    response.headers["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    return response


def ignore_session() -> None:
    """Answer as to an anonymous visitor: the member's session is never read (nor a query run for
    it), so a logged-in member gets the same public data."""
    g._login_user = login_manager.anonymous_user()


def finish(response):
    """After every API response: CORS, and caching. A browser that carries a member's cookies keeps
    no copy (the platform's rule for logged-in pages); others may keep it and ask again with the
    validators."""
    add_cors(response)
    names = (current_app.config["SESSION_COOKIE_NAME"], current_app.config["REMEMBER_COOKIE_NAME"])
    if any(name in request.cookies for name in names):
        response.headers["Cache-Control"] = "no-store"
    else:
        response.headers.setdefault("Cache-Control", "public, no-cache")
    return response


# --- parameters -----------------------------------------------------------------------------------


def check_parameters(allowed: set[str]) -> None:
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        raise BadParameter(unknown[0], "unknown parameter")
    for name in request.args:
        if len(request.args.getlist(name)) > 1:
            raise BadParameter(name, "given more than once")


def int_parameter(name: str, minimum: int = 1, maximum: int = 2**31 - 1) -> int | None:
    value = request.args.get(name)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 10:
        raise BadParameter(name, "must be a whole number")
    number = int(value)
    if not minimum <= number <= maximum:
        raise BadParameter(name, f"must be between {minimum} and {maximum}")
    return number


def limit_parameter() -> int:
    """``limit``: 1 or more; more than MAX_LIMIT is capped."""
    value = request.args.get("limit")
    if value is None:
        return DEFAULT_LIMIT
    if not value.isascii() or not value.isdigit() or len(value) > 10 or int(value) < 1:
        raise BadParameter("limit", "must be a whole number of 1 or more")
    return min(int(value), MAX_LIMIT)


# --- cursor pagination ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Order:
    """How a list is cut: its key columns, their Python types, and the direction."""

    name: str
    columns: tuple
    types: tuple
    descending: bool = False

    def order_by(self):
        return [column.desc() if self.descending else column for column in self.columns]

    def after(self, values):
        key = tuple_(*self.columns) if len(self.columns) > 1 else self.columns[0]
        value = tuple_(*values) if len(values) > 1 else values[0]
        return key < value if self.descending else key > value


def encode_cursor(order: Order, values) -> str:
    raw = json.dumps([order.name, list(values)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(order: Order, cursor: str):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name, values = json.loads(raw)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise BadParameter("cursor", "not a cursor of this list") from None
    good = (
        name == order.name
        and isinstance(values, list)
        and len(values) == len(order.types)
        and all(type(v) is t for v, t in zip(values, order.types, strict=True))
        and all(abs(v) < 2**31 if isinstance(v, int) else len(v) <= 200 for v in values)
    )
    if not good:
        raise BadParameter("cursor", "not a cursor of this list")
    return values


def cursor_parameter(order: Order):
    cursor = request.args.get("cursor")
    if cursor is None:
        return None
    if len(cursor) > 1000 or not cursor.isascii():
        raise BadParameter("cursor", "not a cursor of this list")
    return decode_cursor(order, cursor)


@dataclass
class Cut:
    """One page of a list: the rows, and the cursor of the next page (None on the last)."""

    rows: list
    next_cursor: str | None


def cut(statement, order: Order, key_of, limit: int, execute) -> Cut:
    """Run ``statement`` for the page after the request's cursor: ``limit`` rows (one more is
    fetched to know whether another page follows). ``key_of(row)`` gives a row's key values."""
    values = cursor_parameter(order)
    if values is not None:
        statement = statement.where(order.after(values))
    rows = execute(statement.order_by(*order.order_by()).limit(limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    return Cut(rows, encode_cursor(order, key_of(rows[-1])) if more and rows else None)


# --- validators -----------------------------------------------------------------------------------


def latest(*moments) -> datetime | None:
    found = [moment for moment in moments if moment is not None]
    return max(found) if found else None


def conditional(document: dict, modified: datetime | None = None, links: dict | None = None):
    """``document`` as JSON with a strong ETag (of the body) and Last-Modified; 304 when the
    client's validators still match."""
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    response = current_app.response_class(body, mimetype="application/json")
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    if modified is not None:
        response.last_modified = modified.astimezone(UTC).replace(microsecond=0)
    if links:
        response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
    return response.make_conditional(request)


def conditional_feed(body: str, modified: datetime):
    """An Atom document with its validators; 304 when the client's still match."""
    response = current_app.response_class(body, mimetype="application/atom+xml")
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    response.last_modified = modified.astimezone(UTC).replace(microsecond=0)
    return response.make_conditional(request)
