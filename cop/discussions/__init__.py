"""Discussions: threads in containers (themes now, learning circles next), posts, best answers,
mentions, reading state and following.

Other packages use the models, ``containers`` (to register a container kind), ``pages`` (a
container's thread list and new-thread page), ``queries`` and ``services`` (a contribution's
comments are a thread its service starts) and ``moderating`` (hide, restore, move, merge) from
here, nothing else. ``Thread.visible_clause(viewer)`` and ``Post.visible_clause(viewer)`` (or
``queries.visible_threads`` / ``visible_posts``) are the one filter every list of threads or posts
uses, here and in higher packages. The
guide's theme and lesson pages show discussions through panels.
"""

from flask import Blueprint

from cop.discussions import containers, moderating, pages, queries, services
from cop.discussions.models import ContainerFollow, FollowLevel, Post, Thread, ThreadReader

__all__ = [
    "ContainerFollow",
    "FollowLevel",
    "Post",
    "Thread",
    "ThreadReader",
    "bp",
    "containers",
    "init_app",
    "moderating",
    "pages",
    "queries",
    "services",
]

bp = Blueprint("discussions", __name__)


def init_app(app) -> None:
    from cop import panels
    from cop.discussions import moderation_views, views  # noqa: F401  (routes register on bp)
    from cop.discussions import panels as discussion_panels

    app.register_blueprint(bp)
    containers.init_app(app)
    containers.register(app, containers.theme_kind())
    panels.contribute(app, "theme", discussion_panels.theme_panel)
    panels.contribute(app, "lesson", discussion_panels.lesson_panel)
    panels.contribute(app, "dashboard", discussion_panels.dashboard_panel)
    panels.contribute(app, "home", discussion_panels.home_panel)
    from cop.discussions.steps import follow_themes_step

    panels.contribute(app, "first-steps", follow_themes_step)
    from cop.discussions import privacy

    panels.contribute(app, "privacy-export", privacy.export)
    panels.contribute(app, "account-deletion", privacy.delete_part)
