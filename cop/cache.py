"""The page cache: what anonymous visitors see, rendered once and shared by every worker and host.

An anonymous GET of an HTML page is served from a store all workers share (Redis in production,
files in the instance folder on one machine) as long as nothing changed since it was rendered.
"Nothing changed" is one value in the store, the *generation*: every transaction that changes what
a visitor could see (a domain signal was sent, or a row of a public table was written) replaces it
once it has committed, and an entry rendered under an older generation is never served again. So
a new reply, an edit, a hidden post or a member who made their profile private shows on the very
next anonymous request, on every worker; entries also expire after ``PAGE_CACHE_SECONDS`` so that
"3 minuten geleden" and the list of upcoming meetings do not grow old.

Only what cannot differ between visitors is stored: a 200 HTML response to a GET without a login
(no ``cop_session`` holding a member or messages, no remember cookie) that sets no cookie. Pages
that need a visitor's own CSRF token (login, registration) set the session cookie and are never
stored. The language is part of the key (the ``lang`` cookie).

A logged-in member's pages are kept too, for that member's session alone (``cop.member_pages``):
the key holds the whole signed session (so the CSRF tokens in the page are the session's own), and
an entry is served only while the generation, the generation of member data (accounts, flags) and
the member's own generation (their notifications, read positions, settings) are those it was
rendered under, and while the session is known to be alive: a logout, a new password or a
suspension ends it in the store as well.

Responses carry ``ETag`` and ``Last-Modified`` and answer a matching conditional request with 304,
and ``Cache-Control`` lets a shared proxy keep an anonymous page for ``PAGE_CACHE_PROXY_SECONDS``;
a page for a logged-in member is ``no-store`` (``cop.security``).

``CACHE_URL`` chooses the store: ``redis://host:port/db``, ``file:///path`` (the default is a
folder ``page-cache`` in the instance folder) or ``none``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cachelib import FileSystemCache
from flask import Flask, current_app, has_app_context, request, session
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, BooleanClauseList, TextClause
from werkzeug.http import http_date, parse_cookie, parse_date, unquote_etag

from cop import member_pages, signals
from cop.member_pages import GENERATION_KEY, MemberPages

log = logging.getLogger("cop.cache")

_CHANGES = "cop_page_cache_changes"
CACHEABLE = "cop.page_cache.cacheable"

# Tables whose rows no anonymous page shows: writing them (a member reading, a notification, the
# outbox) leaves the cache alone. Changes to members themselves arrive as signals (profile, role,
# suspension, deletion), so logging in does not empty the cache either.
PRIVATE_TABLES = (
    member_pages.OWN_TABLES
    | member_pages.UNSEEN_TABLES
    | frozenset({"users", "audit_entries", "flags", "search_words", "reading_marks"})
)
# Paths with rules of their own: the API and the feeds count requests per client (rate limits) and
# answer conditional requests themselves; static files are the web server's.
UNCACHED_PREFIXES = ("/api/", "/feeds/", "/static/", "/healthz")


def open_store(url: str, instance_path: str, timeout: int, prefix: str = "cop:page:"):
    """The shared store ``CACHE_URL`` names, or None when the cache is off."""
    if url in {"none", "null", "off"}:
        return None
    if not url:
        url = f"file://{Path(instance_path) / 'page-cache'}"
    parts = urlsplit(url)
    if parts.scheme == "redis":
        import redis
        from cachelib import RedisCache

        client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        return RedisCache(client, default_timeout=timeout, key_prefix=prefix)
    if parts.scheme == "file":
        return FileSystemCache(parts.path, threshold=5000, default_timeout=timeout)
    raise ValueError(f"CACHE_URL: unknown store {url!r} (redis://…, file:///…, none)")


class PageCache:
    """WSGI middleware in front of the Flask app: serves stored pages before Flask starts."""

    def __init__(self, app: Flask, store):
        self.app = app
        self.wsgi_app = app.wsgi_app
        self.store = store
        self.timeout = app.config["PAGE_CACHE_SECONDS"]
        self.proxy_seconds = app.config["PAGE_CACHE_PROXY_SECONDS"]
        self.languages = tuple(app.config["LANGUAGES"])
        self.default_language = app.config["BABEL_DEFAULT_LOCALE"]
        self.session_cookie = app.config["SESSION_COOKIE_NAME"]
        self.remember_cookie = app.config["REMEMBER_COOKIE_NAME"]
        self.members = MemberPages(self)
        self.swept = time.monotonic()

    # --- the generation --------------------------------------------------------------------------

    def generation(self) -> str:
        """The current generation: the time of the last change (a new store starts it now)."""
        value = self._safe(self.store.get, GENERATION_KEY)
        if value is None:
            self._safe(self.store.add, GENERATION_KEY, f"{time.time():.6f}", timeout=0)
            value = self._safe(self.store.get, GENERATION_KEY)
        return value or "0"

    def bump(self) -> None:
        """A change committed: every stored page is out of date."""
        self._safe(self.store.set, GENERATION_KEY, f"{time.time():.6f}", timeout=0)

    def add(self, key: str, value, timeout: int) -> None:
        """Store ``value`` unless ``key`` holds one. cachelib's file store leaves an expired entry's
        file in place and its ``add`` takes the file for a live entry: there, ask first."""
        if not isinstance(self.store, FileSystemCache):
            self._safe(self.store.add, key, value, timeout=timeout)
        elif self._safe(self.store.has, key) is False:
            self._safe(self.store.set, key, value, timeout=timeout)

    def sweep(self) -> None:
        """Remove expired entries from a file store, at most once a ``PAGE_CACHE_SECONDS`` per
        worker: cachelib's file store removes them only when it holds more than its threshold,
        and a member's pages must not outlive their minute on disk."""
        if not isinstance(self.store, FileSystemCache) or time.monotonic() < self.swept + self.timeout:
            return
        self.swept = time.monotonic()
        self._safe(self.store._remove_expired, time.time())

    def _safe(self, fn, *args, **kwargs):
        """The store being away slows pages down; it never breaks them."""
        try:
            return fn(*args, **kwargs)
        except Exception:
            log.warning("page cache store unavailable", exc_info=True)
            return None

    # --- serving ---------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") != "GET" or path.startswith(UNCACHED_PREFIXES):
            return self.wsgi_app(environ, start_response)
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        language = cookies.get("lang")
        if language not in self.languages:
            language = self.default_language
        target = f"{environ.get('HTTP_HOST', '')}{path}?{environ.get('QUERY_STRING', '')}"
        cookie = cookies.get(self.session_cookie)
        data = self._session(cookie) if cookie is not None else {}
        if data is None or "_flashes" in data:
            return self.wsgi_app(environ, start_response)  # a bad cookie, or messages to show
        if isinstance(data.get("_user_id"), str):
            return self.members.handle(environ, start_response, cookie, data, language, target)
        if self.remember_cookie in cookies:
            return self.wsgi_app(environ, start_response)  # Flask-Login logs the member in
        key = f"{language}:{hashlib.sha256(target.encode('utf-8', 'surrogateescape')).hexdigest()}"
        found = self._safe(self.store.get_many, GENERATION_KEY, key) or [None, None]
        generation, entry = found[0] or self.generation(), found[1]
        if entry is not None and entry[0] == generation:
            return self._serve(environ, start_response, entry)
        return self._render(environ, start_response, key, generation)

    def _session(self, cookie: str) -> dict | None:
        """What the signed session cookie holds, or None when it is bad or expired (Flask decides)."""
        serializer = self.app.session_interface.get_signing_serializer(self.app)
        try:
            data = serializer.loads(cookie, max_age=int(self.app.permanent_session_lifetime.total_seconds()))
        except Exception:  # noqa: BLE001 - a bad or expired cookie: let Flask deal with it
            return None
        return data if isinstance(data, dict) else None

    def _serve(self, environ, start_response, entry):
        _generation, status, headers, body, etag, modified = entry
        if _not_modified(environ, etag, modified):
            kept = [(k, v) for k, v in headers if k.lower() not in {"content-length", "content-type"}]
            start_response("304 Not Modified", [*kept, ("X-Cache", "hit")])
            return [b""]
        start_response(status, [*headers, ("X-Cache", "hit")])
        return [body]

    def run(self, environ, start_response, mark: str):
        """Let Flask answer. Returns ((status, headers, body), the answer) when Flask marked the
        response as one to keep (``environ[mark]``), else (None, the answer as it streams)."""
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        environ[CACHEABLE] = False
        chunks = self.wsgi_app(environ, capture)
        if not environ.get(mark):
            return None, chunks
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        return (captured.get("status", ""), captured.get("headers", []), body), [body]

    def _render(self, environ, start_response, key, generation):
        answer, out = self.run(environ, start_response, CACHEABLE)
        if answer is None:
            return out
        status, headers, body = answer
        if status.startswith("200") and not any(name.lower() == "set-cookie" for name, _ in headers):
            etag = next((value for name, value in headers if name.lower() == "etag"), None)
            modified = float(generation) if _is_number(generation) else time.time()
            entry = (generation, status, headers, body, etag, modified)
            self._safe(self.store.set, key, entry)
        return out

    # --- invalidation ----------------------------------------------------------------------------

    def apply(self, changes: Changes) -> None:
        """After a commit: what it changed is out of date in the store."""
        if changes.public:
            self.bump()
        self.members.apply(changes)


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _not_modified(environ, etag: str | None, modified: float) -> bool:
    wanted = environ.get("HTTP_IF_NONE_MATCH")
    if wanted and etag:
        tags = {unquote_etag(tag.strip())[0] for tag in wanted.split(",")}
        return unquote_etag(etag)[0] in tags or "*" in tags
    since = parse_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
    return since is not None and int(modified) <= since.timestamp()


