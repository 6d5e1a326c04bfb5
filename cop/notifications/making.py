"""Making notifications, in bulk, decided in the transaction of the change that causes them.

The subscribers below run inside the services of discussions and circles, before their commit, so
a change that fails leaves no notification and no mail. Most write their notifications there, in
an INSERT … SELECT each, not a loop. Of a new thread and a reply, which may have thousands of
followers, read who follows there (a SELECT of ids per kind of recipient); when they are more than
a few, that is stored as a batch, whose notifications and mails are written right after the
response (``batches``): one INSERT … SELECT per kind and one for the mails, each mail's text
rendered once per language (each member's unsubscribe link is put in when the mail is sent).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import (
    JSON,
    Integer,
    String,
    Text,
    and_,
    bindparam,
    case,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)

from cop import mail, signals
from cop.accounts import User
from cop.circles import Circle, CircleMember, Meeting, MemberRole
from cop.contributions import Contribution, ContributionWriter
from cop.contributions import Status as ContributionStatus
from cop.contributions import queries as contribution_queries
from cop.contributions.states import STATUS_LABELS
from cop.db_types import UTCDateTime, utcnow
from cop.discussions import ContainerFollow, FollowLevel, Post, Thread, ThreadReader, containers
from cop.extensions import db
from cop.mail import OutboxMail
from cop.notifications import batches
from cop.notifications.kinds import KINDS
from cop.notifications.models import IMMEDIATELY, Notification, NotificationSetting
from cop.sanitize import text_of
from cop.urls import public_url

EXCERPT = 500


@dataclass
class About:
    """What a batch of notifications is about, and how its mail reads."""

    title: str
    place: str
    link: str
    excerpt: str = ""
    thread_id: int | None = None
    post_id: int | None = None
    circle_id: int | None = None
    meeting_id: int | None = None
    contribution_id: int | None = None
    data: dict = field(default_factory=dict)

    def ids(self) -> tuple[str, ...]:
        """The columns that pick out this batch's notifications: the post when there is one (its
        index holds exactly the batch), else every id it is about."""
        if self.post_id is not None:
            return ("post_id",)
        return tuple(name for name in _IDS if getattr(self, name) is not None)


@dataclass(frozen=True)
class Either:
    """A kind that depends on the member: ``then`` where the SQL condition ``when`` holds, else
    ``otherwise`` (a question's asker hears of an answer, the thread's other followers of a reply)."""

    when: object
    then: str
    otherwise: str


# What changes from batch to batch is bound, so that each statement is built (and compiled) once.
_IDS = ("thread_id", "post_id", "circle_id", "meeting_id", "contribution_id")
_ID = {name: bindparam(f"about_{name}", type_=Integer()) for name in _IDS}
_DATA = bindparam("about_data", type_=JSON())
_ACTOR = bindparam("about_actor_id", type_=Integer())
_NOW = bindparam("about_now", type_=UTCDateTime())
_DEFAULT_LOCALE = bindparam("default_locale", type_=String())
_STATEMENTS: dict[tuple, object] = {}


def _statement(key: tuple, build):
    """The statement ``build()`` makes, made once per ``key`` (its values are bind parameters)."""
    statement = _STATEMENTS.get(key)
    if statement is None:
        if len(_STATEMENTS) > 500:  # the keys are few (kinds, languages, containers); a bound anyway
            _STATEMENTS.clear()
        statement = _STATEMENTS[key] = build()
    return statement


def _params(about: About, actor_id, now, **more) -> dict:
    return {
        **{f"about_{name}": getattr(about, name) for name in _IDS},
        "about_data": about.data,
        "about_actor_id": actor_id,
        "about_now": now,
        **more,
    }


def _kind_and_default(kind: str | Either):
    """SQL for the kind and for its default delivery (known in Python once the kind is)."""
    if isinstance(kind, str):
        return literal(kind), literal(KINDS[kind].default)
    then, otherwise = KINDS[kind.then].default, KINDS[kind.otherwise].default
    default = (
        literal(then) if then == otherwise else case((kind.when, literal(then)), else_=literal(otherwise))
    )
    return case((kind.when, literal(kind.then)), else_=literal(kind.otherwise)), default


def delivery(kind_sql, default_sql, user_id_column):
    """SQL: the member's choice for the kind, or the kind's default."""
    chosen = (
        select(NotificationSetting.delivery)
        .where(NotificationSetting.user_id == user_id_column, NotificationSetting.kind == kind_sql)
        .scalar_subquery()
    )
    return func.coalesce(chosen, default_sql)


_TARGET = [
    *("user_id", "kind", "thread_id", "post_id", "circle_id", "meeting_id", "contribution_id", "data"),
    *("actor_id", "created_at", "delivery"),
]


def _insert_statement(kind: str | Either, user_id_column, where, join=None):
    """INSERT … SELECT: a notification of ``kind`` for every member the SELECT yields."""
    kind_sql, default_sql = _kind_and_default(kind)
    rows = select(
        user_id_column,
        kind_sql,
        *(_ID[name] for name in _IDS),
        _DATA,
        _ACTOR,
        _NOW,
        delivery(kind_sql, default_sql, user_id_column),
    )
    if join is not None:
        rows = rows.select_from(join)
    # in the members' order: the indexes that start with the member (the list, the unread count, the
    # digest) then take the batch in one sweep rather than at a thousand random places
    rows = rows.where(*where).order_by(user_id_column)
    return insert(Notification.__table__).from_select(_TARGET, rows)


def _insert(about: About, kind: str | Either, user_id_column, actor_id, now, where, join=None) -> None:
    """One INSERT … SELECT: a notification for every member the SELECT yields."""
    db.session.execute(_insert_statement(kind, user_id_column, where, join), _params(about, actor_id, now))


def _mail_text(kind_name: str, locale: str, about: About, actor) -> tuple[str, str]:
    with force_locale(locale):
        return mail.render(
            "notification",
            kind=KINDS[kind_name],
            title=about.title,
            status=str(STATUS_LABELS.get(about.data.get("status"), "")).lower(),
            actor=actor.display_name if actor else _("A former member"),
            place=about.place,
            excerpt=about.excerpt,
            link=about.link,
            unsubscribe=mail.UNSUBSCRIBE_PLACEHOLDER,
            settings_link=public_url("notifications.settings"),
        )


def _mailed_at_once(kinds: tuple[str, ...], ids: tuple[str, ...]):
    """SQL: the notifications of this batch that go out by mail at once."""
    return and_(
        *(Notification.__table__.c[name] == _ID[name] for name in ids),
        Notification.kind.in_(kinds),
        Notification.created_at == _NOW,
        Notification.delivery == IMMEDIATELY,
    )


_LOCALE = func.coalesce(User.locale, _DEFAULT_LOCALE)


def _needed_statement(kinds, ids):
    return (
        select(Notification.kind, _LOCALE)
        .join(User, User.id == Notification.user_id)
        .where(_mailed_at_once(kinds, ids))
        .distinct()
    )


def _outbox_statement(kinds, ids, needed):
    """INSERT … SELECT: a mail for each notification of the batch that goes out at once, its text
    the one rendered for its kind and its member's language (bound as subject_<n> and body_<n>)."""
    subjects, bodies = [], []
    for n, (kind_name, language) in enumerate(needed):
        condition = and_(Notification.kind == kind_name, literal(language) == _LOCALE)
        subjects.append((condition, bindparam(f"subject_{n}", type_=String())))
        bodies.append((condition, bindparam(f"body_{n}", type_=Text())))
    rows = (
        select(
            User.email,
            case(*subjects, else_=literal("")),
            case(*bodies, else_=literal("")),
            _NOW,
            literal(0),
            literal(""),
            User.id,
            Notification.kind,
        )
        .join(User, User.id == Notification.user_id)
        .where(_mailed_at_once(kinds, ids))
    )
    columns = [
        *("to_address", "subject", "body_text", "created_at", "attempts", "last_error"),
        *("recipient_id", "list_kind"),
    ]
    return insert(OutboxMail.__table__).from_select(columns, rows)


