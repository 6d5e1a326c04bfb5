"""Guide services and models: revisions, sources, restore, editions, diffs, numbering."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cop.extensions import db
from cop.guide import edition_services, queries, services
from cop.guide.diff import diff_revisions, diff_words
from cop.guide.models import Edition, LessonRevision, Source, lesson_sort_key
from tests.guide_factories import content, details_of, make_chapter, make_lesson, make_theme

CITATION = {
    "title": "Evaluatie Krachtwijken Utrecht",
    "authors": "Berenschot",
    "publisher": "",
    "year": None,
    "url": "",
    "note": "",
}


def revision_count(lesson) -> int:
    return db.session.scalar(select(func.count()).where(LessonRevision.lesson_id == lesson.id))


def test_lesson_numbers_sort_in_reading_order():
    assert lesson_sort_key("1.10") > lesson_sort_key("1.9") > lesson_sort_key("1.2")
    assert lesson_sort_key("2.4.5") > lesson_sort_key("2.4")


def test_a_new_lesson_has_its_first_revision(moderator):
    lesson = make_lesson(make_chapter(), "1.2", "Wat de wijkengids beoogt", editor=moderator)
    assert lesson.slug == "wat-de-wijkengids-beoogt"
    assert lesson.current_revision.number == 1
    assert lesson.current_revision.editor == moderator
    assert "<p>Eerste alinea.</p>" in lesson.current_revision.body_html


def test_every_changed_save_makes_a_revision_and_an_unchanged_save_none(moderator):
    lesson = make_lesson(make_chapter(), "1.2")
    result = services.save_lesson(
        lesson,
        details_of(lesson),
        content("Les 1.2", body="Nieuwe tekst."),
        editor=moderator,
        change_note="Tekst",
    )
    assert result.revision.number == 2
    assert lesson.current_revision.body == "Nieuwe tekst."

    unchanged = services.save_lesson(
        lesson,
        details_of(lesson),
        content("Les 1.2", body="Nieuwe tekst."),
        editor=moderator,
        change_note="x",
    )
    assert not unchanged.changed
    assert revision_count(lesson) == 2


def test_changing_only_details_saves_them_without_a_revision(moderator):
    theme = make_theme()
    lesson = make_lesson(make_chapter(), "1.2")
    result = services.save_lesson(
        lesson,
        details_of(lesson, themes=[theme], audiences=["bewoners"]),
        lesson.current_revision.content(),
        editor=moderator,
        change_note="",
    )
    assert result.details_changed and result.revision is None
    assert [t.slug for t in lesson.themes] == ["burgerschap"]
    assert lesson.audiences == ["bewoners"]
    assert revision_count(lesson) == 1


def test_a_content_change_needs_a_change_note(moderator):
    lesson = make_lesson(make_chapter(), "1.2")
    with pytest.raises(services.GuideError) as error:
        services.save_lesson(lesson, details_of(lesson), content("Anders"), editor=moderator, change_note="")
    assert error.value.field == "change_note"
    db.session.expire_all()
    assert lesson.current_revision.title == "Les 1.2"


def test_someone_elses_newer_version_is_not_overwritten(moderator):
    lesson = make_lesson(make_chapter(), "1.2")
    services.save_lesson(
        lesson, details_of(lesson), content("Versie twee"), editor=moderator, change_note="a"
    )
    with pytest.raises(services.GuideError):
        services.save_lesson(
            lesson,
            details_of(lesson),
            content("Mijn versie"),
            editor=moderator,
            change_note="b",
            base_revision="1",
        )
    assert lesson.current_revision.title == "Versie twee"


@pytest.mark.parametrize(
    ("number", "field_message"),
    [("1,2", "bijvoorbeeld 1.2"), ("2.1", "begint met 1"), ("1.2", "bestaat al")],
)
def test_lesson_numbers_are_checked(number, field_message):
    chapter = make_chapter()
    make_lesson(chapter, "1.2")
    with pytest.raises(services.GuideError) as error:
        make_lesson(chapter, number)
    assert error.value.field == "number"
    assert field_message in error.value.message


def test_restore_makes_a_new_revision_with_the_old_content(moderator):
    lesson = make_lesson(make_chapter(), "1.2", body="Oud.")
    services.save_lesson(
        lesson, details_of(lesson), content("Les 1.2", body="Nieuw."), editor=moderator, change_note="x"
    )
    first = queries.revision_or_404(lesson, 1)
    restored = services.restore_revision(lesson, first, editor=moderator)
    assert restored.number == 3 and restored.kind == "restore" and restored.restored_from == 1
    assert lesson.current_revision.body == "Oud."
    assert services.restore_revision(lesson, first, editor=moderator) is None  # it is current already


def test_sources_are_shared_and_never_changed_in_place(moderator):
    chapter = make_chapter()
    one = make_lesson(chapter, "1.2", sources=[CITATION])
    make_lesson(chapter, "1.3", sources=[CITATION])
    assert db.session.scalar(select(func.count()).select_from(Source)) == 1

    corrected = {**CITATION, "year": 2011}
    services.save_lesson(
        one, details_of(one), content("Les 1.2", sources=[corrected]), editor=moderator, change_note="Jaartal"
    )
    assert db.session.scalar(select(func.count()).select_from(Source)) == 2
    old = queries.revision_or_404(one, 1)
    assert old.content()["sources"] == [CITATION]
    assert one.current_revision.content()["sources"] == [corrected]


def test_an_edition_freezes_published_lessons_only(admin, moderator):
    chapter = make_chapter()
    published = make_lesson(chapter, "1.2")
    make_lesson(chapter, "1.3", status="draft")
    edition = edition_services.publish_edition(title="Derde versie", published_on=None, note="", actor=admin)
    assert edition.number == 1
    assert [(e.lesson_id, e.revision_id) for e in edition.entries] == [
        (published.id, published.current_revision_id)
    ]
    services.save_lesson(
        published, details_of(published), content("Gewijzigd"), editor=moderator, change_note="x"
    )
    db.session.expire_all()
    frozen = db.session.get(Edition, edition.id).entries[0].revision
    assert frozen.title == "Les 1.2"
    added, changed = queries.changed_since(edition)
    assert added == [] and [lesson.number for lesson in changed] == ["1.2"]


def test_word_diff_marks_exactly_the_changed_words():
    segments = diff_words("De wijk is schoon. Bewoners doen mee.", "De wijk is veilig. Bewoners doen mee.")
    assert [s for s in segments if s[0] != "equal"] == [("delete", "schoon"), ("insert", "veilig")]
    assert "".join(text for op, text in segments if op != "delete") == "De wijk is veilig. Bewoners doen mee."


def test_revision_diff_covers_structured_parts():
    old = content(quotes=[{"text": "Ga aan de slag.", "speaker": "Jan Jans", "organisation": ""}])
    new = content(
        quotes=[{"text": "Ga aan de slag.", "speaker": "Jan Jans", "organisation": "gemeente Arnhem"}],
        sources=[CITATION],
    )
    changed = {d.label: d for d in diff_revisions(old, new) if d.changed}
    assert set(changed) == {"Citaten", "Bronnen"}
    assert "gemeente Arnhem" in "".join(changed["Citaten"].insertions)
    assert "Evaluatie Krachtwijken Utrecht" in "".join(changed["Bronnen"].insertions)
