"""Pages every container kind shows the same way: its list of threads, starting a thread in it,
following its new threads. The theme's routes (views.py) and the circle's (circles) use them."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop import ratelimit
from cop.discussions import containers, queries, services
from cop.discussions.forms import FollowContainerForm, ThreadForm
from cop.forms import EmptyForm, show_error
from cop.transactions import DomainError
from cop.urls import page_arg


def posting_wait(form) -> int | None:
    """Posting is limited per member (RATELIMIT_POSTING). Past the limit: the seconds to wait, and a
    message above the form, which keeps the text."""
    wait = ratelimit.take("RATELIMIT_POSTING", "posting", str(current_user.id))
    if wait is not None:
        minutes = max(1, -(-wait // 60))
        form.form_errors.append(
            _(
                "You are posting very fast. Wait %(minutes)d minute(s) and post again; "
                "your text is kept below.",
                minutes=minutes,
            )
        )
    return wait


def respond(body: str, wait: int | None = None):
    """The page, or with 429 and Retry-After when the member has to wait before posting again."""
    if wait is None:
        return body
    response = make_response(body, 429)
    response.headers["Retry-After"] = str(wait)
    return response


def container_threads_page(
    kind_name: str, container, endpoint: str, endpoint_args: dict, kind_filter, can_start
):
    """A container's list of threads (a theme's, a circle's)."""
    kind = containers.get(kind_name)
    return render_template(
        "discussions/threads.html",
        container=container,
        kind=kind,
        endpoint=endpoint,
        endpoint_args=endpoint_args,
        page=queries.container_threads(kind_name, container.id, current_user, kind_filter, page_arg()),
        kind_filter=kind_filter,
        can_start=can_start,
        follows=queries.follows_container(current_user, kind_name, container.id),
        follow_url=kind.follow_url(container),
        follow_form=EmptyForm(),
    )


def new_thread_page(kind_name: str, container, lesson=None, themes=None):
    """Start a thread in ``container``; about ``lesson`` when given, with a choice of ``themes``
    (the thread then goes into the theme chosen)."""
    form = ThreadForm(themes=themes)
    if lesson and not form.is_submitted():
        form.theme.data = container.slug
        form.title.data = _("About lesson %(number)s: %(title)s", number=lesson.number, title=lesson.title)
    preview = wait = None
    if form.is_submitted() and form.preview.data:
        if form.validate():
            preview = services.preview(form.body.data)
    elif form.validate_on_submit():
        wait = posting_wait(form)
        if wait is None:
            target = (
                next((t for t in themes if t.slug == form.theme.data), container) if themes else container
            )
            try:
                thread = services.start_thread(
                    container_kind=kind_name,
                    container=target,
                    author=current_user,
                    kind=form.kind.data,
                    title=form.title.data,
                    body=form.body.data,
                    lesson=lesson,
                )
            except DomainError as error:
                show_error(form, error)
            else:
                flash(_("Your discussion has started."), "success")
                return redirect(url_for("discussions.thread", ref=thread.ref))
    body = render_template(
        "discussions/new_thread.html",
        container=container,
        kind=containers.get(kind_name),
        form=form,
        lesson=lesson,
        preview=preview,
    )
    return respond(body, wait)


def follow_container(kind_name: str, container, back: str):
    form = FollowContainerForm()
    if not form.validate_on_submit():
        abort(400)
    follow = form.volgen.data == "ja"
    services.follow_container(current_user, kind_name, container.id, follow)
    flash(
        _("You follow these discussions: you hear of every new one.")
        if follow
        else _("You no longer follow these discussions."),
        "success",
    )
    return redirect(back)


def lesson_arg():
    """The lesson a new thread is about (?les=), or None; 404 when it names none the viewer may see."""
    from cop.guide import queries as guide_queries
    from cop.permissions import visible_or_404

    ref = request.values.get("les")
    return visible_or_404(guide_queries.lesson_by_ref(ref)) if ref else None
