"""Moderation pages: flagging an item, the moderators' dashboard, one item's flags and how they
are handled, and the audit log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from cop import ratelimit
from cop.accounts import User
from cop.contributions import queries as contribution_queries
from cop.discussions import pages as discussion_pages
from cop.extensions import db
from cop.forms import show_error
from cop.moderation import audit, bp, queries, services
from cop.moderation.forms import REASON_LABELS, REASON_SHORT, FlagForm, HandleForm, LogFilterForm
from cop.moderation.subjects import BY_SEGMENT, describe, load
from cop.permissions import is_moderator, requires, write_required
from cop.transactions import DomainError
from cop.urls import page_arg

SEGMENTS = "any(" + ", ".join(BY_SEGMENT) + ")"
moderators_only = requires(is_moderator)


def _item(segment: str, subject_id: int):
    kind = BY_SEGMENT[segment]
    obj = load(kind, subject_id)
    if obj is None or not kind.visible(obj, current_user):
        abort(404)
    return kind, obj


@bp.route(f"/melden/<{SEGMENTS}:segment>/<int:subject_id>", methods=["GET", "POST"])
@write_required
def flag(segment: str, subject_id: int):
    kind, obj = _item(segment, subject_id)
    item = describe(kind.name, obj.id, obj)
    if item.author_id == current_user.id:
        abort(403)
    form = FlagForm()
    wait = None
    if form.validate_on_submit():
        wait = _flagging_wait(form)
        if wait is None:
            try:
                services.flag(current_user, kind.name, obj, form.reason.data, form.text.data)
            except DomainError as error:
                show_error(form, error)
            else:
                flash(_("Thank you for your report. A moderator will look at it."), "success")
                return redirect(item.path)
    body = render_template(
        "moderation/flag.html",
        form=form,
        item=item,
        already=services.already_flagged(current_user, kind.name, obj.id),
    )
    return discussion_pages.respond(body, wait)


def _flagging_wait(form) -> int | None:
    """Reports count against a limit like posting does (RATELIMIT_POSTING, counted apart)."""
    wait = ratelimit.take("RATELIMIT_POSTING", "flagging", str(current_user.id))
    if wait is not None:
        minutes = max(1, -(-wait // 60))
        form.form_errors.append(
            _("You are reporting very fast. Wait %(minutes)d minute(s) and try again.", minutes=minutes)
        )
    return wait


@bp.route("/moderatie/")
@moderators_only
def dashboard():
    return render_template(
        "moderation/dashboard.html",
        page=queries.open_groups(page_arg()),
        counts=contribution_queries.queue_counts(current_user),
        recent=queries.recent_entries(10),
        reasons=REASON_SHORT,
        action_label=audit.action_label,
    )


def _decisions(item) -> list[str]:
    names = ["dismiss", "resolve"]
    if item.obj is not None and services.hide_available(item.kind):
        names.append("hide")
    author = db.session.get(User, item.author_id) if item.obj is not None and item.author_id else None
    if services.may_suspend(current_user, author):
        names.append("suspend")
    return names


@bp.route(f"/moderatie/meldingen/<{SEGMENTS}:segment>/<int:subject_id>", methods=["GET", "POST"])
@moderators_only
def group(segment: str, subject_id: int):
    kind = BY_SEGMENT[segment]
    if not 0 < subject_id < 2**31:  # beyond an integer column
        abort(404)
    flags = queries.flags_about(kind.name, subject_id)
    if not flags:
        abort(404)
    obj = load(kind, subject_id)
    item = describe(kind.name, subject_id, obj)
    form = HandleForm()
    decisions = _decisions(item)
    form.set_decisions(decisions)
    is_open = any(flag.status.value == "open" for flag in flags)
    if is_open and form.validate_on_submit():
        try:
            services.handle(
                item,
                current_user,
                form.decision.data,
                form.note.data,
                days=int(form.duration.data),
                suspension_reason=form.suspension_reason.data,
            )
        except DomainError as error:
            show_error(form, error)
        else:
            flash(
                _("The reports have been dismissed.")
                if form.decision.data == "dismiss"
                else _("The reports have been handled."),
                "success",
            )
            return redirect(url_for("moderation.dashboard"))
    elif not is_open and form.is_submitted():  # handled meanwhile: say so, and what else was wrong
        form.validate()
        form.form_errors.append(_("These reports have been handled already."))
    return render_template(
        "moderation/group.html",
        form=form,
        item=item,
        flags=flags,
        is_open=is_open,
        can_suspend="suspend" in decisions,
        reasons=REASON_LABELS,
    )


@bp.route("/moderatie/logboek")
@moderators_only
def log():
    form = LogFilterForm(formdata=request.args)
    form.wie.choices = [
        SelectChoice("", _("Everyone")),
        *(SelectChoice(str(i), n) for i, n in queries.log_actors()),
    ]
    form.actie.choices = [
        SelectChoice("", _("All actions")),
        *(SelectChoice(name, str(label)) for name, label in audit.ACTIONS.items()),
    ]
    form.validate()
    filters = queries.LogFilter(
        actor_id=int(form.wie.data) if form.wie.data and not form.wie.errors else None,
        action=form.actie.data if form.actie.data and not form.actie.errors else None,
        since=getattr(form.van, "day", None),
        until=getattr(form.tot, "day", None) if not form.tot.errors else None,
    )
    args = {name: request.args[name] for name in ("wie", "actie", "van", "tot") if request.args.get(name)}
    return render_template(
        "moderation/log.html",
        form=form,
        page=queries.log_page(filters, page_arg()),
        args=args,
        action_label=audit.action_label,
        subject_kinds=audit.SUBJECT_KINDS,
    )
