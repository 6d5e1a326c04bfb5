"""Reading and editing pages: permissions, forms and bad input, history, editions, query counts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from cop.extensions import db
from cop.guide import services
from cop.guide.models import Lesson, LessonRevision
from tests.guide.factories import (
    LESSON_REF,
    content,
    details_of,
    import_shipped,
    make_chapter,
    make_lesson,
    make_theme,
)

LESSON_URL = f"/les/{LESSON_REF}"


def revision_count() -> int:
    return db.session.scalar(select(func.count()).select_from(LessonRevision))


def form_data(lesson=None, **overrides) -> dict:
    """What the lesson form posts, filled from ``lesson`` (or a minimal new lesson)."""
    data = {"save": "Save", "status": "published", "evidence": "", "change_note": "", "base_revision": ""}
    if lesson is not None:
        revision = lesson.current_revision
        data.update(
            chapter=str(lesson.chapter_id),
            number=lesson.number,
            slug=lesson.slug,
            title=revision.title,
            objectives="\n".join(revision.objectives),
            summary=revision.summary,
            body=revision.body,
            themes=[str(t.id) for t in lesson.themes],
            audiences=lesson.audiences,
            evidence=lesson.evidence or "",
            status=lesson.status.value,
            base_revision=str(revision.number),
        )
        for name, items in (("quotes", revision.quotes), ("examples", revision.examples)):
            for i, item in enumerate(items):
                for key, value in item.items():
                    if not key.endswith("_html"):
                        data[f"{name}-{i}-{key}"] = value
        for i, source in enumerate(revision.sources):
            for key, value in source.as_dict().items():
                data[f"sources-{i}-{key}"] = "" if value is None else str(value)
    data.update(overrides)
    return data


def errors_in(html: str) -> list[str]:
    return re.findall(r'<p class="field__error" id="([^"]+)-error">', html)


# --- reading and permissions ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["client", "member_client"])
def test_everyone_reads_the_published_guide(request, who):
    import_shipped()
    client = request.getfixturevalue(who)
    for url in (
        "/gids/",
        "/gids/1/",
        LESSON_URL,
        "/thema/wijkaanpak-algemeen",
        "/edities/",
        "/editie/2/",
        f"/editie/2/les/{LESSON_REF}",
        "/editie/2/nieuw",
        f"{LESSON_URL}/geschiedenis",
        f"{LESSON_URL}/versie/1",
    ):
        assert client.get(url).status_code == 200, url


def test_the_lesson_page_has_its_parts(client):
    import_shipped()
    html = client.get(LESSON_URL).get_data(as_text=True)
    assert html.count("<h1") == 1
    assert '<a href="/gids/1/">' in html  # the chapter
    assert 'href="/thema/wijkaanpak-algemeen"' in html
    assert 'href="/gids/?doelgroep=bewoners"' in html
    assert "http://localhost/les/1.2-wat-de-wijkengids-beoogt/versie/1" in html  # permalink
    assert 'href="/static/css/guide.css"' in html
    assert "style=" not in html and "<script>" not in html


def test_an_outdated_slug_redirects_to_the_lesson(client):
    import_shipped()
    response = client.get("/les/1.2-oude-naam")
    assert response.status_code == 301 and response.location.endswith(LESSON_URL)
    assert client.get("/les/9.9-bestaat-niet").status_code == 404
    assert client.get("/gids/7/").status_code == 404
    assert client.get("/thema/bestaat-niet").status_code == 404
    assert client.get("/editie/9/").status_code == 404


def test_previous_and_next_follow_the_reading_order(client):
    chapter = make_chapter()
    for number in ("1.10", "1.2", "1.9"):
        make_lesson(chapter, number)
    html = client.get("/les/1.9-les-1-9").get_data(as_text=True)
    assert re.search(r'href="/les/1.2-les-1-2" rel="prev"', html)
    assert re.search(r'href="/les/1.10-les-1-10" rel="next"', html)


def test_the_front_page_lists_a_long_chapters_first_lessons_and_links_to_all(client, moderator_client):
    """However large the guide grows, its front page shows each chapter's first twelve lessons in
    reading order and links to the chapter's page for the rest; a draft counts for editors only."""
    long, short = make_chapter(1, "Lang"), make_chapter(2, "Kort")
    for n in range(1, 16):
        make_lesson(long, f"1.{n}")
    make_lesson(long, "1.16", "Concept", status="draft")
    make_lesson(short, "2.1")
    html = client.get("/gids/").get_data(as_text=True).split('id="contents-title"')[1]
    listed = re.findall(r'href="/les/(\d+\.\d+)-', html)
    assert listed[:12] == [f"1.{n}" for n in range(1, 13)] and "1.13" not in listed
    assert "2.1" in listed
    all_of_one = r'<a href="/gids/1/">(All 15 lessons of chapter 1|Alle 15 lessen van hoofdstuk 1)</a>'
    assert re.search(all_of_one, html)
    assert '/gids/2/">' not in html.split("2.1-les-2-1")[1].split("</section>")[0]  # no link: all shown
    for_editors = moderator_client.get("/gids/").get_data(as_text=True)
    assert re.search(r"(All 16 lessons|Alle 16 lessen)", for_editors)
    chapter_page = client.get("/gids/1/").get_data(as_text=True)
    assert all(f"/les/1.{n}-" in chapter_page for n in range(1, 16))


