"""Notifications written right after the response: a reply's thousand followers hear of it without
the member who posted waiting for a thousand rows.

In the change's own transaction the subscriber decides who hears of what (the members' ids, read
with the change's locks held, so a member who starts following a moment later is not told of what
came before). Up to ``making.WRITE_AT_ONCE`` of them are told there and then; more are stored as
one ``NotificationBatch`` row. Once the commit succeeded and the
response has gone out, the batch is written: its notifications and its mails, in bulk, in one
transaction that also deletes the batch (a conditional DELETE claims it, as ``cop.mail`` claims a
mail by a conditional UPDATE), so each batch is written exactly once, whichever worker or command
gets there first. A change that rolls back leaves no batch.

A batch whose worker stopped before writing it is written by the next response that writes one
(after ``STALE``), or by ``flask --app cop notifications write`` from cron. A batch that fails
``MAX_ATTEMPTS`` times (a busy or unreachable database does not count) stays, counted by that
command, for someone to look at.

What the batch holds is the post and, per kind, the members' ids. Its writer reads the post as it
is then (its thread, title, text) and checks again that each member may read it; the members
mentioned in a post are told in the post's own transaction, so that an edit knows who was.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import OperationalError

from cop.db_types import utcnow
from cop.extensions import db
from cop.notifications.models import NotificationBatch
from cop.transactions import after_commit, after_response, retry_when_locked, run_after_commit

log = logging.getLogger("cop.notifications")

STALE = timedelta(seconds=60)  # a batch this old lost its worker (a response is written in ms)
MAX_ATTEMPTS = 5
_TABLE = NotificationBatch.__table__


def later(payload: dict, now: datetime) -> None:
    """Store ``payload`` (see ``making.write_batch``) in the current transaction; write it after
    the commit, once the response has gone out (outside a request: right after the commit)."""
    batch_id = db.session.scalar(
        insert(_TABLE).values(created_at=now, attempts=0, payload=payload).returning(_TABLE.c.id)
    )
    after_commit(lambda: after_response(lambda: write_waiting(first=batch_id)))


def write_waiting(first: int | None = None, limit: int = 20) -> int:
    """Write the batch ``first``, then up to ``limit`` batches that lost their worker (all that
    wait, when there is no ``first``); how many were written here."""
    written = 0
    if first is not None:
        written += write(first)
    cutoff = utcnow() - (STALE if first is not None else timedelta(0))
    try:
        stale = db.session.scalars(
            select(_TABLE.c.id)
            .where(_TABLE.c.created_at < cutoff, _TABLE.c.attempts < MAX_ATTEMPTS)
            .order_by(_TABLE.c.id)
            .limit(limit)
        ).all()
    except Exception:  # like write(), this never raises: the next response or the command tries again
        log.warning("Could not look for waiting notification batches", exc_info=True)
        stale = []
    db.session.rollback()  # end the read before each write takes its own transaction
    for batch_id in stale:
        written += write(batch_id)
    return written


def write(batch_id: int) -> int:
    """Claim and write one batch: 1, or 0 when another worker had it or when it failed. It never
    raises: outside a request it runs right after the caller's commit, whose change is stored. A
    failure counts towards ``MAX_ATTEMPTS`` unless the database was only busy or unreachable (a
    lock timeout, a lost connection), which the next try may not meet."""
    try:
        written = _claim_and_write(batch_id)
    except OperationalError:
        db.session.rollback()
        log.warning(
            "Writing notification batch %s met a busy or unreachable database", batch_id, exc_info=True
        )
        return 0
    except Exception:
        db.session.rollback()
        log.exception("Writing notification batch %s failed", batch_id)
        _count_attempt(batch_id)
        return 0
    try:
        run_after_commit()  # its mails go out (or wait in the outbox for `flask mail send`)
    except Exception:
        db.session.rollback()
        log.exception("Handing over the mails of notification batch %s failed", batch_id)
    return written


def _count_attempt(batch_id: int) -> None:
    try:
        tried = update(_TABLE).where(_TABLE.c.id == batch_id).values(attempts=_TABLE.c.attempts + 1)
        db.session.execute(tried)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("Counting the failed attempt of notification batch %s failed", batch_id)


@retry_when_locked
def _claim_and_write(batch_id: int) -> int:
    from cop.notifications.making import write_batch

    payload = db.session.scalar(delete(_TABLE).where(_TABLE.c.id == batch_id).returning(_TABLE.c.payload))
    if payload is None:  # written already, by another worker or the command
        db.session.rollback()
        return 0
    write_batch(payload)
    db.session.commit()
    return 1


def failed() -> int:
    return db.session.scalar(
        select(func.count()).select_from(_TABLE).where(_TABLE.c.attempts >= MAX_ATTEMPTS)
    )
