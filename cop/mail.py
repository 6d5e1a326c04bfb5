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
import re
import smtplib
import uuid
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import click
from flask import Flask, current_app, render_template
from flask_babel import force_locale
from sqlalchemy import ForeignKey, String, Text, inspect, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from cop.db_types import UTCDateTime, utcnow
from cop.extensions import db
from cop.transactions import after_commit, after_response

log = logging.getLogger("cop.mail")
LINK = re.compile(r"https?://\S+")
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
    # A mail a member can switch off (a notification): for whom and which kind, so that the
    # one-click unsubscribe link and headers (RFC 8058) are made for them when it is sent.
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    list_kind: Mapped[str | None] = mapped_column(String(20))


def render(template: str, **context) -> tuple[str, str]:
    """(subject, text) of ``templates/mail/<template>.txt`` in the current language; its first line
    is the subject."""
    rendered = render_template(f"mail/{template}.txt", **context).lstrip()
    subject, _, body = rendered.partition("\n")
    return subject.strip(), body.strip() + "\n"


def queue(to_address: str, template: str, locale: str | None = None, **context) -> OutboxMail:
    """Add a mail to the session (the caller commits); it is tried once the commit succeeded."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject, body = render(template, **context)
    mail = OutboxMail(to_address=to_address, subject=subject, body_text=body)
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


# Where a mail's text says how to switch it off; replaced by the member's own link when it is sent.
UNSUBSCRIBE_PLACEHOLDER = "[[unsubscribe]]"


def _unsubscribe_url(mail: OutboxMail) -> str | None:
    """The one-click link to switch this kind of mail off for its recipient, from the package that
    makes such mail (the "mail-unsubscribe" extension point)."""
    from cop.panels import contributions

    if mail.recipient_id is None or not mail.list_kind:
        return None
    for build in contributions("mail-unsubscribe"):
        url = build(mail.recipient_id, mail.list_kind)
        if url:
            return url
    return None


def _message(mail: OutboxMail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="wijkengids")
    body = mail.body_text
    unsubscribe = _unsubscribe_url(mail)
    if unsubscribe:
        body = body.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe)
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(body)
    return message


def _transmit(message: EmailMessage, mail_id: int) -> None:
    config = current_app.config
    if config["MAIL_BACKEND"] == "file":
        folder = Path(config["MAIL_FILE_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{utcnow():%Y%m%dT%H%M%S}-{mail_id:06d}.eml"
        path.write_bytes(bytes(message))
        # The .eml is quoted-printable, which breaks long links; the .txt and the log keep them whole.
        text = message.get_content()
        headers = f"From: {message['From']}\nTo: {message['To']}\nSubject: {message['Subject']}\n\n"
        path.with_suffix(".txt").write_text(headers + text, encoding="utf-8")
        links = "".join(f"\n  {link}" for link in LINK.findall(text))
        log.info(
            "Mail written (not sent) to %s: %s\n  %s%s",
            message["To"],
            message["Subject"],
            path.with_suffix(".txt"),
            links,
        )
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


def deliver_soon(limit: int = 25) -> None:
    """After the current transaction commits and the response has gone out, deliver up to ``limit``
    waiting mails (for mail written in bulk, whose ids the writer does not hold); the rest waits
    for ``flask mail send``."""
    if current_app.config.get("MAIL_SEND_ON_COMMIT", True):
        after_commit(lambda: after_response(lambda: deliver_pending(limit)))


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
    if app.config["MAIL_BACKEND"] == "file" and not app.testing and not log.handlers:
        # Development: say on the console where each mail went and which links it holds.
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
