"""Guide services and models: revisions, sources, restore, editions, diffs, numbering."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import event, func, insert, select

from cop.extensions import db
from cop.guide import queries, services
from cop.guide.diff import diff_revisions, diff_words
from cop.guide.models import Edition, Lesson, LessonRevision, LessonStatus, Source, lesson_sort_key
from cop.transactions import DomainError
from tests.guide.factories import content, details_of, make_chapter, make_lesson, make_theme

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
    with pytest.raises(DomainError) as error:
        services.save_lesson(lesson, details_of(lesson), content("Anders"), editor=moderator, change_note="")
    assert error.value.field == "change_note"
    db.session.expire_all()
    assert lesson.current_revision.title == "Les 1.2"


def test_someone_elses_newer_version_is_not_overwritten(moderator):
    lesson = make_lesson(make_chapter(), "1.2")
    services.save_lesson(
        lesson, details_of(lesson), content("Versie twee"), editor=moderator, change_note="a"
    )
    with pytest.raises(DomainError):
        services.save_lesson(
            lesson,
            details_of(lesson),
            content("Mijn versie"),
            editor=moderator,
            change_note="b",
            base_revision="1",
        )
    assert lesson.current_revision.title == "Versie twee"


def test_a_save_from_before_someone_elses_details_change_is_refused(moderator):
    lesson = make_lesson(make_chapter(), "1.2")
    marker = services.details_version(lesson)  # what editor A's form carries
    db.session.expire_all()
    assert services.details_version(lesson) == marker  # survives the round trip through the database

    # Editor B withdraws the lesson: details only, no new revision.
    result = services.save_lesson(
        lesson,
        details_of(lesson, status="draft", evidence="onderzoek"),
        lesson.current_revision.content(),
        editor=moderator,
        change_note="",
        base_revision="1",
        base_version=marker,
    )
    assert result.details_changed and result.revision is None
    assert services.details_version(lesson) != marker

    # Editor A saves the form opened before that, with the old details.
    with pytest.raises(DomainError) as error:
        services.save_lesson(
            lesson,
            details_of(lesson, status="published", evidence="praktijk"),
            content("Mijn versie"),
            editor=moderator,
            change_note="Mijn wijziging",
            base_revision="1",
            base_version=marker,
        )
    assert error.value.field is None
    db.session.expire_all()
    assert lesson.status == LessonStatus.DRAFT and lesson.evidence == "onderzoek"
    assert lesson.current_revision.title == "Les 1.2" and revision_count(lesson) == 1

    # From the form as it is now, the save goes through.
    services.save_lesson(
        lesson,
        details_of(lesson, status="published"),
        content("Mijn versie"),
        editor=moderator,
        change_note="Mijn wijziging",
        base_revision="1",
        base_version=services.details_version(lesson),
    )
    assert lesson.is_published and lesson.current_revision.title == "Mijn versie"


@pytest.mark.parametrize("base_revision", ["abc", "1.5", "-1", "１"])
def test_a_damaged_base_revision_is_a_conflict_not_a_crash(moderator, base_revision):
    lesson = make_lesson(make_chapter(), "1.2")
    with pytest.raises(DomainError) as error:
        services.save_lesson(
            lesson,
            details_of(lesson),
            content("Mijn versie"),
            editor=moderator,
            change_note="b",
            base_revision=base_revision,
        )
    assert "Iemand anders heeft versie 1 van deze les opgeslagen" in error.value.message
    assert revision_count(lesson) == 1


def _competing_revision(lesson):
    return insert(LessonRevision.__table__).values(lesson_id=lesson.id, number=2, title="Van een ander")


def _competing_source(lesson):
    return insert(Source.__table__).values(fingerprint=Source.fingerprint_of(CITATION), **CITATION)


@pytest.mark.parametrize(
    ("moment", "competitor"),
    [
        ("max(lesson_revisions.number)", _competing_revision),  # both take revision number 2
        ("from sources", _competing_source),  # both add the same new source
    ],
)
@pytest.mark.commits  # the competitor commits on a connection of its own
def test_a_save_at_the_same_moment_as_another_is_refused_cleanly(moderator, moment, competitor):
    lesson = make_lesson(make_chapter(), "1.2")
    session = db.session()
    raced = []

    def other_request_commits_first(state):
        if not raced and moment in str(state.statement).lower():
            raced.append(True)
            result = state.invoke_statement()  # this request looks first …
            with db.engine.begin() as connection:  # … then the other one commits
                connection.execute(competitor(lesson))
            return result
        return None

    event.listen(session, "do_orm_execute", other_request_commits_first)
    try:
        with pytest.raises(DomainError) as error:
            services.save_lesson(
                lesson,
                details_of(lesson),
                content("Mijn versie", sources=[CITATION]),
                editor=moderator,
                change_note="Bron",
            )
    finally:
        event.remove(session, "do_orm_execute", other_request_commits_first)
    assert raced
    assert "Iemand anders heeft op hetzelfde moment hetzelfde opgeslagen" in error.value.message
    lesson = db.session.scalar(select(Lesson))
    assert lesson.current_revision.number == 1
    # The session is usable again and the next save simply comes after the other one.
    result = services.save_lesson(
        lesson,
        details_of(lesson),
        content("Mijn versie", sources=[CITATION]),
        editor=moderator,
        change_note="x",
    )
    assert result.revision.number == revision_count(lesson)


def test_invalid_content_is_refused_at_its_field_in_the_users_language(moderator):
    lesson = make_lesson(make_chapter(), "1.2")
    quote = {"text": "Doe het samen.", "speaker": "", "organisation": ""}
    with pytest.raises(DomainError) as error:
        services.save_lesson(
            lesson, details_of(lesson), content("Les 1.2", quotes=[quote]), editor=moderator, change_note="x"
        )
    assert error.value.field == "quotes"
    assert "Vul in wie het zei." in error.value.message and "speaker" not in error.value.message

    many = [{"text": f"Citaat {i}", "speaker": "Jan", "organisation": ""} for i in range(21)]
    with pytest.raises(DomainError) as error:
        services.save_lesson(
            lesson, details_of(lesson), content("Les 1.2", quotes=many), editor=moderator, change_note="x"
        )
    assert error.value.field == "quotes" and "quotes:" not in error.value.message
    assert revision_count(lesson) == 1


@pytest.mark.parametrize("number", ["1.02", "01.2", "1.0", "1.2.03", "1.00"])
def test_lesson_numbers_with_a_leading_zero_are_refused(number):
    chapter = make_chapter()
    make_lesson(chapter, "1.2")
    with pytest.raises(DomainError) as error:
        make_lesson(chapter, number)
    assert error.value.field == "number"
    assert db.session.scalar(select(func.count()).select_from(Lesson)) == 1


@pytest.mark.parametrize(
    ("number", "field_message"),
    [("1,2", "bijvoorbeeld 1.2"), ("2.1", "begint met 1"), ("1.2", "bestaat al")],
)
def test_lesson_numbers_are_checked(number, field_message):
    chapter = make_chapter()
    make_lesson(chapter, "1.2")
    with pytest.raises(DomainError) as error:
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
    edition = services.publish_edition(title="Derde versie", published_on=None, note="", actor=admin)
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


def _long_text(paragraphs: int = 200) -> str:
    """About 80 KB of distinct Dutch-like paragraphs."""
    return "\n\n".join(
        " ".join(
            f"In wijk {p} zin {s} werken bewoners, corporaties en gemeente samen aan een schone straat."
            for s in range(5)
        )
        for p in range(paragraphs)
    )


def _check_segments(old: str, new: str, segments) -> None:
    assert "".join(text for op, text in segments if op != "insert") == old
    assert "".join(text for op, text in segments if op != "delete") == new


def test_diffing_two_long_texts_is_fast_and_still_word_level():
    old = _long_text()
    assert len(old) > 80_000
    marker = "In wijk 117 zin 3 werken bewoners, corporaties en gemeente samen aan een schone straat."
    new = old.replace(marker, marker.replace("schone", "veilige"))
    started = time.perf_counter()
    segments = diff_words(old, new)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, elapsed
    assert [s for s in segments if s[0] != "equal"] == [("delete", "schone"), ("insert", "veilige")]
    _check_segments(old, new, segments)


def test_diffing_a_long_single_paragraph_and_unrelated_texts_stays_fast():
    one_line = _long_text().replace("\n\n", " ")
    changed = one_line.replace("wijk 150 zin 2 werken", "wijk 150 zin 2 wonen", 1)
    started = time.perf_counter()
    segments = diff_words(one_line, changed)
    assert [s for s in segments if s[0] != "equal"] == [("delete", "werken"), ("insert", "wonen")]
    _check_segments(one_line, changed, segments)

    # Everything different, many changed lines and a very repetitive text: still bounded.
    other = _long_text().replace("samen", "apart").replace("wijk", "buurt")
    repetitive = "a\n" * 40_000
    for old, new in ((_long_text(), other), (repetitive, repetitive + "b\n"), ("x " * 40_000, "y " * 40_000)):
        _check_segments(old, new, diff_words(old, new))
    changes = diff_revisions(content(body=_long_text()), content(body=other))
    assert any(change.changed for change in changes)
    assert time.perf_counter() - started < 2.0
