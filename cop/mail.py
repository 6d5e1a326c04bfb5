"""Outgoing mail through an outbox.

A service queues a mail in the same transaction as the event that causes it. Once that transaction
commits, the mail is tried at once, after the response has gone out (``transactions.after_commit``
and ``after_response``), so talking to the mail server never holds up a page and takes equally long
whoever the mail is for. ``flask --app cop mail send`` delivers whatever is still waiting (SMTP was
down, the worker died). Each mail is claimed with a conditional UPDATE before it is sent, so two
workers never send the same mail twice.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import click
from flask import Flask, current_app, render_template
from flask_babel import force_locale
from sqlalchemy import String, Text, inspect, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from cop.db_types import UTCDateTime, utcnow
from cop.extensions import db
from cop.transactions import after_commit, after_response

log = logging.getLogger("cop.mail")
CLAIM_TIMEOUT = timedelta(minutes=10)


class OutboxMail(db.Model):
    __tablename__ = "outbox_mails"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claim_token: Mapped[str | None] = mapped_column(String(36))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")


def queue(to_address: str, template: str, locale: str | None = None, **context) -> OutboxMail:
    """Add a mail to the session (the caller commits); it is tried once the commit succeeded.
    ``template`` names ``templates/mail/<template>.txt``, whose first line is the subject."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        rendered = render_template(f"mail/{template}.txt", **context).lstrip()
    subject, _, body = rendered.partition("\n")
    mail = OutboxMail(to_address=to_address, subject=subject.strip(), body_text=body.strip() + "\n")
    db.session.add(mail)
    if current_app.config.get("MAIL_SEND_ON_COMMIT", True):
        after_commit(lambda: _deliver_after_response(mail))
    return mail


def _deliver_after_response(mail: OutboxMail) -> None:
    identity = inspect(mail).identity  # the id, without loading the expired row again
    if identity:
        after_response(lambda: deliver(identity))


def _claim(mail_id: int) -> bool:
    token = str(uuid.uuid4())
    now = utcnow()
    result = db.session.execute(
        update(OutboxMail)
        .where(
            OutboxMail.id == mail_id,
            OutboxMail.sent_at.is_(None),
            or_(OutboxMail.claimed_at.is_(None), OutboxMail.claimed_at < now - CLAIM_TIMEOUT),
        )
        .values(claimed_at=now, claim_token=token, attempts=OutboxMail.attempts + 1)
    )
    db.session.commit()
    return result.rowcount == 1


def _message(mail: OutboxMail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="wijkengids")
    message.set_content(mail.body_text)
    return message


def _transmit(message: EmailMessage, mail_id: int) -> None:
    config = current_app.config
    if config["MAIL_BACKEND"] == "file":
        folder = Path(config["MAIL_FILE_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{utcnow():%Y%m%dT%H%M%S}-{mail_id:06d}.eml"
        path.write_bytes(bytes(message))
        log.info("Mail to %s written to %s: %s", message["To"], path, message["Subject"])
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=15) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


def deliver(mail_ids) -> int:
    """Deliver the given queued mails; return how many were sent. Failures stay queued."""
    sent = 0
    for mail_id in mail_ids:
        if not _claim(mail_id):
            continue
        mail = db.session.get(OutboxMail, mail_id)
        try:
            _transmit(_message(mail), mail.id)
        except (OSError, smtplib.SMTPException) as error:
            log.warning("Mail %s not delivered: %s", mail.id, error)
            mail.claimed_at = None
            mail.last_error = str(error)[:500]
        else:
            mail.sent_at = utcnow()
            mail.last_error = ""
            sent += 1
        db.session.commit()
    return sent


def deliver_pending(limit: int = 100) -> int:
    ids = db.session.scalars(
        select(OutboxMail.id).where(OutboxMail.sent_at.is_(None)).order_by(OutboxMail.created_at).limit(limit)
    ).all()
    return deliver(ids)


mail_cli = click.Group("mail", help="Outgoing mail.")


@mail_cli.command("send")
@click.option("--limit", default=100, show_default=True, help="At most this many mails.")
def send_command(limit: int) -> None:
    """Deliver the mails that are waiting in the outbox."""
    sent = deliver_pending(limit)
    waiting = db.session.scalar(
        select(db.func.count()).select_from(OutboxMail).where(OutboxMail.sent_at.is_(None))
    )
    click.echo(f"{sent} sent, {waiting} waiting.")


def init_app(app: Flask) -> None:
    app.cli.add_command(mail_cli)
