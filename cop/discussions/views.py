"""Discussion pages: a theme's threads, starting a thread, a thread with its pages of posts,
replying (with quotes and a preview), editing and deleting posts, the best answer, moderation,
following."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop.discussions import bp, containers, queries, services
from cop.discussions.forms import (
    BestAnswerForm,
    EditPostForm,
    FollowForm,
    ReplyForm,
)
from cop.discussions.models import POSTS_PER_PAGE, FollowLevel
from cop.discussions.pages import (
    container_threads_page,
    follow_container,
    lesson_arg,
    new_thread_page,
    posting_wait,
    respond,
)
from cop.forms import EmptyForm, show_error
from cop.guide import queries as guide_queries
from cop.loaders import loads
from cop.permissions import editable_or_403, login_required, visible_or_404, write_required
from cop.sanitize import escape_markdown
from cop.transactions import DomainError
from cop.urls import int_arg, page_arg

thread_from_ref = loads("thread", queries.thread_by_ref, param="ref", canonical=lambda thread: thread.ref)
# A merged thread's address leads to the thread it went into (301): for routes without a post number.
thread_or_merged = loads(
    "thread", queries.thread_or_merge_target, param="ref", canonical=lambda thread: thread.ref
)
theme_from_slug = loads("theme", guide_queries.theme_by_slug, param="slug")


@bp.route("/thema/<slug>/discussies")
@theme_from_slug
def theme_threads(theme):
    kind_filter = request.args.get("soort")
    kind_filter = kind_filter if kind_filter in queries.FILTERS else None
    return container_threads_page(
        "theme",
        theme,
        "discussions.theme_threads",
        {"slug": theme.slug},
        kind_filter,
        can_start=not theme.is_retired,
    )


@bp.route("/thema/<slug>/discussies/nieuw", methods=["GET", "POST"])
@write_required
@theme_from_slug
def new_theme_thread(theme):
    lesson = lesson_arg()
    if theme.is_retired and lesson is None:
        flash(_("This theme is no longer in use: start your discussion in another theme."), "info")
        return redirect(url_for("discussions.theme_threads", slug=theme.slug))
    return new_thread_page("theme", theme, lesson, guide_queries.themes() if lesson else None)


@bp.route("/thema/<slug>/volgen", methods=["POST"])
@write_required
@theme_from_slug
def follow_theme(theme):
    return follow_container("theme", theme, url_for("discussions.theme_threads", slug=theme.slug))


# --- a thread -------------------------------------------------------------------------------------


def _thread_page(thread, page: int, form: ReplyForm | None = None, preview=None, wait: int | None = None):
    posts = queries.page_posts(thread, page)
    best = None
    if thread.best_post_id:
        best = next((post for post in posts if post.id == thread.best_post_id), None) or queries.post_by_id(
            thread.best_post_id
        )
    state = queries.reader(thread, current_user)
    is_last_page = page >= thread.pages
    if form is None and is_last_page and thread.can_reply(current_user):
        form = ReplyForm()
        quoted = int_arg("citeer")
        if quoted:
            form.body.data = _quote(thread, quoted)
    container = containers.get(thread.container_kind)
    body = render_template(
        "discussions/thread.html",
        thread=thread,
        container=thread.container,
        container_kind=container,
        posts=posts,
        best=best,
        page=page,
        is_last_page=is_last_page,
        form=form,
        preview=preview,
        level=queries.follow_level(state),
        levels=FollowLevel,
        action_form=EmptyForm(),
        best_form=BestAnswerForm(),
    )
    if current_user.is_authenticated and posts and posts[-1].number > (state.last_read if state else 0):
        # After rendering: the commit expires what was loaded (the page's posts among it). An
        # anonymous read writes nothing.
        services.record_read(thread, current_user, posts[-1].number)
    return respond(body, wait)


def _quote(thread, number: int) -> str:
    """The reply form's text when quoting post ``number``: the post as a Markdown quote that links back."""
    post = queries.post_by_number(thread, number)
    if post is None or post.is_deleted or post.is_hidden:
        flash(_("That message does not exist (any more), so it cannot be quoted."), "error")
        return ""
    link = url_for("discussions.post_link", ref=thread.ref, number=post.number)
    author = post.author.display_name if post.author else _("a former member")
    # outside the f-string, so that Babel finds it; the name escaped, so that it cannot end the link
    wrote = _("%(name)s wrote", name=escape_markdown(author))
    lines = [f"> [{wrote}]({link}):", ">"]
    lines += [f"> {line}" if line else ">" for line in post.body.splitlines()]
    return "\n".join(lines) + "\n\n"


@bp.route("/discussie/<ref>")
@thread_or_merged
def thread(thread):
    page = page_arg()
    if page > thread.pages:
        abort(404)
    return _thread_page(thread, page)


@bp.route("/discussie/<ref>/reageren", methods=["POST"])
@write_required
@thread_or_merged
def reply(thread):
    if not thread.can_reply(current_user):
        if thread.locked:
            flash(_("This discussion is closed: no new replies can be added."), "error")
            return redirect(url_for("discussions.thread", ref=thread.ref, pagina=thread.pages))
        abort(403)
    form = ReplyForm()
    if form.preview.data:
        preview = services.preview(form.body.data or "", thread) if form.validate() else None
        return _thread_page(thread, thread.pages, form=form, preview=preview)
    if not form.validate_on_submit():
        return _thread_page(thread, thread.pages, form=form)
    wait = posting_wait(form)
    if wait is not None:
        return _thread_page(thread, thread.pages, form=form, wait=wait)
    try:
        post = services.reply(thread, current_user, form.body.data)
    except DomainError as error:
        show_error(form, error)
        return _thread_page(thread, thread.pages, form=form)
    return redirect(_post_url(thread, post.number))


