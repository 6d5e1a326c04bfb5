"""Content files: the shipped text, import (idempotent, all or nothing, precise errors), export, CLI."""

from __future__ import annotations

import re
import shutil
from html import unescape

import pytest
from sqlalchemy import func, select

from cop.extensions import db
from cop.guide.content import ContentError, export_content, import_content
from cop.guide.models import Chapter, Edition, Lesson, LessonRevision, LessonStatus, Theme
from tests.guide.factories import CONTENT_DIR, LESSON_REF, import_shipped, source_paragraphs

LESSON_FILE = "lessen/1.2-wat-de-wijkengids-beoogt.md"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def page_text(response) -> str:
    """The visible text of a page, whitespace collapsed (tags removed)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def normalise(text: str) -> str:
    return " ".join(text.replace("\u201c", '"').replace("\u201d", '"').split())


@pytest.fixture
def content_copy(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


# --- the shipped content --------------------------------------------------------------------------


def test_shipped_content_is_chapter_one_lesson_1_2_eleven_themes_and_edition_2():
    report = import_shipped()
    assert report.lessons_created == 1 and report.edition == 2
    chapter = db.session.scalar(select(Chapter))
    assert (chapter.number, chapter.title) == (1, "Vooraf")
    assert chapter.objectives_intro == "Na het lezen van de Vooraf weet je:"
    assert len(chapter.objectives) == 6
    lesson = db.session.scalar(select(Lesson))
    assert (lesson.number, lesson.title, lesson.status) == (
        "1.2",
        "Wat de wijkengids beoogt",
        LessonStatus.PUBLISHED,
    )
    themes = db.session.scalars(select(Theme).order_by(Theme.position)).all()
    assert len(themes) == 11
    assert themes[-1].title == "Wijkaanpak algemeen"
    assert {t.description for t in themes} >= {
        "Is de wijk in de gevarenzone en wat is er aan de hand?",
        "Wat zijn de werkzame bestanddelen? Hoe organiseer je het?",
        "Wat zijn randvoorwaarden voor een voorspoedige uitvoering?",
        "Hoe zorgen we voor blijvend resultaat?",
    }
    edition = db.session.scalar(select(Edition))
    assert edition.number == 2
    assert [entry.revision_id for entry in edition.entries] == [lesson.current_revision_id]
    assert count(Lesson) == 1  # no empty shells for lessons whose text we do not have


def test_the_lesson_page_shows_every_paragraph_of_the_source_text(client):
    import_shipped()
    text = normalise(page_text(client.get(f"/les/{LESSON_REF}")))
    paragraphs = source_paragraphs()
    heading, objectives_intro, bullets, *body = paragraphs
    assert heading == "1.2 Wat de wijkengids beoogt"
    assert "1.2 Wat de wijkengids beoogt" in text
    assert objectives_intro in text  # the section opens with the chapter's objectives
    for bullet in (item.strip() for item in bullets.split("•") if item.strip()):
        assert bullet in text
    for paragraph in body:
        quote = re.fullmatch(r'"(.*)" \((.*)\)', paragraph)
        if quote:
            assert normalise(quote.group(1)) in text
            assert "Jan Jans, gemeente Arnhem" in text
        else:
            assert normalise(paragraph) in text, paragraph[:60]
    assert "banier" not in text


def test_the_quote_is_a_figure_with_its_attribution_and_the_example_has_its_source(client):
    import_shipped()
    html = client.get(f"/les/{LESSON_REF}").get_data(as_text=True)
    figure = re.search(r'<figure class="quote">(.*?)</figure>', html, re.S).group(1)
    assert "<blockquote" in figure and "Wijkenaanpak is core business." in figure
    assert re.search(r"<figcaption[^>]*>Jan Jans, gemeente Arnhem</figcaption>", figure)
    example = re.search(r'<article class="example".*?</article>', html, re.S).group(0)
    for needle in ("Overvecht", "Kanaleneiland", "Ondiep", "Zuilen-Oost", "Hoograven", "Jongerencultuurhuis"):
        assert needle in example
    assert "Evaluatie Krachtwijken Utrecht, Berenschot, in opdracht van de gemeente Utrecht" in example
    assert "Mitros, Bo-Ex en Portaal" in example
    references = re.search(r'<ol class="references__list">(.*?)</ol>', html, re.S).group(1)
    assert "<cite>Evaluatie Krachtwijken Utrecht</cite>" in references and "Berenschot" in references


def test_the_chapter_page_shows_the_six_objectives(client):
    import_shipped()
    html = client.get("/gids/1/").get_data(as_text=True)
    box = re.search(r'<section class="objectives".*?</section>', html, re.S).group(0)
    bullets = re.findall(r"<li>(.*?)</li>", box)
    expected = [item.strip() for item in source_paragraphs()[2].split("•") if item.strip()]
    assert bullets == expected
    assert "Na het lezen van de Vooraf weet je:" in box


# --- import ---------------------------------------------------------------------------------------


def test_a_second_import_changes_nothing():
    import_shipped()
    revisions = count(LessonRevision)
    report = import_shipped()
    assert not report.changed
    assert count(LessonRevision) == revisions and count(Edition) == 1


def test_a_changed_file_makes_a_new_revision_and_details_follow(content_copy):
    import_content(content_copy)
    path = content_copy / LESSON_FILE
    text = path.read_text(encoding="utf-8")
    text = text.replace("Maak de straat schoon, stel", "Maak de straat echt schoon, stel")
    text = text.replace("evidence: praktijk", "evidence: onderzoek\nchange_note: Citaat aangepast.")
    path.write_text(text, encoding="utf-8")
    report = import_content(content_copy)
    assert report.lessons_updated == 1 and report.revisions == 1
    lesson = db.session.scalar(select(Lesson))
    assert lesson.current_revision.number == 2
    assert lesson.current_revision.change_note == "Citaat aangepast."
    assert "straat echt schoon" in lesson.current_revision.quotes[0]["text"]
    assert lesson.evidence == "onderzoek"
    assert count(Edition) == 1  # the edition is recorded only once


@pytest.mark.parametrize(
    ("replace", "by", "line", "reason"),
    [
        ("audiences:\n  - bewoners", "audiences:\n  - iedereen", 9, "unknown audience 'iedereen'"),
        ("evidence: praktijk", "evidence: praktijk\ncolour: blue", 14, "unknown key 'colour'"),
        ("title: Wat de wijkengids beoogt", "title: Wat: de wijkengids", 4, "invalid YAML: mapping values"),
        ("    speaker: Jan Jans\n", "", 15, "a quote needs the name of the speaker"),
        ("number: '1.2'", "number: '7.2'", 2, "chapter 7 does not exist"),
        ("themes:\n  - wijkaanpak-algemeen", "themes:\n  - onbekend", 7, "unknown theme 'onbekend'"),
        # YAML reads an unquoted 1.10 as the number 1.1: a lesson number must be quoted text.
        ("number: '1.2'", "number: 1.10", 2, "'number' must be text in quotes"),
        ("number: '1.2'", "number: 1.2", 2, "'number' must be text in quotes"),
        ("number: '1.2'", "number: '1.02'", 2, "write it like 1.2, not 1.02"),
        ("number: '1.2'", "number: '1.0'", 2, "write it like 1.2, not 1.02"),
        # A datetime would differ from the stored date on every import.
        (
            "evidence: praktijk",
            "evidence: praktijk\nlast_reviewed: 2024-05-31 10:00:00",
            14,
            "'last_reviewed' must be a date like 2024-05-31, without a time",
        ),
    ],
)
def test_an_invalid_file_is_reported_with_line_and_reason_and_nothing_is_stored(
    content_copy, replace, by, line, reason
):
    path = content_copy / LESSON_FILE
    text = path.read_text(encoding="utf-8")
    assert replace in text
    path.write_text(text.replace(replace, by, 1), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        import_content(content_copy)
    problems = [(p.file, p.line) for p in error.value.problems]
    assert (LESSON_FILE, line) in problems, error.value.problems
    assert any(reason in p.reason for p in error.value.problems), error.value.problems
    assert count(Theme) == count(Chapter) == count(Lesson) == count(Edition) == 0


@pytest.mark.parametrize("written", ["01", "010", "1.0", "'1'", "true"])
def test_a_chapter_number_must_be_a_plain_whole_number(content_copy, written):
    path = content_copy / "hoofdstukken" / "01-vooraf.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("number: 1\n", f"number: {written}\n", 1), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        import_content(content_copy)
    assert "hoofdstukken/01-vooraf.md:2: 'number' must be a whole number such as 1" in [
        str(p).split(", without")[0] for p in error.value.problems
    ], error.value.problems
    assert count(Chapter) == count(Lesson) == 0


def test_a_review_date_imports_once(content_copy):
    path = content_copy / LESSON_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("evidence: praktijk", "evidence: praktijk\nlast_reviewed: 2024-05-31"), "utf-8"
    )
    import_content(content_copy)
    assert not import_content(content_copy).changed


def test_a_file_without_front_matter_is_refused(content_copy):
    (content_copy / "lessen" / "1.3-los.md").write_text("Geen voorwerk.\n", encoding="utf-8")
    with pytest.raises(ContentError) as error:
        import_content(content_copy)
    assert (
        str(error.value.problems[0])
        == "lessen/1.3-los.md:1: the file must start with a line '---' and YAML front matter"
    )


def test_duplicate_lesson_numbers_are_refused(content_copy):
    shutil.copy(content_copy / LESSON_FILE, content_copy / "lessen" / "1.2-kopie.md")
    with pytest.raises(ContentError) as error:
        import_content(content_copy)
    assert any("lesson 1.2 is also in" in p.reason for p in error.value.problems)
    assert count(Lesson) == 0


# --- export and round trip ------------------------------------------------------------------------


def test_import_export_import_round_trips_without_a_difference(tmp_path):
    import_shipped()
    first = tmp_path / "first"
    names = export_content(first)
    assert "lessen/1.2-wat-de-wijkengids-beoogt.md" in names
    for name in names:  # the shipped files are in the exporter's own format
        assert (first / name).read_text(encoding="utf-8") == (CONTENT_DIR / name).read_text(
            encoding="utf-8"
        ), name
    revisions = count(LessonRevision)
    assert not import_content(first).changed
    assert count(LessonRevision) == revisions
    second = tmp_path / "second"
    assert export_content(second) == names
    for name in names:
        assert (second / name).read_bytes() == (first / name).read_bytes()


def test_export_removes_files_it_did_not_write(tmp_path, moderator):
    from cop.guide import services
    from tests.guide.factories import details_of

    import_shipped()
    export_content(tmp_path)
    (tmp_path / "README.md").write_text("Eigen notities.", encoding="utf-8")
    (tmp_path / "lessen" / "notities.txt").write_text("Blijft staan.", encoding="utf-8")
    (tmp_path / "hoofdstukken" / "09-weg.md").write_text("---\nnumber: 9\n---\n", encoding="utf-8")
    lesson = db.session.scalar(select(Lesson))
    services.save_lesson(
        lesson,
        details_of(lesson, slug="nieuwe-naam"),
        lesson.current_revision.content(),
        editor=moderator,
        change_note="",
    )
    names = export_content(tmp_path)
    assert "lessen/1.2-nieuwe-naam.md" in names
    assert not (tmp_path / LESSON_FILE).exists()  # the file under the old slug is gone
    assert not (tmp_path / "hoofdstukken" / "09-weg.md").exists()
    assert (tmp_path / "README.md").exists() and (tmp_path / "lessen" / "notities.txt").exists()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.md")) == sorted(
        [*(name for name in names if name.endswith(".md")), "README.md"]
    )
    assert not import_content(tmp_path).changed  # and the folder imports cleanly


def test_an_edited_lesson_exports_its_current_text(tmp_path, moderator):
    from cop.guide import services
    from tests.guide.factories import details_of

    import_shipped()
    lesson = db.session.scalar(select(Lesson))
    edited = lesson.current_revision.content()
    edited["sources"].append(
        {
            "title": "Wijkengids",
            "authors": "Platform31",
            "publisher": "",
            "year": 2012,
            "url": "https://www.platform31.nl/",
            "note": "",
        }
    )
    services.save_lesson(lesson, details_of(lesson), edited, editor=moderator, change_note="Bron toegevoegd")
    export_content(tmp_path)
    text = (tmp_path / LESSON_FILE).read_text(encoding="utf-8")
    assert (
        "  - title: Wijkengids\n    authors: Platform31\n    year: 2012\n    url: https://www.platform31.nl/\n"
        in text
    )


# --- command line ---------------------------------------------------------------------------------


def test_cli_import_export_and_check(runner, tmp_path, content_copy):
    result = runner.invoke(args=["guide", "import", str(content_copy)])
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output and "Recorded edition 2." in result.output
    again = runner.invoke(args=["guide", "import", str(content_copy)])
    assert "nothing changed" in again.output
    out = tmp_path / "out"
    exported = runner.invoke(args=["guide", "export", str(out)])
    assert exported.exit_code == 0 and (out / LESSON_FILE).exists()
    assert runner.invoke(args=["guide", "check", str(out)]).exit_code == 0


def test_cli_reports_problems_and_fails(runner, content_copy):
    path = content_copy / LESSON_FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: published", "status: klaar"), encoding="utf-8"
    )
    result = runner.invoke(args=["guide", "import", str(content_copy)])
    assert result.exit_code == 1
    assert f"{LESSON_FILE}:5: 'status' must be draft or published" in result.output
    assert "Nothing was imported" in result.output
    assert count(Lesson) == 0


def test_cli_import_defaults_to_the_content_dir(runner, app):
    assert app.config["CONTENT_DIR"] == str(CONTENT_DIR)
    result = runner.invoke(args=["guide", "import"])
    assert result.exit_code == 0, result.output
    assert count(Lesson) == 1
