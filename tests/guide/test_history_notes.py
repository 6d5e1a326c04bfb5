"""The first entry of an imported lesson's history tells readers where the text came from, not
which file the import read; rows the import wrote before read the same way."""

from __future__ import annotations

import shutil

from sqlalchemy import select, update

from cop.extensions import db
from cop.guide.content import import_content
from cop.guide.models import Lesson, LessonRevision
from tests.guide.factories import CONTENT_DIR, LESSON_REF, import_shipped

LESSON_URL = f"/les/{LESSON_REF}"
TAKEN = "Overgenomen uit de Wijkengids, editie 2."


def first_revision() -> LessonRevision:
    return db.session.scalar(select(LessonRevision).where(LessonRevision.number == 1))


def test_an_imported_lesson_says_where_it_came_from(client):
    import_shipped()
    assert first_revision().change_note == TAKEN
    html = client.get(f"{LESSON_URL}/geschiedenis").get_data(as_text=True)
    assert TAKEN in html
    assert ".md" not in html and "Import van inhoud" not in html
    assert "De Wijkengids" in html.split("<tbody>")[1]  # by whom


def test_a_file_that_changed_says_the_text_was_updated(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    import_content(content)
    lesson_file = next((content / "lessen").glob("1.2-*.md"))
    lesson_file.write_text(lesson_file.read_text(encoding="utf-8") + "\nEen zin erbij.\n", encoding="utf-8")
    import_content(content)
    lesson = db.session.scalar(select(Lesson))
    assert lesson.current_revision.number == 2
    assert lesson.current_revision.change_note == "Bijgewerkt vanuit de tekst van de Wijkengids."


def test_notes_the_import_wrote_before_read_as_where_the_text_came_from(client):
    import_shipped()
    old_notes = ("Geïmporteerd uit lessen/1.2-wat-de-wijkengids-beoogt.md.", "Imported from lessen/x.md.")
    for old_note in old_notes:
        db.session.execute(update(LessonRevision).values(change_note=old_note))
        db.session.commit()
        for url in (f"{LESSON_URL}/geschiedenis", f"/les/{LESSON_REF}/verschil?van=1&naar=1"):
            html = client.get(url).get_data(as_text=True)
            assert TAKEN in html, url
            assert ".md" not in html, url


def test_a_note_written_by_hand_is_shown_as_written(client):
    import_shipped()
    db.session.execute(update(LessonRevision).values(change_note="Uit lessen/notities.md overgenomen."))
    db.session.commit()
    html = client.get(f"{LESSON_URL}/geschiedenis").get_data(as_text=True)
    assert "Uit lessen/notities.md overgenomen." in html
