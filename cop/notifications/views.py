"""/meldingen (the member's notifications), the settings, and unsubscribing with one click."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop.extensions import csrf, db
from cop.forms import EmptyForm
from cop.notifications import bp, services
from cop.notifications.forms import settings_form
from cop.notifications.kinds import DIGEST_KIND, KINDS
from cop.notifications.models import Notification
from cop.permissions import can_view, login_required
from cop.urls import page_arg


@bp.route("/meldingen")
@login_required
def index():
    return render_template(
        "notifications/index.html",
        page=services.page(current_user, page_arg()),
        kinds=KINDS,
        form=EmptyForm(),
    )


@bp.route("/meldingen/<int:notification_id>")
@login_required
def open_notification(notification_id: int):
    """Mark the notification read and go to what it is about."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    thread = notification.thread
    if thread is not None and not can_view(thread):
        abort(404)
    services.mark_read(current_user, notification)
    if thread is None:
        return redirect(url_for("notifications.index"))
    if notification.post is not None:
        return redirect(url_for("discussions.post_link", ref=thread.ref, number=notification.post.number))
    return redirect(url_for("discussions.thread", ref=thread.ref))


@bp.route("/meldingen/alles-gelezen", methods=["POST"])
@login_required
def mark_all_read():
    if EmptyForm().validate_on_submit():
        services.mark_all_read(current_user)
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/account/meldingen", methods=["GET", "POST"])
@login_required
def settings():
    form = settings_form(
        services.settings_for(current_user), request.form if request.method == "POST" else None
    )
    if form.validate_on_submit():
        services.save_settings(current_user, {name: form[name].data for name in KINDS})
        flash(_("Your notification settings have been saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form, kinds=KINDS)


@bp.route("/meldingen/afmelden/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the proof; a mail program posts here with one click (RFC 8058)
def unsubscribe(token: str):
    found = services.read_unsubscribe_token(token)
    if found is None:
        abort(404)
    user, kind = found
    label = _("the daily overview") if kind == DIGEST_KIND else KINDS[kind].setting
    if request.method == "POST":
        services.unsubscribe(user, kind)
        return render_template("notifications/unsubscribed.html", label=label, done=True)
    return render_template("notifications/unsubscribed.html", label=label, done=False)
