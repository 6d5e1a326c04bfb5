"""Reading contributions and taking part: the list, a contribution's page, endorsing, commenting,
following, the review conversation, and what neighbourhoods can learn from each other."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop.contributions import bp, queries, services
from cop.contributions.forms import CommentForm, EndorseForm, FollowForm, ReviewMessageForm
from cop.contributions.kinds import CRITERIA, ENDORSEMENT_LABELS, KIND_LABELS, Endorsement, Kind
from cop.contributions.states import STATUS_LABELS, Action, Status, allowed
from cop.contributions.views.loaders import contribution_from_id
from cop.discussions import pages
from cop.forms import EmptyForm, show_error
from cop.guide import queries as guide_queries
from cop.guide.diff import diff_revisions
from cop.permissions import can_write, is_moderator, login_required, write_required
from cop.places import queries as places_queries
from cop.places.forms import grouped_choices
from cop.transactions import DomainError
from cop.urls import page_arg


def filters_from_args() -> queries.Filters:
    def arg(name: str, limit: int = 120) -> str | None:
        return (request.args.get(name) or "").strip()[:limit] or None

    sort = request.args.get("sorteer")
    return queries.Filters(
        theme=arg("thema"),
        place=arg("wijk"),
        municipality=arg("gemeente", 80),
        kind=arg("soort") if arg("soort") in {k.value for k in Kind} else None,
        status=arg("status") if arg("status") in queries.STATUS_FILTERS else None,
        sort=sort if sort in queries.SORTS else "nieuwste",
    )


@bp.route("/bijdragen/")
def index():
    filters = filters_from_args()
    return render_template(
        "contributions/index.html",
        page=queries.listing(current_user, filters, page_arg()),
        filters=filters,
        themes=guide_queries.themes(),
        places=places_queries.choices_for(None),
        municipalities=places_queries.municipalities(),
        kinds=KIND_LABELS,
        statuses=STATUS_LABELS,
    )


def endorse_form(contribution) -> EndorseForm | None:
    """The endorsement buttons' form, for members who may endorse (not its writers)."""
    if (
        not can_write(current_user)
        or contribution.status == Status.DRAFT
        or contribution.is_writer(current_user)
    ):
        return None
    form = EndorseForm()
    places, area_id = places_queries.choices_with_area(current_user)
    form.neighbourhood.choices = grouped_choices(places, _("Choose a neighbourhood"))
    if not form.is_submitted():
        form.neighbourhood.data = str(area_id) if area_id else ""
    return form


def page_context(contribution, *, comment_form=None, message_form=None, endorsement_form=None, preview=None):
    """What the contribution page and the review page both show."""
    in_review_circle = contribution.is_writer(current_user) or is_moderator(current_user)
    lesson_diff = lesson_moved = None
    if contribution.kind == Kind.CHANGE and contribution.proposal and contribution.lesson is not None:
        base = contribution.base_revision or contribution.lesson.current_revision
        lesson_diff = diff_revisions(base.content(), contribution.proposal)
        current = contribution.lesson.current_revision
        if (
            current is not None
            and base is not None
            and current.id != base.id
            and not contribution.is_promoted
        ):
            lesson_moved = diff_revisions(base.content(), current.content())
    can_comment = (
        contribution.status != Status.DRAFT
        and can_write(current_user)
        and (contribution.thread is None or contribution.thread.can_reply(current_user))
    )
    if comment_form is None and can_comment:
        comment_form = CommentForm()
    if message_form is None and in_review_circle and contribution.status != Status.DRAFT:
        message_form = ReviewMessageForm(formdata=None)
    mine, following = queries.viewer_state(contribution, current_user)
    return {
        "contribution": contribution,
        "kinds": KIND_LABELS,
        "statuses": STATUS_LABELS,
        "endorsement_labels": ENDORSEMENT_LABELS,
        "criteria": CRITERIA[contribution.kind],
        "checks": queries.checks(contribution) if contribution.status != Status.DRAFT else {},
        "events": queries.events(contribution)
        if in_review_circle or contribution.status != Status.DRAFT
        else [],
        "in_review_circle": in_review_circle,
        "origins": queries.origins_of_contribution(contribution),
        "mine": mine,
        "works_here": queries.works_here(contribution),
        "comments": queries.comments(contribution),
        "following": following,
        "endorse_form": endorsement_form or endorse_form(contribution),
        "comment_form": comment_form,
        "message_form": message_form,
        "comment_preview": preview,
        "lesson_diff": lesson_diff,
        "lesson_moved": lesson_moved,
        "can": {action.value: allowed(contribution.status, action) for action in Action},
        "action_form": EmptyForm(),
        "follow_form": FollowForm(formdata=None),
    }


