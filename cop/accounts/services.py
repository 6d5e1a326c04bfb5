"""Account operations. Each public function owns its commit (``transactions.commit``), sends its
signal before it, and leaves mail and the security log to after the commit; views stay thin."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from cop import mail, signals
from cop.accounts import handles, passwords, tokens
from cop.accounts.models import Role, User
from cop.db_types import utcnow
from cop.extensions import db
from cop.permissions import ROLE_RANK
from cop.sanitize import render
from cop.security import client_address, log_after_commit, log_event
from cop.text import first_free
from cop.transactions import DomainError, after_response, commit
from cop.urls import public_url

INDEFINITE = timedelta(days=365 * 100)
PROFILE_FIELDS = ("display_name", "organisation", "job_title", "municipality", "bio", "profile_public")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def find_by_handle(handle: str) -> User | None:
    return db.session.scalar(select(User).where(User.handle == (handle or "").lower()))


def _free_handle(display_name: str) -> str:
    base = handles.base_from_name(display_name)
    taken = set(
        db.session.scalars(
            select(User.handle).where(or_(User.handle == base, User.handle.startswith(base + "-")))
        )
    )
    return first_free(base, taken)


# --- registration ---------------------------------------------------------------------------------


def create_account(
    *,
    email,
    password,
    display_name,
    organisation="",
    job_title="",
    municipality="",
    locale=None,
    role=Role.MEMBER,
    confirmed=False,
) -> User:
    """Create an account (and queue its confirmation mail unless created confirmed). An address
    that has an account already is a DomainError at ``email``: for the command line and admins.
    The public registration form goes through ``register`` instead, which tells nobody that."""
    if find_by_email(email) is not None:
        raise DomainError(_("An account with this email address exists already."), "email")
    user = _new_user(
        email=email,
        password_hash=passwords.hash_password(password),
        display_name=display_name,
        organisation=organisation,
        job_title=job_title,
        municipality=municipality,
        locale=locale,
        role=role,
        confirmed=confirmed,
    )
    if user is None:
        raise DomainError(_("An account with this email address exists already."), "email")
    return user


def _new_user(*, email, password_hash, display_name, confirmed, **fields) -> User | None:
    """Insert the account and commit; None when a concurrent registration took the address first."""
    for attempt in range(3):
        user = User(
            email=normalise_email(email),
            handle=_free_handle(display_name) if attempt == 0 else _free_handle(f"{display_name} {attempt}"),
            password_hash=password_hash,
            display_name=display_name,
            confirmed_at=utcnow() if confirmed else None,
            **{**fields, "municipality": fields.get("municipality") or ""},
        )
        db.session.add(user)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            if find_by_email(email) is not None:
                return None
            continue  # another account took the same handle at the same moment
        if not confirmed:
            _queue_confirmation(user)
        signals.member_registered.send(user)
        log_after_commit("registered", user)
        commit()
        return user
    raise DomainError(_("Registering did not work this time. Please try again."))


def register(*, email, password, display_name, organisation, job_title, municipality="", locale=None) -> None:
    """The public registration. An address that has an account already gets the same answer on the
    page as a new one, and its owner a mail saying so (with a way to log in or reset the password),
    so that the form never tells whether an address is known. Both ways hash the password, write
    one mail to the outbox and commit, so that they also take equally long."""
    password_hash = passwords.hash_password(password)
    existing = find_by_email(email)
    if existing is None:
        created = _new_user(
            email=email,
            password_hash=password_hash,
            display_name=display_name,
            organisation=organisation,
            job_title=job_title,
            municipality=municipality,
            locale=locale,
            role=Role.MEMBER,
            confirmed=False,
        )
        if created is not None:
            return
        existing = find_by_email(email)
    mail.queue(
        existing.email,
        "account_exists",
        locale=existing.locale,
        user=existing,
        login_link=public_url("accounts.login"),
        reset_link=public_url("accounts.forgot_password"),
    )
    log_after_commit("registration_for_existing_account", existing)
    commit()


def _queue_confirmation(user: User):
    link = public_url("accounts.confirm", token=tokens.make_confirm_token(user))
    return mail.queue(user.email, "confirm", locale=user.locale, user=user, link=link)


def resend_confirmation(user: User) -> None:
    if user.is_confirmed:
        return
    _queue_confirmation(user)
    commit()


def confirm_email(token: str) -> User | None:
    """Confirm the account the link names. None when the link is invalid, expired or spent."""
    data = tokens.read_confirm_token(token)
    if not data:
        return None
    user = db.session.get(User, data.get("uid")) if isinstance(data.get("uid"), int) else None
    if user is None or user.email != data.get("email") or user.is_confirmed:
        return None
    user.confirmed_at = utcnow()
    signals.member_confirmed.send(user)
    log_after_commit("email_confirmed", user)
    commit()
    return user


# --- changing the email address ------------------------------------------------------------------


def request_email_change(user: User, new_email: str) -> None:
    """Mail a link to ``new_email`` that moves the account there once it is used; nothing changes
    before. An address that has an account already gets a mail saying so instead (as registration
    does), so that the page answers the same for every address."""
    address = normalise_email(new_email)
    if address == user.email:
        raise DomainError(_("This is your email address already."), "email")
    existing = find_by_email(address)
    if existing is None:
        link = public_url(
            "accounts.confirm_email_change", token=tokens.make_email_change_token(user, address)
        )
        mail.queue(address, "change_email", locale=user.locale, user=user, link=link)
    else:
        mail.queue(
            existing.email,
            "change_email_taken",
            locale=existing.locale,
            user=existing,
            login_link=public_url("accounts.login"),
            reset_link=public_url("accounts.forgot_password"),
        )
    log_after_commit("email_change_requested", user, address_known=existing is not None)
    commit()


def change_email(token: str) -> User | None:
    """Move the account the link names to the address inside it; None when the link is invalid,
    expired or spent (the address or the password changed since). The old address gets a notice,
    and every session of the account ends (the view logs the member in anew where they are): the
    address is how the account is recovered, and one who lost their old mailbox to someone else
    should not leave that person logged in."""
    data = tokens.read_email_change_token(token)
    if not data:
        return None
    user = db.session.get(User, data["uid"])
    if user is None or user.is_suspended or not tokens.email_change_token_matches(data, user):
        return None
    address = normalise_email(data["new"])
    taken = _("This email address has been taken by another account in the meantime.")
    if find_by_email(address) is not None:
        raise DomainError(taken)
    old_address = user.email
    user.email = address
    if not user.is_confirmed:
        user.confirmed_at = utcnow()  # the link proved the new address
        signals.member_confirmed.send(user)
    user.rotate_session_token()
    mail.queue(
        old_address,
        "email_changed",
        locale=user.locale,
        user=user,
        contact=current_app.config.get("CONTACT_EMAIL"),
    )
    signals.email_changed.send(user)
    log_after_commit("email_changed", user)
    commit(taken)
    return user


# --- logging in -----------------------------------------------------------------------------------


def authenticate(email: str, password: str) -> User:
    """Return the user for these credentials or raise DomainError. An unknown address and a wrong
    password get the same message and take the same time (a dummy hash is checked)."""
    user = find_by_email(email)
    if not passwords.verify_password(user.password_hash if user else None, password):
        log_event("login_failed", user, email_known=user is not None)
        raise DomainError(_("The email address or password is not correct."), "password")
    if user.is_suspended:
        log_event("login_refused_suspended", user)
        raise DomainError(suspension_message(user))
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = utcnow()
    log_after_commit("login_succeeded", user)
    commit()
    return user


def suspension_message(user: User) -> str:
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
    log_after_commit("sessions_ended", user, reason=reason)
    commit()


# --- passwords ------------------------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Mail a reset link when the address has an account; nothing otherwise. All of it happens after
    the response has gone out, so that the page takes equally long for every address."""
    address, ip = normalise_email(email), client_address()
    after_response(lambda: _send_reset_link(address, ip))


