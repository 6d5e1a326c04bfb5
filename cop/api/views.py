"""/api/v1/: the public guide, discussions, neighbourhoods and promoted contributions as JSON.

Thin views: check the parameters (unknown ones are a 400), read through ``queries``, shape through
``documents``, answer through ``http.conditional`` (ETag, Last-Modified, 304)."""

from __future__ import annotations

from flask import abort, current_app, request

from cop.api import documents, queries
from cop.api.blueprints import api_bp as bp
from cop.api.http import (
    BadParameter,
    check_parameters,
    conditional,
    int_parameter,
    latest,
    limit_parameter,
)
from cop.api.openapi import document as openapi_document
from cop.urls import public_url

LIST = {"limit", "cursor"}


def _list(cut, items, endpoint: str, modified=None, **values):
    """A page of a list: its items and the address of the next page."""
    limit = limit_parameter()
    next_url = (
        public_url(endpoint, limit=limit, cursor=cut.next_cursor, **values) if cut.next_cursor else None
    )
    return conditional(
        {"data": items, "next": next_url, "limit": limit},
        modified,
        {"next": next_url} if next_url else None,
    )


def _found(value):
    if value is None:
        abort(404)
    return value


@bp.route("/")
def index():
    check_parameters(set())
    names = ["themes", "chapters", "lessons", "editions", "threads", "neighbourhoods", "contributions"]
    return conditional(
        {
            "name": "Wijkengids API",
            "version": "1",
            "openapi": public_url("api.openapi"),
            "resources": {name: public_url(f"api.{name}") for name in names},
            "feeds": {
                "lessons": public_url("feeds.lessons"),
                "contributions": public_url("feeds.contributions"),
            },
        }
    )


@bp.route("/openapi.json")
def openapi():
    check_parameters(set())
    return conditional(openapi_document(current_app.config["PUBLIC_URL"]))


@bp.route("/themes")
def themes():
    check_parameters(LIST)
    cut = queries.themes(limit_parameter())
    return _list(cut, [documents.theme(t) for t in cut.rows], "api.themes")


@bp.route("/themes/<slug>")
def theme(slug):
    check_parameters(set())
    return conditional(documents.theme(_found(queries.theme(slug))))


@bp.route("/chapters")
def chapters():
    check_parameters(LIST)
    cut = queries.chapters(limit_parameter())
    modified = latest(*(c.updated_at for c in cut.rows))
    return _list(cut, [documents.chapter(c) for c in cut.rows], "api.chapters", modified)


@bp.route("/chapters/<int:number>")
def chapter(number):
    check_parameters(set())
    found, lessons = _found(queries.chapter(number))
    document = {**documents.chapter(found), "lessons": [documents.lesson_summary(item) for item in lessons]}
    return conditional(document, latest(found.updated_at, *(item.updated_at for item in lessons)))


@bp.route("/lessons")
def lessons():
    check_parameters(LIST)
    cut = queries.lessons(limit_parameter())
    modified = latest(*(item.updated_at for item in cut.rows))
    return _list(cut, [documents.lesson_listed(item) for item in cut.rows], "api.lessons", modified)


@bp.route("/lessons/<number>")
def lesson(number):
    """A lesson with its current revision, or ``?revision=n``, and where it came from."""
    check_parameters({"revision"})
    wanted = int_parameter("revision")
    found = _found(queries.lesson(number))
    revision = _found(queries.revision(found, wanted))
    credits = [  # the contributions recorded up to the revision shown
        credit
        for credit in queries.credits([found.id]).get(found.id, [])
        if credit.origin.revision_id is None or credit.origin.revision_id <= revision.id
    ]
    document = {
        **documents.lesson_listed(found),
        "title": revision.title,
        "current_revision": found.current_revision.number if found.current_revision else None,
        "revisions": queries.revision_numbers(found),
        "content": documents.revision(revision),
        "provenance": [documents.credit(item) for item in credits],
    }
    document["revision"] = revision.number  # the revision shown (``current_revision`` is the latest)
    modified = latest(found.updated_at, revision.created_at, *(c.origin.created_at for c in credits))
    return conditional(document, modified)


@bp.route("/editions")
def editions():
    check_parameters(LIST)
    cut = queries.editions(limit_parameter())
    items = [documents.edition_summary(edition, count) for edition, count in cut.rows]
    return _list(cut, items, "api.editions", latest(*(edition.created_at for edition, _c in cut.rows)))