# --- marking responses (inside Flask) --------------------------------------------------------------


def _mark_response(response):
    """Tell the middleware whether this response may be stored, and give anonymous HTML pages their
    validators and proxy lifetime."""
    from flask_login import current_user

    if request.method != "GET" or response.status_code != 200 or response.mimetype != "text/html":
        return response
    if getattr(current_user, "is_authenticated", False):
        if not session.modified and not request.path.startswith(UNCACHED_PREFIXES):
            member_pages.mark(response, current_user.id)
        return response
    if response.direct_passthrough:
        return response
    if _sets_cookie(response):
        response.headers.setdefault("Cache-Control", "no-store")  # a session of this visitor's own
        return response
    if request.path.startswith(UNCACHED_PREFIXES):
        return response
    cache = current_app.extensions.get("cop_page_cache")
    response.add_etag()
    if cache is not None:
        modified = cache.generation()
        if _is_number(modified) and float(modified) > 0:
            response.headers["Last-Modified"] = http_date(int(float(modified)))
        request.environ[CACHEABLE] = True
    seconds = current_app.config["PAGE_CACHE_PROXY_SECONDS"]
    response.headers["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}, must-revalidate"
    response.headers["Vary"] = ", ".join(filter(None, [response.headers.get("Vary"), "Cookie"]))
    return response.make_conditional(request)


def _sets_cookie(response) -> bool:
    """Whether the response hands this visitor a cookie: one set by the view, or the session that
    Flask saves after this (a CSRF token was made, a message was shown)."""
    if "Set-Cookie" in response.headers:
        return True
    return session.modified or (
        bool(session) and current_app.session_interface.should_set_cookie(current_app, session)
    )


# --- invalidation ------------------------------------------------------------------------------------


@dataclass
class Changes:
    """What a transaction changed, for the store, applied once it has committed."""

    public: bool = False  # something a visitor could see: every page is out of date
    members: bool = False  # member data (accounts, flags, …): every member's page
    member_ids: set[int] = field(default_factory=set)  # these members' own rows: their pages
    ended: set[str] = field(default_factory=set)  # login tokens that no longer hold


def _changes(session: Session) -> Changes:
    changes = session.info.get(_CHANGES)
    if changes is None:
        changes = session.info[_CHANGES] = Changes()
    return changes


def _record(changes: Changes, table: str | None, member_ids=None) -> None:
    if table in member_pages.UNSEEN_TABLES:
        return
    if table in member_pages.OWN_TABLES:
        if member_ids:
            changes.member_ids.update(member_ids)
        else:
            changes.members = True
    elif table in PRIVATE_TABLES:
        changes.members = True
    else:
        changes.public = True


def _on_signal(sender, **facts) -> None:
    from cop.extensions import db

    _changes(db.session()).public = True


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, flush_context) -> None:
    changes = None
    for instance in (*session.new, *session.dirty, *session.deleted):
        if instance in session.dirty and not session.is_modified(instance):
            continue
        changes = changes or _changes(session)
        table = getattr(instance, "__tablename__", None)
        member_id = getattr(instance, "user_id", None)
        if table == "users":
            changes.ended.update(_ended_tokens(instance, deleted=instance in session.deleted))
            if instance in session.dirty and _changed_columns(instance) <= member_pages.OWN_USER_COLUMNS:
                changes.member_ids.add(instance.id)  # only the member's own pages
                continue
        _record(changes, table, [member_id] if isinstance(member_id, int) else None)


