"""Search: one Dutch full-text search over everything the viewer may see (``/zoeken``).

Each package's part of the index is a function on the ``search-index`` process point
(``cop.panels``); this package registers the parts of the packages below it (it may read their
models) and keeps the index current by subscribing to their signals, in the same transaction as
the write. The home page gets a search box through the "home-intro" panel point; the header has one in
``base.html``. ``flask --app cop search reindex`` rebuilds the index.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from cop.search import queries
from cop.search.models import SearchDocument, SearchWord

__all__ = ["SearchDocument", "SearchWord", "bp", "init_app", "queries"]

bp = Blueprint("search", __name__)


def init_app(app: Flask) -> None:
    from cop import panels as points
    from cop.search import cli, documents, panels, subscribers, views  # noqa: F401  (routes register on bp)

    app.register_blueprint(bp)
    app.cli.add_command(cli.search_cli)
    for part in documents.ALL:
        points.contribute(app, "search-index", part)
    points.contribute(app, "home-intro", panels.home_panel)
    subscribers.connect()