@bp.route("/editions/<int:number>")
def edition(number):
    check_parameters(set())
    found, pairs = _found(queries.edition(number))
    document = {
        **documents.edition_summary(found, len(pairs)),
        "note": found.note or "",
        "lessons": [
            {
                **documents.lesson_summary(lesson, revision.title),
                "revision": revision.number,
                "edition_url": public_url("guide.edition_lesson", number=found.number, ref=lesson.ref),
            }
            for lesson, revision in pairs
        ],
        "print_url": public_url("guide.edition_print", number=found.number),
        "feed_url": public_url("feeds.edition", number=found.number),
    }
    return conditional(document, found.created_at)


@bp.route("/threads")
def threads():
    """Public threads (in themes), newest first; ``?theme=slug`` for one theme's."""
    check_parameters(LIST | {"theme"})
    theme = None
    if "theme" in request.args:
        theme = queries.theme(request.args["theme"])
        if theme is None:
            raise BadParameter("theme", "no such theme")
    cut = queries.threads(limit_parameter(), theme)
    items = [documents.thread(thread, container) for thread, container in cut.rows]
    modified = latest(*(thread.last_posted_at for thread, _t in cut.rows))
    extra = {"theme": theme.slug} if theme else {}
    return _list(cut, items, "api.threads", modified, **extra)


@bp.route("/threads/<int:thread_id>")
def thread(thread_id):
    check_parameters(set())
    found, container = _found(queries.thread(thread_id))
    return conditional(documents.thread(found, container), found.last_posted_at)


@bp.route("/threads/<int:thread_id>/posts")
def posts(thread_id):
    check_parameters(LIST)
    found, _container = _found(queries.thread(thread_id))
    cut = queries.posts(found, limit_parameter())
    modified = latest(*(p.edited_at or p.created_at for p in cut.rows))
    return _list(cut, [documents.post(p) for p in cut.rows], "api.posts", modified, thread_id=thread_id)


@bp.route("/neighbourhoods")
def neighbourhoods():
    check_parameters(LIST)
    cut = queries.neighbourhoods(limit_parameter())
    return _list(cut, [documents.neighbourhood(place) for place in cut.rows], "api.neighbourhoods")


@bp.route("/neighbourhoods/<slug>")
def neighbourhood(slug):
    check_parameters(set())
    return conditional(documents.neighbourhood(_found(queries.neighbourhood(slug))))


def _promotion(origin, contribution, lesson, writers, places) -> dict:
    return {
        **documents.contribution_summary(contribution),
        "how": origin.how,
        "promoted_at": documents.moment(origin.created_at),
        "lesson": documents.lesson_summary(lesson),
        "writers": [documents.person(user) for user in writers.get(contribution.id, [])],
        "neighbourhoods": [documents.neighbourhood_summary(p) for p in places.get(contribution.id, [])],
    }


@bp.route("/contributions")
def contributions():
    """Promotions of contributions into the guide, newest first."""
    check_parameters(LIST)
    cut = queries.promotions(limit_parameter())
    writers, places = queries.writers_and_places(list({c.id for _o, c, _l in cut.rows}))
    items = [_promotion(o, c, lesson, writers, places) for o, c, lesson in cut.rows]
    modified = latest(*(o.created_at for o, _c, _l in cut.rows))
    return _list(cut, items, "api.contributions", modified)


@bp.route("/contributions/<int:contribution_id>")
def contribution(contribution_id):
    check_parameters(set())
    found, rows = _found(queries.contribution(contribution_id))
    writers, places = queries.writers_and_places([found.id])
    document = {
        **documents.contribution_summary(found),
        "fields": {name: value for name, value in (found.fields or {}).items() if isinstance(value, str)},
        "writers": [documents.person(user) for user in writers.get(found.id, [])],
        "neighbourhoods": [documents.neighbourhood_summary(p) for p in places.get(found.id, [])],
        "lessons": [
            {**documents.lesson_summary(lesson), "how": o.how, "promoted_at": documents.moment(o.created_at)}
            for o, _c, lesson in rows
        ],
    }
    return conditional(document, latest(found.updated_at, *(o.created_at for o, _c, _l in rows)))
