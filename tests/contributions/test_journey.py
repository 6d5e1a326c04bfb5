"""The heart of the platform, through the pages: a practice experience travels from a member's
draft through the community and a moderator's review into the guide, with credit both ways."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cop.contributions import Contribution, LessonOrigin
from cop.extensions import db
from cop.guide import Lesson
from cop.guide import queries as guide_queries
from cop.notifications.models import Notification
from tests.conftest import logged_in
from tests.factories import make_user
from tests.guide.factories import details_of, import_shipped
from tests.places.factories import import_places, place


@pytest.fixture
def guide():
    import_shipped()
    import_places()


def practice_form(**changes) -> dict:
    data = {
        "title": "Buurttafels in Kanaleneiland",
        "role": "Wijkregisseur",
        "situation": "Bewoners voelden zich niet gehoord.",
        "approach": "Buurttafels met corporatie en welzijn.",
        "results": "Veertig bewoners deden mee.",
        "transfer": "Begin klein.",
        "lesson": "Vertrouwen groeit als keuzes echt worden uitgevoerd.",
        "sources": "Evaluatie 2019 https://example.org/e",
        "result_bases": ["gemeten"],
    }
    data.update(changes)
    return data


def test_a_practice_experience_becomes_lesson_1_10_with_credit_both_ways(app, guide):
    anna = make_user(display_name="Anna de Boer", organisation="Gemeente Utrecht")
    bram = make_user(display_name="Bram Jansen", organisation="Mitros")
    carla = make_user(display_name="Carla Smit")
    mo = make_user("moderator", display_name="Mo Derator")
    theme = guide_queries.themes()[0]
    kanaleneiland = place("kanaleneiland-utrecht")
    a = logged_in(app, anna)

    response = a.post(
        "/bijdragen/nieuw?soort=praktijkervaring",
        data=practice_form(themes=[str(theme.id)], place_1=str(kanaleneiland.id)),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    contribution = db.session.scalar(select(Contribution))
    url = f"/bijdrage/{contribution.id}"
    assert logged_in(app, carla).get(url).status_code == 404  # a draft is for its writers
    assert a.post(f"{url}/schrijvers", data={"handle": f"@{bram.handle}"}).status_code == 302
    b = logged_in(app, bram)
    assert b.get(url).status_code == 200  # invited: may read the draft
    assert b.post(f"{url}/uitnodiging", data={"keuze": "ja"}).status_code == 302
    missing = a.post(f"{url}/indienen", data={})
    assert missing.status_code == 200 and "persoonsgegevens" in missing.get_data(as_text=True)
    assert a.post(f"{url}/indienen", data={"privacy": "y"}).status_code == 302

    c = logged_in(app, carla)
    assert (
        c.post(
            f"{url}/steunen",
            data={"kind": "werkt_ook_bij_ons", "neighbourhood": str(place("ondiep-utrecht").id)},
        ).status_code
        == 302
    )
    assert c.post(f"{url}/reageren", data={"body": "Herkenbaar, bij ons ook."}).status_code == 302
    m = logged_in(app, mo)
    assert (
        m.post(
            f"/moderatie/beoordelen/{contribution.id}/toewijzen", data={"assignee": str(mo.id)}
        ).status_code
        == 302
    )
    assert (
        m.post(
            f"/moderatie/beoordelen/{contribution.id}/criteria",
            data={
                "verdict_goal": "nog_niet",
                "note_goal": "Wat moest er veranderen?",
                "verdict_conditions": "nog_niet",
            },
        ).status_code
        == 302
    )
    refused = m.post(f"/moderatie/beoordelen/{contribution.id}/besluit", data={"action": "request_changes"})
    assert refused.status_code == 400 and "Vertel" in refused.get_data(as_text=True)
    assert (
        m.post(
            f"/moderatie/beoordelen/{contribution.id}/besluit",
            data={"action": "request_changes", "message": "Beschrijf het doel en de randvoorwaarden."},
        ).status_code
        == 302
    )
    assert "Beschrijf het doel" in a.get(url).get_data(as_text=True)

    form = a.get(f"{url}/bewerken").get_data(as_text=True)
    assert "Buurttafels met corporatie" in form
    version = str(db.session.get(Contribution, contribution.id).version)
    assert (
        a.post(
            f"{url}/bewerken",
            data=practice_form(
                themes=[str(theme.id)],
                place_1=str(kanaleneiland.id),
                goal="Meer zeggenschap.",
                conditions="Budget.",
                version=version,
            ),
        ).status_code
        == 302
    )
    assert (
        a.post(
            f"{url}/indienen", data={"privacy": "y", "note": "Doel en randvoorwaarden aangevuld."}
        ).status_code
        == 302
    )
    m.post(f"/moderatie/beoordelen/{contribution.id}/toewijzen", data={"assignee": str(mo.id)})

    page = m.get(f"/moderatie/beoordelen/{contribution.id}/opnemen?als=nieuw").get_data(as_text=True)
    assert "Vertrouwen groeit" in page and "Aanleiding" in page
    chapter = guide_queries.chapters()[0]
    data = {
        "chapter": str(chapter.id),
        "number": "1.10",
        "title": "Buurttafels geven bewoners zeggenschap",
        "summary": "Vertrouwen groeit als keuzes echt worden uitgevoerd.",
        "body": "## Aanleiding\n\nBewoners voelden zich niet gehoord.",
        "status": "published",
        "themes": [str(theme.id)],
        "evidence": "praktijk",
        "examples-0-title": "Buurttafels",
        "examples-0-place": "Kanaleneiland (Utrecht)",
        "examples-0-text": "Tekst",
        "change_note": "",
    }
    response = m.post(f"/moderatie/beoordelen/{contribution.id}/opnemen?als=nieuw", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    lesson = db.session.scalar(select(Lesson).where(Lesson.number == "1.10"))
    origin = db.session.scalar(select(LessonOrigin))
    assert origin.lesson_id == lesson.id and origin.revision_id == lesson.current_revision_id
    assert f"bijdrage {contribution.id}" in lesson.current_revision.change_note

    lesson_page = app.test_client().get(f"/les/{lesson.ref}").get_data(as_text=True)
    assert "Voortgekomen uit de praktijkbijdrage van" in lesson_page
    assert "Anna de Boer" in lesson_page and "Bram Jansen" in lesson_page and "Mitros" in lesson_page
    assert "Kanaleneiland" in lesson_page
    contribution_page = app.test_client().get(url).get_data(as_text=True)  # promoted: public
    assert "Opgenomen in les" in contribution_page and "1.10" in contribution_page
    kinds = {(n.user_id, n.kind) for n in db.session.scalars(select(Notification))}
    assert (anna.id, "contrib_promoted") in kinds and (bram.id, "contrib_promoted") in kinds
    neighbourhood = app.test_client().get("/wijk/kanaleneiland-utrecht").get_data(as_text=True)
    assert "Buurttafels in Kanaleneiland" in neighbourhood and "1.10" in neighbourhood
    assert m.get(f"{url}/bewerken").status_code == 403
    assert a.get(f"{url}/bewerken").status_code == 302  # promoted: no longer editable


def test_a_suggested_change_keeps_the_moderators_edit_made_meanwhile(app, guide):
    dirk = make_user(display_name="Dirk Visser")
    mo = make_user("moderator")
    lesson = guide_queries.lesson_by_ref("1.2")
    original = lesson.current_revision.content()
    paragraphs = original["body"].split("\n\n")
    assert len(paragraphs) >= 2
    d = logged_in(app, dirk)
    response = d.get(f"/bijdragen/nieuw?soort=verbetervoorstel&les={lesson.ref}")
    assert response.status_code == 200
    changed = paragraphs[0] + " Een betere zin van Dirk."
    proposal = "\n\n".join([changed, *paragraphs[1:]])
    from cop.contributions import services
    from tests.contributions.factories import change_proposal

    contribution = change_proposal(dirk, lesson, body=proposal)
    services.submit(contribution, dirk, privacy_confirmed=True)
    # a moderator edits the last paragraph meanwhile
    from cop.guide.services import save_lesson

    edited = lesson.current_revision.content()
    edited["body"] = edited["body"] + "\n\nEen zin van de redactie."
    save_lesson(lesson, details_of(lesson), edited, editor=mo, change_note="Redactie")
    services.take(contribution, mo)
    m = logged_in(app, mo)
    review = m.get(f"/moderatie/beoordelen/{contribution.id}").get_data(as_text=True)
    assert "Een betere zin van Dirk." in review and "Een zin van de redactie." in review
    form = m.get(f"/moderatie/beoordelen/{contribution.id}/opnemen?als=wijziging").get_data(as_text=True)
    assert "Een betere zin van Dirk." in form and "Een zin van de redactie." in form
    content = lesson.current_revision.content()
    from cop.contributions.drafts import change

    merged = change(contribution, lesson).content
    lesson_before = lesson.current_revision.number
    services.promote(
        contribution,
        mo,
        how="change",
        details=details_of(lesson),
        content=merged,
        change_note="",
        base_revision=str(lesson_before),
        base_version=None,
    )
    body = lesson.current_revision.body
    assert "Een betere zin van Dirk." in body and "Een zin van de redactie." in body
    assert "Dirk Visser" in lesson.current_revision.change_note
    assert content != merged
