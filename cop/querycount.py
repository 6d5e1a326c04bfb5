"""SQL statements per request, for the benchmark (tools/bench.py): an opt-in response header.

With ``QUERY_COUNT_HEADER`` on (from the environment: ``COP_QUERY_COUNT_HEADER=1``), every response
carries ``X-Query-Count``: the statements the request sent to the database, counted as the test
suite's ``count_queries`` counts them (transaction bookkeeping left out). Off by default, and
refused under the production configuration: the header tells a stranger how much work a page costs.
"""

from __future__ import annotations

import os
import re

from flask import Flask, g, has_request_context
from sqlalchemy import event

from cop.extensions import db

HEADER = "X-Query-Count"
_BOOKKEEPING = re.compile(r"\s*(SAVEPOINT|RELEASE|ROLLBACK|PRAGMA|BEGIN)", re.I)
_COUNT = "cop_query_count"


def _env_on() -> bool:
    return os.environ.get("COP_QUERY_COUNT_HEADER", "").strip().lower() in {"1", "true", "yes", "on"}


def init_app(app: Flask) -> None:
    enabled = app.config.setdefault("QUERY_COUNT_HEADER", _env_on())
    if not enabled:
        return
    if os.environ.get("FLASK_CONFIG") == "production":
        raise RuntimeError("QUERY_COUNT_HEADER (COP_QUERY_COUNT_HEADER) is for benchmarks, not production.")

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        if has_request_context() and not _BOOKKEEPING.match(statement):
            setattr(g, _COUNT, getattr(g, _COUNT, 0) + 1)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)

    @app.after_request
    def add_header(response):
        response.headers[HEADER] = str(getattr(g, _COUNT, 0))
        return response
