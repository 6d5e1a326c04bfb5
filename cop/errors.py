"""Dutch error pages for every error a visitor can meet."""

from __future__ import annotations

from flask import Flask, make_response, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from cop.extensions import db
from cop.security import log_event

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("No access"), _l("You do not have permission to do this.")),
    404: (_l("Page not found"), _l("This page does not exist (any more), or you cannot see it.")),
    405: (_l("Not allowed"), _l("This action is not possible this way.")),
    413: (_l("Too large"), _l("What you sent is too large. Make it shorter and try again.")),
    429: (
        _l("Too many attempts"),
        _l("You tried this too often in a short time. Wait a few minutes and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("An error occurred on our side. It has been logged; please try again later."),
    ),
}


def path_for_log() -> str:
    """The request's path with the secret each link of a mail carries (a view argument named
    ``token``: confirmation, password reset, unsubscribe, calendar feed, invitation) masked, as the
    access log masks it: whoever reads the logs must not be able to use the link."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if "token" in name and isinstance(value, str) and value:
            path = path.replace(value, "[token]")
    return path


def plain(error: HTTPException):
    """An error as a line of Dutch text, with the error's headers (Retry-After on a 429): for what
    is read by a program rather than a person, such as a feed reader or a calendar."""
    title, text = MESSAGES.get(error.code, (error.name, error.description))
    response = make_response(f"{title}. {text}\n", error.code)
    response.mimetype = "text/plain"
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _render(code: int, detail: str | None = None):
    title, text = MESSAGES.get(code, MESSAGES[500])
    return (
        render_template("errors/error.html", code=code, title=title, text=text, detail=detail),
        code,
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(
            400, _("The form has expired or was not sent from this site. Reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error):
        if request_ctx.url_adapter is None:
            # A request for a host this site does not serve (TRUSTED_HOSTS): no page of ours can be
            # built for it, so it gets the plain answer.
            return error
        if error.code == 429:
            log_event("rate_limited", endpoint=request.endpoint)
        if error.code not in MESSAGES:
            return error
        body, code = _render(error.code)
        response = make_response(body, code)
        for name, value in error.get_headers():  # e.g. Allow on a 405, Retry-After on a 429
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unhandled(error):
        app.logger.exception("Unhandled error on %s", path_for_log())
        db.session.rollback()
        return _render(500)
