"""What threads live in: a registry of container kinds.

A kind says how to load a container by id, who may see it and write in it (in Python for one
object, in SQL for lists, so that pages are cut after filtering), and how it is named and linked.
The discussions package registers themes; learning circles and contributions register their own
kind from their package, so discussions never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import and_, false, or_, true

from cop.extensions import db


@dataclass(frozen=True)
class ContainerKind:
    name: str
    load: Callable  # (container_id) -> container | None
    is_visible: Callable  # (container, user) -> bool
    visible_ids: Callable | None  # (user, id_column) -> a SQL condition on container ids, or None: all
    readers: Callable | None  # (container_id, user_id_column) -> a SQL condition on members, None: all
    can_post: Callable  # (container, user) -> bool; can_write is checked before
    title: Callable  # (container) -> str
    url: Callable  # (container) -> str
    threads_url: Callable  # (container) -> str: the container's list of threads
    new_thread_url: Callable  # (container) -> str
    follow_url: Callable  # (container) -> str: where following its new threads is switched
    # Whether the container's followers hear of every post in its threads, not only of new threads
    # (a contribution's followers hear of every comment).
    followers_get_posts: bool = False


_KEY = "cop_thread_containers"


def init_app(app) -> None:
    app.extensions[_KEY] = {}


def register(app, kind: ContainerKind) -> None:
    app.extensions[_KEY][kind.name] = kind


def get(name: str) -> ContainerKind:
    return current_app.extensions[_KEY][name]


def readers_condition(kind_name: str, container_id: int, user_id_column):
    """A SQL condition on a user id column: that member may read the container (for bulk fan-out)."""
    kind = get(kind_name)
    return true() if kind.readers is None else kind.readers(container_id, user_id_column)


def visible_condition(kind_column, id_column, user):
    """A SQL condition: the row's container (kind, id) is visible to ``user``."""
    parts = []
    for kind in current_app.extensions[_KEY].values():
        condition = true() if kind.visible_ids is None else kind.visible_ids(user, id_column)
        parts.append(and_(kind_column == kind.name, condition))
    return or_(*parts) if parts else false()


# --- themes ---------------------------------------------------------------------------------------


def theme_kind() -> ContainerKind:
    from cop.guide import Theme

    return ContainerKind(
        name="theme",
        load=lambda theme_id: db.session.get(Theme, theme_id),
        is_visible=lambda theme, user: True,
        visible_ids=None,
        readers=None,
        can_post=lambda theme, user: True,
        title=lambda theme: theme.title,
        url=lambda theme: url_for("guide.theme", slug=theme.slug),
        threads_url=lambda theme: url_for("discussions.theme_threads", slug=theme.slug),
        new_thread_url=lambda theme: url_for("discussions.new_theme_thread", slug=theme.slug),
        follow_url=lambda theme: url_for("discussions.follow_theme", slug=theme.slug),
    )
