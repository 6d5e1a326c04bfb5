"""Mijn gegevens: what the platform holds about the member, its download, and deleting the account."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from cop.accounts import bp, privacy
from cop.accounts.forms import DeleteAccountForm
from cop.accounts.throttle import password_change_throttle, take_or_429
from cop.db_types import utcnow
from cop.forms import EmptyForm, show_error
from cop.permissions import login_required
from cop.transactions import DomainError


@bp.route("/account/gegevens")
@login_required
def my_data():
    return render_template("accounts/my_data.html", form=EmptyForm())


@bp.route("/account/gegevens/download", methods=["POST"])
@login_required
def download_data():
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("accounts.my_data"))
    take_or_429("RATELIMIT_EXPORT", "export", str(current_user.id))
    member = current_user._get_current_object()
    body = privacy.export_zip(member)
    name = f"wijkengids-gegevens-{member.handle}-{utcnow().date().isoformat()}.zip"
    return Response(
        body,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@bp.route("/account/verwijderen", methods=["GET", "POST"])
@login_required
def delete_account():
    member = current_user._get_current_object()
    form = DeleteAccountForm(user=member)
    account = str(member.id)
    if form.is_submitted():
        password_change_throttle.check(account)
    if form.validate_on_submit():
        try:
            privacy.delete_account(member, keep_name=form.keep_name.data)
        except DomainError as error:
            show_error(form, error)
        else:
            logout_user()
            flash(_("Your account has been deleted. Thank you for taking part."), "success")
            return redirect(url_for("site.home"))
    if getattr(form, "current_password_failed", False):
        password_change_throttle.failed(account)
    return render_template("accounts/delete_account.html", form=form)
