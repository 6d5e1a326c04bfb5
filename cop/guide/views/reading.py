"""Reading the guide: front page, chapters, lessons (and their permalinks), themes."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from cop.guide import bp, queries, services
from cop.guide.labels import labels
from cop.guide.models import AUDIENCES
from cop.guide.views.loaders import chapter_from_number, lesson_from_ref, lesson_to_read, theme_from_slug
from cop.panels import panels
from cop.urls import page_arg


def audience_arg() -> str | None:
    audience = request.args.get("doelgroep")
    return audience if audience in AUDIENCES else None


@bp.route("/gids/")
def index():
    audience = audience_arg()
    edition = queries.latest_edition()
    added, changed = queries.changed_since(edition) if edition else ([], [])
    outline = queries.guide_outline(current_user, audience)
    return render_template(
        "guide/index.html",
        outline=outline,
        first_lesson=next((lessons[0] for _chapter, lessons, _total in outline if lessons), None),
        themes=queries.themes(),
        edition=edition,
        added=added,
        changed=changed,
        audience=audience,
        **labels(),
    )


@bp.route("/gids/<int:number>/")
@chapter_from_number
def chapter(chapter):
    return render_template(
        "guide/chapter.html", chapter=chapter, lessons=queries.chapter_lessons(chapter, current_user)
    )


@bp.route("/les/<ref>")
@lesson_to_read
def lesson(lesson):
    if lesson.current_revision is None:
        abort(404)
    page = lesson_page(lesson, lesson.current_revision)
    if current_user.is_authenticated and not lesson.read_by_reader:
        # For a new member's first steps, the first time only. After rendering: the commit expires
        # what was loaded (one INSERT … ON CONFLICT DO NOTHING, and the member is loaded again for
        # the response).
        services.record_read(lesson.id, current_user.id)
    return page


@bp.route("/les/<ref>/versie/<int:number>")
@lesson_from_ref
def lesson_revision(lesson, number: int):
    return lesson_page(lesson, queries.revision_or_404(lesson, number))


def lesson_page(lesson, revision, edition=None):
    previous, following = queries.neighbours(lesson, current_user)
    return render_template(
        "guide/lesson.html",
        lesson=lesson,
        revision=revision,
        edition=edition,
        is_current=edition is None and revision.id == lesson.current_revision_id,
        # The guide opens a chapter's first section with the chapter's learning objectives.
        opens_chapter=previous is None or previous.chapter_id != lesson.chapter_id,
        previous=None if edition else previous,
        following=None if edition else following,
        panels=panels("lesson", lesson) if edition is None else [],
        **labels(),
    )


@bp.route("/thema/<slug>")
@theme_from_slug
def theme(theme):
    audience = audience_arg()
    return render_template(
        "guide/theme.html",
        theme=theme,
        audience=audience,
        lessons=queries.theme_lessons(theme, current_user, audience, page_arg()),
        panels=panels("theme", theme),
        **labels(),
    )
