"""Editions: the list, publishing one, browsing the guide as it was, and "what is new"."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop.forms import show_error
from cop.guide import bp, queries, services
from cop.guide.forms import EditionForm
from cop.guide.views.loaders import edition_from_number, lesson_from_ref
from cop.guide.views.reading import lesson_page
from cop.panels import panels
from cop.permissions import can_publish_editions, requires
from cop.transactions import DomainError


@bp.route("/edities/")
def editions():
    return render_template(
        "guide/editions.html", editions=queries.editions(), next_number=services.next_edition_number()
    )


@bp.route("/edities/nieuw", methods=["GET", "POST"])
@requires(can_publish_editions)
def edition_new():
    form = EditionForm()
    if form.validate_on_submit():
        try:
            edition = services.publish_edition(
                title=form.title.data,
                published_on=form.published_on.data,
                note=form.note.data or "",
                actor=current_user,
            )
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Edition %(number)d has been published.", number=edition.number), "success")
            return redirect(url_for("guide.whats_new", number=edition.number))
    latest = queries.latest_edition()
    added, changed = queries.changed_since(latest) if latest else ([], [])
    return render_template(
        "guide/edition_form.html",
        form=form,
        next_number=services.next_edition_number(),
        latest=latest,
        added=added,
        changed=changed,
    )


@bp.route("/editie/<int:number>/")
@edition_from_number
def edition(edition):
    return render_template(
        "guide/edition.html", edition=edition, outline=queries.edition_outline(edition, current_user)
    )


@bp.route("/editie/<int:number>/les/<ref>")
@edition_from_number
@lesson_from_ref
def edition_lesson(edition, lesson):
    return lesson_page(lesson, queries.edition_revision_or_404(edition, lesson), edition)


@bp.route("/editie/<int:number>/nieuw")
@edition_from_number
def whats_new(edition):
    previous = queries.previous_edition(edition)
    added, changed, dropped = queries.edition_changes(edition, previous, current_user)
    return render_template(
        "guide/whats_new.html",
        edition=edition,
        previous=previous,
        added=added,
        changed=changed,
        dropped=dropped,
        panels=panels("edition-changes", edition),
    )
