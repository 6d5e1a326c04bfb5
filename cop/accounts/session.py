"""Flask-Login wiring: users load by their rotating session token, never by their id."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, session
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from sqlalchemy import select

from cop.accounts.models import User
from cop.extensions import db, login_manager


def init_login_manager(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    user = db.session.scalar(select(User).where(User.session_token == session_token))
    if user is None or user.is_suspended or user.is_deleted:
        return None
    return user


def start_session(user: User, remember: bool) -> None:
    """Log in on a fresh session (no fixation: whatever the old session held is gone)."""
    session.clear()
    login_user(user, remember=remember)


def had_remember_cookie(app) -> bool:
    return app.config["REMEMBER_COOKIE_NAME"] in request.cookies


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
