"""Restoring an old version asks for confirmation first: a page that shows what changes, with a
button that posts (no JavaScript), linked from the history."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from cop.extensions import db
from cop.guide import services
from cop.guide.models import Lesson, LessonRevision
from tests.guide.factories import LESSON_REF, details_of, import_shipped

LESSON_URL = f"/les/{LESSON_REF}"
CONFIRM_URL = f"{LESSON_URL}/versie/1/herstellen"
OLD_SENTENCE = "De aanpak verschilde per wijk."


def two_versions(editor) -> Lesson:
    import_shipped()
    lesson = db.session.scalar(select(Lesson))
    body = lesson.current_revision.body.replace(OLD_SENTENCE, "De aanpak verschilde sterk.")
    services.save_lesson(
        lesson,
        details_of(lesson),
        {**lesson.current_revision.content(), "body": body},
        editor=editor,
        change_note="Zin aangepast",
    )
    return lesson


def revisions() -> int:
    return db.session.scalar(select(func.count()).select_from(LessonRevision))


def visible(html: str, tag: str) -> list[str]:
    """The text of each <ins> or <del>, without its screen-reader marker."""
    found = re.findall(rf"<{tag}>(.*?)</{tag}>", html, re.S)
    return [re.sub(r'<span class="visually-hidden"[^>]*>.*?</span>', "", item).strip() for item in found]


def test_the_history_links_to_a_confirmation_instead_of_restoring_at_once(moderator_client, moderator):
    two_versions(moderator)
    html = moderator_client.get(f"{LESSON_URL}/geschiedenis").get_data(as_text=True)
    assert f'<a href="{CONFIRM_URL}">Versie 1 terugzetten</a>' in html
    assert f'action="{CONFIRM_URL}"' not in html  # no button that restores from the list


def test_the_confirmation_page_shows_what_restoring_changes(moderator_client, moderator):
    two_versions(moderator)
    response = moderator_client.get(CONFIRM_URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Versie 1 van les 1.2 terugzetten?" in html
    # From the current text (version 2) to version 1: "sterk" goes, "per wijk" comes back.
    assert visible(html, "ins") == ["per wijk"] and visible(html, "del") == ["sterk"]
    form = re.search(rf'<form method="post" action="{re.escape(CONFIRM_URL)}"[^>]*>(.*?)</form>', html, re.S)
    assert form, "a form that posts to the restore address"
    assert '<button type="submit" class="button">Versie 1 terugzetten</button>' in form.group(1)
    assert revisions() == 2  # looking stores nothing


def test_confirming_restores_as_a_new_version(moderator_client, moderator):
    lesson = two_versions(moderator)
    response = moderator_client.post(CONFIRM_URL)
    assert response.status_code == 302 and response.location.endswith(f"{LESSON_URL}/geschiedenis")
    db.session.expire_all()
    assert lesson.current_revision.number == 3 and OLD_SENTENCE in lesson.current_revision.body


def test_the_current_text_has_nothing_to_confirm(moderator_client, moderator):
    two_versions(moderator)
    html = moderator_client.get(f"{LESSON_URL}/versie/2/herstellen").get_data(as_text=True)
    assert "Versie 2 is al de huidige tekst." in html
    assert f'action="{LESSON_URL}/versie/2/herstellen"' not in html  # no button


def test_only_editors_see_the_confirmation(client, member_client, moderator):
    two_versions(moderator)
    assert client.get(CONFIRM_URL).status_code == 302  # to the login page
    assert member_client.get(CONFIRM_URL).status_code == 403
    assert client.get(f"{LESSON_URL}/versie/9/herstellen").status_code == 302


def test_an_unknown_version_is_not_found(moderator_client, moderator):
    two_versions(moderator)
    assert moderator_client.get(f"{LESSON_URL}/versie/9/herstellen").status_code == 404
