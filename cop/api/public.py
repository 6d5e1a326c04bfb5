"""What the API and the feeds may show: public things only, asked in SQL before a page is cut.

Everything here is read as an anonymous visitor reads it, whoever asks: published lessons, threads
in themes (never in learning circles or on contributions), posts that are neither deleted nor
hidden, approved neighbourhoods and promoted contributions. Where the discussions package offers
its own query-level filter (``Thread.visible_clause(viewer)``, ``Post.visible_clause(viewer)``) it
is used, so that a moderator's hiding or merging counts here the moment it counts on the pages.
"""

from __future__ import annotations

from flask_login import AnonymousUserMixin

from cop.contributions import Contribution, Status
from cop.discussions import Post, Thread
from cop.guide import Lesson, LessonStatus
from cop.places import Neighbourhood, PlaceStatus

ANONYMOUS = AnonymousUserMixin()


def _moderation_filters(model) -> list:
    """The moderation filter of ``model`` for an anonymous visitor: its ``visible_clause`` where it
    has one, else whatever columns mark it hidden or merged away."""
    clause = getattr(model, "visible_clause", None)
    if callable(clause):
        return [clause(ANONYMOUS)]
    found = []
    for name in ("hidden_at", "merged_into_id"):
        column = getattr(model, name, None)
        if column is not None:
            found.append(column.is_(None))
    hidden = getattr(model, "hidden", None)
    if hidden is not None:
        found.append(hidden.is_(False))
    return found


def lessons():
    return Lesson.status == LessonStatus.PUBLISHED


def threads():
    """Threads in a theme, not hidden (nor merged into another)."""
    return [Thread.container_kind == "theme", *_moderation_filters(Thread)]


def posts():
    """Posts that are not deleted or hidden (of threads that ``threads()`` allows)."""
    return [Post.deleted_at.is_(None), *_moderation_filters(Post)]


def neighbourhoods():
    return Neighbourhood.status == PlaceStatus.APPROVED


def contributions():
    return Contribution.status == Status.PROMOTED
