"""Registration, confirmation, login, logout, password reset and change, profiles."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from cop.accounts import bp, services
from cop.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    EmailOnlyForm,
    LanguageForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    ResetPasswordForm,
)
from cop.accounts.session import had_remember_cookie, safe_next, start_session
from cop.accounts.throttle import login_throttle, password_change_throttle, take_or_429
from cop.extensions import csrf, limiter
from cop.forms import EmptyForm, show_error
from cop.loaders import loads
from cop.panels import panels
from cop.permissions import login_required, write_required
from cop.security import client_address
from cop.transactions import DomainError


def _limit(name: str):
    return lambda: current_app.config[name]


def _form_email_key() -> str:
    return "account:" + services.normalise_email(request.form.get("email", ""))


@bp.route("/account/registreren", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    form = RegistrationForm()
    if not form.is_submitted() and request.args.get("email"):
        form.email.data = request.args["email"][:254]  # from an invitation
    if form.validate_on_submit():
        # Only a registration that passed validation counts: typing mistakes lock nobody out.
        take_or_429("RATELIMIT_REGISTER", "register", client_address())
        try:
            services.register(
                email=form.email.data,
                password=form.password.data,
                display_name=form.display_name.data,
                organisation=form.organisation.data,
                job_title=form.job_title.data,
                municipality=form.municipality.data,
                locale=request.cookies.get("lang") if request.cookies.get("lang") in ("nl", "en") else None,
            )
        except DomainError as error:
            show_error(form, error)
        else:
            session["registered_email"] = services.normalise_email(form.email.data)
            # where to go once the address is confirmed (an invitation the member came from)
            after = safe_next(request.args.get("next"))
            if after:
                session["after_confirm"] = after
            return redirect(url_for("accounts.registered"))
    return render_template("accounts/register.html", form=form)


@bp.route("/account/registreren/verstuurd")
def registered():
    email = session.get("registered_email")
    if not email:
        return redirect(url_for("accounts.register"))
    return render_template("accounts/registered.html", email=email)


@bp.route("/account/bevestigen/<token>", methods=["GET", "POST"])
def confirm(token: str):
    form = EmptyForm()
    if form.validate_on_submit():
        user = services.confirm_email(token)
        if user is None:
            flash(_("This link is invalid, has expired or was used already."), "error")
            return redirect(
                url_for("accounts.unconfirmed" if current_user.is_authenticated else "accounts.login")
            )
        flash(_("Your email address is confirmed. Welcome to the Wijkengids community."), "success")
        after = safe_next(session.pop("after_confirm", None))
        if current_user.is_authenticated:
            return redirect(after or url_for("site.dashboard"))
        return redirect(url_for("accounts.login", next=after or url_for("site.dashboard")))
    return render_template("accounts/confirm.html", form=form)


@bp.route("/account/bevestigen")
@login_required
def unconfirmed():
    if current_user.is_confirmed:
        return redirect(url_for("site.home"))
    return render_template("accounts/unconfirmed.html", form=EmptyForm())


@bp.route("/account/bevestiging-opnieuw", methods=["POST"])
@login_required
@limiter.limit("3 per hour", key_func=lambda: f"resend:{current_user.get_id()}")
def resend_confirmation():
    if EmptyForm().validate_on_submit():
        services.resend_confirmation(current_user)
        flash(_("We sent a new link to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("accounts.unconfirmed"))


@bp.route("/account/inloggen", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_LOGIN"), methods=["POST"])
def login():
    target = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(target or url_for("site.home"))
    form = LoginForm()
    if form.validate_on_submit():
        account = services.normalise_email(form.email.data)
        login_throttle.check(account)
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except DomainError as error:
            if error.field == "password":
                login_throttle.failed(account)
            show_error(form, error)
        else:
            start_session(user, remember=form.remember.data)
            flash(_("You are logged in."), "success")
            return redirect(target or url_for("site.home"))
    return render_template("accounts/login.html", form=form)


@bp.route("/account/uitloggen", methods=["POST"])
def logout():
    if EmptyForm().validate_on_submit() and current_user.is_authenticated:
        services.end_all_sessions(current_user, reason="logout")
        logout_user()
        flash(_("You are logged out."), "success")
    return redirect(url_for("site.home"))


@bp.route("/account/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_RESET"), methods=["POST"])
@limiter.limit(_limit("RATELIMIT_RESET_ACCOUNT"), methods=["POST"], key_func=_form_email_key)
def forgot_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(
            _(
                "If an account exists for %(email)s, we have sent it a link to choose a new password. "
                "The link works for one hour.",
                email=form.email.data,
            ),
            "success",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/account/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = services.user_for_reset_token(token)
    if user is None:
        flash(_("This link is invalid, has expired or was used already. Ask for a new one."), "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm(user=user)
    if form.validate_on_submit():
        services.set_password(user, form.password.data, reason="reset")
        logout_user()
        flash(_("Your password has been changed. Log in with your new password."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account/wachtwoord", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm(user=current_user)
    account = str(current_user.id)
    if form.is_submitted():
        password_change_throttle.check(account)
    if form.validate_on_submit():
        user = current_user._get_current_object()
        remember = had_remember_cookie(current_app)
        services.set_password(user, form.password.data, reason="change")
        start_session(user, remember=remember)
        flash(_("Your password has been changed. You have been logged out everywhere else."), "success")
        return redirect(url_for("accounts.profile"))
    if getattr(form, "current_password_failed", False):
        password_change_throttle.failed(account)
    return render_template("accounts/change_password.html", form=form)


@bp.route("/account/e-mailadres", methods=["GET", "POST"])
@login_required  # also unconfirmed: a typing mistake in the address is mended here
def change_email():
    user = current_user._get_current_object()
    form = ChangeEmailForm(user=user)
    account = str(user.id)
    if form.is_submitted():
        password_change_throttle.check(account)
    if form.validate_on_submit():
        take_or_429("RATELIMIT_EMAIL_CHANGE", "email-change", account)
        try:
            services.request_email_change(user, form.email.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(
                _(
                    "We sent a link to %(email)s. Your address changes once you open it; until then "
                    "your account keeps %(current)s.",
                    email=services.normalise_email(form.email.data),
                    current=user.email,
                ),
                "success",
            )
            return redirect(url_for("accounts.profile" if user.is_confirmed else "accounts.unconfirmed"))
    if getattr(form, "current_password_failed", False):
        password_change_throttle.failed(account)
    return render_template("accounts/change_email.html", form=form)


@bp.route("/account/e-mailadres/bevestigen/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str):
    form = EmptyForm()
    if not form.validate_on_submit():
        return render_template("accounts/confirm_email_change.html", form=form)
    own_id = current_user.id if current_user.is_authenticated else None
    remember = had_remember_cookie(current_app)
    try:
        user = services.change_email(token)
    except DomainError as error:
        user, problem = None, error.message
    else:
        problem = _("This link is invalid, has expired or was used already. Ask for a new one.")
    if user is None:
        flash(problem, "error")
        if own_id is None:
            return redirect(url_for("accounts.login", next=url_for("accounts.change_email")))
        return redirect(url_for("accounts.change_email"))
    changed = _("Your email address has been changed to %(email)s.", email=user.email)
    if own_id == user.id:
        start_session(user, remember=remember)  # the change ended every session, this one starts anew
        flash(changed + " " + _("You have been logged out everywhere else."), "success")
        return redirect(url_for("accounts.profile"))
    if own_id is not None:  # logged in as someone else in this browser
        flash(changed, "success")
        return redirect(url_for("site.home"))
    flash(changed + " " + _("Log in with your new address."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/account/profiel", methods=["GET", "POST"])
@write_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        try:
            services.update_profile(
                current_user,
                handle=form.handle.data,
                **{name: getattr(form, name).data for name in services.PROFILE_FIELDS},
            )
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form)


@bp.route("/leden/<handle>")
@loads("member", services.find_by_handle, param="handle", canonical=lambda member: member.handle)
def member(member):
    return render_template("accounts/member.html", member=member, panels=panels("profile", member))


def _same_site_referrer_path() -> str | None:
    """The path of the page the form was sent from (a page shown after a POST has no ``next``)."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    return safe_next(referrer.path)


