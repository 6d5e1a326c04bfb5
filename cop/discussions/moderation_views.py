"""Moderators' pages for a thread: hide or restore it, move it to another theme, merge it into
another thread; and hiding or restoring one post. Each POST calls one service in ``moderating``."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop.discussions import bp, moderating, queries
from cop.discussions.forms import HideForm, MergeForm, MoveForm
from cop.discussions.views import _post_or_404, _post_url, thread_from_ref
from cop.forms import show_error
from cop.guide import queries as guide_queries
from cop.permissions import is_moderator, requires
from cop.transactions import DomainError


def _move_themes(thread):
    """The themes a theme's thread can move to (none for a thread elsewhere)."""
    if thread.container_kind != "theme":
        return []
    return [theme for theme in guide_queries.themes() if theme.id != thread.container_id]


def _moderation_page(thread, hide_form=None, move_form=None, merge_form=None, status: int = 200):
    themes = _move_themes(thread)
    candidates = queries.merge_candidates(thread, current_user)
    hide_form = hide_form or HideForm(formdata=None)
    hide_form.action.data = "restore" if thread.is_hidden else "hide"
    body = render_template(
        "discussions/moderate.html",
        thread=thread,
        hide_form=hide_form,
        move_form=move_form or (MoveForm(themes=themes, formdata=None) if themes else None),
        merge_form=merge_form or MergeForm(candidates=candidates, formdata=None),
    )
    return body, status


@bp.route("/discussie/<ref>/modereren")
@requires(is_moderator)
@thread_from_ref
def moderate_thread(thread):
    return _moderation_page(thread)


@bp.route("/discussie/<ref>/verbergen", methods=["POST"])
@requires(is_moderator)
@thread_from_ref
def hide_thread(thread):
    form = HideForm()
    if not form.validate_on_submit():
        return _moderation_page(thread, hide_form=form, status=400)
    try:
        if form.action.data == "hide":
            moderating.hide_thread(thread, current_user, form.reason.data)
            flash(_("The discussion is hidden: members no longer see it."), "success")
        else:
            moderating.restore_thread(thread, current_user, form.reason.data)
            flash(_("The discussion is visible again."), "success")
    except DomainError as error:
        show_error(form, error)
        return _moderation_page(thread, hide_form=form, status=400)
    return redirect(url_for("discussions.thread", ref=thread.ref))


@bp.route("/discussie/<ref>/verplaatsen", methods=["POST"])
@requires(is_moderator)
@thread_from_ref
def move_thread(thread):
    themes = _move_themes(thread)
    if not themes:
        abort(404)
    form = MoveForm(themes=themes)
    if not form.validate_on_submit():
        return _moderation_page(thread, move_form=form, status=400)
    theme = next(theme for theme in themes if theme.slug == form.theme.data)
    try:
        moderating.move_thread(thread, theme, current_user, form.move_reason.data)
    except DomainError as error:
        if error.field == "reason":
            error.field = "move_reason"
        show_error(form, error)
        return _moderation_page(thread, move_form=form, status=400)
    flash(_("The discussion has moved to %(theme)s.", theme=theme.title), "success")
    return redirect(url_for("discussions.thread", ref=thread.ref))


@bp.route("/discussie/<ref>/samenvoegen", methods=["POST"])
@requires(is_moderator)
@thread_from_ref
def merge_thread(thread):
    form = MergeForm(candidates=queries.merge_candidates(thread, current_user))
    if not form.validate_on_submit():
        return _moderation_page(thread, merge_form=form, status=400)
    target = queries.thread_by_ref(form.chosen_ref())
    try:
        moderating.merge_thread(thread, target, current_user, form.merge_reason.data)
    except DomainError as error:
        if error.field == "target" and not form.target.data:
            error.field = "ref"
        elif error.field == "reason":
            error.field = "merge_reason"
        show_error(form, error)
        return _moderation_page(thread, merge_form=form, status=400)
    flash(_("The discussion has been merged into this one."), "success")
    return redirect(url_for("discussions.thread", ref=target.ref))


@bp.route("/discussie/<ref>/bericht/<int:number>/verbergen", methods=["GET", "POST"])
@requires(is_moderator)
@thread_from_ref
def hide_post(thread, number: int):
    post = _post_or_404(thread, number)
    form = HideForm()
    if not form.is_submitted():
        form.action.data = "restore" if post.is_hidden else "hide"
    elif form.validate_on_submit():
        try:
            if form.action.data == "hide":
                moderating.hide_post(post, current_user, form.reason.data)
                flash(_("The message is hidden: members see that a moderator hid it."), "success")
            else:
                moderating.restore_post(post, current_user, form.reason.data)
                flash(_("The message is visible again."), "success")
        except DomainError as error:
            show_error(form, error)
        else:
            return redirect(_post_url(thread, post.number))
    status = 400 if form.is_submitted() else 200
    return render_template("discussions/hide_post.html", thread=thread, post=post, form=form), status
