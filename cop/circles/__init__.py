"""Learning circles and professional groups: members and facilitators, requests and invitations,
their own discussions (threads in a "circle" container), a reading plan through the guide, and
meetings with attendance, notes and calendar files.

Other packages use the models and ``queries`` from here. The guide's theme and lesson pages, the
profile and /mijn show circles through panels.
"""

from flask import Blueprint, url_for

from cop.circles import queries
from cop.circles.models import (
    Attendance,
    Circle,
    CircleMember,
    Invitation,
    JoinRequest,
    Meeting,
    MemberRole,
    ReadingItem,
    Visibility,
)

__all__ = [
    "Attendance",
    "Circle",
    "CircleMember",
    "Invitation",
    "JoinRequest",
    "Meeting",
    "MemberRole",
    "ReadingItem",
    "Visibility",
    "bp",
    "init_app",
    "queries",
]

bp = Blueprint("circles", __name__)


def _container_kind():
    from cop.discussions.containers import ContainerKind

    return ContainerKind(
        name="circle",
        load=queries.circle_by_id,
        is_visible=lambda circle, user: circle.content_is_visible_to(user),
        visible_ids=lambda user, id_column: queries.content_visible(user, id_column),
        readers=queries.readers_of,
        can_post=lambda circle, user: circle.can_take_part(user),
        title=lambda circle: circle.name,
        url=lambda circle: url_for("circles.circle", slug=circle.slug),
        threads_url=lambda circle: url_for("circles.threads", slug=circle.slug),
        new_thread_url=lambda circle: url_for("circles.new_thread", slug=circle.slug),
        follow_url=lambda circle: url_for("circles.follow", slug=circle.slug),
    )


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from cop import menu, panels
    from cop.circles import panels as circle_panels
    from cop.circles.views import circles, meetings  # noqa: F401  (routes register on bp)
    from cop.discussions import containers

    app.register_blueprint(bp)
    containers.register(app, _container_kind())
    panels.contribute(app, "theme", circle_panels.theme_panel)
    panels.contribute(app, "lesson", circle_panels.lesson_panel)
    panels.contribute(app, "profile", circle_panels.profile_panel)
    panels.contribute(app, "dashboard", circle_panels.dashboard_panel)
    panels.contribute(app, "neighbourhood", circle_panels.neighbourhood_panel)
    panels.contribute(app, "home", circle_panels.home_panel)
    from cop.circles.steps import circle_step

    panels.contribute(app, "first-steps", circle_step)
    panels.contribute(app, "neighbourhood-merge", circle_panels.repoint_neighbourhood)
    from cop.circles import privacy

    panels.contribute(app, "privacy-export", privacy.export)
    panels.contribute(app, "account-deletion", privacy.delete_part)
    menu.add(app, "circles.index", _l("Learning circles"), order=20)
