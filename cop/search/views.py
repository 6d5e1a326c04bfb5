"""``/zoeken``: the search page."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from cop.guide import queries as guide_queries
from cop.places import queries as place_queries
from cop.search import bp
from cop.search.queries import KINDS, search
from cop.search.text import parse


def _page_number() -> int:
    value = request.args.get("pagina", "")
    return int(value) if value.isdigit() and len(value) < 6 else 1


@bp.route("/zoeken")
def results():
    q = (request.args.get("q") or "").replace("\x00", "")[:1000]
    kind = request.args.get("soort")
    kind = kind if kind in KINDS else None
    themes = guide_queries.themes()
    places = place_queries.choices_for(None)
    theme = next((t for t in themes if t.slug == request.args.get("thema")), None)
    place = next((p for p in places if p.slug == request.args.get("wijk")), None)
    query = parse(q)
    outcome = search(
        current_user,
        query,
        kind,
        theme.id if theme else None,
        place.id if place else None,
        _page_number(),
    )
    return render_template(
        "search/results.html",
        q=q,
        query=query,
        kind=kind,
        kinds=KINDS,
        theme=theme,
        place=place,
        themes=themes,
        places=places,
        outcome=outcome,
    )
