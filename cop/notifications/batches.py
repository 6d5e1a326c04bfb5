"""Notifications written right after the response: a reply's thousand followers hear of it without
the member who posted waiting for a thousand rows.

In the change's own transaction the subscriber decides who hears of what (the members' ids, read
with the change's locks held, so a member who starts following a moment later is not told of what
came before) and stores that as one ``NotificationBatch`` row. Once the commit succeeded and the
response has gone out, the batch is written: its notifications and its mails, in bulk, in one
transaction that also deletes the batch (a conditional DELETE claims it, as ``cop.mail`` claims a
mail by a conditional UPDATE), so each batch is written exactly once, whichever worker or command
gets there first. A change that rolls back leaves no batch.

A batch whose worker stopped before writing it is written by the next response that writes one
(after ``STALE``), or by ``flask --app cop notifications write`` from cron. A batch that fails
``MAX_ATTEMPTS`` times stays, counted by that command, for someone to look at.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, update

from cop.db_types import utcnow
from cop.extensions import db
from cop.notifications.models import NotificationBatch
from cop.transactions import after_commit, after_response, commit, retry_when_locked

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
    """Write the batch ``first``, then up to ``limit`` batches that lost their worker; how many
    were written here."""
    written = 0
    if first is not None:
        written += write(first)
    cutoff = utcnow() - (STALE if first is not None else timedelta(0))
    stale = db.session.scalars(
        select(_TABLE.c.id)
        .where(_TABLE.c.created_at < cutoff, _TABLE.c.attempts < MAX_ATTEMPTS)
        .order_by(_TABLE.c.id)
        .limit(limit)
    ).all()
    db.session.rollback()  # end the read before each write takes its own transaction
    for batch_id in stale:
        written += write(batch_id)
    return written


def write(batch_id: int) -> int:
    """Claim and write one batch; 0 when another worker had it, or when it failed (then its
    attempts count up, and it is tried again later)."""
    try:
        return _claim_and_write(batch_id)
    except Exception:
        db.session.rollback()
        log.exception("Writing notification batch %s failed", batch_id)
        tried = update(_TABLE).where(_TABLE.c.id == batch_id).values(attempts=_TABLE.c.attempts + 1)
        db.session.execute(tried)
        db.session.commit()
        return 0


@retry_when_locked
def _claim_and_write(batch_id: int) -> int:
    from cop.notifications.making import write_batch

    payload = db.session.scalar(delete(_TABLE).where(_TABLE.c.id == batch_id).returning(_TABLE.c.payload))
    if payload is None:  # written already, by another worker or the command
        db.session.rollback()
        return 0
    write_batch(payload)
    commit()
    return 1


def failed() -> int:
    return db.session.scalar(
        select(func.count()).select_from(_TABLE).where(_TABLE.c.attempts >= MAX_ATTEMPTS)
    )
