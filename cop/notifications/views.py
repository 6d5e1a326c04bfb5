"""/meldingen (the member's notifications), the settings, and unsubscribing with one click."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop.extensions import csrf
from cop.forms import EmptyForm
from cop.notifications import bp, mailing, reading
from cop.notifications.forms import settings_form
from cop.notifications.kinds import DIGEST_KIND, KINDS
from cop.permissions import login_required
from cop.urls import page_arg


@bp.route("/meldingen")
@login_required
def index():
    return render_template(
        "notifications/index.html",
        page=reading.page(current_user, page_arg()),
        form=EmptyForm(),
    )


@bp.route("/meldingen/<int:notification_id>")
@login_required
def open_notification(notification_id: int):
    """Mark the notification read and go to what it is about."""
    notification = reading.notification_for(current_user, notification_id)
    if notification is None:
        abort(404)
    reading.mark_read(current_user, notification)
    return redirect(reading.target(notification))


@bp.route("/meldingen/alles-gelezen", methods=["POST"])
@login_required
def mark_all_read():
    if EmptyForm().validate_on_submit():
        reading.mark_all_read(current_user)
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/account/meldingen", methods=["GET", "POST"])
@login_required
def settings():
    form = settings_form(
        mailing.settings_for(current_user), request.form if request.method == "POST" else None
    )
    if form.validate_on_submit():
        mailing.save_settings(current_user, {name: form[name].data for name in KINDS})
        flash(_("Your notification settings have been saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form, kinds=KINDS)


@bp.route("/meldingen/afmelden/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the proof; a mail program posts here with one click (RFC 8058)
def unsubscribe(token: str):
    found = mailing.read_unsubscribe_token(token)
    if found is None:
        abort(404)
    user, kind = found
    label = _("the daily overview") if kind == DIGEST_KIND else KINDS[kind].setting
    if request.method == "POST":
        mailing.unsubscribe(user, kind)
        return render_template("notifications/unsubscribed.html", label=label, done=True)
    return render_template("notifications/unsubscribed.html", label=label, done=False)
