"""The lesson editor: the preview first (Enter previews), the actions at the top too, quotes,
examples and sources added and removed with buttons that need no JavaScript, the preview's
headings under "Preview", required and optional marked alike, and the error summary in the
order of the page."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from cop.extensions import db
from cop.guide.forms import LessonForm
from cop.guide.models import Lesson, LessonRevision
from cop.guide.rules import REQUIRED_IN_ENTRY
from tests.guide.factories import LESSON_REF, import_shipped, make_chapter, make_theme
from tests.guide.test_views import form_data

EDIT_URL = f"/les/{LESSON_REF}/bewerken"
NEW_URL = "/gids/les/nieuw"
SUBMIT_RE = re.compile(r'<(?:input|button)\b[^>]*\btype="submit"[^>]*>')


def lesson_form_html(html: str) -> str:
    match = re.search(
        r'<form method="post" action="[^"]*" novalidate class="form lesson-form">(.*?)</form>', html, re.S
    )
    assert match, "the lesson form"
    return match.group(1)


def submit_names(form_html: str) -> list[str]:
    """The name (and value, for the list buttons) of each submit button, in the order of the page."""
    names = []
    for tag in SUBMIT_RE.findall(form_html):
        name = re.search(r'\bname="([^"]+)"', tag).group(1)
        value = re.search(r'\bvalue="([^"]*)"', tag)
        names.append(f"{name}={value.group(1)}" if name == "entry_action" else name)
    return names


def value_of(html: str, name: str) -> str | None:
    match = re.search(rf'<(?:input|textarea)[^>]*\bname="{re.escape(name)}"[^>]*>', html)
    if match is None:
        return None
    tag = match.group(0)
    if tag.startswith("<textarea"):
        return unescape(html[match.end() :].split("</textarea>")[0].removeprefix("\r\n").removeprefix("\n"))
    value = re.search(r'\bvalue="([^"]*)"', tag)
    return unescape(value.group(1)) if value else ""


def lessons() -> int:
    return db.session.scalar(select(func.count()).select_from(Lesson))


def revisions() -> int:
    return db.session.scalar(select(func.count()).select_from(LessonRevision))


# --- the actions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [EDIT_URL, NEW_URL])
def test_preview_is_the_first_button_and_the_actions_are_at_the_top_too(moderator_client, url):
    import_shipped()
    form = lesson_form_html(moderator_client.get(url).get_data(as_text=True))
    names = submit_names(form)
    # Enter in a one-line field presses the form's first submit button: the preview.
    assert names[0] == "preview"
    # Preview and save before the first field and again at the end, preview first each time.
    before_fields = submit_names(form.split("<fieldset", 1)[0])
    assert before_fields == ["preview", "save"]
    assert names[-2:] == ["preview", "save"]
    ids = re.findall(r'\bid="([^"]+)"', form)
    assert len(ids) == len(set(ids)), "every id once"


def test_the_chapter_form_also_has_the_preview_first(moderator_client):
    import_shipped()
    html = moderator_client.get("/gids/1/bewerken").get_data(as_text=True)
    form = re.split(r'<form method="post" action="[^"]*" novalidate class="form">', html, maxsplit=1)[1]
    form = form.split("</form>")[0]
    assert submit_names(form) == ["preview", "save"]


def test_enter_in_a_field_previews_and_stores_nothing(moderator_client):
    """What a browser sends for Enter in the title field: the form with its first button."""
    import_shipped()
    lesson = db.session.scalar(select(Lesson))
    data = form_data(lesson, title="Een betere titel", change_note="Titel")
    del data["save"]
    data["preview"] = "Voorvertoning"
    response = moderator_client.post(EDIT_URL, data=data)
    assert response.status_code == 200
    assert 'class="preview"' in response.get_data(as_text=True)
    assert revisions() == 1


# --- adding and removing entries ------------------------------------------------------------------


def test_a_new_lesson_starts_without_empty_blocks_and_with_add_buttons(moderator_client):
    make_chapter()
    form = lesson_form_html(moderator_client.get(NEW_URL).get_data(as_text=True))
    assert 'name="quotes-0-text"' not in form and 'name="sources-0-title"' not in form
    names = submit_names(form)
    for kind in ("quotes", "examples", "sources"):
        assert f"entry_action=add-{kind}" in names


def test_the_edit_form_shows_the_lesson_entries_without_an_empty_one(moderator_client):
    import_shipped()  # lesson 1.2 has a quote, an example and a source
    form = lesson_form_html(moderator_client.get(EDIT_URL).get_data(as_text=True))
    assert 'name="quotes-0-text"' in form and 'name="quotes-1-text"' not in form
    assert 'name="sources-0-title"' in form and 'name="sources-1-title"' not in form
    assert "entry_action=remove-sources-0" in submit_names(form)


def test_add_gives_one_empty_block_and_keeps_everything_typed(moderator_client):
    chapter = make_chapter()
    data = form_data(
        chapter=str(chapter.id),
        number="1.4",
        title="Half af",
        body="Mijn tekst blijft.",
        **{"quotes-0-text": "Samen doen.", "quotes-0-speaker": ""},  # half filled: no message yet
    )
    del data["save"]
    data["entry_action"] = "add-quotes"
    response = moderator_client.post(NEW_URL, data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    form = lesson_form_html(html)
    assert value_of(form, "title") == "Half af" and value_of(form, "body") == "Mijn tekst blijft."
    assert value_of(form, "quotes-0-text") == "Samen doen."
    assert value_of(form, "quotes-1-text") == "" and value_of(form, "quotes-1-speaker") == ""
    assert value_of(form, "quotes-2-text") is None
    assert 'class="error-summary"' not in html and 'class="preview"' not in html
    # The button brings the browser back to the new block.
    assert re.search(r'value="add-quotes" formaction="#quotes-2"', form)
    assert 'id="quotes-1"' in form
    assert lessons() == 0


def test_remove_takes_out_that_block_only_and_numbers_the_rest_again(moderator_client):
    import_shipped()
    lesson = db.session.scalar(select(Lesson))
    data = form_data(
        lesson,
        title="",  # not valid, but removing a block validates nothing
        **{
            "quotes-1-text": "Tweede citaat.",
            "quotes-1-speaker": "Piet",
            "quotes-2-text": "Derde citaat.",
            "quotes-2-speaker": "Klaas",
        },
    )
    del data["save"]
    data["entry_action"] = "remove-quotes-1"
    response = moderator_client.post(EDIT_URL, data=data)
    html = response.get_data(as_text=True)
    form = lesson_form_html(html)
    first = lesson.current_revision.quotes[0]["text"]
    assert value_of(form, "quotes-0-text") == first
    assert value_of(form, "quotes-1-text") == "Derde citaat."
    assert value_of(form, "quotes-1-speaker") == "Klaas"
    assert value_of(form, "quotes-2-text") is None and "Tweede citaat." not in html
    assert 'class="error-summary"' not in html
    assert revisions() == 1


def test_the_last_block_can_be_removed(moderator_client):
    import_shipped()
    lesson = db.session.scalar(select(Lesson))
    data = form_data(lesson)
    del data["save"]
    data["entry_action"] = "remove-quotes-0"
    form = lesson_form_html(moderator_client.post(EDIT_URL, data=data).get_data(as_text=True))
    assert value_of(form, "quotes-0-text") is None
    assert "entry_action=add-quotes" in submit_names(form)


def test_a_block_added_and_filled_is_saved(moderator_client):
    import_shipped()
    lesson = db.session.scalar(select(Lesson))
    data = form_data(lesson)
    del data["save"]
    data["entry_action"] = "add-sources"
    form = lesson_form_html(moderator_client.post(EDIT_URL, data=data).get_data(as_text=True))
    assert value_of(form, "sources-1-title") == ""
    new_source = {"sources-1-title": "Wijkengids", "sources-1-authors": "Platform31"}
    saved = form_data(lesson, change_note="Bron erbij", **new_source)
    assert moderator_client.post(EDIT_URL, data=saved).status_code == 302
    db.session.expire_all()
    assert [s.title for s in lesson.current_revision.sources][-1] == "Wijkengids"


def test_no_add_button_at_the_limit(moderator_client):
    chapter = make_chapter()
    data = form_data(chapter=str(chapter.id), number="1.4", title="Veel citaten")
    for i in range(20):
        data.update({f"quotes-{i}-text": f"Citaat {i}.", f"quotes-{i}-speaker": "Jan"})
    del data["save"]
    data["entry_action"] = "add-quotes"
    form = lesson_form_html(moderator_client.post(NEW_URL, data=data).get_data(as_text=True))
    assert value_of(form, "quotes-20-text") is None  # no 21st
    assert "entry_action=add-quotes" not in submit_names(form)
    assert "entry_action=add-sources" in submit_names(form)


@pytest.mark.parametrize(
    "action", ["remove-quotes-7", "remove-quotes-999", "add-", "delete-all", "add-users"]
)
def test_an_action_that_is_not_a_block_changes_nothing_it_should_not(moderator_client, action):
    import_shipped()
    lesson = db.session.scalar(select(Lesson))
    data = form_data(lesson, title="Andere titel", change_note="Titel")
    data["entry_action"] = action
    response = moderator_client.post(EDIT_URL, data=data)
    assert response.status_code in (200, 302)
    db.session.expire_all()
    if response.status_code == 302:  # not a list's button at all: the save it came with
        assert lesson.current_revision.title == "Andere titel"
    else:  # a remove of a block that is not there: the form again, all blocks kept
        assert lesson.current_revision.number == 1
        assert value_of(response.get_data(as_text=True), "quotes-0-text") is not None


# --- the preview's headings -----------------------------------------------------------------------


def test_the_preview_sits_under_its_heading_with_the_lesson_title_as_a_heading(moderator_client):
    import_shipped()
    lesson = db.session.scalar(select(Lesson))
    data = form_data(lesson, summary="Kort gezegd.", body="## Kopje\n\nTekst.\n\n### Dieper\n\nMeer.")
    del data["save"]
    data["preview"] = "Voorvertoning"
    html = moderator_client.post(EDIT_URL, data=data).get_data(as_text=True)
    preview = html.split('<section class="preview"', 1)[1].split("<form", 1)[0]
    headings = re.findall(r"<h([1-6])\b[^>]*>(.*?)</h\1>", preview, re.S)
    levels = [(int(level), re.sub(r"<[^>]+>", "", text).strip()) for level, text in headings]
    assert levels[0] == (2, "Voorvertoning (nog niet opgeslagen)")
    assert levels[1] == (3, f"1.2 {lesson.current_revision.title}")
    assert all(level >= 4 for level, _text in levels[2:]), levels
    assert (4, "In het kort") in levels and (4, "Kopje") in levels and (5, "Dieper") in levels
    assert (4, "Uit de praktijk") in levels and (5, lesson.current_revision.examples[0]["title"]) in levels


def test_the_lesson_page_keeps_its_own_heading_levels(client):
    import_shipped()
    html = client.get(f"/les/{LESSON_REF}").get_data(as_text=True)
    assert re.search(r'<h2 id="lesson-summary-title">', html) or "In het kort" not in html
    assert re.search(r'<h2 id="lesson-examples-title">', html)


# --- required and optional ------------------------------------------------------------------------


def test_optional_fields_say_so_and_required_ones_do_not(app):
    """Every field that may stay empty says "(niet verplicht)" in its label; a field that must be
    filled (always, or once its quote, example or source has anything) does not."""
    with app.test_request_context():
        form = LessonForm(formdata=None)
        for name in ("quotes", "examples", "sources"):
            form[name].append_entry()
        wrong = []
        for field in form:
            if field.type in ("CSRFTokenField", "SubmitField", "HiddenField", "EntryActionField"):
                continue
            if field.name == "change_note":  # needed when the text changed: its hint says so
                assert "Nodig als je de tekst" in str(field.description)
                continue
            if field.type == "FieldList":
                for sub in field.entries[0].form:
                    must = sub.short_name in REQUIRED_IN_ENTRY[field.name]
                    if must == ("(niet verplicht)" in str(sub.label.text)):
                        wrong.append(f"{field.name}: {sub.label.text}")
                continue
            must = field.flags.required
            if must == ("(niet verplicht)" in str(field.label.text)):
                wrong.append(str(field.label.text))
        assert not wrong, wrong


# --- the error summary in the order of the page ---------------------------------------------------


def test_the_form_declares_its_fields_in_the_order_of_the_page(moderator_client, app):
    make_chapter()
    make_theme()
    form_html = lesson_form_html(moderator_client.get(NEW_URL).get_data(as_text=True))
    on_page = []
    for name in re.findall(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"', form_html):
        top = name.split("-")[0]
        skipped = ("csrf_token", "base_revision", "base_version", "preview", "save", "entry_action")
        if top not in on_page and top not in skipped:
            on_page.append(top)
    with app.test_request_context():
        declared = [
            f.name
            for f in LessonForm(formdata=None)
            if f.type not in ("CSRFTokenField", "SubmitField", "HiddenField", "EntryActionField", "FieldList")
        ]
    assert on_page == declared


def test_the_error_summary_lists_problems_in_the_order_of_the_page(moderator_client):
    chapter = make_chapter()
    data = form_data(
        chapter=str(chapter.id),
        number="x",
        slug="Geen Slug",
        status="",
        title="",
        change_note="n" * 301,
        **{"quotes-0-text": "Alleen tekst.", "sources-0-year": "twintig"},
    )
    html = moderator_client.post(NEW_URL, data=data).get_data(as_text=True)
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    targets = re.findall(r'<a href="#([^"]+)">', summary)
    assert {"number", "slug", "status", "title", "quotes-0-speaker", "sources-0-title"} <= set(targets)
    assert "change_note" in targets
    form_html = lesson_form_html(html)
    positions = [form_html.index(f'id="{target}"') for target in targets]
    assert positions == sorted(positions), targets
