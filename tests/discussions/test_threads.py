"""Threads and posts: pages, permissions, questions and best answers, quotes, edits with history,
deletes that keep numbers, moderation, reading state, bad input, query counts and concurrency."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select

from cop.discussions import services
from cop.discussions.models import Post, PostRevision, Thread, ThreadReader
from cop.extensions import db
from cop.transactions import DomainError
from tests.conftest import logged_in
from tests.discussions.factories import bulk_posts, start_thread
from tests.factories import make_user
from tests.guide.factories import make_chapter, make_lesson, make_theme


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def theme():
    return make_theme(slug="burgerschap", title="Burgerschap")


@pytest.fixture
def asker():
    return make_user(display_name="Anna de Vries")


@pytest.fixture
def question(asker, theme):
    return start_thread(asker, theme, title="Hoe werf je bewoners?", body="Wie weet raad?", kind="question")


# --- lists and starting ---------------------------------------------------------------------------


def test_a_confirmed_member_starts_a_thread_and_follows_it(app, theme, member):
    client = logged_in(app, member)
    response = client.post(
        "/thema/burgerschap/discussies/nieuw",
        data={"kind": "question", "title": "Ervaring met buurtbudgetten?", "body": "Wie heeft **ervaring**?"},
    )
    thread = db.session.scalar(select(Thread))
    assert response.status_code == 302 and response.location.endswith(f"/discussie/{thread.ref}")
    assert thread.ref == f"{thread.id}-ervaring-met-buurtbudgetten"
    assert thread.is_question and thread.last_number == 1 and thread.reply_count == 0
    page = client.get(response.location).get_data(as_text=True)
    assert "<strong>ervaring</strong>" in page and "Je volgt deze discussie." in page
    assert db.session.get(ThreadReader, (member.id, thread.id)).level.value == "following"


def test_unconfirmed_and_anonymous_read_but_cannot_post(app, client, theme, asker, question):
    unconfirmed = logged_in(app, make_user(confirmed=False))
    for reader in (client, unconfirmed):
        page = reader.get(f"/discussie/{question.ref}").get_data(as_text=True)
        assert "Wie weet raad?" in page
        assert 'action="/discussie/' not in page.split('id="reageren"')[1]  # no reply form
    assert "Log in om te reageren" in client.get(f"/discussie/{question.ref}").get_data(as_text=True)
    assert client.post(f"/discussie/{question.ref}/reageren", data={"body": "x"}).location.startswith(
        "/account/inloggen"
    )
    assert unconfirmed.post(f"/discussie/{question.ref}/reageren", data={"body": "x"}).location.startswith(
        "/account/bevestigen"
    )
    assert client.get("/thema/burgerschap/discussies/nieuw").location.startswith("/account/inloggen")
    assert count(Post) == 1


def test_the_theme_page_shows_the_five_latest_threads_and_the_list_shows_all(client, theme, asker):
    for n in range(7):
        start_thread(asker, theme, title=f"Onderwerp {n}", body="Tekst")
    page = client.get("/thema/burgerschap").get_data(as_text=True)
    shown = re.findall(r"Onderwerp (\d)", page)
    assert shown == ["6", "5", "4", "3", "2"]
    assert 'href="/thema/burgerschap/discussies"' in page
    listing = client.get("/thema/burgerschap/discussies").get_data(as_text=True)
    assert len(re.findall(r"Onderwerp \d</a>", listing)) == 7
    assert "7 discussies" in listing


def test_the_list_puts_pinned_first_then_last_activity_and_filters_questions(
    client, theme, asker, moderator, question
):
    old = start_thread(asker, theme, title="Oude discussie", body="Tekst")
    recent = start_thread(asker, theme, title="Recente discussie", body="Tekst")
    services.reply(old, moderator, "Een reactie maakt hem actief")
    services.moderate(recent, "pin", moderator)
    titles = re.findall(
        r'<a href="/discussie/[^"]+">([^<]+)</a>',
        client.get("/thema/burgerschap/discussies").get_data(as_text=True),
    )
    assert titles[:3] == ["Recente discussie", "Oude discussie", "Hoe werf je bewoners?"]
    questions = client.get("/thema/burgerschap/discussies?soort=vragen").get_data(as_text=True)
    assert "Hoe werf je bewoners?" in questions and "Oude discussie" not in questions
    reply = services.reply(question, moderator, "Zo doe je dat")
    services.choose_best_answer(question, reply, question.author)
    assert "Hoe werf je bewoners?" not in client.get(
        "/thema/burgerschap/discussies?soort=onbeantwoord"
    ).get_data(as_text=True)
    assert "Beantwoord" in client.get("/thema/burgerschap/discussies").get_data(as_text=True)


def test_a_member_sees_which_threads_have_unread_posts(app, theme, asker, member, question):
    client = logged_in(app, member)
    client.get(f"/discussie/{question.ref}")
    assert "Nieuwe berichten" not in client.get("/thema/burgerschap/discussies").get_data(as_text=True)
    services.reply(question, asker, "Nog een vraag erbij")
    listing = client.get("/thema/burgerschap/discussies").get_data(as_text=True)
    assert f'href="/discussie/{question.ref}/ongelezen"' in listing
    response = client.get(f"/discussie/{question.ref}/ongelezen")
    assert response.location.endswith(f"/discussie/{question.ref}#bericht-2")


# --- a thread's pages -----------------------------------------------------------------------------


def test_posts_come_in_pages_of_twenty_with_the_reply_form_under_the_last(
    app, theme, asker, member, question
):
    bulk_posts(question, [asker, member], 44)  # 45 posts: pages of 20, 20 and 5
    client = logged_in(app, member)
    first = client.get(f"/discussie/{question.ref}").get_data(as_text=True)
    assert 'id="bericht-1"' in first and 'id="bericht-20"' in first and 'id="bericht-21"' not in first
    assert 'id="reageren"' not in first
    last = client.get(f"/discussie/{question.ref}?pagina=3").get_data(as_text=True)
    assert 'id="bericht-41"' in last and 'id="bericht-45"' in last and 'id="reageren"' in last
    assert client.get(f"/discussie/{question.ref}?pagina=4").status_code == 404
    assert client.get(f"/discussie/{question.ref}?pagina=999999999999").status_code == 200  # back to page 1


def test_a_permalink_lands_on_the_right_page_also_after_earlier_posts_were_deleted(
    client, theme, asker, member, question
):
    bulk_posts(question, [member], 30)
    for number in range(2, 12):
        services.delete_post(
            db.session.scalar(select(Post).filter_by(thread_id=question.id, number=number)), asker
        )
    response = client.get(f"/discussie/{question.ref}/bericht/25")
    assert response.location == f"/discussie/{question.ref}?pagina=2#bericht-25"
    assert 'id="bericht-25"' in client.get(response.location.split("#")[0]).get_data(as_text=True)
    assert client.get(f"/discussie/{question.ref}/bericht/99").status_code == 404


def test_an_outdated_slug_redirects_and_an_unknown_thread_is_404(client, question):
    assert client.get(f"/discussie/{question.id}-oude-titel").location.endswith(f"/discussie/{question.ref}")
    assert client.get(f"/discussie/{question.id}").status_code == 301
    for missing in ("999999-niets", "abc", "1" * 30, "-5"):
        assert client.get(f"/discussie/{missing}").status_code == 404


def test_reading_advances_once_and_never_goes_back(app, asker, member, question, count_queries):
    bulk_posts(question, [asker], 29)  # 30 posts, two pages
    client = logged_in(app, member)
    client.get(f"/discussie/{question.ref}?pagina=2")
    assert db.session.get(ThreadReader, (member.id, question.id)).last_read == 30
    with count_queries() as counter:
        client.get(f"/discussie/{question.ref}?pagina=1")
    writes = [s for s in counter.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []  # nothing new read: nothing written
    assert db.session.get(ThreadReader, (member.id, question.id)).last_read == 30


def test_an_anonymous_read_writes_nothing(client, question, count_queries):
    with count_queries() as counter:
        for path in (f"/discussie/{question.ref}", "/thema/burgerschap/discussies", "/thema/burgerschap"):
            assert client.get(path).status_code == 200
    assert not [s for s in counter.statements if not s.lstrip().upper().startswith("SELECT")]


# --- replying, quoting ----------------------------------------------------------------------------


def test_quoting_prefills_the_form_and_the_quote_links_back(app, asker, member, question):
    client = logged_in(app, member)
    page = client.get(f"/discussie/{question.ref}?citeer=1").get_data(as_text=True)
    textarea = page.split('name="body"', 1)[1].split("</textarea>", 1)[0]
    assert f"&gt; [Anna de Vries schreef](/discussie/{question.ref}/bericht/1):" in textarea
    assert "&gt; Wie weet raad?" in textarea
    body = f"> [Anna de Vries schreef](/discussie/{question.ref}/bericht/1):\n> Wie weet raad?\n\nIk!"
    client.post(f"/discussie/{question.ref}/reageren", data={"body": body})
    reply = db.session.scalar(select(Post).filter_by(thread_id=question.id, number=2))
    assert (
        f'<a href="/discussie/{question.ref}/bericht/1"' in reply.body_html
        and "<blockquote>" in reply.body_html
    )


def test_quoting_a_post_that_does_not_exist_says_so(app, member, question):
    page = logged_in(app, member).get(f"/discussie/{question.ref}?citeer=7").get_data(as_text=True)
    assert "Dat bericht bestaat niet (meer)" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": ""}, "Schrijf je bericht."),
        ({"body": "   "}, "Schrijf je bericht."),
        ({"body": "x" * 60_000}, "Gebruik maximaal 50000 tekens."),
    ],
)
def test_a_bad_reply_gets_a_message_at_the_field_and_stores_nothing(app, member, question, data, message):
    response = logged_in(app, member).post(f"/discussie/{question.ref}/reageren", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="body-error"' in page and message in page
    if data["body"].strip():
        assert data["body"] in page  # kept
    assert count(Post) == 1 and db.session.get(Thread, question.id).last_number == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "discussion", "title": "", "body": "Tekst"}, "title", "Vul een titel in."),
        (
            {"kind": "discussion", "title": "x" * 201, "body": "Tekst"},
            "title",
            "Gebruik maximaal 200 tekens.",
        ),
        (
            {"kind": "discussion", "title": "Titel", "body": "y" * 60_000},
            "body",
            "Gebruik maximaal 50000 tekens.",
        ),
        ({"kind": "iets", "title": "Titel", "body": "Tekst"}, "kind", "Ongeldige keuze"),
    ],
)
def test_a_bad_new_thread_gets_a_message_at_the_field_and_stores_nothing(
    app, theme, member, data, field, message
):
    response = logged_in(app, member).post("/thema/burgerschap/discussies/nieuw", data=data)
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page, page[page.find("error-summary") :][:600]
    assert count(Thread) == 0 and count(Post) == 0


def test_a_preview_shows_the_post_and_stores_nothing(app, member, question):
    response = logged_in(app, member).post(
        f"/discussie/{question.ref}/reageren", data={"body": "Een *voorbeeld*", "preview": "Voorvertoning"}
    )
    page = response.get_data(as_text=True)
    assert "<em>voorbeeld</em>" in page and "Een *voorbeeld*" in page
    assert count(Post) == 1


def test_a_locked_thread_takes_no_replies(app, moderator, member, question):
    services.moderate(question, "lock", moderator)
    client = logged_in(app, member)
    page = client.get(f"/discussie/{question.ref}").get_data(as_text=True)
    assert "Deze discussie is gesloten" in page
    response = client.post(
        f"/discussie/{question.ref}/reageren", data={"body": "Toch nog iets"}, follow_redirects=True
    )
    assert "Deze discussie is gesloten" in response.get_data(as_text=True)
    assert count(Post) == 1
    with pytest.raises(DomainError):
        services.reply(db.session.get(Thread, question.id), member, "Via de service")


# --- questions and best answers -------------------------------------------------------------------


def test_the_asker_marks_the_best_answer_changes_and_takes_it_back(app, client, asker, member, question):
    first = services.reply(question, member, "Eerste antwoord")
    second = services.reply(question, make_user(), "Tweede antwoord")
    asking = logged_in(app, asker)
    assert asking.post(f"/discussie/{question.ref}/beste-antwoord", data={"post": "2"}).status_code == 302
    page = client.get(f"/discussie/{question.ref}").get_data(as_text=True)
    under_question = page.split('id="bericht-1"', 1)[1].split('id="bericht-2"', 1)[0]
    assert "Beste antwoord" in under_question and "Eerste antwoord" in under_question
    asking.post(f"/discussie/{question.ref}/beste-antwoord", data={"post": str(second.number)})
    assert db.session.get(Thread, question.id).best_post_id == second.id
    asking.post(f"/discussie/{question.ref}/beste-antwoord", data={"post": ""})
    assert db.session.get(Thread, question.id).best_post_id is None
    assert first.number == 2


def test_only_the_asker_or_a_moderator_chooses_the_best_answer(app, asker, member, moderator, question):
    services.reply(question, member, "Antwoord")
    assert (
        logged_in(app, member)
        .post(f"/discussie/{question.ref}/beste-antwoord", data={"post": "2"})
        .status_code
        == 403
    )
    assert (
        logged_in(app, moderator)
        .post(f"/discussie/{question.ref}/beste-antwoord", data={"post": "2"})
        .status_code
        == 302
    )
    assert db.session.get(Thread, question.id).best_post_id is not None
    for bad in ("1", "999", "abc"):
        response = logged_in(app, asker).post(f"/discussie/{question.ref}/beste-antwoord", data={"post": bad})
        assert response.status_code in (302, 400, 404)
    assert db.session.get(Thread, question.id).best_post_id == db.session.scalar(
        select(Post.id).filter_by(thread_id=question.id, number=2)
    )


def test_a_discussion_has_no_best_answer(asker, theme):
    thread = start_thread(asker, theme, title="Gewoon praten", body="Tekst")
    reply = services.reply(thread, asker, "Zelf een reactie")
    with pytest.raises(DomainError):
        services.choose_best_answer(thread, reply, asker)


# --- editing and deleting -------------------------------------------------------------------------


def test_an_author_edits_and_everyone_who_reads_sees_the_earlier_version(app, client, asker, question):
    response = logged_in(app, asker).post(
        f"/discussie/{question.ref}/bericht/1/bewerken",
        data={"title": "Hoe werf je bewoners in de wijk?", "body": "Wie weet raad? Aangevuld."},
    )
    assert response.status_code == 302
    thread = db.session.get(Thread, question.id)
    assert thread.title == "Hoe werf je bewoners in de wijk?"
    page = client.get(f"/discussie/{thread.ref}").get_data(as_text=True)
    assert "Aangevuld." in page and ">bewerkt<" in page
    history = client.get(f"/discussie/{thread.ref}/bericht/1/geschiedenis").get_data(as_text=True)
    assert "Wie weet raad?</p>" in history and "Aangevuld." in history
    assert count(PostRevision) == 1


def test_a_member_cannot_edit_or_delete_anothers_post_a_moderator_can(
    app, asker, member, moderator, question
):
    reply = services.reply(question, asker, "Van de vraagsteller")
    other = logged_in(app, member)
    assert other.get(f"/discussie/{question.ref}/bericht/{reply.number}/bewerken").status_code == 403
    assert (
        other.post(
            f"/discussie/{question.ref}/bericht/{reply.number}/bewerken", data={"body": "gekaapt"}
        ).status_code
        == 403
    )
    assert other.post(f"/discussie/{question.ref}/bericht/{reply.number}/verwijderen").status_code == 403
    assert other.post(f"/discussie/{question.ref}/vastzetten").status_code == 403
    assert other.post(f"/discussie/{question.ref}/sluiten").status_code == 403
    assert db.session.get(Post, reply.id).body == "Van de vraagsteller"
    mod = logged_in(app, moderator)
    mod.post(f"/discussie/{question.ref}/bericht/{reply.number}/bewerken", data={"body": "Door de moderator"})
    assert db.session.get(Post, reply.id).body == "Door de moderator"


def test_a_deleted_post_keeps_its_place_and_its_text_is_for_moderators(
    app, client, asker, member, moderator, question
):
    first = services.reply(question, member, "Geheime tekst die weg moet")
    services.reply(question, asker, "Een latere reactie")
    services.edit_post(first, member, "Geheime tekst, bewerkt")
    response = logged_in(app, member).post(f"/discussie/{question.ref}/bericht/2/verwijderen")
    assert response.status_code == 302
    thread = db.session.get(Thread, question.id)
    assert thread.reply_count == 1 and thread.last_number == 3
    for reader in (client, logged_in(app, member)):
        page = reader.get(f"/discussie/{question.ref}").get_data(as_text=True)
        assert "Bericht verwijderd" in page and "Geheime tekst" not in page and 'id="bericht-3"' in page
        assert reader.get(f"/discussie/{question.ref}/bericht/2/geschiedenis").status_code == 404
    moderator_view = logged_in(app, moderator).get(f"/discussie/{question.ref}").get_data(as_text=True)
    assert "Geheime tekst, bewerkt" in moderator_view
    with pytest.raises(DomainError):
        services.delete_post(
            db.session.scalar(select(Post).filter_by(thread_id=question.id, number=1)), asker
        )


def test_moderation_is_written_to_the_security_log(app, moderator, question, caplog):
    client = logged_in(app, moderator)
    with caplog.at_level("INFO", logger="cop.security"):
        for action in ("vastzetten", "sluiten", "heropenen", "losmaken"):
            assert client.post(f"/discussie/{question.ref}/{action}").status_code == 302
    for event in ("thread_pin", "thread_lock", "thread_unlock", "thread_unpin"):
        assert f"event={event} user_id={moderator.id}" in caplog.text
    thread = db.session.get(Thread, question.id)
    assert not thread.pinned and not thread.locked


# --- the lesson page ------------------------------------------------------------------------------


def test_discuss_this_lesson_starts_a_thread_that_the_lesson_page_lists(app, client, member):
    theme = make_theme(slug="burgerschap", title="Burgerschap")
    other_theme = make_theme(slug="wonen", title="Wonen", position=1)
    lesson = make_lesson(make_chapter(), "1.2", "Wat de wijkengids beoogt", themes=[theme])
    page = client.get(f"/les/{lesson.ref}").get_data(as_text=True)
    start = f"/thema/burgerschap/discussies/nieuw?les={lesson.ref}"
    assert f'href="{start}"' in page and "Bespreek deze les" in page
    author = logged_in(app, member)
    form = author.get(start).get_data(as_text=True)
    assert 'value="Over les 1.2: Wat de wijkengids beoogt"' in form and 'name="theme"' in form
    response = author.post(
        start, data={"kind": "discussion", "theme": "wonen", "title": "Over les 1.2", "body": "Mijn vraag"}
    )
    thread = db.session.scalar(select(Thread))
    assert response.status_code == 302
    assert thread.lesson_id == lesson.id and thread.container_id == other_theme.id
    assert "Over les 1.2</a>" in client.get(f"/les/{lesson.ref}").get_data(as_text=True)
    assert client.get("/thema/burgerschap/discussies/nieuw?les=9.9-niets").status_code in (302, 404)
    assert author.get("/thema/burgerschap/discussies/nieuw?les=9.9-niets").status_code == 404


# --- scale ----------------------------------------------------------------------------------------


def _build(app, size: int):
    theme = make_theme(slug="burgerschap", title="Burgerschap")
    lesson = make_lesson(make_chapter(), "1.2", "Les", themes=[theme])
    authors = [make_user() for _ in range(3)]
    big = start_thread(authors[0], theme, title="Lange draad", body="Begin", lesson=lesson)
    bulk_posts(big, authors, size - 1)
    for n in range(min(size, 30)):
        start_thread(authors[n % 3], theme, title=f"Draad {n}", body="Tekst", lesson=lesson)
    return big, lesson, authors


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_discussion_pages_run_a_fixed_number_of_queries(app, count_queries, role):
    """The theme's list, the first and last page of a long thread, the lesson page with its panel:
    the same number of queries with 10 posts and with 5,000."""
    from tests.conftest import empty_all_tables

    counts = []
    for size in (10, 5000):
        big, lesson, authors = _build(app, size)
        client = app.test_client() if role == "anonymous" else logged_in(app, authors[1])
        last_page = (size - 1) // 20 + 1
        paths = {
            "theme list": "/thema/burgerschap/discussies",
            "theme page": "/thema/burgerschap",
            "thread first page": f"/discussie/{big.ref}",
            "thread last page": f"/discussie/{big.ref}?pagina={last_page}",
            "lesson page": f"/les/{lesson.ref}",
        }
        measured = {}
        for name, path in paths.items():
            client.get(path)  # a member's first visit records the reading position
            with count_queries() as counter:
                assert client.get(path).status_code == 200, path
            measured[name] = counter.count
        counts.append(measured)
        empty_all_tables()
    small, large = counts
    # 10 posts make one page, which is also the last (with the reply form): compare it with the last
    # page of 5,000; every other page costs the same at both sizes.
    assert small.pop("thread first page") == large["thread last page"], counts
    assert large.pop("thread first page") <= large["thread last page"], counts
    assert small == large, counts
    # the lesson page: the guide's queries, the discussions, circles and contributions panels (a
    # member's visit after the first records nothing)
    assert max(large.values()) <= 11, large
    print(f"\nquery counts ({role}): {counts[1]}")


@pytest.mark.commits  # two connections must race for real
def test_two_replies_at_the_same_moment_get_consecutive_numbers(app, theme, asker):
    thread = start_thread(asker, theme, title="Drukte", body="Begin")
    members = [make_user() for _ in range(4)]
    db.session.commit()
    barrier = threading.Barrier(len(members))
    errors = []

    def post(member_id):
        with app.app_context():
            try:
                member = db.session.get(type(asker), member_id)
                current = db.session.get(Thread, thread.id)
                barrier.wait(timeout=10)
                for n in range(5):
                    services.reply(current, member, f"Bericht {n} van {member_id}")
            except Exception as error:  # noqa: BLE001 - collected and reported below
                errors.append(repr(error))
            finally:
                db.session.remove()

    workers = [threading.Thread(target=post, args=(member.id,)) for member in members]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert errors == []
    db.session.expire_all()
    numbers = sorted(db.session.scalars(select(Post.number).where(Post.thread_id == thread.id)))
    assert numbers == list(range(1, 22))
    stored = db.session.get(Thread, thread.id)
    assert stored.last_number == 21 and stored.reply_count == 20
