"""Notifications: made in bulk in the transaction of the post that causes them, mailed at once or
in the daily digest as each member chose, read in the app, switched off with one click.

The subscribers below run inside the discussions' services, before their commit, so a post that
fails leaves no notification and no mail. A reply in a thread with a thousand followers costs a
few INSERT … SELECT statements, not a loop: one for the notifications of the followers, one for
the mentioned members, one for the mails that go out at once (the mail text is rendered once per
language; each member's unsubscribe link is added when the mail is sent).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, case, func, insert, literal, or_, select, update
from sqlalchemy.orm import joinedload

from cop import mail, signals
from cop.accounts import User
from cop.db_types import UTCDateTime, utcnow
from cop.discussions import ContainerFollow, FollowLevel, Post, Thread, ThreadReader, containers
from cop.extensions import db
from cop.mail import OutboxMail
from cop.notifications.kinds import DIGEST_KIND, KINDS
from cop.notifications.models import (
    DELIVERIES,
    DIGEST,
    IMMEDIATELY,
    OFF,
    DigestState,
    Notification,
    NotificationSetting,
)
from cop.sanitize import text_of
from cop.transactions import commit
from cop.urls import public_url

UNSUBSCRIBE_SALT = "cop.notifications.unsubscribe"
EXCERPT = 500
DIGEST_INTERVAL = timedelta(hours=20)  # at most one digest a day, whatever minute cron runs it
DIGEST_MAX_ITEMS = 50


# --- delivery choices -------------------------------------------------------------------------------


def _delivery(kind_expression, user_id_column):
    """SQL: the member's choice for the kind, or the kind's default."""
    chosen = (
        select(NotificationSetting.delivery)
        .where(NotificationSetting.user_id == user_id_column, NotificationSetting.kind == kind_expression)
        .scalar_subquery()
    )
    default = case({name: kind.default for name, kind in KINDS.items()}, value=kind_expression, else_=OFF)
    return func.coalesce(chosen, default)


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
    for name, delivery in choices.items():
        if name not in KINDS or delivery not in DELIVERIES:
            continue
        if name in current:
            current[name].delivery = delivery
        else:
            db.session.add(NotificationSetting(user_id=user.id, kind=name, delivery=delivery))
    commit()


# --- making notifications ---------------------------------------------------------------------------


def _columns(kind_expression, user_id_column, thread: Thread, post: Post | None, actor_id, now):
    return [
        user_id_column,
        kind_expression,
        literal(thread.id),
        literal(post.id if post is not None else None),
        literal(actor_id),
        literal(now, UTCDateTime()),
        _delivery(kind_expression, user_id_column),
    ]


_TARGET = ["user_id", "kind", "thread_id", "post_id", "actor_id", "created_at", "delivery"]


def _may_read(thread: Thread):
    """Members who may be told of the thread: confirmed, and readers of its container."""
    return and_(
        User.confirmed_at.is_not(None),
        containers.readers_condition(thread.container_kind, thread.container_id, User.id),
    )


def _notify_members(user_ids, kind: str, thread: Thread, post: Post | None, actor_id, now) -> None:
    """One notification of ``kind`` for each member in ``user_ids`` who may read the thread."""
    if not user_ids:
        return
    rows = select(*_columns(literal(kind), User.id, thread, post, actor_id, now)).where(
        User.id.in_(user_ids), _may_read(thread)
    )
    db.session.execute(insert(Notification).from_select(_TARGET, rows))


def _notify_followers(thread: Thread, post: Post, actor_id, skip: list[int], now) -> None:
    """Everyone following the thread hears of the reply; the question's author (unless muted) hears
    that their question was answered."""
    asker = thread.author_id if thread.is_question else None
    kind = case((ThreadReader.user_id == asker, literal("answer")), else_=literal("reply"))
    rows = (
        select(*_columns(kind, ThreadReader.user_id, thread, post, actor_id, now))
        .join(User, User.id == ThreadReader.user_id)
        .where(
            ThreadReader.thread_id == thread.id,
            ThreadReader.user_id.not_in([actor_id, *skip]),
            or_(
                ThreadReader.level == FollowLevel.FOLLOWING.value,
                and_(ThreadReader.user_id == asker, ThreadReader.level != FollowLevel.MUTED.value),
            ),
            _may_read(thread),
        )
    )
    db.session.execute(insert(Notification).from_select(_TARGET, rows))


def _notify_container_followers(thread: Thread, post: Post, actor_id, skip: list[int], now) -> None:
    rows = (
        select(*_columns(literal("new_thread"), ContainerFollow.user_id, thread, post, actor_id, now))
        .join(User, User.id == ContainerFollow.user_id)
        .where(
            ContainerFollow.container_kind == thread.container_kind,
            ContainerFollow.container_id == thread.container_id,
            ContainerFollow.user_id.not_in([actor_id, *skip]),
            _may_read(thread),
        )
    )
    db.session.execute(insert(Notification).from_select(_TARGET, rows))


def _place(thread: Thread) -> str:
    kind = containers.get(thread.container_kind)
    container = thread.container
    return kind.title(container) if container is not None else ""


def _mail_text(kind_name: str, locale: str, thread: Thread, post: Post | None, actor) -> tuple[str, str]:
    """The subject and text of a notification mail in ``locale``; the same for every recipient
    (their own unsubscribe link is put in when the mail is sent)."""
    link = (
        public_url("discussions.post_link", ref=thread.ref, number=post.number)
        if post is not None
        else public_url("discussions.thread", ref=thread.ref)
    )
    with force_locale(locale):
        return mail.render(
            "notification",
            kind=KINDS[kind_name],
            title=thread.title,
            actor=actor.display_name if actor else _("A former member"),
            place=_place(thread),
            excerpt=text_of(post.body_html)[:EXCERPT] if post is not None else "",
            link=link,
            unsubscribe=mail.UNSUBSCRIBE_PLACEHOLDER,
            settings_link=public_url("notifications.settings"),
        )


def _queue_mails(thread: Thread, post: Post | None, actor, kinds: list[str], now) -> None:
    """One mail for every notification of ``kinds`` just made for this post that goes out at once.
    One query finds which kinds and languages are needed (usually none), each text is rendered once,
    and one INSERT … SELECT writes all the mails, the text chosen by kind and the member's language."""
    default_locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    locale = func.coalesce(User.locale, default_locale)
    just_made = and_(
        Notification.thread_id == thread.id,
        Notification.post_id == (post.id if post is not None else None),
        Notification.created_at == now,
        Notification.kind.in_(kinds),
        Notification.delivery == IMMEDIATELY,
    )
    needed = db.session.execute(
        select(Notification.kind, locale)
        .join(User, User.id == Notification.user_id)
        .where(just_made)
        .distinct()
    ).all()
    if not needed:
        return
    subjects, bodies = [], []
    for kind_name, language in needed:
        subject, body = _mail_text(kind_name, language, thread, post, actor)
        condition = and_(Notification.kind == kind_name, locale == language)
        subjects.append((condition, literal(subject)))
        bodies.append((condition, literal(body)))
    rows = (
        select(
            User.email,
            case(*subjects, else_=literal("")),
            case(*bodies, else_=literal("")),
            literal(now, UTCDateTime()),
            literal(0),
            literal(""),
            User.id,
            Notification.kind,
        )
        .join(User, User.id == Notification.user_id)
        .where(just_made)
    )
    columns = [
        *("to_address", "subject", "body_text", "created_at", "attempts", "last_error"),
        *("recipient_id", "list_kind"),
    ]
    db.session.execute(insert(OutboxMail).from_select(columns, rows))
    mail.deliver_soon()