def _send_reset_link(address: str, ip: str) -> None:
    user = find_by_email(address)
    log_event("password_reset_requested", user, ip=ip)
    if user is None:
        return
    link = public_url("accounts.reset_password", token=tokens.make_reset_token(user))
    mail.queue(user.email, "reset_password", locale=user.locale, user=user, link=link)
    commit()


def user_for_reset_token(token: str) -> User | None:
    data = tokens.read_reset_token(token)
    if not data or not isinstance(data.get("uid"), int):
        return None
    user = db.session.get(User, data["uid"])
    if user is None or not tokens.reset_token_matches(data, user):
        return None
    return user


def set_password(user: User, new_password: str, reason: str) -> None:
    """Set a new password and end every other session (the view logs the user in anew)."""
    user.password_hash = passwords.hash_password(new_password)
    user.rotate_session_token()
    if reason == "reset" and not user.is_confirmed:
        user.confirmed_at = utcnow()  # the reset link proved the address
    signals.password_changed.send(user, reason=reason)
    log_after_commit("password_changed", user, reason=reason)
    commit()


# --- profile --------------------------------------------------------------------------------------


def update_profile(user: User, *, handle: str | None = None, **fields) -> None:
    if handle is not None and handle != user.handle:
        problem = handles.problem(handle)
        if problem:
            raise DomainError(problem, "handle")
        if find_by_handle(handle) is not None:
            raise DomainError(handles.TAKEN_MESSAGE, "handle")
        user.handle = handle
    for name in PROFILE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(user, name, bool(value) if name == "profile_public" else value or "")
    user.bio_html = render(user.bio)
    signals.profile_changed.send(user)
    commit(handles.TAKEN_MESSAGE)


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    commit()