def _post_url(thread, number: int) -> str:
    page = (number - 1) // POSTS_PER_PAGE + 1
    return (
        url_for("discussions.thread", ref=thread.ref, pagina=page if page > 1 else None)
        + f"#bericht-{number}"
    )


@bp.route("/discussie/<ref>/bericht/<int:number>")
def post_link(ref: str, number: int):
    """The permanent address of post ``number``: its page, at the post. In a thread that was merged
    into another, the post's new address (301)."""
    thread = queries.thread_by_ref(ref)
    if thread is not None and thread.merged_into_id is not None:
        post = queries.moved_post(thread, number)
        if post is None:
            abort(404)
        target = visible_or_404(post.thread)
        return redirect(url_for("discussions.post_link", ref=target.ref, number=post.number), 301)
    thread = visible_or_404(thread)
    if ref != thread.ref:
        return redirect(url_for("discussions.post_link", ref=thread.ref, number=number), 301)
    if queries.post_by_number(thread, number) is None:
        abort(404)
    return redirect(_post_url(thread, number))


@bp.route("/discussie/<ref>/ongelezen")
@login_required
@thread_or_merged
def first_unread(thread):
    return redirect(_post_url(thread, queries.first_unread_number(thread, current_user)))


# --- posts ----------------------------------------------------------------------------------------


def _post_or_404(thread, number: int):
    post = queries.post_by_number(thread, number)
    if post is None:
        abort(404)
    return post


@bp.route("/discussie/<ref>/bericht/<int:number>/bewerken", methods=["GET", "POST"])
@write_required
@thread_from_ref
def edit_post(thread, number: int):
    post = editable_or_403(_post_or_404(thread, number))
    form = EditPostForm(opening_post=post.number == 1)
    if not form.is_submitted():
        form.body.data = post.body
        if post.number == 1:
            form.title.data = thread.title
    preview = None
    if form.is_submitted() and form.preview.data:
        if form.validate():
            preview = services.preview(form.body.data, thread)
    elif form.validate_on_submit():
        try:
            changed = services.edit_post(
                post, current_user, form.body.data, title=getattr(form, "title", None) and form.title.data
            )
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Your changes have been saved.") if changed else _("Nothing changed."), "success")
            return redirect(_post_url(thread, post.number))
    return render_template("discussions/edit_post.html", thread=thread, post=post, form=form, preview=preview)


@bp.route("/discussie/<ref>/bericht/<int:number>/verwijderen", methods=["POST"])
@write_required
@thread_from_ref
def delete_post(thread, number: int):
    post = _post_or_404(thread, number)
    if not post.is_deletable_by(current_user):
        abort(403)
    if EmptyForm().validate_on_submit():
        try:
            services.delete_post(post, current_user)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("The message has been deleted."), "success")
    return redirect(_post_url(thread, post.number))


@bp.route("/discussie/<ref>/bericht/<int:number>/geschiedenis")
@thread_from_ref
def post_history(thread, number: int):
    post = _post_or_404(thread, number)
    if not post.text_is_visible_to(current_user):
        abort(404)
    return render_template(
        "discussions/post_history.html", thread=thread, post=post, revisions=queries.revisions(post)
    )


# --- best answer, moderation, following -----------------------------------------------------------


@bp.route("/discussie/<ref>/beste-antwoord", methods=["POST"])
@write_required
@thread_from_ref
def best_answer(thread):
    if not thread.can_choose_best_answer(current_user):
        abort(403)
    form = BestAnswerForm()
    if not form.validate_on_submit():
        abort(400)
    number = (form.post.data or "").strip()
    post = None
    if number:
        if not (number.isascii() and number.isdigit()) or len(number) > 9:
            abort(400)
        post = _post_or_404(thread, int(number))
    try:
        services.choose_best_answer(thread, post, current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(
            _("The best answer has been marked.") if post else _("The best answer has been taken back."),
            "success",
        )
        if post:
            return redirect(_post_url(thread, post.number))
    return redirect(url_for("discussions.thread", ref=thread.ref))


@bp.route("/discussie/<ref>/<any(vastzetten, losmaken, sluiten, heropenen):action>", methods=["POST"])
@write_required
@thread_from_ref
def moderate(thread, action: str):
    if not thread.can_moderate(current_user):
        abort(403)
    names = {"vastzetten": "pin", "losmaken": "unpin", "sluiten": "lock", "heropenen": "unlock"}
    messages = {
        "pin": _("The discussion is pinned at the top of its list."),
        "unpin": _("The discussion is no longer pinned."),
        "lock": _("The discussion is closed: no new replies can be added."),
        "unlock": _("The discussion is open again."),
    }
    if EmptyForm().validate_on_submit():
        services.moderate(thread, names[action], current_user)
        flash(messages[names[action]], "success")
    return redirect(url_for("discussions.thread", ref=thread.ref))


@bp.route("/discussie/<ref>/volgen", methods=["POST"])
@login_required
@thread_or_merged
def follow_thread(thread):
    form = FollowForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_follow_level(thread, current_user, form.level.data)
    messages = {
        "following": _("You follow this discussion: you hear of every reply."),
        "normal": _("You no longer follow this discussion; you still hear when someone mentions you."),
        "muted": _("You muted this discussion: you hear nothing of it."),
    }
    flash(messages[form.level.data], "success")
    return redirect(url_for("discussions.thread", ref=thread.ref))
