"""Contributions for tests, made through the services as members and moderators make them."""

from __future__ import annotations

from cop.contributions import services
from cop.guide import queries as guide_queries

PRACTICE = {
    "role": "Wijkregisseur gemeente",
    "situation": "In Kanaleneiland voelden bewoners zich niet gehoord.",
    "goal": "Bewoners bepalen mee waar het buurtbudget heen gaat.",
    "approach": "We organiseerden buurttafels met de woningcorporatie en het welzijnswerk.",
    "conditions": "Een klein budget en een vast aanspreekpunt.",
    "results": "Veertig bewoners deden mee; drie initiatieven liepen een jaar door.",
    "transfer": "Begin klein en houd hetzelfde gezicht aan tafel.",
    "lesson": "Vertrouwen groeit als bewoners zien dat hun keuze echt uitgevoerd wordt.",
    "sources": "Evaluatie buurttafels 2019 https://example.org/evaluatie",
}


def practice(author, title="Buurttafels in Kanaleneiland", places=(), themes=None, **fields):
    themes = themes if themes is not None else guide_queries.themes()[:1]
    values = {
        "title": title,
        "themes": list(themes),
        "places": [place.id for place in places],
        "fields": {**PRACTICE, **fields},
        "result_bases": ["waargenomen"],
    }
    return services.create(author, "praktijkervaring", values)


def lesson_proposal(author, title="Een nieuwe les", **fields):
    values = {
        "title": title,
        "themes": [],
        "places": [],
        "fields": {"summary": "Kort.", "body": "De tekst van de les.", "why": "Het ontbreekt.", **fields},
    }
    return services.create(author, "lesvoorstel", values)


def change_proposal(author, lesson, body=None, title="Betere zin"):
    proposal = lesson.current_revision.content()
    if body is not None:
        proposal["body"] = body
    values = {
        "title": title,
        "themes": [],
        "places": [],
        "fields": {"why": "Het klopt niet meer."},
        "proposal": proposal,
    }
    return services.create(author, "verbetervoorstel", values, lesson=lesson)


def submitted(contribution, author):
    services.submit(contribution, author, privacy_confirmed=True)
    return contribution


def in_review(contribution, author, moderator):
    submitted(contribution, author)
    services.take(contribution, moderator)
    return contribution


def promote_into(contribution, moderator, lesson=None, place="Kanaleneiland"):
    """Include a contribution in review in ``lesson`` (1.2 by default) as a new practice example."""
    from tests.guide.factories import details_of

    lesson = lesson or guide_queries.lesson_by_ref("1.2")
    content = lesson.current_revision.content()
    example = {"title": contribution.title[:100], "place": place, "text": "Zo deden we het.", "source": ""}
    content["examples"] = [*content["examples"], example]
    return services.promote(
        contribution,
        moderator,
        how="into_lesson",
        lesson=lesson,
        details=details_of(lesson),
        content=content,
        change_note="",
    )
