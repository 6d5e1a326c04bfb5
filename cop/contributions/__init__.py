"""Contributions: practice experiences, lesson proposals and suggested improvements that members
write (with co-authors), endorse and comment on, that moderators review against clear criteria and
promote into the guide, with credit and a trail both ways.

Other packages use the models and ``queries`` from here. The guide learns of contributions only
through panels (the lesson's provenance, the theme's and the edition's contributions) and signals.
"""

from flask import Blueprint, url_for

from cop.contributions import queries
from cop.contributions.kinds import Kind
from cop.contributions.models import Contribution, ContributionWriter, EndorsementRow, LessonOrigin
from cop.contributions.states import Status

__all__ = [
    "Contribution",
    "ContributionWriter",
    "EndorsementRow",
    "Kind",
    "LessonOrigin",
    "Status",
    "bp",
    "init_app",
    "queries",
]

bp = Blueprint("contributions", __name__)


def _container_kind():
    """Comments on a contribution are a thread in the "contribution" container."""
    from cop.discussions.containers import ContainerKind

    def page(contribution):
        return url_for("contributions.contribution", contribution_id=contribution.id)

    return ContainerKind(
        name="contribution",
        load=queries.by_id,
        is_visible=lambda contribution, user: contribution.is_visible_to(user),
        visible_ids=queries.visible_ids,
        readers=queries.readers,
        can_post=lambda contribution, user: (
            contribution.status != Status.DRAFT and contribution.is_visible_to(user)
        ),
        title=lambda contribution: contribution.title,
        url=page,
        threads_url=page,
        new_thread_url=lambda contribution: page(contribution) + "#reageren",
        follow_url=page,
        followers_get_posts=True,
    )


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from cop import menu
    from cop import panels as points
    from cop.contributions import panels, trail, views  # noqa: F401  (routes register on bp)
    from cop.contributions.kinds import KIND_LABELS, RESULT_BASES
    from cop.contributions.states import STATUS_LABELS
    from cop.discussions import containers

    app.register_blueprint(bp)
    app.add_template_global(lambda status: STATUS_LABELS[Status(status)], "contribution_status_label")
    app.add_template_global(lambda kind: KIND_LABELS[Kind(kind)], "contribution_kind_label")
    app.add_template_filter(lambda basis: RESULT_BASES.get(basis, basis), "result_basis_label")
    app.add_template_global(trail.event_label, "event_label")
    app.add_template_global(trail.verdict_label, "verdict_label")
    containers.register(app, _container_kind())
    points.contribute(app, "lesson", panels.lesson_panel)
    points.contribute(app, "theme", panels.theme_panel)
    points.contribute(app, "neighbourhood", panels.neighbourhood_panel)
    points.contribute(app, "neighbourhoods", panels.neighbourhoods_panel)
    points.contribute(app, "profile", panels.profile_panel)
    points.contribute(app, "dashboard", panels.dashboard_panel)
    points.contribute(app, "edition-changes", panels.edition_panel)
    points.contribute(app, "home", panels.home_panel)
    from cop.contributions.steps import share_step

    points.contribute(app, "first-steps", share_step)
    points.contribute(app, "neighbourhood-merge", panels.repoint_neighbourhood)
    from cop.contributions import privacy

    points.contribute(app, "privacy-export", privacy.export)
    points.contribute(app, "account-deletion", privacy.delete_part)
    menu.add(app, "contributions.index", _l("Contributions"), order=25)
