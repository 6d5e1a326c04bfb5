"""The printable guide of an edition (/editie/<n>/afdrukken, a page of the guide whose provenance
lines come through the "lesson-credits" point): every chapter and lesson as the edition froze it,
with the lines "Voortgekomen uit …", in a fixed number of queries."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import insert

from cop.contributions import LessonOrigin
from cop.contributions.states import Status
from cop.db_types import utcnow
from cop.extensions import db
from cop.guide import services as guide_services
from tests.api.helpers import SECRET, build
from tests.contributions.test_query_counts import _row, insert_contributions
from tests.guide.factories import make_lesson

# the edition, its lessons with their revisions, their sources, the chapters, and the provenance
# (origins, writers, neighbourhoods); the same on SQLite and PostgreSQL
PRINT_QUERIES = 7


@pytest.fixture
def world():
    return build()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_printed_edition_has_every_lesson_as_frozen_with_its_provenance(client, world):
    guide_services.publish_edition(title="Derde", published_on=None, note="", actor=world.moderator)
    response = client.get("/editie/3/afdrukken")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    revision = world.lesson.current_revision
    assert revision.title in text and "Vooraf" in text
    for objective in revision.objectives:
        assert objective in text
    assert text_of(revision.quotes[0]["text_html"]).strip() in text
    assert "Buurttafels werken" in text  # the practice example the promotion added
    assert revision.sources[0].title in text
    assert (
        "Voortgekomen uit de praktijkbijdrage van Marieke Lid (Gemeente Utrecht), wijk Kanaleneiland" in text
    )
    assert "Een zin erbij." in text
    assert SECRET not in text  # the draft lesson
    assert 'href="/static/css/print.css" media="print"' in html


def test_an_older_edition_prints_its_own_revisions_without_later_provenance(client, world):
    text = text_of(client.get("/editie/2/afdrukken").get_data(as_text=True))
    assert world.lesson.current_revision.title in text
    assert "Een zin erbij." not in text and "Buurttafels werken" not in text
    assert "Voortgekomen uit" not in text
    assert client.get("/editie/99/afdrukken").status_code == 404


def test_the_edition_page_links_to_its_printable_guide(client, world):
    assert 'href="/editie/2/afdrukken"' in client.get("/editie/2/").get_data(as_text=True)


def _with_many_lessons(world, size: int) -> None:
    """``size`` more lessons, each with a contribution it came from, and edition 3 of them all."""
    lessons = [make_lesson(world.lesson.chapter, f"1.{n + 10}", f"Les {n + 10}") for n in range(size)]
    place_id = world.place.id
    rows = [_row(n, world.member.id, None, Status.PROMOTED, utcnow()) for n in range(size)]
    ids = insert_contributions(
        rows, [[world.member.id]] * size, [[place_id]] * size, [[world.theme.id]] * size
    )
    db.session.execute(
        insert(LessonOrigin),
        [
            {"lesson_id": lesson.id, "contribution_id": cid, "how": "new_lesson", "revision_id": None}
            for lesson, cid in zip(lessons, ids, strict=True)
        ],
    )
    db.session.commit()
    guide_services.publish_edition(title="Derde", published_on=None, note="", actor=world.moderator)


@pytest.mark.parametrize("size", [0, 20])
def test_printing_runs_a_fixed_number_of_queries(client, world, count_queries, size):
    _with_many_lessons(world, size) if size else guide_services.publish_edition(
        title="Derde", published_on=None, note="", actor=world.moderator
    )
    with count_queries() as counter:
        response = client.get("/editie/3/afdrukken")
    text = text_of(response.get_data(as_text=True))
    assert text.count("Voortgekomen uit") == size + 1
    assert counter.count == PRINT_QUERIES, counter.statements