def _changed_columns(instance) -> set[str]:
    return {attr.key for attr in inspect(instance).attrs if attr.history.has_changes()}


def _ended_tokens(user, deleted: bool) -> list[str]:
    """The login tokens a change to ``user`` ends: the one replaced, or the current one when the
    member was suspended or erased."""
    state = inspect(user)
    ended = list(state.attrs.session_token.history.deleted)
    if deleted or any(state.attrs[name].history.has_changes() for name in ("suspended_until", "deleted_at")):
        ended.append(user.session_token)
    return [token for token in ended if token]


_WRITE = re.compile(r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)


@event.listens_for(Session, "do_orm_execute")
def _on_statement(state) -> None:
    """Writes that bypass the unit of work: ``session.execute(update(…))`` and textual SQL."""
    if state.is_insert or state.is_update or state.is_delete:
        name = getattr(getattr(state.statement, "table", None), "name", None)
        member_ids = _member_ids(state) if name in member_pages.OWN_TABLES else None
    elif isinstance(state.statement, TextClause):
        match = _WRITE.match(state.statement.text)
        if match is None:
            return
        name, member_ids = match.group(1), None
    else:
        return
    _record(_changes(state.session), name, member_ids)


def _member_ids(state) -> list[int] | None:
    """Whose rows a statement on a table of members' own rows writes, when it says so plainly: an
    INSERT of values, or a WHERE that is ``user_id = …`` (alone or AND-ed). None when it does not
    (an INSERT … SELECT, a condition on something else): then every member's pages count as changed."""
    statement = state.statement
    if state.is_insert:
        if getattr(statement, "select", None) is not None:
            return None
        rows = state.parameters
        rows = [rows] if isinstance(rows, dict) else list(rows or [])
        if rows and all(rows):
            found = [row.get("user_id") for row in rows]
        else:
            params = _compiled_params(state)
            found = [value for name, value in params.items() if _USER_ID.fullmatch(name)]
        return _ids(found)
    if state.is_update and "user_id" in _compiled_params(state):
        return None  # rows handed to another member: whose were they?
    where = getattr(statement, "whereclause", None)
    anded = isinstance(where, BooleanClauseList) and where.operator is operators.and_
    terms = list(where.clauses) if anded else [where]
    return _ids(
        term.right.effective_value
        for term in terms
        if isinstance(term, BinaryExpression)
        and term.operator is operators.eq
        and getattr(term.left, "name", None) == "user_id"
        and getattr(getattr(term.left, "table", None), "name", None) == statement.table.name
        and isinstance(term.right, BindParameter)
    )


