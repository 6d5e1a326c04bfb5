"""The top floor: home page, dashboard and static pages; may import any package's services."""

from flask import Blueprint

bp = Blueprint("site", __name__)


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from cop import menu
    from cop.site import views  # noqa: F401

    app.register_blueprint(bp)
    menu.add(app, "site.home", _l("Home"), order=0)
