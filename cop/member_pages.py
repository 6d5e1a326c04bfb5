"""A logged-in member's pages in the page cache: kept for that member's session alone.

A member who reloads a page, goes back to the thread they came from or opens the next page of a
list is served from the shared store when nothing they could see changed since it was rendered for
them. An entry is served only while all of these still hold:

- the generation (``cop.cache``): nothing a visitor could see changed;
- the generation of member data (``members``): no account, flag, audit entry or search word was
  written, and no member's own rows were written in a way that does not say whose they are;
- the member's own generation (``member:<id>``): none of the member's own rows (notifications, read
  positions, notification settings, lessons read, calendar links) changed;
- the session is alive: the key ``session:<hash of the login token>`` names the member. It is
  written only after Flask-Login accepted the token, and a logout, a new password, a suspension or
  an erased account replaces it with a tombstone that outlives every entry, so a cookie that ended
  never gets a stored page, even one rendered just before.

The entry's key holds the whole signed session cookie: the CSRF tokens in a stored form are the
session's own, and another device of the same member (another session) has entries of its own.
A request whose session holds messages to show, or whose address and browser no longer match
the session's (Flask-Login's session protection), goes to Flask, as does every page of the accounts
blueprint (login, settings, privacy). A response that changes the session or sets a cookie is not
stored, and a page that renders for a member whose session was not yet known in the store is not
stored either: the store does not know yet whose it is, so only the session is recorded.
"""

from __future__ import annotations

import hashlib
import time

from flask import request

GENERATION_KEY = "generation"
MEMBERS_KEY = "members"
MEMBER_ID = "cop.page_cache.member_id"
SESSION_ENDED = "ended"

# Rows that only their own member sees (a ``user_id`` column says whose): writing them changes that
# member's pages alone. Not ``reading_marks``: a circle's page names who read an item.
OWN_TABLES = frozenset(
    {
        "notifications",
        "notification_digests",
        "notification_settings",
        "lesson_reads",
        "thread_readers",
        "calendar_feeds",
    }
)
# What a member's login, logout, new password or language changes on their account: no other
# member's page shows it (the accounts pages that do are never stored).
OWN_USER_COLUMNS = frozenset({"last_login_at", "session_token", "password_hash", "locale"})
UNSEEN_TABLES = frozenset({"outbox_mails", "notification_batches"})  # no page shows them
# Login, password, profile and privacy pages, and the administrators' list of members (addresses and
# last logins, which OWN_USER_COLUMNS leaves to the member's own generation): always rendered.
UNCACHED_BLUEPRINTS = frozenset({"accounts"})


def session_key(token: str) -> str:
    return "session:" + hashlib.sha256(token.encode()).hexdigest()


def member_key(member_id: int) -> str:
    return f"member:{member_id}"


def identifier(environ) -> str:
    """Flask-Login's session identifier (``flask_login.utils._create_identifier``) from the WSGI
    environment: the client's address and browser, as the session recorded them at login."""
    address = environ.get("HTTP_X_FORWARDED_FOR", environ.get("REMOTE_ADDR"))
    if address is not None:
        address = address.encode("utf-8").split(b",")[0].strip()
    agent = environ.get("HTTP_USER_AGENT")
    if agent is not None:
        agent = agent.encode("utf-8")
    return hashlib.sha512(f"{address}|{agent}".encode()).hexdigest()


def mark(response, member_id: int) -> None:
    """Inside Flask: this member's page may be kept (``cop.cache`` checks the status and type)."""
    if request.blueprint in UNCACHED_BLUEPRINTS or response.direct_passthrough:
        return
    if "Set-Cookie" in response.headers:
        return
    request.environ[MEMBER_ID] = member_id


class MemberPages:
    """The member half of ``cop.cache.PageCache``: serving, rendering and ending sessions."""

    def __init__(self, cache):
        self.cache = cache
        self.store = cache.store
        self.timeout = cache.timeout

    def handle(self, environ, start_response, cookie: str, data: dict, language: str, target: str):
        if data.get("_id") != identifier(environ):
            return self.cache.wsgi_app(environ, start_response)  # Flask-Login decides
        token = data["_user_id"]
        page_key = "m:{}:{}".format(
            language, hashlib.sha256(f"{cookie}\0{target}".encode("utf-8", "surrogateescape")).hexdigest()
        )
        found = (
            self.cache._safe(self.store.get_many, GENERATION_KEY, MEMBERS_KEY, session_key(token), page_key)
            or [None] * 4
        )
        generation, members, member_id, entry = found
        if not isinstance(member_id, int):
            return self._render(environ, start_response, None, None, session=None if member_id else token)
        state = (
            generation or self.cache.generation(),
            members or self._generation(MEMBERS_KEY, 0),
            member_id,
            self._generation(member_key(member_id), self.timeout),
        )
        if entry is not None and tuple(entry[:4]) == state:
            status, headers, body = entry[4:]
            start_response(status, [*headers, ("X-Cache", "hit")])
            return [body]
        return self._render(environ, start_response, page_key, state)

    def _generation(self, key: str, timeout: int) -> str:
        """The value of a generation, started now when the store has none (any change moves it)."""
        value = self.cache._safe(self.store.get, key)
        if value is None:
            self.cache.add(key, f"{time.time():.6f}", timeout)
            value = self.cache._safe(self.store.get, key)
        return value or "0"

    def _render(self, environ, start_response, page_key, state, session: str | None = None):
        answer, out = self.cache.run(environ, start_response, MEMBER_ID)
        if answer is None:
            return out
        status, headers, _body = answer
        member_id = environ[MEMBER_ID]
        if not status.startswith("200") or any(name.lower() == "set-cookie" for name, _ in headers):
            return out
        if session is not None:  # Flask-Login accepted the token: the session is alive
            self.cache.add(session_key(session), member_id, self.timeout)
        elif page_key is not None and state[2] == member_id:
            self.cache._safe(self.store.set, page_key, (*state, *answer))
            self.cache.sweep()
        return out

    # --- invalidation ----------------------------------------------------------------------------

    def apply(self, changes) -> None:
        """After a commit: end sessions, then make the entries the changes touched out of date."""
        now = f"{time.time():.6f}"
        if changes.ended:
            tombstones = {session_key(token): SESSION_ENDED for token in changes.ended}
            self.cache._safe(self.store.set_many, tombstones, timeout=2 * self.timeout + 1)
        if changes.public:
            return  # the generation is replaced as well: every entry is out of date
        if changes.members:
            self.cache._safe(self.store.set, MEMBERS_KEY, now, timeout=0)
        elif changes.member_ids:
            touched = {member_key(member_id): now for member_id in changes.member_ids}
            self.cache._safe(self.store.set_many, touched, timeout=self.timeout)
