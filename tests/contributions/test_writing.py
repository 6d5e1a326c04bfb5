"""Writing contributions through the pages: what is refused (at its field, with nothing stored), who
sees what, co-authors, a stale edit, and promotion into a lesson number that exists."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from cop.accounts import services as accounts
from cop.contributions import Contribution, ContributionWriter, LessonOrigin, services
from cop.contributions.kinds import Kind
from cop.contributions.models import ContributionEvent
from cop.contributions.states import Status
from cop.extensions import db
from cop.guide import Lesson
from cop.guide import queries as guide_queries
from tests.conftest import logged_in
from tests.contributions.factories import in_review, practice, promote_into, submitted
from tests.factories import make_user
from tests.guide.factories import import_shipped
from tests.html_forms import post_forms
from tests.places.factories import import_places, place, propose

NEW_PRACTICE = "/bijdragen/nieuw?soort=praktijkervaring"


@pytest.fixture
def guide():
    import_shipped()
    import_places()


@pytest.fixture
def anna():
    return make_user(display_name="Anna de Boer", organisation="Gemeente Utrecht")


@pytest.fixture
def bram():
    return make_user(display_name="Bram Jansen", organisation="Mitros")


def practice_form(**changes) -> dict:
    data = {
        "title": "Buurttafels in Kanaleneiland",
        "themes": [str(guide_queries.themes()[0].id)],
        "place_1": str(place("kanaleneiland-utrecht").id),
        "role": "Wijkregisseur",
        "situation": "Bewoners voelden zich niet gehoord.",
        "approach": "Buurttafels met corporatie en welzijn.",
        "results": "Veertig bewoners deden mee.",
        "lesson": "Vertrouwen groeit als keuzes echt worden uitgevoerd.",
        "sources": "Evaluatie 2019 https://example.org/e",
        "result_bases": ["gemeten"],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def field_error(page: str, field_id: str) -> str:
    """The error shown at the field (its ``field__error`` paragraph), without the hidden "Error:"."""
    match = re.search(rf'<p class="field__error" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.DOTALL)
    if match is None:
        return ""
    text = re.sub(r'<span class="visually-hidden">.*?</span>', "", match.group(1), flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def fields_in_error(page: str) -> set[str]:
    return set(re.findall(r'<p class="field__error" id="([^"]+)-error">', page))


def has_form_error(page: str) -> bool:
    """An error above the form (the summary), for an error that belongs to no field."""
    return 'class="error-summary"' in page


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def nothing_stored() -> bool:
    return count(Contribution) == 0 and count(ContributionWriter) == 0 and count(ContributionEvent) == 0


# --- what is refused ------------------------------------------------------------------------------


def test_a_complete_form_is_stored_as_a_draft(app, guide, anna):
    response = logged_in(app, anna).post(NEW_PRACTICE, data=practice_form())
    assert response.status_code == 302
    contribution = db.session.scalar(select(Contribution))
    assert response.headers["Location"].endswith(f"/bijdrage/{contribution.id}")
    assert contribution.status == Status.DRAFT and contribution.kind == Kind.PRACTICE
    assert contribution.title == "Buurttafels in Kanaleneiland"
    assert contribution.field("approach") == "Buurttafels met corporatie en welzijn."
    assert [p.slug for p in contribution.places] == ["kanaleneiland-utrecht"]
    assert contribution.writer_ids() == {anna.id}


@pytest.mark.parametrize("name", ["title", "situation", "approach", "lesson"])
def test_an_empty_required_field_is_refused_at_the_field(app, guide, anna, name):
    response = logged_in(app, anna).post(NEW_PRACTICE, data=practice_form(**{name: "   "}))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert field_error(page, name)
    assert fields_in_error(page) == {name}
    assert nothing_stored()


def test_an_empty_form_is_refused_at_every_required_field(app, guide, anna):
    response = logged_in(app, anna).post(NEW_PRACTICE, data={"title": "", "situation": ""})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for name in ("title", "situation", "approach", "lesson"):
        assert field_error(page, name), name
    assert nothing_stored()


def test_a_practice_experience_needs_a_theme(app, guide, anna):
    data = practice_form()
    del data["themes"]
    response = logged_in(app, anna).post(NEW_PRACTICE, data=data)
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "themes")
    assert nothing_stored()


@pytest.mark.parametrize("name", ["title", "role", "situation", "approach", "lesson", "sources"])
def test_a_field_of_100000_characters_is_refused_at_the_field(app, guide, anna, name):
    response = logged_in(app, anna).post(NEW_PRACTICE, data=practice_form(**{name: "x" * 100_000}))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert field_error(page, name)
    assert nothing_stored()


@pytest.mark.parametrize("slot", ["place_1", "place_2", "place_3"])
def test_a_neighbourhood_that_does_not_exist_is_refused(app, guide, anna, slot):
    response = logged_in(app, anna).post(NEW_PRACTICE, data=practice_form(**{slot: "999999"}))
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), slot)
    assert nothing_stored()


def test_someone_elses_proposed_neighbourhood_is_refused_and_ones_own_is_not(app, guide, anna, bram):
    lombok = propose(bram, "Lombok", "Utrecht")
    a = logged_in(app, anna)
    response = a.post(NEW_PRACTICE, data=practice_form(place_1=str(lombok.id)))
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "place_1")
    assert nothing_stored()
    # the proposer may choose it straight away
    response = logged_in(app, bram).post(NEW_PRACTICE, data=practice_form(place_1=str(lombok.id)))
    assert response.status_code == 302
    assert [p.id for p in db.session.scalar(select(Contribution)).places] == [lombok.id]


# --- co-authors -----------------------------------------------------------------------------------


def _writers(contribution) -> set[int]:
    return set(
        db.session.scalars(
            select(ContributionWriter.user_id).where(ContributionWriter.contribution_id == contribution.id)
        )
    )


def test_a_suspended_member_cannot_be_added_as_co_author(app, guide, anna, bram):
    contribution = practice(anna)
    accounts.suspend(bram, 7, "Spam", actor=None)
    events_before = count(ContributionEvent)
    response = logged_in(app, anna).post(
        f"/bijdrage/{contribution.id}/schrijvers", data={"handle": f"@{bram.handle}"}
    )
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "handle")
    assert _writers(contribution) == {anna.id}
    assert count(ContributionEvent) == events_before


@pytest.mark.parametrize("handle", ["@niemand-bekend", "niemand", "@"])
def test_an_unknown_handle_is_refused(app, guide, anna, handle):
    contribution = practice(anna)
    response = logged_in(app, anna).post(f"/bijdrage/{contribution.id}/schrijvers", data={"handle": handle})
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "handle")
    assert _writers(contribution) == {anna.id}


def test_an_unconfirmed_member_cannot_be_added_as_co_author(app, guide, anna):
    unconfirmed = make_user(confirmed=False)
    contribution = practice(anna)
    response = logged_in(app, anna).post(
        f"/bijdrage/{contribution.id}/schrijvers", data={"handle": f"@{unconfirmed.handle}"}
    )
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "handle")
    assert _writers(contribution) == {anna.id}


def test_a_co_author_is_invited_reads_the_draft_and_accepts(app, guide, anna, bram):
    contribution = practice(anna)
    url = f"/bijdrage/{contribution.id}"
    b = logged_in(app, bram)
    assert b.get(url).status_code == 404
    assert (
        logged_in(app, anna).post(f"{url}/schrijvers", data={"handle": f"@{bram.handle}"}).status_code == 302
    )
    assert _writers(contribution) == {anna.id, bram.id}
    page = b.get(url)
    assert page.status_code == 200 and "Buurttafels in Kanaleneiland" in page.get_data(as_text=True)
    assert b.get(f"{url}/bewerken").status_code == 403  # not a writer until accepted
    assert b.post(f"{url}/uitnodiging", data={"keuze": "ja"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Contribution, contribution.id).writer_ids() == {anna.id, bram.id}
    assert b.get(f"{url}/bewerken").status_code == 200


def test_a_co_author_who_declines_is_no_writer(app, guide, anna, bram):
    contribution = practice(anna)
    services.invite_coauthor(contribution, anna, bram.handle)
    b = logged_in(app, bram)
    assert b.post(f"/bijdrage/{contribution.id}/uitnodiging", data={"keuze": "nee"}).status_code == 302
    assert _writers(contribution) == {anna.id}
    assert b.get(f"/bijdrage/{contribution.id}").status_code == 404


# --- who sees what --------------------------------------------------------------------------------


def test_a_draft_is_for_its_writers_only(app, client, guide, anna):
    contribution = practice(anna)
    url = f"/bijdrage/{contribution.id}"
    viewers = {
        "anonymous": client,
        "member": logged_in(app, make_user()),
        "moderator": logged_in(app, make_user("moderator")),
        "admin": logged_in(app, make_user("admin")),
    }
    for name, viewer in viewers.items():
        assert viewer.get(url).status_code == 404, name
        assert viewer.get(f"{url}/schrijvers").status_code in (302, 404), name  # anonymous: log in first
    assert logged_in(app, anna).get(url).status_code == 200


def _promoted(anna, moderator):
    contribution = in_review(practice(anna, "Opgenomen"), anna, moderator)
    promote_into(contribution, moderator)
    return contribution


def test_anonymous_visitors_see_only_promoted_contributions(app, client, guide, anna):
    moderator = make_user("moderator")
    waiting = submitted(practice(anna, "Ingediend"), anna)
    reviewed = in_review(practice(anna, "In behandeling"), anna, moderator)
    declined = in_review(practice(anna, "Afgewezen"), anna, moderator)
    services.decide(declined, moderator, "decline", "Past niet.")
    withdrawn = submitted(practice(anna, "Ingetrokken"), anna)
    services.withdraw(withdrawn, anna)
    promoted = _promoted(anna, moderator)
    for contribution in (waiting, reviewed, declined, withdrawn):
        assert client.get(f"/bijdrage/{contribution.id}").status_code == 404, contribution.title
    response = client.get(f"/bijdrage/{promoted.id}")
    assert response.status_code == 200
    assert "Opgenomen" in response.get_data(as_text=True)
    # a member sees what is on its way, not what was declined or withdrawn
    member = logged_in(app, make_user())
    assert member.get(f"/bijdrage/{waiting.id}").status_code == 200
    assert member.get(f"/bijdrage/{reviewed.id}").status_code == 200
    assert member.get(f"/bijdrage/{declined.id}").status_code == 404
    assert member.get(f"/bijdrage/{withdrawn.id}").status_code == 404


def test_the_review_queue_is_for_moderators(app, client, guide, anna):
    submitted(practice(anna, "Wacht op beoordeling"), anna)
    assert logged_in(app, anna).get("/moderatie/beoordelen").status_code == 403
    assert logged_in(app, make_user()).get("/moderatie/beoordelen").status_code == 403
    assert client.get("/moderatie/beoordelen").status_code == 302  # log in first
    response = logged_in(app, make_user("moderator")).get("/moderatie/beoordelen")
    assert response.status_code == 200 and "Wacht op beoordeling" in response.get_data(as_text=True)


# --- editing --------------------------------------------------------------------------------------


def _version_in(page: str) -> str:
    return re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)


def test_a_stale_edit_is_refused_and_the_text_kept(app, guide, anna, bram):
    contribution = practice(anna)
    services.invite_coauthor(contribution, anna, bram.handle)
    services.answer_invitation(contribution, bram, True)
    url = f"/bijdrage/{contribution.id}/bewerken"
    a, b = logged_in(app, anna), logged_in(app, bram)
    version_a = _version_in(a.get(url).get_data(as_text=True))
    version_b = _version_in(b.get(url).get_data(as_text=True))
    assert version_a == version_b
    assert b.post(url, data=practice_form(approach="Bram schreef dit.", version=version_b)).status_code == 302

    response = a.post(url, data=practice_form(approach="Anna schreef dit.", version=version_a))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert has_form_error(page)
    assert "Anna schreef dit." in page  # what she typed is kept in the form
    db.session.expire_all()
    assert db.session.get(Contribution, contribution.id).field("approach") == "Bram schreef dit."
    # the form now carries the version she saw the conflict with: saving again is her choice
    newer = _version_in(page)
    assert newer != version_a
    assert a.post(url, data=practice_form(approach="Anna schreef dit.", version=newer)).status_code == 302
    db.session.expire_all()
    assert db.session.get(Contribution, contribution.id).field("approach") == "Anna schreef dit."


def test_an_edit_with_an_empty_required_field_changes_nothing(app, guide, anna):
    contribution = practice(anna)
    url = f"/bijdrage/{contribution.id}/bewerken"
    a = logged_in(app, anna)
    version = _version_in(a.get(url).get_data(as_text=True))
    response = a.post(url, data=practice_form(title="", situation="Nieuw", version=version))
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "title")
    db.session.expire_all()
    stored = db.session.get(Contribution, contribution.id)
    assert stored.title == "Buurttafels in Kanaleneiland" and stored.field("situation") != "Nieuw"


def test_a_promoted_contribution_cannot_be_edited(app, guide, anna):
    moderator = make_user("moderator")
    contribution = _promoted(anna, moderator)
    before = (contribution.title, dict(contribution.fields), contribution.version)
    url = f"/bijdrage/{contribution.id}/bewerken"
    a = logged_in(app, anna)
    response = a.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/bijdrage/{contribution.id}")
    response = a.post(url, data=practice_form(title="Stiekem veranderd", version=str(contribution.version)))
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Contribution, contribution.id)
    assert (stored.title, stored.fields, stored.version) == before
    assert stored.status == Status.PROMOTED


def test_a_contribution_in_review_cannot_be_edited(app, guide, anna):
    contribution = in_review(practice(anna), anna, make_user("moderator"))
    response = logged_in(app, anna).post(
        f"/bijdrage/{contribution.id}/bewerken",
        data=practice_form(title="Tijdens de beoordeling", version=str(contribution.version)),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Contribution, contribution.id).title == "Buurttafels in Kanaleneiland"


# --- submitting -----------------------------------------------------------------------------------


def test_submitting_without_the_privacy_confirmation_is_refused(app, guide, anna):
    contribution = practice(anna)
    a = logged_in(app, anna)
    response = a.post(f"/bijdrage/{contribution.id}/indienen", data={})
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "privacy")
    db.session.expire_all()
    assert db.session.get(Contribution, contribution.id).status == Status.DRAFT
    assert a.post(f"/bijdrage/{contribution.id}/indienen", data={"privacy": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Contribution, contribution.id).status == Status.SUBMITTED


def test_a_lesson_proposal_is_written_and_submitted(app, guide, anna):
    a = logged_in(app, anna)
    chapter = guide_queries.chapters()[0]
    data = {
        "title": "Een les over buurtbudgetten",
        "summary": "Geef bewoners een eigen budget.",
        "body": "Eerste alinea.\n\nTweede alinea.",
        "why": "De gids zegt nog niets over geld.",
        "chapter": str(chapter.id),
        "sources": "Rapport 2020",
    }
    missing = a.post("/bijdragen/nieuw?soort=lesvoorstel", data={**data, "why": ""})
    assert missing.status_code == 200
    assert field_error(missing.get_data(as_text=True), "why")
    assert nothing_stored()
    response = a.post("/bijdragen/nieuw?soort=lesvoorstel", data=data)
    assert response.status_code == 302
    contribution = db.session.scalar(select(Contribution))
    assert contribution.kind == Kind.LESSON and contribution.chapter_id == chapter.id
    assert contribution.field("summary") == "Geef bewoners een eigen budget."
    assert a.post(f"/bijdrage/{contribution.id}/indienen", data={"privacy": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Contribution, contribution.id).status == Status.SUBMITTED


def test_a_suggested_improvement_is_written_and_submitted(app, guide, anna):
    lesson = guide_queries.lesson_by_ref("1.2")
    a = logged_in(app, anna)
    url = f"/bijdragen/nieuw?soort=verbetervoorstel&les={lesson.ref}"
    page = a.get(url)
    assert page.status_code == 200
    (form,) = [f for f in post_forms(page.get_data(as_text=True), url) if f.action == "/bijdragen/nieuw"]
    original = lesson.current_revision.body
    assert form.fields["body"].strip() == original.strip()
    data = {**form.fields, "body": original + "\n\nEen betere zin.", "why": ""}
    missing = a.post(url, data=data)
    assert missing.status_code == 200
    assert field_error(missing.get_data(as_text=True), "why")
    assert nothing_stored()
    response = a.post(url, data={**data, "why": "De les mist een zin."})
    assert response.status_code == 302, fields_in_error(response.get_data(as_text=True))
    contribution = db.session.scalar(select(Contribution))
    assert contribution.kind == Kind.CHANGE and contribution.lesson_id == lesson.id
    assert contribution.base_revision_id == lesson.current_revision_id
    assert contribution.proposal["body"].endswith("Een betere zin.")
    assert a.post(f"/bijdrage/{contribution.id}/indienen", data={"privacy": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Contribution, contribution.id).status == Status.SUBMITTED
    # the lesson itself is unchanged until a moderator accepts it
    assert guide_queries.lesson_by_ref("1.2").current_revision.body == original


# --- promotion ------------------------------------------------------------------------------------


def _new_lesson_form(number: str) -> dict:
    chapter = guide_queries.chapters()[0]
    theme = guide_queries.themes()[0]
    return {
        "chapter": str(chapter.id),
        "number": number,
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


def test_promotion_into_a_lesson_number_that_exists_is_refused_at_the_number(app, guide, anna):
    moderator = make_user("moderator")
    contribution = in_review(practice(anna), anna, moderator)
    lessons_before = count(Lesson)
    events_before = count(ContributionEvent)
    m = logged_in(app, moderator)
    url = f"/moderatie/beoordelen/{contribution.id}/opnemen?als=nieuw"
    response = m.post(url, data=_new_lesson_form("1.2"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert field_error(page, "number")
    assert fields_in_error(page) == {"number"}
    assert "Buurttafels geven bewoners zeggenschap" in page  # the moderator's text is kept
    assert count(Lesson) == lessons_before
    assert count(LessonOrigin) == 0
    assert count(ContributionEvent) == events_before
    db.session.expire_all()
    assert db.session.get(Contribution, contribution.id).status == Status.IN_REVIEW
    # the same form with a free number goes through
    response = m.post(url, data=_new_lesson_form("1.11"))
    assert response.status_code == 302
    lesson = db.session.scalar(select(Lesson).where(Lesson.number == "1.11"))
    origin = db.session.scalar(select(LessonOrigin))
    assert origin.lesson_id == lesson.id and origin.contribution_id == contribution.id
    db.session.expire_all()
    assert db.session.get(Contribution, contribution.id).status == Status.PROMOTED