def on_thread_started(thread: Thread, post: Post, author, mentioned: list[int]) -> None:
    now = utcnow()
    _notify_members(mentioned, "mention", thread, post, author.id, now)
    _notify_container_followers(thread, post, author.id, mentioned, now)
    _queue_mails(thread, post, author, ["mention", "new_thread"], now)


def on_post_created(post: Post, author, mentioned: list[int]) -> None:
    thread = post.thread
    now = utcnow()
    _notify_members(mentioned, "mention", thread, post, author.id, now)
    _notify_followers(thread, post, author.id, mentioned, now)
    _queue_mails(thread, post, author, ["mention", "answer", "reply"], now)


def on_post_edited(post: Post, editor, mentioned: list[int]) -> None:
    """Members newly mentioned in an edit hear of it; nobody twice for one post."""
    already = set(
        db.session.scalars(
            select(Notification.user_id).where(
                Notification.post_id == post.id, Notification.kind == "mention"
            )
        )
    )
    new = [user_id for user_id in mentioned if user_id not in already]
    if new:
        now = utcnow()
        _notify_members(new, "mention", post.thread, post, post.author_id, now)
        _queue_mails(post.thread, post, post.author, ["mention"], now)


def on_best_answer_chosen(thread: Thread, post: Post | None, actor) -> None:
    if post is None or post.author_id is None or post.author_id == actor.id:
        return
    now = utcnow()
    _notify_members([post.author_id], "best_answer", thread, post, actor.id, now)
    _queue_mails(thread, post, actor, ["best_answer"], now)


