"""Hostile or careless requests get a clear answer, never a 500; pages stay linked to what exists."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cop.extensions import db
from cop.guide import services
from cop.guide.models import Lesson, LessonStatus
from tests.factories import make_user
from tests.guide.factories import content, details_of, make_chapter, make_lesson

HUGE = "9" * 25


@pytest.fixture
def lesson():
    chapter = make_chapter()
    return make_lesson(chapter, "1.2", title="Wat de wijkengids beoogt")


@pytest.mark.parametrize(
    "path",
    [
        f"/gids/{HUGE}/",
        f"/les/1.2-wat-de-wijkengids-beoogt/versie/{HUGE}",
        f"/editie/{HUGE}/",
        f"/editie/{HUGE}/nieuw",
        f"/leden/{HUGE}",
        f"/les/{HUGE}-x",
        f"/les/1.{HUGE}-x",
    ],
)
def test_huge_numbers_in_paths_are_not_found(client, lesson, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/les/1.2-wat-de-wijkengids-beoogt/verschil?van=1&naar={HUGE}",
        "/les/1.2-wat-de-wijkengids-beoogt/verschil?van=abc&naar=-3",
        f"/les/1.2-wat-de-wijkengids-beoogt/geschiedenis?pagina={HUGE}",
        f"/thema/burgerschap?pagina={HUGE}&doelgroep=%00",
        f"/gids/?doelgroep={HUGE}",
    ],
)
def test_huge_or_garbage_query_numbers_fall_back(client, lesson, path):
    assert client.get(path).status_code in (200, 400, 404)


def test_admin_pages_with_huge_numbers(admin_client):
    assert admin_client.get(f"/beheer/leden?pagina={HUGE}").status_code == 200
    assert admin_client.get(f"/beheer/leden/{HUGE}").status_code == 404
    assert admin_client.post(f"/beheer/leden/{HUGE}/rol", data={"role": "admin"}).status_code == 404


def test_a_form_posted_to_an_outdated_address_is_saved_not_redirected(moderator_client, lesson):
    from tests.guide.test_views import form_data

    stale = form_data(lesson, body="Een nieuwe tekst na de naamswijziging.", change_note="Tekst")
    services.save_lesson(
        lesson,
        {**details_of(lesson), "slug": "nieuwe-naam"},
        content("Wat de wijkengids beoogt"),
        editor=None,
        change_note="Nieuwe naam",
    )
    stale["slug"] = "nieuwe-naam"
    response = moderator_client.post("/les/1.2-wat-de-wijkengids-beoogt/bewerken", data=stale)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/les/1.2-nieuwe-naam")
    db.session.refresh(lesson)
    assert "Een nieuwe tekst na de naamswijziging." in lesson.current_revision.body


def test_a_withdrawn_lesson_leaves_edition_pages_for_readers(client, moderator_client, lesson):
    services.publish_edition(title="Tweede versie", published_on=None, note="", actor=None)
    lesson.status = LessonStatus.DRAFT
    db.session.commit()
    for path in ("/editie/1/", "/editie/1/nieuw"):
        page = client.get(path).get_data(as_text=True)
        assert "Wat de wijkengids beoogt" not in page, path
        assert "Wat de wijkengids beoogt" in moderator_client.get(path).get_data(as_text=True), path
    assert client.get("/editie/1/les/1.2-wat-de-wijkengids-beoogt").status_code == 404


def test_drafts_do_not_leak_through_history_diff_or_permalinks(client, member_client, lesson):
    services.save_lesson(lesson, details_of(lesson), content("Versie twee"), editor=None, change_note="2")
    lesson = db.session.scalar(select(Lesson))
    lesson.status = LessonStatus.DRAFT
    db.session.commit()
    ref = lesson.ref
    for viewer in (client, member_client):
        for path in (
            f"/les/{ref}",
            f"/les/{ref}/geschiedenis",
            f"/les/{ref}/verschil?van=1&naar=2",
            f"/les/{ref}/versie/1",
            "/gids/1/",
        ):
            response = viewer.get(path)
            if path == "/gids/1/":
                assert "Versie twee" not in response.get_data(as_text=True)
            else:
                assert response.status_code == 404, path


def test_fields_without_hint_or_error_have_no_dangling_description(client):
    page = client.get("/account/inloggen").get_data(as_text=True)
    assert 'aria-describedby="None"' not in page
    assert 'aria-describedby="remember-hint"' in page


def test_405_keeps_the_allow_header(member_client):
    response = member_client.get("/account/uitloggen")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


@pytest.mark.parametrize("viewer", [None, "member"])
def test_more_guide_pages_run_a_fixed_number_of_queries(app, count_queries, viewer):
    """History, diff, editions, an edition and its "what is new" do not grow with the data."""
    from tests.conftest import empty_all_tables, login

    def build(size):
        chapter = make_chapter()
        for i in range(size):
            made = make_lesson(chapter, f"1.{i + 1}")
            services.save_lesson(
                made, details_of(made), content(f"Les {i} bewerkt"), editor=None, change_note="bewerkt"
            )
        services.publish_edition(title="Editie", published_on=None, note="", actor=None)
        services.publish_edition(title="Editie", published_on=None, note="", actor=None)
        client = app.test_client()
        if viewer:
            login(client, make_user(viewer).email)
        ref = db.session.scalar(select(Lesson).where(Lesson.number == "1.1")).ref
        counts = {}
        for path in (
            f"/les/{ref}/geschiedenis",
            f"/les/{ref}/verschil?van=1&naar=2",
            "/edities/",
            "/editie/2/",
            "/editie/2/nieuw",
            f"/editie/2/les/{ref}",
        ):
            with count_queries() as counter:
                assert client.get(path).status_code == 200, path
            counts[path.replace(ref, "REF")] = counter.count
        return counts

    small = build(3)
    empty_all_tables()
    large = build(30)
    assert small == large, (small, large)
    assert max(large.values()) <= 11, large  # a member: one more to load them, one to count notifications
    print(f"\nquery counts ({viewer or 'anonymous'}): {large}")