# --- administration -------------------------------------------------------------------------------


def set_role(user: User, role: Role | str, actor: User | None) -> None:
    role = Role(role)
    if actor is not None and actor.id == user.id and ROLE_RANK[role.value] < ROLE_RANK[user.role.value]:
        raise DomainError(_("You cannot take away your own administrator role."), "role")
    if user.role == role:
        return
    previous = user.role
    user.role = role
    signals.role_changed.send(user, actor=actor, old=previous, new=role)
    log_after_commit("role_changed", actor, target=user.id, old=previous.value, new=role.value)
    commit()


def suspend(user: User, days: int, reason: str, actor: User | None) -> None:
    if actor is not None and actor.id == user.id:
        raise DomainError(_("You cannot suspend yourself."))
    user.suspended_until = utcnow() + (timedelta(days=days) if days > 0 else INDEFINITE)
    user.suspension_reason = reason
    user.rotate_session_token()
    signals.member_suspended.send(user, actor=actor, until=user.suspended_until, reason=reason)
    log_after_commit("suspended", actor, target=user.id, days=days or "indefinite")
    commit()


def unsuspend(user: User, actor: User | None) -> None:
    user.suspended_until = None
    user.suspension_reason = ""
    signals.member_unsuspended.send(user, actor=actor)
    log_after_commit("unsuspended", actor, target=user.id)
    commit()


def user_page(query: str, page: int, per_page: int = 25):
    """Users matching ``query`` in name, handle, email or organisation, newest first."""
    statement = select(User).order_by(User.created_at.desc(), User.id.desc())
    if query:
        needle = query.strip().lower()
        statement = statement.where(
            or_(
                User.email.contains(needle, autoescape=True),
                User.handle.contains(needle, autoescape=True),
                func.lower(User.display_name).contains(needle, autoescape=True),
                func.lower(User.organisation).contains(needle, autoescape=True),
            )
        )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)