def _queue_mails(about: About, actor, kinds: list[str], now) -> None:
    """One mail for every notification of this batch that goes out at once. One query finds which
    kinds and languages are needed (usually one or two), each text is rendered once, and one
    INSERT … SELECT writes all the mails, the text chosen by kind and the member's language. Both
    statements are built once for their shape; their values are bound."""
    kinds, ids = tuple(kinds), about.ids()
    params = {
        **{f"about_{name}": getattr(about, name) for name in ids},
        "about_now": now,
        "default_locale": current_app.config["BABEL_DEFAULT_LOCALE"],
    }
    needed = sorted(
        tuple(row)
        for row in db.session.execute(
            _statement(("needed", kinds, ids), lambda: _needed_statement(kinds, ids)), params
        )
    )
    if not needed:
        return
    for n, (kind_name, language) in enumerate(needed):
        params[f"subject_{n}"], params[f"body_{n}"] = _mail_text(kind_name, language, about, actor)
    key = ("outbox", kinds, ids, tuple(needed))
    db.session.execute(_statement(key, lambda: _outbox_statement(kinds, ids, needed)), params)
    mail.deliver_soon()


# --- discussions ----------------------------------------------------------------------------------


def _thread_about(thread: Thread, post: Post | None) -> About:
    kind = containers.get(thread.container_kind)
    container = thread.container
    return About(
        title=thread.title,
        place=kind.title(container) if container is not None else "",
        link=(
            public_url("discussions.post_link", ref=thread.ref, number=post.number)
            if post is not None
            else public_url("discussions.thread", ref=thread.ref)
        ),
        excerpt=text_of(post.body_html)[:EXCERPT] if post is not None else "",
        thread_id=thread.id,
        post_id=post.id if post is not None else None,
        circle_id=thread.container_id if thread.container_kind == "circle" else None,
        contribution_id=thread.container_id if thread.container_kind == "contribution" else None,
    )


