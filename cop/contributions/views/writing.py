"""Writing a contribution: choosing its kind, the form (with a preview), submitting, withdrawing,
deleting a draft, co-authors and answering an invitation to write along."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop.contributions import bp, services
from cop.contributions.forms import FORMS, CoauthorForm, SubmitForm, WithdrawForm
from cop.contributions.kinds import FIELDS, KIND_HINTS, KIND_LABELS, Kind
from cop.contributions.states import STATUS_LABELS, Action, Status, allowed
from cop.contributions.views.loaders import contribution_from_id
from cop.forms import EmptyForm, show_error
from cop.guide import LessonStatus
from cop.guide import queries as guide_queries
from cop.permissions import login_required, write_required
from cop.places import queries as places_queries
from cop.sanitize import render
from cop.transactions import DomainError


def _target_lesson():
    """The lesson a suggested improvement is for (?les=1.2-…): published ones only."""
    ref = (request.args.get("les") or "").strip()[:140]
    lesson = guide_queries.lesson_by_ref(ref) if ref else None
    if lesson is None or lesson.status != LessonStatus.PUBLISHED or lesson.current_revision is None:
        return None
    return lesson


def _preview(form, kind: Kind) -> dict:
    """Each field rendered as it will show; nothing is stored."""
    parts = {field.name: render(form[field.name].data or "") for field in FIELDS[kind] if field.markdown}
    if kind == Kind.CHANGE:
        parts["body"] = render(form.body.data or "")
    return parts


def _form_page(form, kind: Kind, contribution=None, lesson=None):
    themes = guide_queries.themes()
    places = places_queries.choices_for(current_user)
    if contribution is not None:  # a retired theme it carries stays a choice, so a save keeps it
        themes = sorted({*themes, *contribution.themes}, key=lambda theme: (theme.position, theme.title))
        places = sorted({*places, *contribution.places}, key=lambda n: (n.municipality, n.name))
    form.set_choices(themes, places)
    chapters = guide_queries.chapters() if kind == Kind.LESSON else []
    if kind == Kind.LESSON:
        form.set_chapters(chapters)
    preview = None
    if form.is_submitted() and form.preview.data:
        if form.validate():
            preview = _preview(form, kind)
    elif form.validate_on_submit():
        values = form.values({t.id: t for t in themes})
        if kind == Kind.LESSON:
            values = form.values({t.id: t for t in themes}, {c.id: c for c in chapters})
        try:
            if contribution is None:
                contribution = services.create(current_user, kind.value, values, lesson=lesson)
                flash(
                    _("Your draft has been saved. Only you and your co-authors see it until you submit it."),
                    "success",
                )
            else:
                services.update(contribution, current_user, values, form.version.data)
                flash(_("Your changes have been saved."), "success")
        except DomainError as error:
            show_error(form, error)
            if contribution is not None and contribution.id is not None:
                form.version.data = str(contribution.version)
        else:
            return redirect(url_for("contributions.contribution", contribution_id=contribution.id))
    if kind == Kind.CHANGE:
        form.add_blank_entries()
    lesson = lesson or (contribution.lesson if contribution is not None else None)
    return render_template(
        "contributions/form.html",
        form=form,
        kind=kind,
        kinds=KIND_LABELS,
        hints=KIND_HINTS,
        contribution=contribution,
        lesson=lesson,
        preview=preview,
    )


@bp.route("/bijdragen/nieuw", methods=["GET", "POST"])
@write_required
def new():
    kind = request.args.get("soort")
    if kind not in {k.value for k in Kind}:
        return render_template("contributions/choose_kind.html", kinds=KIND_LABELS, hints=KIND_HINTS)
    kind = Kind(kind)
    lesson = None
    if kind == Kind.CHANGE:
        lesson = _target_lesson()
        if lesson is None:
            return render_template(
                "contributions/choose_lesson.html", lessons=guide_queries.all_lessons(current_user)
            )
    form = FORMS[kind]()
    if not form.is_submitted():
        area = places_queries.working_area(current_user)
        if area is not None:
            form.place_1.data = str(area.neighbourhood_id)
        if lesson is not None:
            form.title.data = _("Improvement of lesson %(number)s", number=lesson.number)
            form.fill_content(lesson.current_revision.content())
            form.themes.data = [theme.id for theme in lesson.themes]
    return _form_page(form, kind, lesson=lesson)


@bp.route("/bijdrage/<int:contribution_id>/bewerken", methods=["GET", "POST"])
@write_required
@contribution_from_id
def edit(contribution):
    if not contribution.is_writer(current_user):
        abort(403)
    if not allowed(contribution.status, Action.EDIT):
        flash(
            _("A moderator is reviewing this contribution; it cannot be changed until the review is done.")
            if contribution.status == Status.IN_REVIEW
            else _("This contribution can no longer be changed."),
            "info",
        )
        return redirect(url_for("contributions.contribution", contribution_id=contribution.id))
    form = FORMS[contribution.kind]()
    if not form.is_submitted():
        form.fill_from(contribution)
    return _form_page(form, contribution.kind, contribution)


@bp.route("/bijdrage/<int:contribution_id>/indienen", methods=["GET", "POST"])
@write_required
@contribution_from_id
def submit(contribution):
    if not contribution.is_writer(current_user):
        abort(403)
    form = SubmitForm()
    if request.method == "GET" and not allowed(contribution.status, Action.SUBMIT):
        flash(_("This contribution has been submitted already."), "info")
        return redirect(url_for("contributions.contribution", contribution_id=contribution.id))
    if form.validate_on_submit():
        try:
            services.submit(
                contribution, current_user, privacy_confirmed=form.privacy.data, note=form.note.data
            )
        except DomainError as error:
            show_error(form, error)
        else:
            flash(
                _("Submitted. A moderator will review it; members can read and endorse it now."),
                "success",
            )
            return redirect(url_for("contributions.contribution", contribution_id=contribution.id))
    return render_template(
        "contributions/submit.html", form=form, contribution=contribution, kinds=KIND_LABELS
    )


@bp.route("/bijdrage/<int:contribution_id>/intrekken", methods=["GET", "POST"])
@write_required
@contribution_from_id
def withdraw(contribution):
    if not contribution.is_writer(current_user):
        abort(403)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            services.withdraw(contribution, current_user, form.reason.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Your contribution has been withdrawn."), "success")
            return redirect(url_for("contributions.contribution", contribution_id=contribution.id))
    return render_template(
        "contributions/withdraw.html", form=form, contribution=contribution, statuses=STATUS_LABELS
    )


@bp.route("/bijdrage/<int:contribution_id>/verwijderen", methods=["POST"])
@write_required
@contribution_from_id
def delete(contribution):
    if not contribution.is_author(current_user):
        abort(403)
    if EmptyForm().validate_on_submit():
        try:
            services.delete_draft(contribution, current_user)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Your draft has been deleted."), "success")
            return redirect(url_for("site.dashboard"))
    return redirect(url_for("contributions.contribution", contribution_id=contribution.id))


@bp.route("/bijdrage/<int:contribution_id>/schrijvers", methods=["GET", "POST"])
@write_required
@contribution_from_id
def writers(contribution):
    if not contribution.is_writer(current_user):
        abort(403)
    form = CoauthorForm()
    if contribution.is_author(current_user) and form.validate_on_submit():
        try:
            user = services.invite_coauthor(contribution, current_user, form.handle.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("%(name)s has been asked to write along.", name=user.display_name), "success")
            return redirect(url_for("contributions.writers", contribution_id=contribution.id))
    elif form.is_submitted() and not contribution.is_author(current_user):
        abort(403)
    return render_template(
        "contributions/writers.html", form=form, contribution=contribution, remove_form=EmptyForm()
    )


@bp.route("/bijdrage/<int:contribution_id>/schrijvers/<int:user_id>/verwijderen", methods=["POST"])
@write_required
@contribution_from_id
def remove_writer(contribution, user_id: int):
    if EmptyForm().validate_on_submit():
        try:
            services.remove_coauthor(contribution, current_user, user_id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            if user_id == current_user.id:
                flash(_("You are no longer a writer of this contribution."), "success")
                return redirect(url_for("site.dashboard"))
            flash(_("The co-author has been removed."), "success")
    return redirect(url_for("contributions.writers", contribution_id=contribution.id))


@bp.route("/bijdrage/<int:contribution_id>/uitnodiging", methods=["POST"])
@login_required
@contribution_from_id
def invitation(contribution):
    form = EmptyForm()
    if form.validate_on_submit():
        accept = request.form.get("keuze") == "ja"
        try:
            services.answer_invitation(contribution, current_user, accept)
        except DomainError as error:
            flash(error.message, "error")
        else:
            if not accept:
                flash(_("You declined the invitation."), "success")
                return redirect(url_for("site.dashboard"))
            flash(_("You are a co-author now: you are credited and can edit it."), "success")
    return redirect(url_for("contributions.contribution", contribution_id=contribution.id))
