"""The whole guide of an edition as one printable page: every chapter and lesson as the edition
froze it, with the provenance lines that the "lesson-credits" point contributes."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from cop.guide import bp, queries
from cop.guide.views.loaders import edition_from_number
from cop.panels import contributions


@bp.route("/editie/<int:number>/afdrukken")
@edition_from_number
def edition_print(edition):
    outline = queries.edition_print_outline(edition, current_user)
    lesson_ids = [lesson.id for _chapter, pairs in outline for lesson, _revision in pairs]
    credit_parts = [part for fn in contributions("lesson-credits") if (part := fn(lesson_ids)) is not None]
    return render_template("guide/print.html", edition=edition, outline=outline, credit_parts=credit_parts)
