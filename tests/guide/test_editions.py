"""Editions compare lessons on their text: a restored version is no change; the note of an edition
on its "what is new" page; the front page's box only when something changed."""

from __future__ import annotations

from sqlalchemy import select

from cop.extensions import db
from cop.guide import queries, services
from cop.guide.models import Lesson
from tests.guide.factories import LESSON_REF, details_of, import_shipped

LESSON_URL = f"/les/{LESSON_REF}"


def shipped_lesson() -> Lesson:
    import_shipped()  # edition 2 freezes version 1 of lesson 1.2
    return db.session.scalar(select(Lesson).where(Lesson.number == "1.2"))


def edit_and_restore(lesson: Lesson, editor) -> None:
    """Version 2 changes the text; version 3 restores version 1's text."""
    services.save_lesson(
        lesson,
        details_of(lesson),
        {**lesson.current_revision.content(), "body": "Een heel andere tekst."},
        editor=editor,
        change_note="Tekst vervangen",
    )
    first = queries.revision_or_404(lesson, 1)
    restored = services.restore_revision(lesson, first, editor=editor)
    assert restored.number == 3


def edition_box(html: str) -> str:
    if 'class="edition-box"' not in html:
        return ""
    return html.split('class="edition-box"')[1].split("</section>")[0]


def test_a_lesson_restored_to_the_text_of_the_edition_is_not_changed_since_it(moderator):
    lesson = shipped_lesson()
    edit_and_restore(lesson, moderator)
    edition = queries.latest_edition()
    assert queries.changed_since(edition) == ([], [])


def test_a_lesson_whose_text_differs_is_still_changed_since_the_edition(moderator):
    lesson = shipped_lesson()
    edit_and_restore(lesson, moderator)
    services.save_lesson(
        lesson,
        details_of(lesson),
        {**lesson.current_revision.content(), "title": "Een nieuwe titel"},
        editor=moderator,
        change_note="Titel",
    )
    added, changed = queries.changed_since(queries.latest_edition())
    assert added == [] and changed == [lesson]


def test_whats_new_does_not_list_a_restored_lesson_as_changed(admin_client, admin, moderator):
    lesson = shipped_lesson()
    edit_and_restore(lesson, moderator)
    services.publish_edition(title="Derde versie", published_on=None, note="", actor=admin)
    edition = queries.edition_by_number(3)
    added, changed, dropped = queries.edition_changes(edition, queries.previous_edition(edition), admin)
    assert (added, changed, dropped) == ([], [], [])
    html = admin_client.get("/editie/3/nieuw").get_data(as_text=True)
    assert "Geen gewijzigde lessen." in html
    assert f"{LESSON_URL}/verschil" not in html


def test_whats_new_lists_a_lesson_whose_text_changed(admin_client, admin, moderator):
    lesson = shipped_lesson()
    edit_and_restore(lesson, moderator)
    services.save_lesson(
        lesson,
        details_of(lesson),
        {**lesson.current_revision.content(), "title": "Een nieuwe titel"},
        editor=moderator,
        change_note="Titel",
    )
    services.publish_edition(title="Derde versie", published_on=None, note="", actor=admin)
    html = admin_client.get("/editie/3/nieuw").get_data(as_text=True)
    assert f'href="{LESSON_URL}/verschil?van=1&amp;naar=4"' in html


def test_whats_new_shows_the_note_of_the_edition(client, admin):
    import_shipped()
    services.publish_edition(
        title="Derde versie", published_on=None, note="Een ronde met **nieuwe** voorbeelden.", actor=admin
    )
    html = client.get("/editie/3/nieuw").get_data(as_text=True)
    assert "<strong>nieuwe</strong> voorbeelden." in html
    # The shipped edition's note, on its own page.
    assert "Platform31" in client.get("/editie/2/nieuw").get_data(as_text=True)


def test_the_front_page_box_is_there_only_when_something_changed(client, moderator):
    lesson = shipped_lesson()
    assert edition_box(client.get("/gids/").get_data(as_text=True)) == ""

    edit_and_restore(lesson, moderator)  # back to the edition's text: still nothing new
    assert edition_box(client.get("/gids/").get_data(as_text=True)) == ""

    services.save_lesson(
        lesson,
        details_of(lesson),
        {**lesson.current_revision.content(), "title": "Een nieuwe titel"},
        editor=moderator,
        change_note="Titel",
    )
    box = edition_box(client.get("/gids/").get_data(as_text=True))
    assert "Nieuw sinds editie 2" in box and "Een nieuwe titel" in box
