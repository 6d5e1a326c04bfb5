"""Reading the guide: front page, chapters, lessons (and their permalinks), themes."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from cop.guide import bp, queries
from cop.guide.forms import AUDIENCE_LABELS, EVIDENCE_LABELS
from cop.guide.models import AUDIENCES
from cop.guide.panels import lesson_panels, theme_panels
from cop.permissions import visible_or_404
from cop.urls import page_arg


def audience_arg() -> str | None:
    audience = request.args.get("doelgroep")
    return audience if audience in AUDIENCES else None


def load_lesson(ref: str):
    """The lesson ``ref`` names, if the viewer may see it; and a redirect when ``ref``'s slug is outdated."""
    lesson = visible_or_404(queries.lesson_by_ref(ref))
    # A form posted to an outdated address is handled there: a redirect would turn it into a GET
    # and lose what the editor typed.
    if ref != lesson.ref and request.method in ("GET", "HEAD"):
        args = {**request.view_args, "ref": lesson.ref, **request.args.to_dict()}
        return lesson, redirect(url_for(request.endpoint, **args), 301)
    return lesson, None


def labels() -> dict:
    return {"audience_labels": AUDIENCE_LABELS, "evidence_labels": EVIDENCE_LABELS}


@bp.route("/gids/")
def index():
    audience = audience_arg()
    edition = queries.latest_edition()
    added, changed = queries.changed_since(edition) if edition else ([], [])
    outline = queries.guide_outline(current_user, audience)
    return render_template(
        "guide/index.html",
        outline=outline,
        first_lesson=next((lessons[0] for _chapter, lessons in outline if lessons), None),
        themes=queries.themes(),
        edition=edition,
        added=added,
        changed=changed,
        audience=audience,
        **labels(),
    )


@bp.route("/gids/<int:number>/")
def chapter(number: int):
    chapter = queries.chapter_or_404(number)
    return render_template(
        "guide/chapter.html", chapter=chapter, lessons=queries.chapter_lessons(chapter, current_user)
    )


@bp.route("/les/<ref>")
def lesson(ref: str):
    lesson, moved = load_lesson(ref)
    if moved:
        return moved
    if lesson.current_revision is None:
        abort(404)
    return lesson_page(lesson, lesson.current_revision)


@bp.route("/les/<ref>/versie/<int:number>")
def lesson_revision(ref: str, number: int):
    lesson, moved = load_lesson(ref)
    if moved:
        return moved
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
        panels=lesson_panels.render_parts(lesson) if edition is None else [],
        **labels(),
    )


@bp.route("/thema/<slug>")
def theme(slug: str):
    theme = queries.theme_or_404(slug)
    audience = audience_arg()
    return render_template(
        "guide/theme.html",
        theme=theme,
        audience=audience,
        lessons=queries.theme_lessons(theme, current_user, audience, page_arg()),
        panels=theme_panels.render_parts(theme),
        **labels(),
    )
