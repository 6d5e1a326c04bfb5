"""The transaction core: one domain error, one commit, and work that waits for the commit.

A service does its work in the session, sends its signal (``cop.signals``) so that subscribers add
their rows to the same transaction, and calls ``commit()``. Work that must not happen unless the
change is stored (delivering mail, writing the security log) is queued with ``after_commit(fn)``:
it runs once the commit succeeded and is dropped when the transaction rolls back. Work that should
not hold up the visitor (talking to the mail server) is handed to ``after_response(fn)``: in a
request it runs once the response has been sent, elsewhere (the command line) at once.
"""

from __future__ import annotations

import functools
import logging
import random
import sqlite3
import time
from collections.abc import Callable

from flask import Flask, current_app, g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from cop.extensions import db

log = logging.getLogger("cop.transactions")

CONFLICT_MESSAGE = _l("Someone else saved the same thing at the same moment. Check the page and try again.")
_QUEUED = "cop_after_commit"
_READY = "cop_after_commit_ready"


class DomainError(Exception):
    """A rule of the domain was not met. Views show ``message`` at ``field`` (or above the form)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


def after_commit(fn: Callable[[], object]) -> None:
    """Run ``fn`` after the current transaction commits; forget it when it rolls back."""
    db.session.info.setdefault(_QUEUED, []).append(fn)


def commit(conflict_message=None) -> None:
    """Commit the session. A unique constraint or a concurrent update that gets in the way becomes
    a DomainError with ``conflict_message``; the session is rolled back and nothing is kept."""
    try:
        db.session.commit()
    except (IntegrityError, StaleDataError):
        db.session.rollback()
        raise DomainError(conflict_message or CONFLICT_MESSAGE) from None
    run_after_commit()


def rollback() -> None:
    db.session.rollback()


LOCKED_ATTEMPTS = 3  # on SQLite: the first try and two more, each waiting up to the busy timeout


def retry_when_locked(service: Callable) -> Callable:
    """Decorate a service that owns its transaction: when SQLite gave up waiting for the database's
    write lock ("database is locked": another writer held it past the busy timeout), the transaction
    is rolled back and the service runs again from the start, a few times, instead of the member
    seeing an error. Only when the service's transaction was its own: with changes made before it,
    a rollback would lose them. PostgreSQL waits for row locks without a limit; nothing changes there."""

    @functools.wraps(service)
    def run(*args, **kwargs):
        for attempt in range(1, LOCKED_ATTEMPTS if _may_start_over() else 1):
            try:
                return service(*args, **kwargs)
            except OperationalError as error:
                if not _database_locked(error):
                    raise
            db.session.rollback()
            log.warning("The database was locked; %s starts over (%d)", service.__name__, attempt)
            time.sleep(random.uniform(0.01, 0.1))  # noqa: S311 - a pause, so that two who waited part
        return service(*args, **kwargs)  # the last attempt: an error now is the visitor's

    return run


def _may_start_over() -> bool:
    """On SQLite, whether nothing is written in the session's transaction yet."""
    session = db.session()
    if session.get_bind().dialect.name != "sqlite" or session.new or session.dirty or session.deleted:
        return False
    return not session.connection().connection.driver_connection.in_transaction


def _database_locked(error: OperationalError) -> bool:
    code = getattr(error.orig, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_BUSY


def run_after_commit() -> None:
    """Run the work of transactions that committed. ``commit()`` calls it; so does the end of every
    request, for a commit made without ``commit()``."""
    ready = db.session.info.pop(_READY, None)
    while ready:
        fn = ready.pop(0)
        fn()


@event.listens_for(Session, "after_commit")
def _move_to_ready(session: Session) -> None:
    queued = session.info.pop(_QUEUED, None)
    if queued:
        session.info.setdefault(_READY, []).extend(queued)


@event.listens_for(Session, "after_transaction_end")
def _drop_uncommitted(session: Session, transaction) -> None:
    if transaction.parent is None:  # the session's own transaction ended without a commit
        session.info.pop(_QUEUED, None)


def after_response(fn: Callable[[], object]) -> None:
    """Run ``fn`` once the response has gone out (in its own app context); outside a request, now."""
    if not has_request_context():
        fn()
        return
    jobs = g.setdefault("cop_after_response", [])
    jobs.append(fn)


def _run_jobs(app: Flask, jobs: list[Callable[[], object]]) -> None:
    with app.app_context():
        for fn in jobs:
            try:
                fn()
            except Exception:
                log.exception("Work after the response failed")
                db.session.rollback()


class CloseWhenSent:
    """WSGI middleware: close the response (and so run its after-response jobs) as soon as its body
    has been handed to the server, instead of trusting the server to call ``close()``. Werkzeug's
    development server skips ``close()`` when the browser resets the connection right after a
    redirect, which would leave a mail waiting in the outbox."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        result = self.wsgi_app(environ, start_response)

        def body():
            try:
                yield from result
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()

        return body()


def init_app(app: Flask) -> None:
    app.wsgi_app = CloseWhenSent(app.wsgi_app)

    @app.after_request
    def _schedule_after_response(response):
        run_after_commit()
        jobs = g.pop("cop_after_response", None)
        if jobs:
            this_app = current_app._get_current_object()

            def run_once():  # a response may be closed more than once (the middleware, then the server)
                pending = jobs[:]
                jobs.clear()
                if pending:
                    _run_jobs(this_app, pending)

            response.call_on_close(run_once)
        return response
