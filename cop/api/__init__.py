"""API: the public part of the platform for other systems. A read-only JSON API under /api/v1/
(described by its OpenAPI document at /api/v1/openapi.json) and Atom feeds under /feeds/.

Both show only what an anonymous visitor may see (``public``), never read the visitor's session,
answer with ETag and Last-Modified (and 304), allow any origin to GET (CORS), and are rate limited
per client address (``RATELIMIT_API``). The printable guide's provenance lines come from here too
(the "lesson-credits" point), since the guide may not ask contributions itself.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from cop.api.blueprints import api_bp, feeds_bp

__all__ = ["api_bp", "feeds_bp", "init_app"]

API_PREFIX = "/api/"
DEFAULT_LIMIT = "120 per minute;3000 per hour"


def init_app(app: Flask) -> None:
    from cop import errors, panels
    from cop.api import feeds, http, views  # noqa: F401  (routes register on the blueprints)
    from cop.api.printing import lesson_credits

    app.config.setdefault("RATELIMIT_API", DEFAULT_LIMIT)
    app.register_blueprint(api_bp)
    app.register_blueprint(feeds_bp)
    panels.contribute(app, "lesson-credits", lesson_credits)

    # A 404 or 405 under /api/ is answered in JSON and one under /feeds/ in a line of text, as
    # their other errors (the blueprints' handlers), also for an address that matches no route;
    # every other one keeps the app's page.
    page_handler = app.error_handler_spec[None][None][HTTPException]

    def not_routed(error):
        if request.path.startswith(API_PREFIX):
            return http.json_error(error)
        if request.path.startswith("/feeds/"):
            return errors.plain(error)
        return page_handler(error)

    app.register_error_handler(404, not_routed)
    app.register_error_handler(405, not_routed)