def on_thread_moderated(thread: Thread, actor, action: str, into: Thread | None = None, **facts) -> None:
    """A merged thread's notifications follow its posts into the thread they went into (their
    links, to the old address, redirect there), so they stay visible to their readers."""
    if action == "merge" and into is not None:
        db.session.execute(
            update(Notification).where(Notification.thread_id == thread.id).values(thread_id=into.id)
        )


def _may_read(thread: Thread):
    """Members who may be told of the thread: confirmed, and readers of its container."""
    return and_(
        User.confirmed_at.is_not(None),
        containers.readers_condition(thread.container_kind, thread.container_id, User.id),
    )


def _to_members(about: About, kind: str, user_ids, thread: Thread, actor_id, now) -> None:
    if user_ids:
        _insert(about, kind, User.id, actor_id, now, [User.id.in_(user_ids), _may_read(thread)])


# The fan-outs of every reply and every new thread, with bind parameters: "excluded" (the author
# and the members mentioned, who hear of it as a mention), "asker" (a question's author, else
# None), "container_kind" and "container_id".
_EXCLUDED = bindparam("excluded", expanding=True)
_ASKER = bindparam("asker", type_=Integer())
_CONTAINER_KIND = bindparam("container_kind", type_=String())
_CONTAINER_ID = bindparam("container_id", type_=Integer())


def _may_read_container(container_kind: str):
    return and_(
        User.confirmed_at.is_not(None),
        containers.readers_condition(container_kind, _CONTAINER_ID, User.id),
    )


def _thread_followers(container_kind: str):
    """Who follows the thread hears of a reply; a question's asker (unless muted) of an answer."""
    return (
        Either(ThreadReader.user_id == _ASKER, "answer", "reply"),
        ThreadReader.user_id,
        [
            ThreadReader.thread_id == _ID["thread_id"],
            ThreadReader.user_id.not_in(_EXCLUDED),
            or_(
                ThreadReader.level == FollowLevel.FOLLOWING.value,
                and_(ThreadReader.user_id == _ASKER, ThreadReader.level != FollowLevel.MUTED.value),
            ),
            _may_read_container(container_kind),
        ],
        ThreadReader.__table__.join(User, User.id == ThreadReader.user_id),
    )


