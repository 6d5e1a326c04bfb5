"""User administration for admins: list and search members, change roles, suspend."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop.accounts import bp, services
from cop.accounts.forms import RoleForm, SuspendForm
from cop.accounts.models import User
from cop.extensions import db
from cop.forms import EmptyForm
from cop.permissions import can_manage_users, requires
from cop.transactions import DomainError
from cop.urls import page_arg


@bp.route("/beheer/leden")
@requires(can_manage_users)
def admin_users():
    query = request.args.get("q", "").strip()[:100]
    users = services.user_page(query, page_arg())
    return render_template("accounts/admin_users.html", users=users, query=query)


@bp.route("/beheer/leden/<int:user_id>")
@requires(can_manage_users)
def admin_user(user_id: int):
    return _render(db.get_or_404(User, user_id))


@bp.route("/beheer/leden/<int:user_id>/rol", methods=["POST"])
@requires(can_manage_users)
def admin_set_role(user_id: int):
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            services.set_role(user, form.role.data, actor=current_user)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("The role of %(name)s has been changed.", name=user.display_name), "success")
        return redirect(url_for("accounts.admin_user", user_id=user.id))
    return _render(user, 400, role_form=form)


@bp.route("/beheer/leden/<int:user_id>/schorsen", methods=["POST"])
@requires(can_manage_users)
def admin_suspend(user_id: int):
    user = db.get_or_404(User, user_id)
    form = SuspendForm()
    if form.validate_on_submit():
        try:
            services.suspend(user, int(form.duration.data), form.reason.data, actor=current_user)
        except DomainError as error:  # their own account, whose page shows no form for it
            flash(error.message, "error")
            return redirect(url_for("accounts.admin_user", user_id=user.id))
        flash(_("%(name)s has been suspended and logged out everywhere.", name=user.display_name), "success")
        return redirect(url_for("accounts.admin_user", user_id=user.id))
    return _render(user, 400, suspend_form=form)


@bp.route("/beheer/leden/<int:user_id>/schorsing-opheffen", methods=["POST"])
@requires(can_manage_users)
def admin_unsuspend(user_id: int):
    user = db.get_or_404(User, user_id)
    if EmptyForm().validate_on_submit():
        services.unsuspend(user, actor=current_user)
        flash(_("The suspension of %(name)s has been lifted.", name=user.display_name), "success")
    return redirect(url_for("accounts.admin_user", user_id=user.id))


def _render(user, status: int = 200, **forms):
    defaults = {
        "role_form": RoleForm(role=user.role.value),
        "suspend_form": SuspendForm(),
        "unsuspend_form": EmptyForm(),
    }
    defaults.update(forms)
    return render_template("accounts/admin_user.html", member=user, **defaults), status
