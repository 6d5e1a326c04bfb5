"""The guide: chapters, themes, lessons and their revisions, sources, editions; content files.

What other packages may use: the models below, ``queries`` for reading, ``stage_lesson`` (to
put a lesson or a new revision in the session as part of a larger change, such as a promotion)
with ``check_base`` and ``details_version`` (to refuse a save over someone else's), the lesson form
(``forms``), word differences (``diff``) and the labels of a lesson's details (``labels``).
Higher packages add to the lesson and theme pages through ``cop.panels`` ("lesson", "theme") and
learn of changes through ``cop.signals`` (``lesson_saved``, ``edition_published``).
"""

from flask import Blueprint

from cop.guide import diff, forms, labels, queries
from cop.guide.models import Chapter, Edition, Lesson, LessonRevision, LessonStatus, Theme
from cop.guide.services import check_base, details_version, stage_lesson

__all__ = [
    "Chapter",
    "Edition",
    "Lesson",
    "LessonRevision",
    "LessonStatus",
    "Theme",
    "bp",
    "check_base",
    "details_version",
    "diff",
    "forms",
    "init_app",
    "labels",
    "queries",
    "stage_lesson",
]

bp = Blueprint("guide", __name__)


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from cop import menu
    from cop import panels as points
    from cop.guide import cli, panels, views  # noqa: F401  (routes register on bp)

    app.register_blueprint(bp)
    points.contribute(app, "home", panels.home_panel)
    from cop.guide.steps import read_lesson_step

    points.contribute(app, "first-steps", read_lesson_step)
    from cop.guide import privacy

    points.contribute(app, "privacy-export", privacy.export)
    points.contribute(app, "account-deletion", privacy.delete_part)
    app.cli.add_command(cli.guide_cli)
    menu.add(app, "guide.index", _l("Guide"), order=10)
