"""Neighbourhoods: the directory, proposing one, its page, moderators' decisions, a member's
working area."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop.forms import show_error
from cop.loaders import loads
from cop.panels import panels
from cop.permissions import is_moderator, login_required, requires, write_required
from cop.places import bp, queries, services
from cop.places.forms import PROGRAMME_LABELS, DecideForm, ProposeForm, WorkingAreaForm, grouped_choices
from cop.places.models import PlaceStatus, Programme
from cop.transactions import DomainError

place_from_slug = loads("place", queries.by_slug, param="slug")
proposal_from_id = loads("place", queries.by_id, param="place_id")


@bp.route("/wijken/")
def index():
    q = (request.args.get("q") or "").strip()[:80]
    programme = request.args.get("programma")
    programme = programme if programme in {p.value for p in Programme} else None
    municipality = (request.args.get("gemeente") or "").strip()[:80] or None
    groups = queries.directory(q, programme, municipality)
    return render_template(
        "places/index.html",
        groups=groups,
        total=sum(len(places) for _name, places in groups),
        q=q,
        programme=programme,
        municipality=municipality,
        municipalities=queries.municipalities(),
        programmes=PROGRAMME_LABELS,
        mine=queries.proposals_of(current_user) if current_user.is_authenticated else [],
        panels=panels("neighbourhoods", current_user),
    )


@bp.route("/wijken/voorstellen", methods=["GET", "POST"])
@write_required
def propose():
    form = ProposeForm()
    if form.validate_on_submit():
        try:
            place = services.propose(
                current_user,
                form.name.data,
                form.municipality.data,
                form.programme.data,
                form.description.data,
            )
        except DomainError as error:
            show_error(form, error)
        else:
            flash(
                _(
                    "Thank you. A moderator will look at your proposal; until then only you see it, "
                    "and you can already choose it in a contribution."
                ),
                "success",
            )
            return redirect(url_for("places.neighbourhood", slug=place.slug))
    return render_template("places/propose.html", form=form)


@bp.route("/wijk/<slug>")
@place_from_slug
def neighbourhood(place):
    if place.status == PlaceStatus.MERGED and place.merged_into is not None:
        return redirect(url_for("places.neighbourhood", slug=place.merged_into.slug), 301)
    return render_template(
        "places/neighbourhood.html",
        place=place,
        programmes=PROGRAMME_LABELS,
        members=queries.public_members(place, current_user),
        panels=panels("neighbourhood", place),
    )


@bp.route("/moderatie/wijken")
@requires(is_moderator)
def proposals():
    return render_template(
        "places/proposals.html", proposals=queries.proposals(), programmes=PROGRAMME_LABELS
    )


@bp.route("/moderatie/wijken/<int:place_id>", methods=["GET", "POST"])
@requires(is_moderator)
@proposal_from_id
def decide(place):
    form = DecideForm()
    form.merge_into.choices = grouped_choices(
        [n for n in queries.choices_for(None) if n.id != place.id], _("Choose a neighbourhood")
    )
    if place.status == PlaceStatus.PROPOSED and form.validate_on_submit():
        target = queries.by_id(form.merge_into.data) if form.decision.data == "merge" else None
        try:
            services.decide(place, form.decision.data, current_user, merge_into=target)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(
                {
                    "approve": _("%(name)s is in the list now.", name=place.label),
                    "merge": _(
                        "The proposal has been merged into %(name)s.", name=target.label if target else ""
                    ),
                    "decline": _("The proposal has been declined."),
                }[form.decision.data],
                "success",
            )
            return redirect(url_for("places.proposals"))
    return render_template("places/decide.html", form=form, place=place, programmes=PROGRAMME_LABELS)


@bp.route("/account/werkgebied", methods=["GET", "POST"])
@login_required
def working_area():
    area = queries.working_area(current_user)
    form = WorkingAreaForm()
    places = queries.choices_for(current_user)
    form.neighbourhood.choices = grouped_choices(places, _("No neighbourhood"))
    if not form.is_submitted() and area is not None:
        form.neighbourhood.data = str(area.neighbourhood_id)
        form.public.data = area.public
    if form.validate_on_submit():
        chosen = None
        if form.neighbourhood.data:
            chosen = next((p for p in places if str(p.id) == form.neighbourhood.data), None)
        try:
            services.set_working_area(current_user, chosen, bool(form.public.data))
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Your working area has been saved."), "success")
            return redirect(url_for("places.working_area"))
    return render_template("places/working_area.html", form=form, area=area)
