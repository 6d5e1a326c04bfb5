"""Editing the guide: lessons and chapters, history, differences between revisions, restoring."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop.forms import EmptyForm, show_error
from cop.guide import bp, queries, services
from cop.guide.diff import diff_revisions
from cop.guide.forms import ChapterForm, LessonForm
from cop.guide.labels import labels
from cop.guide.models import Chapter
from cop.guide.views.loaders import chapter_from_number, lesson_from_ref
from cop.permissions import can_edit_content, editable_or_403, requires
from cop.sanitize import render
from cop.transactions import DomainError
from cop.urls import int_arg, page_arg


def _save_lesson(form: LessonForm, lesson, chapters, themes):
    """Create or save the lesson from a valid form; flash what happened and return the lesson."""
    details = form.details({c.id: c for c in chapters}, {t.id: t for t in themes})
    if lesson is None:
        lesson = services.create_lesson(
            details, form.content(), editor=current_user, change_note=form.change_note.data
        )
        flash(_("Lesson %(number)s has been created.", number=lesson.number), "success")
        return lesson
    result = services.save_lesson(
        lesson,
        details,
        form.content(),
        editor=current_user,
        change_note=form.change_note.data,
        base_revision=form.base_revision.data,
        base_version=form.base_version.data,
    )
    if result.revision is not None:
        flash(_("Saved as version %(number)d.", number=result.revision.number), "success")
    elif result.details_changed:
        flash(_("The lesson details have been saved. The text did not change."), "success")
    else:
        flash(_("Nothing changed, so no new version was made."), "info")
    return lesson


def _lesson_form(form: LessonForm, lesson=None, chapters=None):
    """Show the lesson form; "Preview" validates and renders the lesson, and an add or remove
    button of a list shows the form again with one entry more or less; neither stores anything."""
    chapters, themes = chapters or queries.chapters(), queries.themes(include_retired=True)
    form.set_choices(chapters, themes)
    preview = None
    if form.is_submitted() and form.apply_entry_action():
        pass
    elif form.is_submitted() and form.preview.data:
        if form.validate():
            preview = services.preview(form.content())
    elif form.validate_on_submit():
        try:
            lesson = _save_lesson(form, lesson, chapters, themes)
        except DomainError as error:
            show_error(form, error)
            if lesson is not None and lesson.current_revision is not None:
                form.base_revision.data = str(lesson.current_revision.number)
                form.base_version.data = services.details_version(lesson)
        else:
            return redirect(url_for("guide.lesson", ref=lesson.ref))
    return render_template("guide/lesson_form.html", form=form, lesson=lesson, preview=preview, **labels())


@bp.route("/gids/les/nieuw", methods=["GET", "POST"])
@requires(can_edit_content)
def lesson_new():
    chapters = queries.chapters()
    if not chapters:
        flash(_("Add a chapter first: every lesson belongs to a chapter."), "info")
        return redirect(url_for("guide.chapter_new"))
    form = LessonForm()
    if not form.is_submitted():
        chapter_number = int_arg("hoofdstuk")
        chapter = next((c for c in chapters if c.number == chapter_number), None)
        if chapter is not None:
            form.chapter.data = chapter.id
            form.number.data = f"{chapter.number}."
    return _lesson_form(form, chapters=chapters)


@bp.route("/les/<ref>/bewerken", methods=["GET", "POST"])
@requires(can_edit_content)
@lesson_from_ref
def lesson_edit(lesson):
    editable_or_403(lesson)
    form = LessonForm()
    if not form.is_submitted():
        form.fill_from(lesson, lesson.current_revision)
    return _lesson_form(form, lesson)


@bp.route("/les/<ref>/geschiedenis")
@lesson_from_ref
def history(lesson):
    revisions = queries.history(lesson, page_arg())
    return render_template(
        "guide/history.html",
        lesson=lesson,
        revisions=revisions,
        notes=queries.change_notes(revisions.items),
        numbers=queries.revision_numbers(lesson),
    )


@bp.route("/les/<ref>/verschil")
@lesson_from_ref
def diff(lesson):
    numbers = queries.revision_numbers(lesson)
    if not numbers:
        abort(404)
    new_number = int_arg("naar") or numbers[0]
    old_number = int_arg("van") or max(new_number - 1, 1)
    old = queries.revision_or_404(lesson, old_number)
    new = queries.revision_or_404(lesson, new_number)
    changes = diff_revisions(old.content(), new.content())
    return render_template(
        "guide/diff.html",
        lesson=lesson,
        old=old,
        new=new,
        changes=changes,
        numbers=numbers,
        notes=queries.change_notes([old, new]),
    )


@bp.route("/les/<ref>/versie/<int:number>/herstellen", methods=["GET", "POST"])
@requires(can_edit_content)
@lesson_from_ref
def restore(lesson, number: int):
    """GET asks for confirmation, showing what restoring changes; POST restores."""
    editable_or_403(lesson)
    revision = queries.revision_or_404(lesson, number)
    if request.method == "GET":
        current = lesson.current_revision
        return render_template(
            "guide/restore.html",
            lesson=lesson,
            revision=revision,
            current=current,
            changes=diff_revisions(current.content(), revision.content()) if current else [],
            form=EmptyForm(),
        )
    if EmptyForm().validate_on_submit():
        try:
            new = services.restore_revision(lesson, revision, editor=current_user)
        except DomainError as error:
            flash(error.message, "error")
        else:
            if new is None:
                flash(_("Version %(number)d is the current text already.", number=number), "info")
            else:
                flash(
                    _("Version %(old)d has been restored as version %(new)d.", old=number, new=new.number),
                    "success",
                )
    return redirect(url_for("guide.history", ref=lesson.ref))


def _chapter_form(form: ChapterForm, chapter: Chapter | None):
    preview = None
    if form.is_submitted() and form.preview.data:
        if form.validate():
            preview = render(form.intro.data)
    elif form.validate_on_submit():
        try:
            chapter, changed = services.save_chapter(chapter, form.fields())
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The chapter has been saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("guide.chapter", number=chapter.number))
    return render_template("guide/chapter_form.html", form=form, chapter=chapter, preview=preview)


@bp.route("/gids/hoofdstuk/nieuw", methods=["GET", "POST"])
@requires(can_edit_content)
def chapter_new():
    return _chapter_form(ChapterForm(), None)


@bp.route("/gids/<int:number>/bewerken", methods=["GET", "POST"])
@requires(can_edit_content)
@chapter_from_number
def chapter_edit(chapter):
    form = ChapterForm(
        data={
            **{name: getattr(chapter, name) for name in ("number", "title", "intro", "objectives_intro")},
            "objectives": "\n".join(chapter.objectives or []),
        }
    )
    return _chapter_form(form, chapter)
