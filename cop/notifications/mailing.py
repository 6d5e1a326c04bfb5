"""Mail about notifications: each member's choice per kind, the one-click unsubscribe link, the
daily digest and the meeting reminders (both for cron, both never sending one twice)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, select, update
from sqlalchemy.orm import joinedload

from cop import mail
from cop.accounts import User
from cop.circles import Attendance, CircleMember, Meeting
from cop.circles.models import Answer
from cop.db_types import utcnow
from cop.extensions import db
from cop.notifications.kinds import DIGEST_KIND, KINDS
from cop.notifications.making import About, _insert, _queue_mails, meeting_about
from cop.notifications.models import DELIVERIES, DIGEST, OFF, DigestState, Notification, NotificationSetting
from cop.notifications.reading import describe, target, visible
from cop.transactions import commit
from cop.urls import public_url

UNSUBSCRIBE_SALT = "cop.notifications.unsubscribe"
DIGEST_INTERVAL = timedelta(hours=20)  # at most one digest a day, whatever minute cron runs it
DIGEST_MAX_ITEMS = 50


# --- choices --------------------------------------------------------------------------------------


def settings_for(user) -> dict[str, str]:
    chosen = dict(
        db.session.execute(
            select(NotificationSetting.kind, NotificationSetting.delivery).where(
                NotificationSetting.user_id == user.id
            )
        ).all()
    )
    return {name: chosen.get(name, kind.default) for name, kind in KINDS.items()}


def save_settings(user, choices: dict[str, str]) -> None:
    current = {
        s.kind: s
        for s in db.session.scalars(select(NotificationSetting).where(NotificationSetting.user_id == user.id))
    }
    for name, value in choices.items():
        if name not in KINDS or value not in DELIVERIES:
            continue
        if name in current:
            current[name].delivery = value
        else:
            db.session.add(NotificationSetting(user_id=user.id, kind=name, delivery=value))
    commit()


# --- switching mail off with one click ------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user_id: int, kind: str) -> str:
    return _serializer().dumps({"u": user_id, "k": kind})


def read_unsubscribe_token(token: str) -> tuple[User, str] | None:
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("u"), int)
        or data.get("k") not in (*KINDS, DIGEST_KIND)
    ):
        return None
    user = db.session.get(User, data["u"])
    return (user, data["k"]) if user is not None else None


def unsubscribe_url(recipient_id: int, kind: str) -> str | None:
    if kind not in KINDS and kind != DIGEST_KIND:
        return None
    return public_url("notifications.unsubscribe", token=unsubscribe_token(recipient_id, kind))


def unsubscribe(user, kind: str) -> list[str]:
    """Switch mail of ``kind`` off (the digest: every kind that went into it). Returns the kinds."""
    if kind == DIGEST_KIND:
        kinds = [name for name, chosen in settings_for(user).items() if chosen == DIGEST]
    else:
        kinds = [kind]
    save_settings(user, dict.fromkeys(kinds, OFF))
    return kinds


# --- the daily digest -----------------------------------------------------------------------------


def _due_members(now) -> list[int]:
    recent = select(DigestState.user_id).where(DigestState.last_sent_at > now - DIGEST_INTERVAL)
    return list(
        db.session.scalars(
            select(Notification.user_id)
            .where(
                Notification.delivery == DIGEST,
                Notification.digested_at.is_(None),
                Notification.created_at <= now,
                Notification.user_id.not_in(recent),
            )
            .distinct()
        )
    )


def send_digests(now=None) -> int:
    """Mail each member whose digest is due the notifications it collected since the last one:
    the unread ones they may still see. Each member's items are claimed with a conditional UPDATE in
    the transaction that writes the mail, so two runs never send one twice. Returns mails queued."""
    now = now or utcnow()
    sent = 0
    for user_id in _due_members(now):
        claimed = list(
            db.session.scalars(
                update(Notification)
                .where(
                    Notification.user_id == user_id,
                    Notification.delivery == DIGEST,
                    Notification.digested_at.is_(None),
                    Notification.created_at <= now,
                )
                .values(digested_at=now)
                .returning(Notification.id)
            )
        )
        user = db.session.get(User, user_id)
        items = []
        if claimed and user is not None:
            items = db.session.scalars(
                select(Notification)
                .where(Notification.id.in_(claimed), Notification.read_at.is_(None), visible(user))
                .options(
                    joinedload(Notification.thread),
                    joinedload(Notification.post),
                    joinedload(Notification.actor),
                    joinedload(Notification.circle),
                    joinedload(Notification.meeting),
                )
                .order_by(Notification.id)
                .limit(DIGEST_MAX_ITEMS)
            ).all()
        if items:
            _queue_digest(user, items, len(claimed))
            sent += 1
        state = db.session.get(DigestState, user_id)
        if state is None:
            db.session.add(DigestState(user_id=user_id, last_sent_at=now))
        else:
            state.last_sent_at = now
        commit()
    return sent


def _queue_digest(user, items: list[Notification], claimed: int) -> None:
    base = current_app.config["PUBLIC_URL"]
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        lines = [(describe(item), base + target(item)) for item in items]
    outgoing = mail.queue(
        user.email,
        "digest",
        locale=user.locale,
        user=user,
        lines=lines,
        more=max(0, claimed - len(items)),
        unsubscribe=mail.UNSUBSCRIBE_PLACEHOLDER,
        inbox_link=public_url("notifications.index"),
        settings_link=public_url("notifications.settings"),
    )
    outgoing.recipient_id = user.id
    outgoing.list_kind = DIGEST_KIND


# --- meeting reminders ----------------------------------------------------------------------------


def send_reminders(now=None) -> int:
    """A reminder (a notification, mailed as the member chose) to everyone who said they come to a
    meeting that starts within a day. Each answer is claimed with a conditional UPDATE in the
    transaction that writes the reminder, so none goes out twice however often cron runs this."""
    now = now or utcnow()
    due = db.session.execute(
        select(Attendance.meeting_id, Attendance.user_id)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(
            CircleMember,
            and_(CircleMember.circle_id == Meeting.circle_id, CircleMember.user_id == Attendance.user_id),
        )
        .where(
            Attendance.answer == Answer.YES,
            Attendance.reminded_at.is_(None),
            Meeting.cancelled_at.is_(None),
            Meeting.starts_at > now,
            Meeting.starts_at <= now + timedelta(days=1),
        )
    ).all()
    sent = 0
    for meeting_id, user_id in due:
        claimed = db.session.execute(
            update(Attendance)
            .where(
                Attendance.meeting_id == meeting_id,
                Attendance.user_id == user_id,
                Attendance.reminded_at.is_(None),
            )
            .values(reminded_at=now)
        ).rowcount
        if claimed != 1:
            db.session.rollback()
            continue
        meeting = db.session.get(Meeting, meeting_id)
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            about: About = meeting_about(meeting)
        moment = utcnow()
        _insert(about, "meeting_reminder", User.id, None, moment, [User.id == user_id])
        _queue_mails(about, None, ["meeting_reminder"], moment)
        commit()
        sent += 1
    return sent