def _can_get(path: str) -> bool:
    """Whether a GET of ``path`` is answered (an error page shown after a POST is not)."""
    try:
        current_app.url_map.bind(request.host).match(urlsplit(path).path, method="GET")
    except HTTPException:
        return False
    return True


def _sent_from_this_site() -> bool:
    """The browser says the form came from one of our pages (``Origin``, or ``Referer`` where a
    browser sends no Origin): the check that stands in for a CSRF token where the page had none."""
    sender = request.headers.get("Origin") or request.referrer or ""
    ours = {request.host, urlsplit(current_app.config["PUBLIC_URL"]).netloc}
    return bool(sender) and urlsplit(sender).netloc in ours


@bp.route("/taal", methods=["POST"])
@csrf.exempt
def set_language():
    """Choose the language. A member's choice is stored with the account and the form carries a
    CSRF token; a visitor's is only a cookie, and the pages a visitor sees carry no token (so that
    one rendering serves every visitor, ``cop.cache``): the origin of the request is checked instead."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        pass
    elif current_user.is_authenticated:
        csrf.protect()
    elif not _sent_from_this_site():
        raise CSRFError()
    form = LanguageForm(meta={"csrf": False})
    if not form.validate_on_submit():
        abort(400)
    language = form.language.data
    if current_user.is_authenticated:
        services.set_locale(current_user, language)
    back = safe_next(request.form.get("next")) or _same_site_referrer_path()
    response = redirect(back if back and _can_get(back) else url_for("site.home"))
    response.set_cookie(
        "lang",
        language,
        max_age=60 * 60 * 24 * 365,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response
