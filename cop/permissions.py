"""The one vocabulary of "may this user do that".

It knows roles; for anything else it asks the object (e.g. ``circle.is_visible_to(user)``), so it
imports no capability's models. Views use the decorators, templates the predicates (registered as
Jinja globals in ``create_app``).
"""

from __future__ import annotations

from functools import wraps

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

ROLE_RANK = {"member": 0, "moderator": 1, "admin": 2}


def _role_value(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    role = user.role
    return getattr(role, "value", role)


def has_role(user, role: str) -> bool:
    value = _role_value(user)
    return value is not None and ROLE_RANK[value] >= ROLE_RANK[role]


def is_moderator(user=None) -> bool:
    return has_role(current_user if user is None else user, "moderator")


def is_admin(user=None) -> bool:
    return has_role(current_user if user is None else user, "admin")


def can_write(user=None) -> bool:
    """Confirmed, unsuspended members may write; unconfirmed accounts can only read."""
    user = current_user if user is None else user
    return bool(getattr(user, "is_authenticated", False) and user.is_confirmed and not user.is_suspended)


def can_manage_users(user=None) -> bool:
    """Roles and suspensions of members are for admins."""
    return is_admin(user)


def can_edit_content(user=None) -> bool:
    """Editing the guide (lessons, chapters) is for moderators and admins."""
    return is_moderator(user)


def can_publish_editions(user=None) -> bool:
    return is_admin(user)


def _viewer(user):
    return current_user if user is None else user


def can_view(obj, user=None) -> bool:
    """Ask the object itself whether the viewer may see it (objects without a rule are public)."""
    check = getattr(obj, "is_visible_to", None)
    return True if check is None else bool(check(_viewer(user)))


def can_change(obj, user=None) -> bool:
    """Ask the object itself whether the viewer may change it (objects without a rule may not be)."""
    check = getattr(obj, "is_editable_by", None)
    return False if check is None else bool(check(_viewer(user)))


def visible_or_404(obj, user=None):
    """Return obj, or abort with 404 when the viewer may not know it exists."""
    if obj is None or not can_view(obj, user):
        abort(404)
    return obj


def editable_or_403(obj, user=None):
    """Return obj (which the viewer may see), or abort with 403 when they may not change it."""
    visible_or_404(obj, user)
    if not can_change(obj, user):
        abort(403)
    return obj


def _login_redirect():
    from cop.extensions import login_manager

    return login_manager.unauthorized()


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return _login_redirect()
        return view(*args, **kwargs)

    return wrapped


def write_required(view):
    """Logged in and confirmed; an unconfirmed user is sent to ask for a new link."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return _login_redirect()
        if not current_user.is_confirmed:
            flash(_("Confirm your email address first; then you can take part."), "warning")
            return redirect(url_for("accounts.unconfirmed", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped


def requires(predicate):
    """Logged in and ``predicate(current_user)``; otherwise the login page, or 403 (the page exists,
    it is not for you). The predicate is the same one templates and queries use."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return _login_redirect()
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


JINJA_GLOBALS = {
    "is_moderator": is_moderator,
    "is_admin": is_admin,
    "can_write": can_write,
    "can_manage_users": can_manage_users,
    "can_edit_content": can_edit_content,
    "can_publish_editions": can_publish_editions,
    "can_view": can_view,
    "can_change": can_change,
}
