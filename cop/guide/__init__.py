"""The guide: chapters, themes, lessons and their revisions, sources, editions; content files."""

from flask import Blueprint

bp = Blueprint("guide", __name__)


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from cop import add_menu_item
    from cop.guide import cli, edit_views, edition_views, views  # noqa: F401  (routes register on bp)

    app.register_blueprint(bp)
    app.cli.add_command(cli.guide_cli)
    add_menu_item(app, "guide.index", _l("Guide"))