def _compiled_params(state) -> dict:
    try:
        return state.statement.compile(dialect=state.session.get_bind().dialect).params
    except Exception:  # noqa: BLE001 - cannot tell
        return {"user_id": None}


def _ids(values) -> list[int] | None:
    found = list(values)
    return found if found and all(isinstance(value, int) for value in found) else None


_USER_ID = re.compile(r"user_id(?:_m\d+)?")


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    changes = session.info.pop(_CHANGES, None)
    if changes is not None and has_app_context():
        cache = current_app.extensions.get("cop_page_cache")
        if cache is not None:
            cache.apply(changes)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_CHANGES, None)


def init_app(app: Flask) -> None:
    app.config.setdefault("PAGE_CACHE_SECONDS", 60)
    app.config.setdefault("PAGE_CACHE_PROXY_SECONDS", 10)
    app.after_request(_mark_response)
    for signal in signals.events.values():
        signal.connect(_on_signal)
    if app.debug and not app.config.get("CACHE_URL"):
        return  # with the debugger on, a changed template shows at once
    store = open_store(
        app.config.get("CACHE_URL", ""),
        app.instance_path,
        app.config["PAGE_CACHE_SECONDS"],
        app.config.get("CACHE_KEY_PREFIX", "cop:page:"),
    )
    if store is None:
        return
    cache = PageCache(app, store)
    app.extensions["cop_page_cache"] = cache
    app.wsgi_app = cache
