"""Security headers, cookie hardening and the security event log."""

from __future__ import annotations

import logging

from flask import Flask, current_app, has_request_context, request
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


def log_event(event: str, user=None, **details) -> None:
    """Log a security event: who, from where, what. Never pass passwords or tokens."""
    who = getattr(user, "id", None)
    parts = [
        f"event={event}",
        f"user_id={who}",
        f"ip={request.remote_addr if has_request_context() else '-'}",
    ]
    parts += [f"{key}={value}" for key, value in details.items()]
    security_log.info(" ".join(parts))


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
    app.after_request(_set_headers)
    hops = app.config.get("TRUST_PROXY_HOPS", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    if not security_log.handlers and not app.testing:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        security_log.addHandler(handler)
        security_log.setLevel(logging.INFO)
