"""Search: Dutch words, synonyms, phrases, filters, what each viewer may find, the index kept in the
same transaction as every write, the rebuild command and the page's queries. The same tests run on
SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text

from cop.discussions import Post, moderating
from cop.discussions import services as discussions
from cop.extensions import db
from cop.guide.models import Theme
from cop.search import SearchDocument
from cop.search.text import parse
from tests.circles.factories import add_member, make_circle, plan_meeting
from tests.conftest import logged_in
from tests.contributions.factories import practice
from tests.discussions.factories import start_thread
from tests.factories import make_user
from tests.guide.factories import import_shipped
from tests.search.factories import bulk_threads, documents, result_titles


def search(client, q: str, **args):
    response = client.get("/zoeken", query_string={"q": q, **args})
    assert response.status_code == 200
    return response


def theme(slug: str = "wijkaanpak-algemeen") -> Theme:
    return db.session.scalar(select(Theme).where(Theme.slug == slug))


@pytest.fixture
def guide():
    import_shipped()


# --- Dutch ---------------------------------------------------------------------------------------


def test_wijken_bewoners_finds_lesson_1_2(client, guide):
    titles = result_titles(search(client, "wijken bewoners"))
    assert "Wat de wijkengids beoogt" in titles


def test_stemming_finds_other_forms_of_a_word(client, guide, member):
    start_thread(member, theme(), title="Een bewoner in onze wijk", body="Zij vertelde over haar straat.")
    assert "Een bewoner in onze wijk" in result_titles(search(client, "wijken bewoners"))
    assert "Een bewoner in onze wijk" in result_titles(search(client, "Bewoners"))


def test_accents_are_folded_and_stop_words_dropped(client, guide, member):
    start_thread(member, theme(), title="Café als ontmoetingsplek", body="Zoë opende een cafe in de buurt.")
    assert "Café als ontmoetingsplek" in result_titles(search(client, "cafe"))
    assert "Café als ontmoetingsplek" in result_titles(search(client, "zoe"))
    assert "Café als ontmoetingsplek" in result_titles(search(client, "de het een café"))
    only_stop_words = search(client, "de het een").get_data(as_text=True)
    assert "Very common words" in only_stop_words or "Heel gewone woorden" in only_stop_words


def test_short_terms_of_the_field_are_found(client, guide, member):
    start_thread(member, theme(), title="Samenwerken met de GGD", body="De BOA en de Wmo-consulent.")
    for term in ("GGD", "ggd", "boa", "Wmo"):
        assert "Samenwerken met de GGD" in result_titles(search(client, term)), term


def test_synonyms_of_the_list_find_each_other(client, guide, member):
    start_thread(member, theme(), title="Ervaringen met de buurtaanpak", body="Hoe begin je?")
    start_thread(member, theme(), title="Leven in een Vogelaarwijk", body="Tien jaar later.")
    start_thread(member, theme(), title="Gebiedsgericht werken in Zwolle", body="Een team per gebied.")
    assert "Ervaringen met de buurtaanpak" in result_titles(search(client, "wijkaanpak"))
    assert "Gebiedsgericht werken in Zwolle" in result_titles(search(client, "wijkaanpak"))
    assert "Leven in een Vogelaarwijk" in result_titles(search(client, "krachtwijken"))
    assert "Leven in een Vogelaarwijk" in result_titles(search(client, "40-wijk"))
    assert "Ervaringen met de buurtaanpak" in result_titles(search(client, "gebiedsgericht werken"))


def test_a_quoted_phrase_searches_the_phrase(client, guide, member):
    start_thread(member, theme(), title="Buurttafels", body="Wij hielden buurttafels in Kanaleneiland.")
    start_thread(
        member, theme(), title="Andersom", body="In Kanaleneiland geen tafels, wel buurttafels elders."
    )
    titles = result_titles(search(client, '"buurttafels in Kanaleneiland"'))
    assert titles == ["Buurttafels"]
    assert set(result_titles(search(client, "buurttafels kanaleneiland"))) == {"Buurttafels", "Andersom"}


def test_title_matches_come_first_with_a_safe_highlighted_snippet(client, guide, member):
    start_thread(
        member, theme(), title="Iets anders", body="Over speeltuinen <script>alert(1)</script> en " * 5
    )
    start_thread(member, theme(), title="De speeltuin", body="Een plek om te spelen.")
    response = search(client, "speeltuin")
    assert result_titles(response)[0] == "De speeltuin"
    html = response.get_data(as_text=True)
    assert "<mark>speeltuinen</mark>" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_misspelling_without_hits_suggests_the_closest_word(client, guide):
    html = search(client, "wijkenagids").get_data(as_text=True)
    assert "Did you mean" in html or "Bedoel" in html
    assert ">wijkengids</a>" in html


@pytest.mark.parametrize(
    "q",
    [
        "",
        "x" * 1000,
        '"wijk',
        'wijk"',
        '"',
        '""',
        "AND",
        "wijk AND bewoner",
        "*",
        "wijk*",
        "NEAR(",
        "NEAR(wijk bewoner)",
        "-",
        "-wijk",
        "wijk\x00bewoner",
        "\x00",
        "' OR 1=1 --",
        "{index_title} : wijk",
        "wijk:A & !",
        "(((",
        "^wijk",
        "é" * 300,
        "ＷＩＪＫ",
    ],
)
def test_hostile_input_gives_results_or_a_message(client, guide, q):
    response = client.get("/zoeken", query_string={"q": q, "pagina": "999999999999", "soort": "<x>"})
    # a NUL byte is refused for every page of the app (cop/security.py): 400 with a page that says so
    assert response.status_code == (400 if "\x00" in q else 200)


def test_very_long_query_is_shortened_and_said_so(client, guide):
    html = search(client, " ".join(["wijk"] + [f"woord{n}" for n in range(40)])).get_data(as_text=True)
    assert "first words" in html or "eerste woorden" in html


# --- filters and pages ---------------------------------------------------------------------------


def test_filters_by_type_theme_and_neighbourhood(app, guide, member):
    from tests.contributions.factories import submitted
    from tests.places.factories import import_places, place

    import_places()
    other_theme = db.session.scalars(select(Theme).where(Theme.slug != "wijkaanpak-algemeen")).first()
    start_thread(member, theme(), title="Buurtbudget eerste", body="Over het buurtbudget.")
    start_thread(member, other_theme, title="Buurtbudget tweede", body="Ook over het buurtbudget.")
    contribution = practice(
        member,
        title="Buurtbudget in Kanaleneiland",
        places=[place("kanaleneiland-utrecht")],
        themes=[other_theme],
    )
    submitted(contribution, member)
    reader = logged_in(app, make_user())
    assert set(result_titles(search(reader, "buurtbudget"))) == {
        "Buurtbudget eerste",
        "Buurtbudget tweede",
        "Buurtbudget in Kanaleneiland",
    }
    assert set(result_titles(search(reader, "buurtbudget", soort="thread"))) == {
        "Buurtbudget eerste",
        "Buurtbudget tweede",
    }
    assert result_titles(search(reader, "buurtbudget", soort="contribution")) == [
        "Buurtbudget in Kanaleneiland"
    ]
    assert result_titles(search(reader, "buurtbudget", thema="wijkaanpak-algemeen")) == ["Buurtbudget eerste"]
    assert result_titles(search(reader, "buurtbudget", thema=other_theme.slug, soort="thread")) == [
        "Buurtbudget tweede"
    ]
    assert result_titles(search(reader, "buurtbudget", wijk="kanaleneiland-utrecht")) == [
        "Buurtbudget in Kanaleneiland"
    ]


def test_results_are_paginated_with_right_counts(app, client, guide, member):
    bulk_threads(theme(), member, 45)
    first = search(client, "onderwerp")
    html = first.get_data(as_text=True)
    assert "45 results" in html or "45 resultaten" in html
    assert len(result_titles(first)) == 20
    third = search(client, "onderwerp", pagina="3")
    assert len(result_titles(third)) == 5
    seen = (
        result_titles(first) + result_titles(search(client, "onderwerp", pagina="2")) + result_titles(third)
    )
    assert len(set(seen)) == 45


def test_a_word_in_very_many_documents_counts_and_ranks_only_the_newest_hits(
    app, client, guide, member, monkeypatch
):
    from cop.search import queries

    monkeypatch.setattr(queries, "CANDIDATES", 30)
    bulk_threads(theme(), member, 45)  # "bewoners" is in every one, and in lessons of the guide
    first = search(client, "bewoners", soort="thread")
    html = first.get_data(as_text=True)
    assert "More than 30 results" in html or "Meer dan 30 resultaten" in html
    assert re.search(r"(Discussions|Discussies) \(30\+\)", html)  # the list of kinds says so too
    seen = result_titles(first) + result_titles(search(client, "bewoners", soort="thread", pagina="2"))
    assert sorted(int(title.split()[1]) for title in seen) == list(range(15, 45))  # the newest 30
    last = search(client, "bewoners", soort="thread", pagina="3")  # there is no third page
    assert result_titles(last) == result_titles(search(client, "bewoners", soort="thread", pagina="2"))
    monkeypatch.setattr(queries, "CANDIDATES", 45)
    html = search(client, "bewoners", soort="thread").get_data(as_text=True)
    assert "45 results" in html or "45 resultaten" in html
    assert re.search(r"(Discussions|Discussies) \(45\)", html)


def test_the_newest_hits_are_found_for_common_and_rare_words_alike(app, client, guide, member, monkeypatch):
    """With a small window (PostgreSQL reads the newest documents of a kind one by one, then reads
    on or asks the GIN index; SQLite's FTS5 index yields the newest hits itself), a word in every
    second thread, one only in the oldest ten and one in every thread all find their newest hits."""
    from cop.search import queries

    monkeypatch.setattr(queries, "CANDIDATES", 5)
    monkeypatch.setattr(queries, "WINDOWS", dict.fromkeys(queries.WINDOWS, 4))
    monkeypatch.setattr(queries, "DENSE", 2)
    for n in range(30):
        words = ["gewoon"] + (["tweede"] if n % 2 == 0 else []) + (["oudje"] if n < 10 else [])
        start_thread(member, theme(), title=f"Draad {n}", body=" ".join(words) + ".")

    def numbers(q):
        seen = result_titles(search(client, q, soort="thread"))
        return sorted(int(title.split()[1]) for title in seen)

    assert numbers("gewoon") == [25, 26, 27, 28, 29]  # the window holds enough
    assert numbers("tweede") == [20, 22, 24, 26, 28]  # two in the window: read on
    assert numbers("oudje") == [5, 6, 7, 8, 9]  # none in the window: the GIN index
    assert numbers("oudje tweede") == [0, 2, 4, 6, 8]


# --- what each viewer may find -------------------------------------------------------------------


def test_a_private_circles_thread_and_meeting_are_never_a_hit_for_a_non_member(app, client, guide):
    facilitator, insider, outsider = make_user(), make_user(), make_user()
    circle = make_circle(facilitator, name="Geheime kring", visibility="prive")
    add_member(circle, insider)
    discussions.start_thread(
        container_kind="circle",
        container=circle,
        author=facilitator,
        kind="discussion",
        title="Zorgwekkende signalen",
        body="Vertrouwelijk: kwetsbare gezinnen aan de Zonnestraat.",
    )
    plan_meeting(circle, facilitator, title="Zonnestraat overleg", agenda="Over de Zonnestraat.")
    for viewer in (client, logged_in(app, outsider)):
        response = search(viewer, "zonnestraat")
        assert result_titles(response) == []
        assert "Zorgwekkende" not in response.get_data(as_text=True)
        assert "Geheime kring" not in result_titles(search(viewer, "geheime kring"))
    titles = result_titles(search(logged_in(app, insider), "zonnestraat"))
    assert set(titles) == {"Zorgwekkende signalen", "Zonnestraat overleg"}


def test_a_deleted_post_is_not_a_hit(app, guide, member):
    thread = start_thread(member, theme(), title="Vraag", body="Wie weet het?")
    post = discussions.reply(thread, member, "Mijn antwoord noemt de Klaprooslaan.")
    reader = logged_in(app, make_user())
    assert result_titles(search(reader, "klaprooslaan")) == ["Vraag"]
    discussions.delete_post(post, member)
    assert result_titles(search(reader, "klaprooslaan")) == []


def test_a_renamed_thread_shows_its_new_title_beside_its_replies(app, guide, member):
    thread = start_thread(member, theme(), title="Vraag", body="Wie weet het?")
    discussions.reply(thread, member, "Mijn antwoord noemt de Klaprooslaan.")
    reader = logged_in(app, make_user())
    assert result_titles(search(reader, "klaprooslaan")) == ["Vraag"]
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.number == 1))
    discussions.edit_post(opening, member, "Wie weet het?", title="Groen in de Klaprooslaan")
    # the thread itself is now a title match; its reply is listed under the new title too
    assert result_titles(search(reader, "klaprooslaan")) == ["Groen in de Klaprooslaan"] * 2


def test_a_hidden_post_is_not_a_hit_for_members_but_for_moderators(app, guide, member, moderator):
    thread = start_thread(member, theme(), title="Vraag", body="Wie weet het?")
    post = discussions.reply(thread, member, "Een verhaal over de Klaprooslaan.")
    moderating.hide_post(post, moderator, "Persoonlijke gegevens")
    assert result_titles(search(logged_in(app, make_user()), "klaprooslaan")) == []
    assert result_titles(search(logged_in(app, moderator), "klaprooslaan")) == ["Vraag"]
    moderating.restore_post(post, moderator)
    assert result_titles(search(logged_in(app, make_user()), "klaprooslaan")) == ["Vraag"]


def test_a_hidden_thread_and_its_replies_are_not_hits_for_members(app, guide, member, moderator):
    thread = start_thread(member, theme(), title="Over de Klaprooslaan", body="Wie weet het?")
    discussions.reply(thread, member, "Ook de Klaprooslaan hier.")
    reader = logged_in(app, make_user())
    assert len(result_titles(search(reader, "klaprooslaan"))) == 2
    moderating.hide_thread(thread, moderator, "Dubbel")
    assert result_titles(search(reader, "klaprooslaan")) == []
    assert len(result_titles(search(logged_in(app, moderator), "klaprooslaan"))) == 2


def test_a_moved_thread_is_found_under_its_new_theme(app, guide, member, moderator):
    other = db.session.scalars(select(Theme).where(Theme.slug != "wijkaanpak-algemeen")).first()
    thread = start_thread(member, theme(), title="Verhuizende vraag", body="Over de Klaprooslaan.")
    discussions.reply(thread, member, "Antwoord over de Klaprooslaan.")
    moderating.move_thread(thread, other, moderator)
    reader = logged_in(app, make_user())
    assert result_titles(search(reader, "klaprooslaan", thema="wijkaanpak-algemeen")) == []
    assert len(result_titles(search(reader, "klaprooslaan", thema=other.slug))) == 2


def test_a_merged_thread_is_found_as_part_of_its_target(app, guide, member, moderator):
    target = start_thread(member, theme(), title="Het doel", body="Over buurtbudgetten.")
    source = start_thread(member, theme(), title="De dubbele", body="Ook over de Klaprooslaan.")
    discussions.reply(source, member, "En nog eens de Klaprooslaan.")
    moderating.merge_thread(source, target, moderator)
    response = search(logged_in(app, make_user()), "klaprooslaan")
    assert result_titles(response) == ["Het doel", "Het doel"]
    assert f"/discussie/{target.ref}/bericht/2" in response.get_data(as_text=True)
    assert f"/discussie/{target.ref}/bericht/3" in response.get_data(as_text=True)


def test_a_draft_contribution_is_found_only_by_its_author(app, guide, member):
    practice(member, title="Concept over moestuinen")
    assert result_titles(search(logged_in(app, member), "moestuinen")) == ["Concept over moestuinen"]
    assert result_titles(search(logged_in(app, make_user()), "moestuinen")) == []
    assert result_titles(search(app.test_client(), "moestuinen")) == []


def test_only_public_profiles_are_found(app, client):
    from cop.accounts import services as accounts

    shown = make_user(display_name="Pieter Openbaar")
    make_user(display_name="Pieter Besloten")
    accounts.update_profile(shown, profile_public=True)
    for viewer in (client, logged_in(app, make_user())):
        assert result_titles(search(viewer, "pieter")) == ["Pieter Openbaar"]
    accounts.update_profile(shown, profile_public=False)
    assert result_titles(search(client, "pieter")) == []


# --- the index follows every write, in the same transaction --------------------------------------


def test_writes_update_the_index_in_their_transaction(guide, member):
    thread = start_thread(member, theme(), title="Eerste titel", body="Tekst.")
    assert [d.title for d in documents("thread")] == ["Eerste titel"]
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.number == 1))
    discussions.edit_post(opening, member, "Nieuwe tekst over fietsen.", title="Tweede titel")
    assert [(d.title, "fietsen" in d.body) for d in documents("thread")] == [("Tweede titel", True)]


def test_a_rolled_back_write_leaves_the_index_as_it_was(guide, member):
    t = theme()
    db.session.commit()
    before = [(d.kind, d.object_id, d.title) for d in documents()]
    discussions.stage_thread(
        container_kind="theme",
        container=t,
        author=member,
        kind="discussion",
        title="Nooit bewaard",
        body="Weg.",
    )
    assert "Nooit bewaard" in [d.title for d in documents("thread")]  # in the transaction
    db.session.rollback()
    assert [(d.kind, d.object_id, d.title) for d in documents()] == before


def test_reindex_command_rebuilds_everything(runner, guide, member):
    start_thread(member, theme(), title="Over groen in de wijk", body="Bomen.")
    expected = sorted((d.kind, d.object_id, d.title, d.index_body) for d in documents())
    db.session.execute(SearchDocument.__table__.delete())
    db.session.commit()
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "documents" in result.output
    db.session.expire_all()
    after = sorted((d.kind, d.object_id, d.title, d.index_body) for d in documents())
    print(set(after) ^ set(expected))
    assert after == expected
    assert {"lesson", "chapter", "thread", "member"} <= {d.kind for d in documents()}


def test_parse_never_reads_input_as_operators():
    query = parse('wijk AND "NEAR(" * -x {index_title}')
    assert '"' not in "".join(w for clause in query.clauses for alt in clause for w in alt)
    assert query.fts5().count('"') % 2 == 0


# --- the page's queries --------------------------------------------------------------------------

LIMIT = 6  # the viewer, the themes and neighbourhoods for the filters, the counts, the page … (see below)
PAGE = "/zoeken?q=onderwerp+bewoners&soort=thread&pagina=1"


def test_search_page_runs_the_same_queries_for_10_and_1000_documents(app, count_queries, guide):
    author, reader = make_user(), make_user()
    client = logged_in(app, reader)
    counts, done = {}, 0
    for size in (10, 1000):
        bulk_threads(theme(), author, size - done, start=done)
        done = size
        client.get(PAGE)  # on PostgreSQL the first time on a connection prepares it: one statement more
        with count_queries() as counter:
            response = client.get(PAGE)
        assert response.status_code == 200
        assert len(result_titles(response)) == min(size, 20)
        counts[size] = counter.count
    print(f"\nsearch page queries: {counts}")
    assert counts[10] == counts[1000] <= LIMIT


def test_a_deleted_member_leaves_nothing_in_the_index(app, guide, moderator):
    from cop.accounts import privacy
    from cop.accounts import services as accounts

    greta = make_user(display_name="Greta Zeldzaamheid")
    accounts.update_profile(greta, profile_public=True, bio="Wijkregisseur in Zeldzaamheid-Noord.")
    other = make_user()
    thread = start_thread(greta, theme(), title="Vraag van mij", body="Wie helpt?")
    discussions.reply(thread, other, "Dank je Greta Zeldzaamheid, goed punt.")
    reader = logged_in(app, make_user())
    assert "Greta Zeldzaamheid" in result_titles(search(reader, "zeldzaamheid"))
    privacy.delete_account(greta)
    assert result_titles(search(reader, "zeldzaamheid")) == []
    assert result_titles(search(reader, "greta")) == []
    for document in documents():
        assert "zeldzaamheid" not in f"{document.title} {document.body} {document.index_body}".lower()
    if db.engine.dialect.name == "sqlite":  # FTS5 keeps no old segment with the deleted words
        from sqlalchemy import text

        leftovers = db.session.scalar(
            text("SELECT count(*) FROM search_fts_data WHERE instr(block, CAST(:w AS BLOB)) > 0"),
            {"w": "zeldzaam"},
        )
        assert leftovers == 0


def test_result_pages_are_valid_html(app, client, guide, member, tmp_path):
    from tests.platform.test_html_validity import require_checker, validate

    java = require_checker()
    start_thread(member, theme(), title="Wijken & <bewoners>", body="Over wijken en bewoners, met Zoë.")
    bulk_threads(theme(), member, 25)
    pages = {
        "hits": search(client, "wijken bewoners").get_data(as_text=True),
        "pages": search(client, "onderwerp", pagina="2").get_data(as_text=True),
        "nothing": search(client, "wijkenagids").get_data(as_text=True),
        "stop words": search(client, "de het").get_data(as_text=True),
        "filtered": search(client, "bewoners", soort="thread", thema="wijkaanpak-algemeen").get_data(
            as_text=True
        ),
    }
    assert not validate(java, pages, tmp_path)


def test_every_kind_has_its_own_full_text_index_on_postgresql(app):
    """A search reads each kind's hits from that kind's GIN index (migrations 0015, 0018): a kind
    added without one would read another kind's list, or every document."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's FTS5 index holds the kind (migration 0012)")
    from cop.search.queries import KINDS

    indexed = db.session.scalars(
        text(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'search_documents'"
            " AND indexdef LIKE '%USING gin (search_vector)%'"
        )
    ).all()
    assert sorted(indexed) == sorted(
        f"CREATE INDEX ix_search_documents_vector_{kind} ON public.search_documents USING gin"
        f" (search_vector) WITH (gin_pending_list_limit='256') WHERE ((kind)::text = '{kind}'::text)"
        for kind in KINDS
    )
