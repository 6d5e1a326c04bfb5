"""Atom feeds (RFC 4287) of public things: new and changed lessons, new threads per theme,
contributions promoted into the guide, and an edition's changes. Absolute URLs come from the
public address; entry ids are tag URIs that never change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import abort, current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload

from cop.api import public
from cop.api.blueprints import feeds_bp as bp
from cop.api.documents import moment
from cop.api.http import conditional_feed
from cop.api.public import ANONYMOUS
from cop.contributions import Contribution, LessonOrigin
from cop.discussions import Post, Thread
from cop.extensions import db
from cop.guide import Lesson, LessonRevision, Theme
from cop.guide import queries as guide_queries
from cop.urls import public_host, public_url

ENTRIES = 50
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass
class Entry:
    id: str
    title: str
    url: str
    updated: datetime
    content_html: str = ""
    author: str | None = None


def tag(kind: str, key) -> str:
    """A tag URI (RFC 4151) on the platform's host: the same entry keeps the same id."""
    return f"tag:{public_host(current_app)},2024:{kind}/{key}"


def render_feed(feed_id: str, title: str, self_url: str, page_url: str, entries: list[Entry], updated=None):
    updated = updated or max((entry.updated for entry in entries), default=EPOCH)
    body = render_template(
        "api/feed.xml",
        feed_id=feed_id,
        title=title,
        self_url=self_url,
        page_url=page_url,
        updated=moment(updated),
        entries=[(entry, moment(entry.updated)) for entry in entries],
    )
    return conditional_feed(body, updated)


@bp.route("/feeds/lessen.atom")
def lessons():
    """Every new revision of a published lesson, newest first: one query."""
    rows = db.session.execute(
        select(LessonRevision, Lesson)
        .join(Lesson, Lesson.id == LessonRevision.lesson_id)
        .where(public.lessons())
        .order_by(LessonRevision.created_at.desc(), LessonRevision.id.desc())
        .limit(ENTRIES)
    ).all()
    entries = [
        Entry(
            id=tag("lesson-revision", revision.id),
            title=f"{lesson.number} {revision.title}"
            + ("" if revision.number == 1 else " " + _("(version %(number)d)", number=revision.number)),
            url=public_url("guide.lesson_revision", ref=lesson.ref, number=revision.number),
            updated=revision.created_at,
            content_html=(f"<p>{_escape(revision.change_note)}</p>" if revision.change_note else "")
            + (revision.summary_html or ""),
        )
        for revision, lesson in rows
    ]
    return render_feed(
        tag("feed", "lessons"),
        _("Wijkengids: new and changed lessons"),
        public_url("feeds.lessons"),
        public_url("guide.index"),
        entries,
    )


@bp.route("/feeds/thema/<slug>.atom")
def theme(slug):
    """New threads in a theme, newest first, with their opening posts: two queries."""
    found = db.session.scalar(select(Theme).where(Theme.slug == slug)) if len(slug) <= 80 else None
    if found is None:
        abort(404)
    rows = db.session.execute(
        select(Thread, Post)
        .outerjoin(Post, and_(Post.thread_id == Thread.id, Post.number == 1, *public.posts()))
        .options(joinedload(Thread.author))
        .where(Thread.container_id == found.id, *public.threads())
        .order_by(Thread.created_at.desc(), Thread.id.desc())
        .limit(ENTRIES)
    ).all()
    entries = [
        Entry(
            id=tag("thread", thread.id),
            title=thread.title,
            url=public_url("discussions.thread", ref=thread.ref),
            updated=thread.created_at,
            content_html=post.body_html if post is not None else "",
            author=thread.author.display_name if thread.author else None,
        )
        for thread, post in rows
    ]
    return render_feed(
        tag("feed", f"theme/{found.id}"),
        _("Wijkengids: new discussions on %(theme)s", theme=found.title),
        public_url("feeds.theme", slug=found.slug),
        public_url("discussions.theme_threads", slug=found.slug),
        entries,
    )


@bp.route("/feeds/bijdragen.atom")
def contributions():
    """Contributions promoted into the guide, newest first: one query."""
    rows = db.session.execute(
        select(LessonOrigin, Contribution, Lesson)
        .join(Contribution, Contribution.id == LessonOrigin.contribution_id)
        .join(Lesson, Lesson.id == LessonOrigin.lesson_id)
        .options(joinedload(Lesson.current_revision))
        .where(public.contributions(), public.lessons())
        .order_by(LessonOrigin.created_at.desc(), LessonOrigin.id.desc())
        .limit(ENTRIES)
    ).all()
    entries = [
        Entry(
            id=tag("promotion", origin.id),
            title=contribution.title,
            url=public_url("contributions.contribution", contribution_id=contribution.id),
            updated=origin.created_at,
            content_html="<p>"
            + _escape(_("Became part of lesson %(lesson)s.", lesson=f"{lesson.number} {lesson.title}"))
            + "</p>",
        )
        for origin, contribution, lesson in rows
    ]
    return render_feed(
        tag("feed", "promotions"),
        _("Wijkengids: contributions that became part of the guide"),
        public_url("feeds.contributions"),
        public_url("contributions.index"),
        entries,
    )


@bp.route("/feeds/editie/<int:number>.atom")
def edition(number):
    """The lessons an edition added and changed: four queries."""
    found = guide_queries.edition_by_number(number)
    if found is None:
        abort(404)
    previous = guide_queries.previous_edition(found)
    added, changed, _dropped = guide_queries.edition_changes(found, previous, ANONYMOUS)
    when = (
        datetime.combine(found.published_on, datetime.min.time(), UTC)
        if found.published_on
        else found.created_at
    )
    entries = [
        Entry(
            id=tag(f"edition/{found.number}/lesson", lesson.id),
            title=f"{lesson.number} {revision.title}",
            url=public_url("guide.edition_lesson", number=found.number, ref=lesson.ref),
            updated=when,
            content_html="<p>" + _escape(label) + "</p>",
        )
        for pairs, label in (
            ([(lesson, new) for lesson, new in added], _("New in this edition.")),
            ([(lesson, new) for lesson, _old, new in changed], _("Changed in this edition.")),
        )
        for lesson, revision in pairs
    ]
    return render_feed(
        tag("feed", f"edition/{found.number}"),
        _("Wijkengids: what is new in edition %(number)d", number=found.number),
        public_url("feeds.edition", number=found.number),
        public_url("guide.whats_new", number=found.number),
        entries,
        updated=when,
    )


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))