def _container_followers(container_kind: str, kind: str, only_if_not_following_thread: bool = False):
    """Followers of the thread's container who may read it (for a comment: those who do not
    follow the thread itself, who hear of it as a reply)."""
    where = [
        ContainerFollow.container_kind == _CONTAINER_KIND,
        ContainerFollow.container_id == _CONTAINER_ID,
        ContainerFollow.user_id.not_in(_EXCLUDED),
        _may_read_container(container_kind),
    ]
    if only_if_not_following_thread:
        thread_followers = select(ThreadReader.user_id).where(
            ThreadReader.thread_id == _ID["thread_id"], ThreadReader.level != FollowLevel.NORMAL.value
        )
        where.append(ContainerFollow.user_id.not_in(thread_followers))
    join = ContainerFollow.__table__.join(User, User.id == ContainerFollow.user_id)
    return kind, ContainerFollow.user_id, where, join


def _thread_params(thread: Thread, author, mentioned: list[int]) -> dict:
    return {
        "excluded": [author.id, *mentioned],
        "container_kind": thread.container_kind,
        "container_id": thread.container_id,
    }


def _recipients(key: tuple, build, about: About, **params) -> dict[str, list[int]]:
    """Who hears of it, by kind: ``build()`` gives (kind, user id column, conditions, join) with
    bind parameters for what changes, as for a fan-out; the SELECT is built once per ``key``."""

    def statement():
        kind, user_id_column, where, join = build()
        kind_sql, _default = _kind_and_default(kind)
        rows = select(user_id_column, kind_sql).select_from(join).where(*where).order_by(user_id_column)
        return rows

    found: dict[str, list[int]] = {}
    for user_id, kind in db.session.execute(
        _statement(("recipients", *key), statement), _params(about, None, None, **params)
    ):
        found.setdefault(kind, []).append(user_id)
    return found


# Up to this many followers are told in the post's own transaction (a few rows cost less there than
# a second transaction after the response); more are written from a batch after the response.
WRITE_AT_ONCE = 50


def _tell_followers(post: Post, thread: Thread, about: About, actor, groups, now) -> None:
    """The notifications of ``groups`` ({kind: member ids}) about ``post``, with their mails: now,
    when they are few, else once the response has gone out (``batches``)."""
    kinds: dict[str, list[int]] = {}
    for group in groups:
        for kind, ids in group.items():
            kinds.setdefault(kind, []).extend(ids)
    if sum(len(ids) for ids in kinds.values()) <= WRITE_AT_ONCE:
        _write(thread, about, actor, list(kinds.items()), now)
        return
    payload = {"post_id": post.id, "actor_id": actor.id, "now": now.isoformat(), "kinds": list(kinds.items())}
    batches.later(payload, now)


_TO_IDS = bindparam("ids", expanding=True)
_CHUNK = 5000  # members per statement (SQLite takes 32,766 bound values, PostgreSQL 65,535)


def _to_ids_statement(kind: str, container_kind: str):
    """INSERT … SELECT for the members ``ids`` who may still read the thread (a member who left a
    circle, or deleted their account, since the reply no longer hears of it)."""
    where = [User.id.in_(_TO_IDS), User.deleted_at.is_(None), _may_read_container(container_kind)]
    return _insert_statement(kind, User.id, where)


def _write(thread: Thread, about: About, actor, kinds_and_ids: list, now) -> None:
    """One INSERT … SELECT per kind (per 5,000 members), then the mails that go out at once."""
    actor_id = actor.id if actor is not None else None
    kinds = []
    for kind, ids in kinds_and_ids:
        if not ids:
            continue
        kinds.append(kind)
        key = ("to-ids", kind, thread.container_kind)
        statement = _statement(key, functools.partial(_to_ids_statement, kind, thread.container_kind))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            params = _params(about, actor_id, now, ids=chunk, container_id=thread.container_id)
            db.session.execute(statement, params)
    if kinds:
        _queue_mails(about, actor, kinds, now)


def write_batch(payload: dict) -> None:
    """Write a batch that ``_tell_followers`` stored. What it is about is read from the post as it
    is now: its thread (it may have been merged into another), title and text."""
    post = db.session.get(Post, payload["post_id"])
    if post is None:  # the post is gone, and so is what there was to tell
        return
    thread = post.thread
    actor = db.session.get(User, payload["actor_id"])
    _write(
        thread, _thread_about(thread, post), actor, payload["kinds"], datetime.fromisoformat(payload["now"])
    )