def test_drafts_are_invisible_to_members_and_visible_to_editors(client, member_client, moderator_client):
    chapter = make_chapter()
    make_lesson(chapter, "1.3", "Geheim concept", status="draft")
    for reader in (client, member_client):
        assert reader.get("/les/1.3-geheim-concept").status_code == 404
        assert reader.get("/les/1.3-geheim-concept/geschiedenis").status_code == 404
        assert "Geheim concept" not in reader.get("/gids/").get_data(as_text=True)
    assert moderator_client.get("/les/1.3-geheim-concept").status_code == 200
    assert "Geheim concept" in moderator_client.get("/gids/").get_data(as_text=True)


def test_theme_page_filters_by_audience(client):
    theme = make_theme()
    chapter = make_chapter()
    make_lesson(chapter, "1.2", "Voor bewoners", themes=[theme], audiences=["bewoners"])
    make_lesson(chapter, "1.3", "Voor bestuurders", themes=[theme], audiences=["bestuurders"])
    make_lesson(chapter, "1.4", "Ander thema")
    html = client.get("/thema/burgerschap").get_data(as_text=True)
    assert "Voor bewoners" in html and "Voor bestuurders" in html and "Ander thema" not in html
    filtered = client.get("/thema/burgerschap?doelgroep=bewoners").get_data(as_text=True)
    assert "Voor bewoners" in filtered and "Voor bestuurders" not in filtered
    assert "Voor bewoners" in client.get("/thema/burgerschap?doelgroep=onzin").get_data(as_text=True)


EDIT_URLS = [f"{LESSON_URL}/bewerken", "/gids/les/nieuw", "/gids/1/bewerken", "/gids/hoofdstuk/nieuw"]


@pytest.mark.parametrize("url", EDIT_URLS)
def test_editing_is_for_moderators_and_admins(url, client, member_client, moderator_client, admin_client):
    import_shipped()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/account/inloggen" in anonymous.location
    assert member_client.get(url).status_code == 403
    assert member_client.post(url, data={"title": "x"}).status_code == 403
    assert moderator_client.get(url).status_code == 200
    assert admin_client.get(url).status_code == 200


def test_restore_and_editions_are_protected(client, member_client, moderator_client, admin_client):
    import_shipped()
    restore = f"{LESSON_URL}/versie/1/herstellen"
    assert client.post(restore).status_code == 302
    assert member_client.post(restore).status_code == 403
    assert client.get("/edities/nieuw").status_code == 302
    assert member_client.get("/edities/nieuw").status_code == 403
    assert moderator_client.post("/edities/nieuw", data={"title": "Derde"}).status_code == 403
    assert admin_client.get("/edities/nieuw").status_code == 200


# --- editing --------------------------------------------------------------------------------------


