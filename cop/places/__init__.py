"""Neighbourhoods (wijken): the directory of the 40 krachtwijken and the neighbourhoods members
add, each with its page; a member's working area.

Higher packages (contributions, circles) point at neighbourhoods and add their parts to the
neighbourhood page through the "neighbourhood" panel point; when a proposal is merged into another
neighbourhood, their rows follow through the "neighbourhood-merge" process point.
"""

from flask import Blueprint

from cop.places import queries
from cop.places.models import MemberArea, Neighbourhood, PlaceStatus, Programme

__all__ = ["MemberArea", "Neighbourhood", "PlaceStatus", "Programme", "bp", "init_app", "queries"]

bp = Blueprint("places", __name__)


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from cop import menu
    from cop import panels as points
    from cop.places import panels, steps, views  # noqa: F401  (routes register on bp)
    from cop.places.cli import places_cli

    app.register_blueprint(bp)
    app.cli.add_command(places_cli)
    points.contribute(app, "profile", panels.profile_panel)
    points.contribute(app, "dashboard", panels.dashboard_panel)
    points.contribute(app, "first-steps", steps.working_area_step)
    from cop.places import privacy

    points.contribute(app, "privacy-export", privacy.export)
    points.contribute(app, "account-deletion", privacy.delete_part)
    menu.add(app, "places.index", _l("Neighbourhoods"), order=30)