@bp.route("/bijdrage/<int:contribution_id>")
@contribution_from_id
def contribution(contribution):
    return render_template("contributions/contribution.html", **page_context(contribution))


def _back(contribution, anchor: str = ""):
    return redirect(url_for("contributions.contribution", contribution_id=contribution.id) + anchor)


@bp.route("/bijdrage/<int:contribution_id>/steunen", methods=["POST"])
@write_required
@contribution_from_id
def endorse(contribution):
    form = endorse_form(contribution)
    if form is None:
        abort(403)
    if form.validate_on_submit():
        kind = form.kind.data if form.kind.data in {e.value for e in Endorsement} else None
        try:
            if kind is None:
                raise DomainError(_("Choose an endorsement."))
            if request.form.get("intrekken") == "ja":
                services.withdraw_endorsement(contribution, current_user, kind)
                flash(_("Your endorsement has been withdrawn."), "success")
            elif services.endorse(contribution, current_user, kind, form.neighbourhood.data):
                flash(_("Thank you for your endorsement."), "success")
        except DomainError as error:
            show_error(form, error)
        else:
            return _back(contribution, "#steun")
    return (
        render_template(
            "contributions/contribution.html", **page_context(contribution, endorsement_form=form)
        ),
        400,
    )


@bp.route("/bijdrage/<int:contribution_id>/reageren", methods=["POST"])
@write_required
@contribution_from_id
def comment(contribution):
    form = CommentForm()
    if contribution.status == Status.DRAFT:
        abort(404)
    if form.preview.data:
        preview = services_preview(form) if form.validate() else None
        return render_template(
            "contributions/contribution.html",
            **page_context(contribution, comment_form=form, preview=preview),
        )
    if form.validate_on_submit():
        wait = pages.posting_wait(form)
        if wait is None:
            try:
                _thread, number = services.comment(contribution, current_user, form.body.data)
            except DomainError as error:
                show_error(form, error)
            else:
                return _back(contribution, f"#reactie-{number}")
        body = render_template(
            "contributions/contribution.html", **page_context(contribution, comment_form=form)
        )
        return pages.respond(body, wait)
    return render_template(
        "contributions/contribution.html", **page_context(contribution, comment_form=form)
    ), 400


def services_preview(form) -> str:
    from cop.discussions import services as discussions

    return discussions.preview(form.body.data or "")


@bp.route("/bijdrage/<int:contribution_id>/volgen", methods=["POST"])
@login_required
@contribution_from_id
def follow(contribution):
    form = FollowForm()
    if not form.validate_on_submit():
        abort(400)
    follow = form.volgen.data == "ja"
    try:
        services.follow(contribution, current_user, follow)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(
            _("You follow this contribution: you hear of its comments and what happens to it.")
            if follow
            else _("You no longer follow this contribution."),
            "success",
        )
    return _back(contribution)


@bp.route("/bijdrage/<int:contribution_id>/bericht", methods=["POST"])
@write_required
@contribution_from_id
def review_message(contribution):
    if not (contribution.is_writer(current_user) or is_moderator(current_user)):
        abort(403)
    form = ReviewMessageForm()
    if form.validate_on_submit():
        try:
            services.message(contribution, current_user, form.message.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Your message has been added to the review conversation."), "success")
            if is_moderator(current_user) and form.back.data == "beoordelen":
                return redirect(url_for("contributions.review", contribution_id=contribution.id) + "#gesprek")
            return _back(contribution, "#gesprek")
    return render_template(
        "contributions/contribution.html", **page_context(contribution, message_form=form)
    ), 400


@bp.route("/wijken/leren")
def learning():
    return render_template("contributions/learning.html", table=queries.learning(current_user))
