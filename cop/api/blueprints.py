"""The API's two blueprints, set up once (hooks, error handler, rate limit) when first imported:
``api`` (/api/v1/) and ``feeds`` (/feeds/)."""

from __future__ import annotations

from flask import Blueprint, current_app
from werkzeug.exceptions import HTTPException

from cop import errors
from cop.api import http
from cop.extensions import limiter

api_bp = Blueprint("api", __name__, url_prefix="/api/v1")
feeds_bp = Blueprint("feeds", __name__)


def _api_limit() -> str:
    return current_app.config["RATELIMIT_API"]


for _blueprint in (api_bp, feeds_bp):
    _blueprint.before_request(http.ignore_session)
    _blueprint.after_request(http.finish)
    # one budget per client address for the API and the feeds together
    limiter.shared_limit(_api_limit, scope="api")(_blueprint)
api_bp.register_error_handler(HTTPException, http.json_error)
feeds_bp.register_error_handler(HTTPException, errors.plain)