def on_thread_started(thread: Thread, post: Post, author, mentioned: list[int]) -> None:
    """Members mentioned in it hear of it now; the container's followers now or, when there are
    more than ``WRITE_AT_ONCE``, right after the response."""
    now, about = utcnow(), _thread_about(thread, post)
    _mention(about, mentioned, thread, author, now)
    kind = "comment" if containers.get(thread.container_kind).followers_get_posts else "new_thread"
    followers = _recipients(
        ("container-followers", thread.container_kind, kind),
        lambda: _container_followers(thread.container_kind, kind),
        about,
        **_thread_params(thread, author, mentioned),
    )
    _tell_followers(post, thread, about, author, [followers], now)


def on_post_created(post: Post, author, mentioned: list[int]) -> None:
    """Members mentioned in it hear of it now (they are few, and an edit must find them); the
    followers, and the question's author (unless muted) that it was answered, now or, when there
    are more than ``WRITE_AT_ONCE``, right after the response. Who they are is read now, in a fixed
    number of statements however many follow."""
    thread = post.thread
    now, about = utcnow(), _thread_about(thread, post)
    _mention(about, mentioned, thread, author, now)
    params = _thread_params(thread, author, mentioned)
    params["asker"] = thread.author_id if thread.is_question else None
    groups = [
        _recipients(
            ("thread-followers", thread.container_kind),
            lambda: _thread_followers(thread.container_kind),
            about,
            **params,
        ),
    ]
    if containers.get(thread.container_kind).followers_get_posts:
        # the container's followers who do not follow the thread itself hear of the comment too
        groups.append(
            _recipients(
                ("container-followers", thread.container_kind, "comment", "not-following-thread"),
                lambda: _container_followers(
                    thread.container_kind, "comment", only_if_not_following_thread=True
                ),
                about,
                **params,
            )
        )
    _tell_followers(post, thread, about, author, groups, now)


def _mention(about: About, mentioned: list[int], thread: Thread, author, now) -> None:
    if mentioned:
        _to_members(about, "mention", mentioned, thread, author.id, now)
        _queue_mails(about, author, ["mention"], now)


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
        now, about = utcnow(), _thread_about(post.thread, post)
        _to_members(about, "mention", new, post.thread, post.author_id, now)
        _queue_mails(about, post.author, ["mention"], now)


def on_best_answer_chosen(thread: Thread, post: Post | None, actor) -> None:
    if post is None or post.author_id is None or post.author_id == actor.id:
        return
    now, about = utcnow(), _thread_about(thread, post)
    _to_members(about, "best_answer", [post.author_id], thread, actor.id, now)
    _queue_mails(about, actor, ["best_answer"], now)


# --- circles --------------------------------------------------------------------------------------


def meeting_about(meeting: Meeting) -> About:
    from flask_babel import format_datetime

    when = (
        format_datetime(meeting.starts_at, "EEEE d MMMM y, HH:mm")
        + "–"
        + format_datetime(meeting.ends_at, "HH:mm")
    )
    where = meeting.location or meeting.online_url
    return About(
        title=meeting.title,
        place=meeting.circle.name,
        link=public_url("circles.meeting", meeting_id=meeting.id),
        excerpt=f"{when}\n{where}".strip(),
        circle_id=meeting.circle_id,
        meeting_id=meeting.id,
    )


def _circle_about(circle: Circle, link: str, **data) -> About:
    return About(title=circle.name, place="", link=link, circle_id=circle.id, data=data)


def _to_circle_members(about: About, kind: str, circle: Circle, actor, now, role=None, only=None) -> None:
    join = CircleMember.__table__.join(User, User.id == CircleMember.user_id)
    where = [CircleMember.circle_id == circle.id, User.confirmed_at.is_not(None)]
    if actor is not None:
        where.append(CircleMember.user_id != actor.id)
    if role is not None:
        where.append(CircleMember.role == role)
    _insert(about, kind, CircleMember.user_id, actor.id if actor else None, now, where, join)
    _queue_mails(about, actor, [kind], now)