def test_a_moderator_creates_a_lesson(moderator_client):
    chapter = make_chapter()
    theme = make_theme()
    data = form_data(
        chapter=str(chapter.id),
        number="1.4",
        title="Doel en samenstelling",
        body="Tekst van de les.",
        themes=[str(theme.id)],
        audiences=["professionals"],
        **{
            "quotes-0-text": "Doe het samen.",
            "quotes-0-speaker": "Een wijkregisseur",
            "sources-0-title": "Een rapport",
            "sources-0-year": "2011",
        },
    )
    response = moderator_client.post("/gids/les/nieuw", data=data)
    assert response.status_code == 302 and response.location.endswith("/les/1.4-doel-en-samenstelling")
    lesson = db.session.scalar(select(Lesson).where(Lesson.number == "1.4"))
    assert lesson.current_revision.quotes[0]["speaker"] == "Een wijkregisseur"
    assert lesson.current_revision.sources[0].year == 2011
    assert lesson.audiences == ["professionals"] and lesson.themes == [theme]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Vul een titel in."),
        ({"title": "x" * 201}, "title", "Gebruik maximaal 200 tekens."),
        ({"number": "1-4"}, "number", "bijvoorbeeld 1.2 of 2.4.5"),
        ({"number": "1.2"}, "number", "Les 1.2 bestaat al"),
        ({"number": "2.1"}, "number", "begint met 1"),
        ({"sources-0-title": "Rapport", "sources-0-year": "twintig"}, "sources-0-year", 'value="twintig"'),
        ({"sources-0-title": "Rapport", "sources-0-year": "1066"}, "sources-0-year", "tussen 1800 en 2100"),
        ({"number": "1.02"}, "number", 'value="1.02"'),
        ({"number": "01.4"}, "number", 'value="01.4"'),
        ({"sources-0-title": "Rapport", "sources-0-url": "javascript:alert(1)"}, "sources-0-url", "https://"),
        ({"quotes-0-text": "Alleen tekst."}, "quotes-0-speaker", "Vul in wie het zei."),
    ],
)
def test_bad_input_is_shown_at_the_field_and_nothing_is_stored(moderator_client, overrides, field, message):
    chapter = make_chapter()
    make_lesson(chapter, "1.2")
    before = revision_count()
    data = form_data(chapter=str(chapter.id), number="1.4", title="Nieuwe les", body="Mijn tekst blijft.")
    data.update(overrides)
    response = moderator_client.post("/gids/les/nieuw", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert field in errors_in(html)
    assert message in html
    assert "Mijn tekst blijft." in html  # the input is kept
    assert 'class="error-summary"' in html
    assert revision_count() == before
    assert db.session.scalar(select(func.count()).select_from(Lesson)) == 1


def error_text(html: str, field: str) -> str:
    """The visible text of the error shown at ``field``."""
    match = re.search(rf'<p class="field__error" id="{re.escape(field)}-error"[^>]*>(.*?)</p>', html, re.S)
    assert match, f"no error at {field}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_a_year_that_is_not_a_number_gets_one_dutch_message(moderator_client):
    chapter = make_chapter()
    data = form_data(chapter=str(chapter.id), number="1.4", title="Nieuwe les", body="Mijn tekst blijft.")
    data.update({"sources-0-title": "Rapport", "sources-0-year": "twintig"})
    html = moderator_client.post("/gids/les/nieuw", data=data).get_data(as_text=True)
    assert errors_in(html) == ["sources-0-year"]
    assert error_text(html, "sources-0-year") == "Fout: Vul een jaar in tussen 1800 en 2100."
    assert 'name="sources-0-year" type="text" value="twintig"' in html
    assert "Not a valid" not in html
    assert db.session.scalar(select(func.count()).select_from(Lesson)) == 0


@pytest.mark.parametrize(("name", "limit"), [("quotes", 20), ("sources", 50)])
def test_more_entries_than_allowed_are_refused_at_the_list_and_kept(moderator_client, name, limit):
    chapter = make_chapter()
    data = form_data(chapter=str(chapter.id), number="1.4", title="Nieuwe les", body="Mijn tekst blijft.")
    for i in range(limit + 1):
        if name == "quotes":
            data.update({f"quotes-{i}-text": f"Citaat nummer {i}.", f"quotes-{i}-speaker": "Jan"})
        else:
            data.update({f"sources-{i}-title": f"Rapport nummer {i}"})
    response = moderator_client.post("/gids/les/nieuw", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert errors_in(html) == [name]
    assert f'href="#{name}-error"' in html  # listed in the error summary
    assert f"nummer {limit}" in html  # the entry over the limit is still in the form
    assert db.session.scalar(select(func.count()).select_from(Lesson)) == 0


@pytest.mark.parametrize("base_revision", ["abc", "1.0", "9" * 40])
def test_a_damaged_base_revision_is_a_clear_conflict(moderator_client, base_revision):
    import_shipped()
    lesson = db.session.scalar(select(Lesson))
    url = f"{LESSON_URL}/bewerken"
    data = form_data(lesson, title="Mijn titel", change_note="Titel", base_revision=base_revision)
    response = moderator_client.post(url, data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html and 'value="Mijn titel"' in html
    assert revision_count() == 1
    # The page now carries no damaged marker: saving again is a deliberate save.
    assert re.search(r'<input id="base_revision" name="base_revision" type="hidden" value="">', html)
    again = moderator_client.post(url, data={**data, "base_revision": ""})
    assert again.status_code == 302 and revision_count() == 2


def test_the_edit_form_carries_what_the_editor_started_from(moderator_client):
    import_shipped()
    lesson = db.session.scalar(select(Lesson))
    html = moderator_client.get(f"{LESSON_URL}/bewerken").get_data(as_text=True)
    assert 'name="base_revision" type="hidden" value="1"' in html
    version = services.details_version(lesson)
    assert version.isdigit()
    assert f'name="base_version" type="hidden" value="{version}"' in html


def test_a_stale_form_does_not_put_old_details_back(moderator_client, moderator):
    import_shipped()
    lesson = db.session.scalar(select(Lesson))
    url = f"{LESSON_URL}/bewerken"
    html = moderator_client.get(url).get_data(as_text=True)
    version = re.search(r'name="base_version" type="hidden" value="(\d+)"', html).group(1)
    stale = form_data(lesson, change_note="", base_version=version)
    # Another editor withdraws the lesson meanwhile (details only, no new revision).
    services.save_lesson(
        lesson,
        details_of(lesson, status="draft"),
        lesson.current_revision.content(),
        editor=moderator,
        change_note="",
    )
    response = moderator_client.post(url, data=stale)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'class="error-summary"' in html
    db.session.expire_all()
    assert not lesson.is_published
    # The form now carries the lesson's current details version: saving again is deliberate.
    current = services.details_version(lesson)
    assert f'name="base_version" type="hidden" value="{current}"' in html
    again = moderator_client.post(url, data={**stale, "base_version": current})
    assert again.status_code == 302


def test_editing_makes_a_revision_and_an_unchanged_save_none(moderator_client):
    import_shipped()
    lesson = db.session.scalar(select(Lesson))
    url = f"{LESSON_URL}/bewerken"
    unchanged = moderator_client.post(url, data=form_data(lesson), follow_redirects=True)
    assert "Er is niets veranderd. Daarom is er geen nieuwe versie gemaakt." in unchanged.get_data(
        as_text=True
    )
    assert revision_count() == 1

    body = lesson.current_revision.body.replace("Niet in al deze wijken", "Lang niet in al deze wijken")
    missing_note = moderator_client.post(url, data=form_data(lesson, body=body))
    assert "change_note" in errors_in(missing_note.get_data(as_text=True))
    assert revision_count() == 1

    saved = moderator_client.post(url, data=form_data(lesson, body=body, change_note="Nuance"))
    assert saved.status_code == 302
    db.session.expire_all()
    assert lesson.current_revision.number == 2 and lesson.current_revision.change_note == "Nuance"
    assert "Lang niet in al deze wijken" in lesson.current_revision.body_html


def test_preview_renders_without_storing(moderator_client):
    import_shipped()
    lesson = db.session.scalar(select(Lesson))
    data = form_data(
        lesson, body="## Kopje\n\nNieuwe **vette** tekst <script>alert(1)</script>", preview="Preview"
    )
    del data["save"]
    response = moderator_client.post(f"{LESSON_URL}/bewerken", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    # Under the preview's own heading (h2) and the lesson's title (h3), a "##" heading is an h4.
    assert "<h4>Kopje</h4>" in html and "<strong>vette</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert revision_count() == 1


def test_chapter_edit_and_bad_input(moderator_client):
    import_shipped()
    response = moderator_client.post(
        "/gids/1/bewerken", data={"number": "1", "title": "Vooraf", "objectives": "Eén\nTwee", "save": "Save"}
    )
    assert response.status_code == 302
    assert "<li>Twee</li>" in moderator_client.get("/gids/1/").get_data(as_text=True)
    bad = moderator_client.post("/gids/1/bewerken", data={"number": "een", "title": "", "save": "Save"})
    assert bad.status_code == 200
    assert {"number", "title"} <= set(errors_in(bad.get_data(as_text=True)))
    renumber = moderator_client.post(
        "/gids/1/bewerken", data={"number": "3", "title": "Vooraf", "save": "Save"}
    )
    assert "number" in errors_in(renumber.get_data(as_text=True))


def test_history_diff_and_restore(moderator_client, moderator):
    import_shipped()
    lesson = db.session.scalar(select(Lesson))
    new_body = lesson.current_revision.body.replace(
        "De aanpak verschilde per wijk.", "De aanpak verschilde sterk."
    )
    services.save_lesson(
        lesson,
        details_of(lesson),
        {**lesson.current_revision.content(), "body": new_body},
        editor=moderator,
        change_note="Zin aangepast",
    )
    history = moderator_client.get(f"{LESSON_URL}/geschiedenis").get_data(as_text=True)
    assert "Zin aangepast" in history and "Mo Derator" in history
    diff = moderator_client.get(f"{LESSON_URL}/verschil?van=1&naar=2").get_data(as_text=True)
    inserted = re.findall(r"<ins><span class=\"visually-hidden\"[^>]*>\[[^<]*</span>(.*?)<span", diff)
    deleted = re.findall(r"<del><span class=\"visually-hidden\"[^>]*>\[[^<]*</span>(.*?)<span", diff)
    assert inserted == ["sterk"] and deleted == ["per wijk"]
    assert moderator_client.get(f"{LESSON_URL}/verschil?van=1&naar=9").status_code == 404
    assert moderator_client.get(f"{LESSON_URL}/verschil?van=x&naar=y").status_code == 200

    confirmation = moderator_client.get(f"{LESSON_URL}/versie/1/herstellen")
    assert confirmation.status_code == 200 and revision_count() == 2  # asking stores nothing
    response = moderator_client.post(f"{LESSON_URL}/versie/1/herstellen")
    assert response.status_code == 302
    db.session.expire_all()
    assert lesson.current_revision.number == 3
    assert "De aanpak verschilde per wijk." in lesson.current_revision.body


def test_publishing_an_edition_and_whats_new(admin_client, moderator):
    import_shipped()
    lesson = db.session.scalar(select(Lesson))
    services.save_lesson(
        lesson,
        details_of(lesson),
        {**lesson.current_revision.content(), "title": "Nieuwe titel"},
        editor=moderator,
        change_note="Titel",
    )
    front = admin_client.get("/gids/").get_data(as_text=True)
    assert "Nieuwe titel" in front.split("edition-box")[1].split("</section>")[0]
    empty = admin_client.post("/edities/nieuw", data={"title": ""})
    assert "title" in errors_in(empty.get_data(as_text=True))
    response = admin_client.post(
        "/edities/nieuw", data={"title": "Derde versie", "published_on": "2025-01-31"}
    )
    assert response.status_code == 302 and response.location.endswith("/editie/3/nieuw")
    news = admin_client.get("/editie/3/nieuw").get_data(as_text=True)
    assert f'href="{LESSON_URL}/verschil?van=1&amp;naar=2"' in news
    old = admin_client.get(f"/editie/2/les/{LESSON_REF}").get_data(as_text=True)
    assert "Wat de wijkengids beoogt" in old and "Nieuwe titel" not in old
    assert "Nieuwe titel" in admin_client.get(f"/editie/3/les/{LESSON_REF}").get_data(as_text=True)


def test_user_text_is_sanitised(client):
    chapter = make_chapter()
    make_lesson(
        chapter,
        "1.2",
        "Veilig",
        body="<img src=x onerror=alert(1)> [klik](javascript:alert(1))",
        quotes=[{"text": "Citaat", "speaker": "<b>Jan</b>", "organisation": ""}],
    )
    html = client.get("/les/1.2-veilig").get_data(as_text=True)
    assert not re.search(r"<img|href=\"javascript", html)
    assert "&lt;b&gt;Jan&lt;/b&gt;" in html


# --- query counts ---------------------------------------------------------------------------------


def _build_guide(size: int):
    chapter = make_chapter(1, "Vooraf", objectives=["Eén", "Twee"])
    theme = make_theme()
    for i in range(size):
        make_lesson(
            chapter,
            f"1.{i + 1}",
            themes=[theme],
            audiences=["bewoners", "professionals"],
            sources=[
                {"title": f"Bron {i}", "authors": "", "publisher": "", "year": 2010, "url": "", "note": ""}
            ],
        )
    services.publish_edition(title="Editie", published_on=None, note="", actor=None)
    lesson = db.session.scalar(select(Lesson).where(Lesson.number == "1.2"))
    services.save_lesson(lesson, details_of(lesson), content("Gewijzigd"), editor=None, change_note="x")
    db.session.expire_all()


def _counts(client, count_queries) -> dict:
    pages = {
        "front": "/gids/",
        "chapter": "/gids/1/",
        "lesson": "/les/1.2-les-1-2",
        "theme": "/thema/burgerschap",
    }
    counts = {}
    for name, url in pages.items():
        with count_queries() as counter:
            response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        counts[name] = counter.count
    return counts


def test_query_counts_do_not_grow_with_the_number_of_lessons(app, count_queries, client):
    _build_guide(3)
    small = _counts(client, count_queries)
    from tests.conftest import empty_all_tables

    empty_all_tables()
    _build_guide(300)
    large = _counts(client, count_queries)
    assert small == large, (small, large)
    # the lesson and theme pages: their own queries and one each for the discussions, circles and
    # contributions panels (a lesson's provenance, a theme's contributions)
    assert large["front"] <= 6 and large["chapter"] <= 3 and large["lesson"] <= 8 and large["theme"] <= 6
    print(f"\nquery counts (anonymous): {large}")
