"""Security headers, cookie hardening and the security event log."""

from __future__ import annotations

import logging
from types import SimpleNamespace

from flask import Flask, abort, current_app, has_request_context, request
from flask_login import current_user

security_log = logging.getLogger("cop.security")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


def client_address() -> str:
    return (request.remote_addr or "-") if has_request_context() else "-"


def log_event(event: str, user=None, **details) -> None:
    """Log a security event: who, from where, what. Never pass passwords or tokens."""
    who = getattr(user, "id", None)
    ip = details.pop("ip", None) or client_address()
    parts = [f"event={event}", f"user_id={who}", f"ip={ip}"]
    parts += [f"{key}={value}" for key, value in details.items()]
    security_log.info(" ".join(parts))


def log_after_commit(event: str, user=None, **details) -> None:
    """Log ``event`` once the current transaction has committed (and not at all if it fails).
    Who and from where are taken now, so that logging reads nothing from the database."""
    from cop.transactions import after_commit

    who = SimpleNamespace(id=getattr(user, "id", None))
    details.setdefault("ip", client_address())
    after_commit(lambda: log_event(event, who, **details))


def refuse_nul_in_url() -> None:
    """A NUL in a path is no page (404) and in a query string no request (400): no database can be
    asked for it, and no view should have to think of it. Forms refuse it at the field (cop.forms)."""
    if "\x00" in request.path:
        abort(404)
    for key, value in request.args.items(multi=True):
        if "\x00" in key or "\x00" in value:
            abort(400)


def _set_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
    if current_app.config.get("HSTS_ENABLED"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if current_user and getattr(current_user, "is_authenticated", False):
        headers["Cache-Control"] = "no-store"
        headers["Vary"] = ", ".join(filter(None, [headers.get("Vary"), "Cookie"]))
    return response


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_in_url)
    app.after_request(_set_headers)
    hops = app.config.get("TRUST_PROXY_HOPS", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # X-Forwarded-Host only when the proxy is known to set it itself; links that leave the app
        # come from PUBLIC_URL either way (cop.urls.public_url).
        x_host = hops if app.config.get("TRUST_PROXY_HOST") else 0
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=x_host)
    if not security_log.handlers and not app.testing:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        security_log.addHandler(handler)
        security_log.setLevel(logging.INFO)
