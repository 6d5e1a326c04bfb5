"""Account operations. Each public function owns its commit; views stay thin."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from cop import mail
from cop.accounts import passwords, tokens
from cop.accounts.models import Role, User
from cop.db_types import utcnow
from cop.extensions import db
from cop.sanitize import render
from cop.security import log_event

INDEFINITE = timedelta(days=365 * 100)
PROFILE_FIELDS = ("display_name", "organisation", "job_title", "municipality", "bio")


class AccountError(Exception):
    """A domain error the view shows at ``field`` (or at the top of the form when None)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _duplicate_email_error() -> AccountError:
    from flask_babel import gettext as _

    return AccountError(
        _("An account with this email address already exists. Log in or reset your password."),
        field="email",
    )


def register_user(
    *,
    email,
    password,
    display_name,
    organisation,
    job_title,
    municipality="",
    locale=None,
    role=Role.MEMBER,
    confirmed=False,
) -> User:
    """Create an account and queue its confirmation mail (unless created confirmed)."""
    if find_by_email(email) is not None:
        raise _duplicate_email_error()
    user = User(
        email=normalise_email(email),
        password_hash=passwords.hash_password(password),
        display_name=display_name,
        organisation=organisation,
        job_title=job_title,
        municipality=municipality or "",
        locale=locale,
        role=role,
        confirmed_at=utcnow() if confirmed else None,
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:  # a concurrent registration took the address first
        db.session.rollback()
        raise _duplicate_email_error() from None
    outgoing = None if confirmed else _queue_confirmation(user)
    db.session.commit()
    log_event("registered", user)
    if outgoing:
        mail.deliver_now(outgoing)
    return user


def _queue_confirmation(user: User):
    link = url_for("accounts.confirm", token=tokens.make_confirm_token(user), _external=True)
    return mail.queue(user.email, "confirm", locale=user.locale, user=user, link=link)


def resend_confirmation(user: User) -> None:
    if user.is_confirmed:
        return
    outgoing = _queue_confirmation(user)
    db.session.commit()
    mail.deliver_now(outgoing)


def confirm_email(token: str) -> User | None:
    """Confirm the account the link names. None when the link is invalid, expired or spent."""
    data = tokens.read_confirm_token(token)
    if not data:
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or user.email != data.get("email") or user.is_confirmed:
        return None
    user.confirmed_at = utcnow()
    db.session.commit()
    log_event("email_confirmed", user)
    return user


def authenticate(email: str, password: str) -> User:
    """Return the user for these credentials or raise AccountError (same message either way)."""
    from flask_babel import gettext as _

    user = find_by_email(email)
    if user is None or not passwords.verify_password(user.password_hash, password):
        log_event("login_failed", user, email_known=user is not None)
        raise AccountError(_("The email address or password is not correct."), field="password")
    if user.is_suspended:
        log_event("login_refused_suspended", user)
        raise AccountError(_suspension_message(user), field=None)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    log_event("login_succeeded", user)
    return user


def _suspension_message(user: User) -> str:
    from flask_babel import format_datetime
    from flask_babel import gettext as _

    if user.suspended_until - utcnow() > INDEFINITE / 2:
        text = _("Your account is suspended until an administrator lifts the suspension.")
    else:
        text = _("Your account is suspended until %(date)s.", date=format_datetime(user.suspended_until))
    if user.suspension_reason:
        text += " " + _("Reason: %(reason)s", reason=user.suspension_reason)
    return text


def end_all_sessions(user: User, reason: str) -> None:
    """Rotate the session token: every session and remember cookie of this user ends."""
    user.rotate_session_token()
    db.session.commit()
    log_event("sessions_ended", user, reason=reason)


def request_password_reset(email: str) -> None:
    """Queue a reset mail when the address belongs to an account; silent otherwise."""
    user = find_by_email(email)
    log_event("password_reset_requested", user)
    if user is None:
        return
    link = url_for("accounts.reset_password", token=tokens.make_reset_token(user), _external=True)
    outgoing = mail.queue(user.email, "reset_password", locale=user.locale, user=user, link=link)
    db.session.commit()
    mail.deliver_now(outgoing)


def user_for_reset_token(token: str) -> User | None:
    data = tokens.read_reset_token(token)
    if not data:
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or not tokens.reset_token_matches(data, user):
        return None
    return user


def set_password(user: User, new_password: str, reason: str) -> None:
    """Set a new password and end every other session (the view logs the user in anew)."""
    user.password_hash = passwords.hash_password(new_password)
    user.rotate_session_token()
    if reason == "reset" and not user.is_confirmed:
        user.confirmed_at = utcnow()  # the reset link proved the address
    db.session.commit()
    log_event("password_changed", user, reason=reason)


def update_profile(user: User, **fields) -> None:
    for name in PROFILE_FIELDS:
        if name in fields:
            setattr(user, name, fields[name] or "")
    user.bio_html = render(user.bio)
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.commit()


def set_role(user: User, role: Role | str, actor: User | None) -> None:
    role = Role(role)
    if user.role == role:
        return
    previous = user.role
    user.role = role
    db.session.commit()
    log_event("role_changed", actor, target=user.id, old=previous.value, new=role.value)


def suspend(user: User, days: int, reason: str, actor: User | None) -> None:
    user.suspended_until = utcnow() + (timedelta(days=days) if days > 0 else INDEFINITE)
    user.suspension_reason = reason
    user.rotate_session_token()
    db.session.commit()
    log_event("suspended", actor, target=user.id, days=days or "indefinite")


def unsuspend(user: User, actor: User | None) -> None:
    user.suspended_until = None
    user.suspension_reason = ""
    db.session.commit()
    log_event("unsuspended", actor, target=user.id)


def user_page(query: str, page: int, per_page: int = 25):
    """Users matching ``query`` in name, email or organisation, newest first."""
    statement = select(User).order_by(User.created_at.desc(), User.id.desc())
    if query:
        needle = query.strip().lower()
        statement = statement.where(
            or_(
                User.email.contains(needle, autoescape=True),
                func.lower(User.display_name).contains(needle, autoescape=True),
                func.lower(User.organisation).contains(needle, autoescape=True),
            )
        )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)
