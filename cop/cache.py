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
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app, has_app_context, request, session
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause
from werkzeug.http import http_date, parse_cookie, parse_date, unquote_etag

from cop import signals

log = logging.getLogger("cop.cache")

GENERATION_KEY = "generation"
_DIRTY = "cop_page_cache_dirty"
CACHEABLE = "cop.page_cache.cacheable"

# Tables whose rows no anonymous page shows: writing them (a member reading, a notification, the
# outbox) leaves the cache alone. Changes to members themselves arrive as signals (profile, role,
# suspension, deletion), so logging in does not empty the cache either.
PRIVATE_TABLES = frozenset(
    {
        "users",
        "outbox_mails",
        "audit_entries",
        "flags",
        "notifications",
        "notification_digests",
        "notification_settings",
        "lesson_reads",
        "thread_readers",
        "reading_marks",
        "calendar_feeds",
        "search_words",
    }
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
        from cachelib import FileSystemCache

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

    def _safe(self, fn, *args, **kwargs):
        """The store being away slows pages down; it never breaks them."""
        try:
            return fn(*args, **kwargs)
        except Exception:
            log.warning("page cache store unavailable", exc_info=True)
            return None

    # --- serving ---------------------------------------------------------------------------------

    def _key(self, environ) -> str | None:
        """The entry for this request, or None when it may not be served from the cache."""
        if environ.get("REQUEST_METHOD") != "GET":
            return None
        path = environ.get("PATH_INFO", "")
        if path.startswith(UNCACHED_PREFIXES):
            return None
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        if self.remember_cookie in cookies:
            return None
        if self.session_cookie in cookies and not self._session_is_anonymous(cookies[self.session_cookie]):
            return None
        language = cookies.get("lang")
        if language not in self.languages:
            language = self.default_language
        target = f"{environ.get('HTTP_HOST', '')}{path}?{environ.get('QUERY_STRING', '')}"
        return f"{language}:{hashlib.sha256(target.encode('utf-8', 'surrogateescape')).hexdigest()}"

    def _session_is_anonymous(self, cookie: str) -> bool:
        """A session cookie that holds nothing for the page (no member, no messages to show): the
        cookie a visitor keeps after looking at the login form."""
        serializer = self.app.session_interface.get_signing_serializer(self.app)
        try:
            data = serializer.loads(cookie, max_age=int(self.app.permanent_session_lifetime.total_seconds()))
        except Exception:  # noqa: BLE001 - a bad or expired cookie: let Flask deal with it
            return False
        return "_user_id" not in data and "_flashes" not in data

    def __call__(self, environ, start_response):
        key = self._key(environ)
        if key is None:
            return self.wsgi_app(environ, start_response)
        found = self._safe(self.store.get_many, GENERATION_KEY, key) or [None, None]
        generation, entry = found[0] or self.generation(), found[1]
        if entry is not None and entry[0] == generation:
            return self._serve(environ, start_response, entry)
        return self._render(environ, start_response, key, generation)

    def _serve(self, environ, start_response, entry):
        _generation, status, headers, body, etag, modified = entry
        if _not_modified(environ, etag, modified):
            kept = [(k, v) for k, v in headers if k.lower() not in {"content-length", "content-type"}]
            start_response("304 Not Modified", [*kept, ("X-Cache", "hit")])
            return [b""]
        start_response(status, [*headers, ("X-Cache", "hit")])
        return [body]

    def _render(self, environ, start_response, key, generation):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        environ[CACHEABLE] = False
        chunks = self.wsgi_app(environ, capture)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        headers = captured.get("headers", [])
        if (
            environ.get(CACHEABLE)
            and captured.get("status", "").startswith("200")
            and not any(name.lower() == "set-cookie" for name, _ in headers)
        ):
            etag = next((value for name, value in headers if name.lower() == "etag"), None)
            modified = float(generation) if _is_number(generation) else time.time()
            entry = (generation, captured["status"], headers, body, etag, modified)
            self._safe(self.store.set, key, entry)
        return [body]


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
    if getattr(current_user, "is_authenticated", False) or response.direct_passthrough:
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


def _mark_dirty(session: Session) -> None:
    session.info[_DIRTY] = True


def _on_signal(sender, **facts) -> None:
    from cop.extensions import db

    _mark_dirty(db.session())


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, flush_context) -> None:
    if session.info.get(_DIRTY):
        return
    for instance in (*session.new, *session.dirty, *session.deleted):
        table = getattr(instance, "__tablename__", None)
        if table not in PRIVATE_TABLES and (instance not in session.dirty or session.is_modified(instance)):
            _mark_dirty(session)
            return


_WRITE = re.compile(r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)


@event.listens_for(Session, "do_orm_execute")
def _on_statement(state) -> None:
    """Writes that bypass the unit of work: ``session.execute(update(…))`` and textual SQL."""
    if state.session.info.get(_DIRTY):
        return
    if state.is_insert or state.is_update or state.is_delete:
        name = getattr(getattr(state.statement, "table", None), "name", None)
    elif isinstance(state.statement, TextClause):
        match = _WRITE.match(state.statement.text)
        if match is None:
            return
        name = match.group(1)
    else:
        return
    if name not in PRIVATE_TABLES:
        _mark_dirty(state.session)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_DIRTY, False) and has_app_context():
        cache = current_app.extensions.get("cop_page_cache")
        if cache is not None:
            cache.bump()


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_DIRTY, None)


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