def connect() -> None:
    signals.thread_started.connect(on_thread_started)
    signals.post_created.connect(on_post_created)
    signals.post_edited.connect(on_post_edited)
    signals.best_answer_chosen.connect(on_best_answer_chosen)


# --- reading ---------------------------------------------------------------------------------------------


def _visible(user):
    """Notifications whose thread the member may still see (they may have left a private circle)."""
    return or_(
        Notification.thread_id.is_(None),
        Notification.thread_id.in_(
            select(Thread.id).where(
                containers.visible_condition(Thread.container_kind, Thread.container_id, user)
            )
        ),
    )


def unread_count(user, cap: int = 100) -> int:
    """How many unread notifications (counted up to ``cap``): one query."""
    unread = (
        select(Notification.id)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None), _visible(user))
        .limit(cap)
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(unread))


def page(user, number: int, per_page: int = 30):
    """A page of the member's notifications, newest first: two queries (count and rows)."""
    from cop.pagination import Page

    statement = select(Notification).where(Notification.user_id == user.id, _visible(user))
    total = db.session.scalar(
        select(func.count()).select_from(statement.with_only_columns(Notification.id).subquery())
    )
    rows = db.session.scalars(
        statement.options(
            joinedload(Notification.thread), joinedload(Notification.post), joinedload(Notification.actor)
        )
        .order_by(Notification.id.desc())
        .limit(per_page)
        .offset((number - 1) * per_page)
    ).all()
    return Page(group(rows), total, number, per_page)


class Entry:
    """One line of /meldingen: a notification, or several unread replies in one thread."""

    def __init__(self, notification: Notification):
        self.first = notification
        self.items = [notification]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def unread(self) -> bool:
        return any(item.read_at is None for item in self.items)

    @property
    def actors(self) -> list[str]:
        names = [item.actor.display_name for item in self.items if item.actor]
        return list(dict.fromkeys(names))


def group(rows: list[Notification]) -> list[Entry]:
    """Unread replies in the same thread on one page become one entry (at the newest one's place)."""
    entries: list[Entry] = []
    by_thread: dict[int, Entry] = {}
    for notification in rows:
        key = notification.thread_id
        if notification.kind == "reply" and notification.read_at is None and key in by_thread:
            by_thread[key].items.append(notification)
            continue
        entry = Entry(notification)
        entries.append(entry)
        if notification.kind == "reply" and notification.read_at is None:
            by_thread[key] = entry
    return entries


def mark_read(user, notification: Notification) -> None:
    """Read by opening: this one and, for a reply, the other unread replies in its thread."""
    condition = Notification.id == notification.id
    if notification.kind == "reply":
        condition = or_(
            condition, and_(Notification.thread_id == notification.thread_id, Notification.kind == "reply")
        )
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None), condition)
        .values(read_at=utcnow())
    )
    commit()


def mark_all_read(user) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    commit()


# --- switching mail off with one click -------------------------------------------------------------------


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
        kinds = [name for name, delivery in settings_for(user).items() if delivery == DIGEST]
    else:
        kinds = [kind]
    save_settings(user, dict.fromkeys(kinds, OFF))
    return kinds


# --- the daily digest -------------------------------------------------------------------------------


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
                .where(Notification.id.in_(claimed), Notification.read_at.is_(None), _visible(user))
                .options(
                    joinedload(Notification.thread),
                    joinedload(Notification.post),
                    joinedload(Notification.actor),
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
    lines = []
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        for item in items:
            kind = KINDS[item.kind]
            actor = item.actor.display_name if item.actor else _("A former member")
            link = (
                public_url("discussions.post_link", ref=item.thread.ref, number=item.post.number)
                if item.post is not None
                else public_url("discussions.thread", ref=item.thread.ref)
            )
            lines.append((str(kind.line % {"actor": actor, "title": item.thread.title}), link))
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