def _on_meeting(kind: str):
    def subscriber(meeting: Meeting, actor) -> None:
        # the mail's times are written in the circle's language for each member; Dutch by default
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            about = meeting_about(meeting)
        _to_circle_members(about, kind, meeting.circle, actor, utcnow())

    subscriber.__name__ = f"on_{kind}"
    return subscriber


on_meeting_planned = _on_meeting("meeting_new")
on_meeting_changed = _on_meeting("meeting_changed")
on_meeting_cancelled = _on_meeting("meeting_cancelled")


def on_join_requested(circle: Circle, request) -> None:
    about = _circle_about(circle, public_url("circles.members", slug=circle.slug), message=request.message)
    _to_circle_members(about, "circle_request", circle, request.user, utcnow(), role=MemberRole.FACILITATOR)


def _to_one(about: About, kind: str, user_id: int, actor, now) -> None:
    _insert(about, kind, User.id, actor.id if actor else None, now, [User.id == user_id])
    _queue_mails(about, actor, [kind], now)


def on_join_decided(circle: Circle, request, actor) -> None:
    link = public_url("circles.circle", slug=circle.slug)
    about = _circle_about(circle, link, accepted=bool(request.accepted), answer=request.answer)
    about.excerpt = (_("Accepted.") if request.accepted else _("Not accepted.")) + (
        f" {request.answer}" if request.answer else ""
    )
    _to_one(about, "circle_decided", request.user_id, actor, utcnow())


def on_member_invited(circle: Circle, invitation, actor) -> None:
    if invitation.user_id is None:  # by email: the mail itself is the invitation
        return
    from cop.circles.services import invitation_token

    link = public_url("circles.invitation", token=invitation_token(invitation))
    about = _circle_about(circle, link, invitation=invitation.id)
    about.excerpt = text_of(circle.description_html)[:EXCERPT]
    _to_one(about, "circle_invited", invitation.user_id, actor, utcnow())


def on_member_left(circle: Circle, member, removed_by, reason: str) -> None:
    if removed_by is None:
        return
    about = _circle_about(circle, public_url("circles.index"), reason=reason)
    about.excerpt = _("Reason: %(reason)s", reason=reason)
    _to_one(about, "circle_removed", member.id, removed_by, utcnow())


# --- contributions --------------------------------------------------------------------------------


def _contribution_about(contribution: Contribution, link: str | None = None, **data) -> About:
    return About(
        title=contribution.title,
        place="",
        link=link or public_url("contributions.contribution", contribution_id=contribution.id),
        contribution_id=contribution.id,
        data=data,
    )


def _writers_and_followers(
    contribution: Contribution, actor, *, writers: bool = True, followers: bool = True
):
    """SQL on User.id: the contribution's accepted writers and/or its followers who may read it."""
    parts = []
    if writers:
        parts.append(
            User.id.in_(
                select(ContributionWriter.user_id).where(
                    ContributionWriter.contribution_id == contribution.id,
                    ContributionWriter.accepted_at.is_not(None),
                )
            )
        )
    if followers:
        parts.append(
            User.id.in_(
                select(ContainerFollow.user_id).where(
                    ContainerFollow.container_kind == "contribution",
                    ContainerFollow.container_id == contribution.id,
                )
            )
        )
    return [
        or_(*parts),
        User.id != getattr(actor, "id", None),
        User.confirmed_at.is_not(None),
        contribution_queries.readers(contribution.id, User.id),
    ]


def _to_users(about: About, kind: str, where, actor, now) -> None:
    _insert(about, kind, User.id, getattr(actor, "id", None), now, where)
    _queue_mails(about, actor, [kind], now)


def on_contribution_changed(contribution: Contribution, actor, action, old, new, message: str) -> None:
    """Writers and followers hear of each new state (promotion has its own notice); moderators of
    each submission."""
    if new == old or new == ContributionStatus.PROMOTED:
        return
    now = utcnow()
    about = _contribution_about(contribution, status=str(new), message=message[:EXCERPT])
    about.excerpt = message[:EXCERPT]
    _to_users(about, "contrib_status", _writers_and_followers(contribution, actor), actor, now)
    if new == ContributionStatus.SUBMITTED:
        review = _contribution_about(
            contribution, public_url("contributions.review", contribution_id=contribution.id)
        )
        review.excerpt = message[:EXCERPT]
        moderators = [
            User.role.in_(["moderator", "admin"]),
            User.id != actor.id,
            User.confirmed_at.is_not(None),
        ]
        _to_users(review, "review_needed", moderators, actor, now)


