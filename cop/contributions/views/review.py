"""The moderators' review: the queue, the review page (assignment, checklist, conversation,
decisions) and promotion into the guide through the lesson form."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from cop.contributions import bp, drafts, queries, services
from cop.contributions.forms import AssignForm, DecisionForm, checklist_form
from cop.contributions.kinds import KIND_LABELS, Kind
from cop.contributions.states import STATUS_LABELS, Action, Status, allowed
from cop.contributions.views.loaders import contribution_from_id
from cop.contributions.views.reading import page_context
from cop.forms import EmptyForm, show_error
from cop.guide import details_version
from cop.guide import queries as guide_queries
from cop.guide.forms import LessonForm
from cop.guide.forms.lessons import fill_content
from cop.guide.labels import labels
from cop.guide.services import preview as lesson_preview
from cop.permissions import is_moderator, requires
from cop.transactions import DomainError
from cop.urls import page_arg

moderators_only = requires(is_moderator)


@bp.route("/moderatie/beoordelen")
@moderators_only
def queue():
    name = request.args.get("lijst") if request.args.get("lijst") in queries.QUEUES else "open"
    mine = request.args.get("van") == "mij"
    return render_template(
        "contributions/queue.html",
        page=queries.queue(name, current_user, page_arg(), mine=mine),
        name=name,
        mine=mine,
        counts=queries.queue_counts(current_user),
        kinds=KIND_LABELS,
        statuses=STATUS_LABELS,
    )


def _decisions(contribution) -> list[str]:
    actions = [Action.REQUEST_CHANGES, Action.DECLINE, Action.REOPEN]
    return [a.value for a in actions if allowed(contribution.status, a)]


def _review_page(contribution, *, assign_form=None, checklist=None, decision_form=None, status=200):
    if assign_form is None:
        assign_form = AssignForm(formdata=None)
    assign_form.assignee.choices = [SelectChoice(str(m.id), m.display_name) for m in queries.moderators()]
    if not assign_form.assignee.data:
        assign_form.assignee.data = str(contribution.assignee_id or current_user.id)
    context = page_context(contribution)
    if checklist is None:
        checklist = checklist_form(
            contribution.kind,
            data={
                key: value
                for name, check in context["checks"].items()
                for key, value in ((f"verdict_{name}", check.verdict), (f"note_{name}", check.note))
            },
        )
    if decision_form is None:
        decision_form = DecisionForm(formdata=None)
    decision_form.set_actions(_decisions(contribution))
    body = render_template(
        "contributions/review.html",
        **context,
        assign_form=assign_form,
        checklist=checklist,
        decision_form=decision_form,
        lessons=queries.lessons_for_choice() if allowed(contribution.status, Action.PROMOTE) else [],
    )
    return body, status


@bp.route("/moderatie/beoordelen/<int:contribution_id>")
@moderators_only
@contribution_from_id
def review(contribution):
    if contribution.status == Status.DRAFT:
        abort(404)
    return _review_page(contribution)


def _back(contribution, anchor: str = ""):
    return redirect(url_for("contributions.review", contribution_id=contribution.id) + anchor)


@bp.route("/moderatie/beoordelen/<int:contribution_id>/toewijzen", methods=["POST"])
@moderators_only
@contribution_from_id
def assign(contribution):
    form = AssignForm()
    form.assignee.choices = [SelectChoice(str(m.id), m.display_name) for m in queries.moderators()]
    if request.form.get("vrijgeven") == "ja" and EmptyForm().validate_on_submit():
        try:
            services.release(contribution, current_user)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("The contribution is back in the queue."), "success")
        return _back(contribution)
    if form.validate_on_submit():
        assignee = next((m for m in queries.moderators() if str(m.id) == form.assignee.data), None)
        try:
            services.take(contribution, current_user, assignee)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("%(name)s has this contribution now.", name=assignee.display_name), "success")
            return _back(contribution)
    return _review_page(contribution, assign_form=form, status=400)


@bp.route("/moderatie/beoordelen/<int:contribution_id>/criteria", methods=["POST"])
@moderators_only
@contribution_from_id
def checklist(contribution):
    form = checklist_form(contribution.kind)
    if form.validate_on_submit():
        verdicts = {
            criterion.name: (
                form[f"verdict_{criterion.name}"].data or "",
                form[f"note_{criterion.name}"].data or "",
            )
            for criterion in form.criteria
        }
        try:
            changed = services.save_checks(contribution, current_user, verdicts)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The checklist has been saved.") if changed else _("Nothing changed."), "success")
            return _back(contribution, "#criteria")
    return _review_page(contribution, checklist=form, status=400)


@bp.route("/moderatie/beoordelen/<int:contribution_id>/besluit", methods=["POST"])
@moderators_only
@contribution_from_id
def decide(contribution):
    form = DecisionForm()
    form.set_actions(_decisions(contribution) or [request.form.get("action", "")[:20] or "request_changes"])
    if form.validate_on_submit():
        try:
            services.decide(contribution, current_user, form.action.data, form.message.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(
                {
                    "request_changes": _("The writers have been asked to change their contribution."),
                    "decline": _("The contribution has been declined; the writers read your reason."),
                    "reopen": _("The contribution is in review again."),
                }[form.action.data],
                "success",
            )
            return _back(contribution)
    return _review_page(contribution, decision_form=form, status=400)


# --- promotion ------------------------------------------------------------------------------------

HOW = {"nieuw": "new_lesson", "bestaand": "into_lesson", "wijziging": "change"}


def _promotion_target(contribution):
    """(how, lesson) from ?als=…&les=…; a 404 when they do not fit the contribution."""
    how = HOW.get(request.args.get("als") or "")
    if how is None or (how == "change") != (contribution.kind == Kind.CHANGE):
        abort(404)
    lesson = None
    if how == "into_lesson":
        lesson = guide_queries.lesson_by_ref((request.args.get("les") or "")[:140])
        if lesson is None or lesson.current_revision is None:
            abort(404)
    elif how == "change":
        lesson = contribution.lesson
        if lesson is None or lesson.current_revision is None:
            abort(404)
    return how, lesson


def _prefill(form: LessonForm, contribution, how: str, lesson, chapters) -> list[str]:
    """The lesson form filled from the contribution; returns the fields with a merge conflict."""
    if how == "new_lesson":
        draft = drafts.new_lesson(contribution)
        chapter = contribution.chapter or (chapters[0] if chapters else None)
        if chapter is not None:
            form.chapter.data = chapter.id
            form.number.data = f"{chapter.number}."
        form.themes.data = [theme.id for theme in contribution.themes]
        form.evidence.data = "praktijk" if contribution.kind == Kind.PRACTICE else ""
        form.status.data = "draft"
    else:
        form.fill_from(lesson, lesson.current_revision)
        draft = (
            drafts.into_lesson(contribution, lesson)
            if how == "into_lesson"
            else drafts.change(contribution, lesson)
        )
    fill_content(form, draft.content)
    form.change_note.data = services.default_change_note(contribution)
    return draft.conflicts


@bp.route("/moderatie/beoordelen/<int:contribution_id>/opnemen", methods=["GET", "POST"])
@moderators_only
@contribution_from_id
def promote(contribution):
    if not allowed(contribution.status, Action.PROMOTE):
        flash(_("Take the contribution into review first."), "info")
        return _back(contribution)
    how, lesson = _promotion_target(contribution)
    chapters, themes = guide_queries.chapters(), guide_queries.themes(include_retired=True)  # as the editor
    form = LessonForm()
    form.set_choices(chapters, themes)
    conflicts, preview = [], None
    if not form.is_submitted():
        conflicts = _prefill(form, contribution, how, lesson, chapters)
    elif form.apply_entry_action():  # a list's add or remove button: the form again, nothing stored
        pass
    elif form.preview.data:
        if form.validate():
            preview = lesson_preview(form.content())
    elif form.validate_on_submit():
        try:
            lesson, revision = services.promote(
                contribution,
                current_user,
                how=how,
                lesson=lesson,
                details=form.details({c.id: c for c in chapters}, {t.id: t for t in themes}),
                content=form.content(),
                change_note=form.change_note.data,
                base_revision=form.base_revision.data,
                base_version=form.base_version.data,
            )
        except DomainError as error:
            show_error(form, error)
            if lesson is not None and lesson.id is not None and lesson.current_revision is not None:
                form.base_revision.data = str(lesson.current_revision.number)
                form.base_version.data = details_version(lesson)
        else:
            flash(
                _(
                    "The contribution is part of lesson %(number)s now, in version %(version)d.",
                    number=lesson.number,
                    version=revision.number,
                ),
                "success",
            )
            return redirect(url_for("guide.lesson", ref=lesson.ref))
    return render_template(
        "contributions/promote.html",
        form=form,
        lesson=lesson,
        contribution=contribution,
        how=how,
        conflicts=conflicts,
        preview=preview,
        kinds=KIND_LABELS,
        **labels(),
    )
