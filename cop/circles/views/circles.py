"""Circles: the list, starting one, its page, editing, joining and leaving, requests, invitations,
members and facilitators, archiving, and its discussions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop.circles import bp, queries, services
from cop.circles.forms import ChoiceButtonForm, CircleForm, DecideForm, InviteForm, JoinForm, RemoveForm
from cop.circles.models import CircleKind
from cop.circles.views.loaders import circle_from_slug, content_or_404
from cop.discussions import pages
from cop.discussions import queries as thread_queries
from cop.forms import EmptyForm, show_error
from cop.guide import queries as guide_queries
from cop.permissions import editable_or_403, login_required, write_required
from cop.places import queries as places_queries
from cop.places.forms import grouped_choices
from cop.transactions import DomainError
from cop.urls import page_arg


@bp.route("/leerkringen/")
def index():
    kind = request.args.get("soort") if request.args.get("soort") in {k.value for k in CircleKind} else None
    theme = (request.args.get("thema") or "")[:80] or None
    municipality = (request.args.get("gemeente") or "").strip()[:80] or None
    return render_template(
        "circles/index.html",
        page=queries.circle_list(current_user, kind, theme, municipality, page_arg()),
        kind=kind,
        theme=theme,
        municipality=municipality,
        themes=guide_queries.themes(),
        municipalities=queries.municipalities(current_user),
    )


def _circle_form(form: CircleForm, circle=None):
    themes = guide_queries.themes()
    if circle is not None:  # a retired theme the circle carries stays a choice, so a save keeps it
        themes = sorted({*themes, *circle.themes}, key=lambda theme: (theme.position, theme.title))
    form.set_themes(themes)
    places = places_queries.choices_for(current_user)
    if circle is not None and circle.neighbourhood is not None and circle.neighbourhood not in places:
        places = sorted([*places, circle.neighbourhood], key=lambda n: (n.municipality, n.name))
    form.neighbourhood.choices = grouped_choices(places, _("No neighbourhood"))
    if form.validate_on_submit():
        fields = form.fields({theme.id: theme for theme in themes})
        try:
            if circle is None:
                circle = services.create_circle(current_user, fields)
                flash(
                    _("Your circle has started. You are its facilitator: invite colleagues to join."),
                    "success",
                )
            else:
                services.update_circle(circle, fields, current_user)
                flash(_("The circle has been saved."), "success")
        except DomainError as error:
            show_error(form, error)
        else:
            return redirect(url_for("circles.circle", slug=circle.slug))
    return render_template("circles/circle_form.html", form=form, circle=circle)


@bp.route("/leerkringen/nieuw", methods=["GET", "POST"])
@write_required
def new():
    return _circle_form(CircleForm())


@bp.route("/leerkring/<slug>/bewerken", methods=["GET", "POST"])
@write_required
@circle_from_slug
def edit(circle):
    editable_or_403(circle)
    form = CircleForm(obj=circle) if request.method == "GET" else CircleForm()
    if request.method == "GET":
        form.kind.data = circle.kind.value
        form.visibility.data = circle.visibility.value
        form.themes.data = [theme.id for theme in circle.themes]
        form.neighbourhood.data = str(circle.neighbourhood_id) if circle.neighbourhood_id else ""
    return _circle_form(form, circle)


@bp.route("/leerkring/<slug>")
@circle_from_slug
def circle(circle):
    return circle_page(circle)


def circle_page(circle, join_form: JoinForm | None = None, status: int = 200):
    content = circle.content_is_visible_to(current_user)
    return render_template(
        "circles/circle.html",
        circle=circle,
        content=content,
        facilitators=queries.facilitators(circle),
        member_count=queries.member_count(circle),
        meetings=queries.meetings(circle, upcoming=True, limit=5) if content else [],
        plan=queries.reading_plan(circle, current_user) if content else [],
        threads=thread_queries.recent_threads("circle", circle.id, current_user, limit=10) if content else [],
        pending=None if circle.is_member(current_user) else queries.pending_request(circle, current_user),
        join_form=join_form or JoinForm(),
        action_form=EmptyForm(),
    ), status


@bp.route("/leerkring/<slug>/lid-worden", methods=["POST"])
@write_required
@circle_from_slug
def join(circle):
    form = JoinForm()
    if not form.validate_on_submit():
        return circle_page(circle, form, 400)
    try:
        outcome = services.join(circle, current_user, form.message.data or "")
    except DomainError as error:
        flash(error.message, "error")
    else:
        if outcome == "joined":
            flash(_("Welcome: you are a member of %(name)s.", name=circle.name), "success")
        else:
            flash(_("Your request has been sent to the facilitators. You will hear from them."), "success")
    return redirect(url_for("circles.circle", slug=circle.slug))


@bp.route("/leerkring/<slug>/verlaten", methods=["POST"])
@login_required
@circle_from_slug
def leave(circle):
    if EmptyForm().validate_on_submit():
        try:
            services.leave(circle, current_user)
        except DomainError as error:
            flash(error.message, "error")
            return redirect(url_for("circles.circle", slug=circle.slug))
        flash(_("You have left %(name)s.", name=circle.name), "success")
    return redirect(url_for("circles.index"))


@bp.route("/leerkring/<slug>/archiveren", methods=["POST"])
@write_required
@circle_from_slug
def archive(circle):
    if not circle.is_facilitator(current_user):
        abort(403)
    form = ChoiceButtonForm()
    if not form.validate_on_submit():
        abort(400)
    archived = form.choice.data == "ja"
    services.archive(circle, current_user, archived)
    flash(
        _("The circle is archived: it can be read, not changed.")
        if archived
        else _("The circle is open again."),
        "success",
    )
    return redirect(url_for("circles.circle", slug=circle.slug))


# --- members --------------------------------------------------------------------------------------


@bp.route("/leerkring/<slug>/leden")
@circle_from_slug
def members(circle):
    content_or_404(circle)
    return members_page(circle)


def members_page(circle, invite_form=None, decide_form=None, decided: int | None = None, status: int = 200):
    """The members, and for facilitators the invitation form, the requests and the invitations;
    ``decide_form`` with its errors shown at request ``decided``."""
    facilitating = circle.is_editable_by(current_user)
    return render_template(
        "circles/members.html",
        circle=circle,
        members=queries.members(circle),
        facilitating=facilitating,
        requests=queries.open_requests(circle) if facilitating else [],
        invitations=queries.open_invitations(circle) if facilitating else [],
        invite_form=invite_form or InviteForm(),
        decide_form=decide_form or DecideForm(),
        decided=decided,
        action_form=EmptyForm(),
    ), status


@bp.route("/leerkring/<slug>/uitnodigen", methods=["POST"])
@write_required
@circle_from_slug
def invite(circle):
    editable_or_403(circle)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation = services.invite(circle, form.who.data, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(
                _("The invitation has been mailed to %(email)s.", email=invitation.email)
                if invitation.email
                else _("The invitation has been sent."),
                "success",
            )
            return redirect(url_for("circles.members", slug=circle.slug))
    return members_page(circle, invite_form=form, status=400)


@bp.route("/leerkring/<slug>/verzoeken/<int:request_id>", methods=["POST"])
@write_required
@circle_from_slug
def decide(circle, request_id: int):
    editable_or_403(circle)
    join_request = queries.request_by_id(circle, request_id)
    if join_request is None:
        abort(404)
    form = DecideForm()
    if not form.validate_on_submit():
        if form.decision.errors and not form.answer.errors:
            abort(400)  # the buttons were tampered with
        return members_page(circle, decide_form=form, decided=join_request.id, status=400)
    accept = form.decision.data == "accept"
    try:
        services.decide_request(circle, join_request, accept, form.answer.data or "", current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        name = join_request.user.display_name
        flash(
            _("%(name)s is now a member.", name=name)
            if accept
            else _("You refused the request of %(name)s.", name=name),
            "success",
        )
    return redirect(url_for("circles.members", slug=circle.slug))


def _member_or_404(circle, handle: str):
    from cop.accounts import find_by_handle

    user = find_by_handle(handle)
    if user is None or not circle.is_member(user):
        abort(404)
    return user


@bp.route("/leerkring/<slug>/leden/<handle>/begeleider", methods=["POST"])
@write_required
@circle_from_slug
def facilitator(circle, handle: str):
    editable_or_403(circle)
    user = _member_or_404(circle, handle)
    form = ChoiceButtonForm()
    if not form.validate_on_submit():
        abort(400)
    make = form.choice.data == "ja"
    try:
        services.set_facilitator(circle, user, make, current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(
            _("%(name)s is now a facilitator.", name=user.display_name)
            if make
            else _("%(name)s is no longer a facilitator.", name=user.display_name),
            "success",
        )
    return redirect(url_for("circles.members", slug=circle.slug))


@bp.route("/leerkring/<slug>/leden/<handle>/verwijderen", methods=["GET", "POST"])
@write_required
@circle_from_slug
def remove(circle, handle: str):
    editable_or_403(circle)
    user = _member_or_404(circle, handle)
    form = RemoveForm()
    if form.validate_on_submit():
        try:
            services.remove_member(circle, user, form.reason.data, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("%(name)s is no longer a member.", name=user.display_name), "success")
            return redirect(url_for("circles.members", slug=circle.slug))
    status = 400 if form.is_submitted() else 200
    return render_template("circles/remove_member.html", circle=circle, member=user, form=form), status


# --- invitations ----------------------------------------------------------------------------------


@bp.route("/leerkring/uitnodiging/<token>", methods=["GET", "POST"])
def invitation(token: str):
    found = services.invitation_for_token(token)
    if found is None:
        abort(404)
    circle = found.circle
    if request.method == "POST" and current_user.is_authenticated and EmptyForm().validate_on_submit():
        try:
            services.accept_invitation(found, current_user)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Welcome: you are a member of %(name)s.", name=circle.name), "success")
            return redirect(url_for("circles.circle", slug=circle.slug))
    return render_template(
        "circles/invitation.html",
        invitation=found,
        circle=circle,
        token=token,
        is_member=circle.is_member(current_user),
        form=EmptyForm(),
    )


# --- discussions ----------------------------------------------------------------------------------


@bp.route("/leerkring/<slug>/discussies")
@circle_from_slug
def threads(circle):
    content_or_404(circle)
    kind_filter = request.args.get("soort") if request.args.get("soort") in thread_queries.FILTERS else None
    return pages.container_threads_page(
        "circle",
        circle,
        "circles.threads",
        {"slug": circle.slug},
        kind_filter,
        circle.can_take_part(current_user),
    )


@bp.route("/leerkring/<slug>/discussies/nieuw", methods=["GET", "POST"])
@write_required
@circle_from_slug
def new_thread(circle):
    content_or_404(circle)
    if not circle.can_take_part(current_user):
        abort(403)
    return pages.new_thread_page("circle", circle)


@bp.route("/leerkring/<slug>/volgen", methods=["POST"])
@write_required
@circle_from_slug
def follow(circle):
    content_or_404(circle)
    return pages.follow_container("circle", circle, url_for("circles.threads", slug=circle.slug))