def on_contribution_endorsed(contribution: Contribution, actor, kind) -> None:
    about = _contribution_about(contribution, endorsement=str(kind))
    _to_users(
        about,
        "contrib_endorsed",
        _writers_and_followers(contribution, actor, followers=False),
        actor,
        utcnow(),
    )


def on_contribution_promoted(contribution: Contribution, actor, lesson, revision, how: str) -> None:
    now = utcnow()
    link = public_url("guide.lesson", ref=lesson.ref)
    about = _contribution_about(contribution, link, lesson=lesson.ref, number=lesson.number)
    _to_users(
        about, "contrib_promoted", _writers_and_followers(contribution, actor, followers=False), actor, now
    )
    followers = _writers_and_followers(contribution, actor, writers=False)
    followers.append(
        User.id.not_in(
            select(ContributionWriter.user_id).where(ContributionWriter.contribution_id == contribution.id)
        )
    )
    status = _contribution_about(contribution, status=str(ContributionStatus.PROMOTED))
    _to_users(status, "contrib_status", followers, actor, now)


def on_coauthor_invited(contribution: Contribution, actor, invited) -> None:
    about = _contribution_about(contribution)
    _to_users(about, "coauthor_invite", [User.id == invited.id], actor, utcnow())


def on_review_message(contribution: Contribution, actor, event) -> None:
    """A moderator's message reaches the writers; a writer's the other writers and the moderator
    who has the contribution (or, when nobody has it, every moderator)."""
    about = _contribution_about(contribution)
    about.excerpt = event.message[:EXCERPT]
    writers = _writers_and_followers(contribution, actor, followers=False)
    if contribution.assignee_id:
        staff = User.id == contribution.assignee_id
    else:
        staff = User.role.in_(["moderator", "admin"])
    where = [or_(writers[0], staff), *writers[1:3]]
    _to_users(about, "review_message", where, actor, utcnow())


# --- moderation -----------------------------------------------------------------------------------


def on_flag_resolved(group, actor, outcome, action, note, reporter_ids) -> None:
    """The members who reported an item hear that it was handled (not the moderator's note, which
    is for the log): one notification each, about the item's label, in one INSERT … SELECT."""
    if not reporter_ids:
        return
    about = About(
        title=group.label,
        place="",
        link=public_url("notifications.index"),
        data={"title": group.label, "outcome": outcome},
    )
    about.excerpt = _flag_outcome(outcome)
    now = utcnow()
    _insert(
        about,
        "flag_resolved",
        User.id,
        actor.id if actor else None,
        now,
        [User.id.in_(reporter_ids)],
    )
    _queue_mails(about, actor, ["flag_resolved"], now)


def _flag_outcome(outcome: str) -> str:
    if outcome == "dismissed":
        return _("The moderators looked at it and found no reason to act.")
    return _("The moderators looked at it and took action.")


def connect() -> None:
    for signal, subscriber in (
        (signals.thread_started, on_thread_started),
        (signals.post_created, on_post_created),
        (signals.post_edited, on_post_edited),
        (signals.best_answer_chosen, on_best_answer_chosen),
        (signals.thread_moderated, on_thread_moderated),
        (signals.meeting_planned, on_meeting_planned),
        (signals.meeting_changed, on_meeting_changed),
        (signals.meeting_cancelled, on_meeting_cancelled),
        (signals.join_requested, on_join_requested),
        (signals.join_decided, on_join_decided),
        (signals.member_invited, on_member_invited),
        (signals.member_left, on_member_left),
        (signals.contribution_changed, on_contribution_changed),
        (signals.contribution_endorsed, on_contribution_endorsed),
        (signals.contribution_promoted, on_contribution_promoted),
        (signals.coauthor_invited, on_coauthor_invited),
        (signals.review_message, on_review_message),
        (signals.flag_resolved, on_flag_resolved),
    ):
        signal.connect(subscriber)
