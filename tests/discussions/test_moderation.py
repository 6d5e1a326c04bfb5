"""Moderators hide and restore posts and threads, move a thread to another theme and merge a
duplicate into another: what members and moderators then see on every surface, the counts, the
numbering, the redirects, the followers, the signals the audit log hears, and bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cop import signals
from cop.discussions import moderating, queries, services
from cop.discussions.models import FollowLevel, Post, Thread, ThreadReader
from cop.extensions import db
from cop.guide.models import Chapter
from cop.transactions import DomainError
from tests.conftest import logged_in
from tests.discussions.factories import bulk_posts, start_thread
from tests.factories import make_user
from tests.guide.factories import make_lesson, make_theme


@pytest.fixture
def theme():
    return make_theme(slug="burgerschap", title="Burgerschap")


@pytest.fixture
def other_theme():
    return make_theme(slug="zorg", title="Zorg en welzijn", position=1)


@pytest.fixture
def author():
    return make_user(display_name="Anna de Vries")


@pytest.fixture
def thread(author, theme):
    thread = start_thread(author, theme, title="Buurtbudgetten", body="Wie heeft ervaring?")
    services.reply(thread, author, "Een nuttige reactie.")
    services.reply(thread, author, "Mijn telefoonnummer is 06-12345678.")
    return thread


@pytest.fixture
def heard():
    """The moderation signals sent, as (signal name, sender, facts)."""
    events = []

    def listener(name):
        def receive(sender, **facts):
            # the actor as it was when the signal was sent (a view passes the current_user proxy)
            actor = facts.get("actor")
            facts = {
                **facts,
                "actor": actor._get_current_object() if hasattr(actor, "_get_current_object") else actor,
            }
            events.append((name, sender, facts))

        return receive

    receivers = {
        "thread_moderated": listener("thread_moderated"),
        "post_hidden": listener("post_hidden"),
        "post_restored": listener("post_restored"),
    }
    for name, receiver in receivers.items():
        getattr(signals, name).connect(receiver)
    yield events
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


def post(thread, number) -> Post:
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.number == number))


# --- hiding a post --------------------------------------------------------------------------------


def test_a_hidden_post_shows_members_a_notice_and_moderators_the_text(app, thread, member, moderator, heard):
    hidden = post(thread, 3)
    moderating.hide_post(hidden, moderator, "Persoonlijke gegevens")
    assert heard == [("post_hidden", hidden, {"actor": moderator, "reason": "Persoonlijke gegevens"})]

    for client in (app.test_client(), logged_in(app, member)):
        page = client.get(f"/discussie/{thread.ref}").get_data(as_text=True)
        assert "Verborgen door een moderator" in page
        assert "06-12345678" not in page
        assert "Een nuttige reactie." in page  # the others stay
        assert "bericht/3/verbergen" not in page
    page = logged_in(app, moderator).get(f"/discussie/{thread.ref}").get_data(as_text=True)
    assert "06-12345678" in page
    assert "Persoonlijke gegevens" in page  # the reason, for the other moderators
    assert "Herstellen" in page


def test_a_hidden_post_cannot_be_quoted_and_its_history_is_for_moderators(
    app, thread, author, member, moderator
):
    hidden = post(thread, 3)
    services.edit_post(hidden, author, "Mijn telefoonnummer is 06-12345678, bel maar.")
    moderating.hide_post(hidden, moderator, "Persoonlijke gegevens")
    client = logged_in(app, member)
    page = client.get(f"/discussie/{thread.ref}?citeer=3", follow_redirects=True).get_data(as_text=True)
    assert "06-12345678" not in page
    assert "citeer=3#reageren" not in page  # no quote link either
    assert client.get(f"/discussie/{thread.ref}/bericht/3/geschiedenis").status_code == 404
    assert logged_in(app, moderator).get(f"/discussie/{thread.ref}/bericht/3/geschiedenis").status_code == 200


def test_the_author_can_no_longer_edit_a_hidden_post(thread, author, moderator):
    hidden = post(thread, 3)
    moderating.hide_post(hidden, moderator, "Persoonlijke gegevens")
    assert not hidden.is_editable_by(author)
    assert hidden.is_editable_by(moderator)


def test_reply_count_and_last_post_leave_a_hidden_post_out_and_restoring_brings_it_back(
    app, thread, author, moderator, heard
):
    late = make_user(display_name="Laatste Schrijver")
    services.reply(thread, late, "Het laatste woord, met een scheldwoord.")
    last = post(thread, 4)
    assert (thread.reply_count, thread.last_poster_id) == (3, late.id)
    moderating.hide_post(last, moderator, "Scheldwoord")
    db.session.refresh(thread)
    assert (thread.reply_count, thread.last_poster_id) == (2, author.id)
    assert thread.last_posted_at == post(thread, 3).created_at
    listing = app.test_client().get("/thema/burgerschap/discussies").get_data(as_text=True)
    assert "Laatste Schrijver" not in listing
    assert "2 reacties" in listing

    moderating.restore_post(last, moderator)
    db.session.refresh(thread)
    assert (thread.reply_count, thread.last_poster_id) == (3, late.id)
    assert heard[-1] == ("post_restored", last, {"actor": moderator, "reason": None})
    assert "Het laatste woord" in app.test_client().get(f"/discussie/{thread.ref}").get_data(as_text=True)


def test_a_hidden_post_is_filtered_by_its_query_level_rule(thread, member, moderator):
    hidden = post(thread, 3)
    moderating.hide_post(hidden, moderator, "Persoonlijke gegevens")
    for viewer, expected in ((member, {1, 2}), (moderator, {1, 2, 3})):
        numbers = set(db.session.scalars(select(Post.number).where(Post.visible_clause(viewer))))
        assert numbers == expected
        assert hidden.is_visible_to(viewer) == (3 in expected)


def test_hiding_needs_a_reason_and_a_moderator(thread, member, moderator):
    hidden = post(thread, 3)
    with pytest.raises(DomainError) as error:
        moderating.hide_post(hidden, moderator, "   ")
    assert error.value.field == "reason"
    with pytest.raises(DomainError):
        moderating.hide_post(hidden, member, "Ik vind het niks")
    with pytest.raises(DomainError):
        moderating.hide_post(hidden, moderator, "x" * 501)
    assert post(thread, 3).hidden_at is None


def test_the_hide_page_hides_with_a_reason_and_keeps_input_on_error(app, thread, moderator):
    client = logged_in(app, moderator)
    url = f"/discussie/{thread.ref}/bericht/3/verbergen"
    page = client.get(url).get_data(as_text=True)
    assert "Reden" in page
    response = client.post(url, data={"action": "hide", "reason": ""})
    assert response.status_code == 400
    assert "Zeg waarom" in response.get_data(as_text=True)
    response = client.post(url, data={"action": "hide", "reason": "Persoonlijke gegevens"})
    assert response.status_code == 302
    assert post(thread, 3).hidden_reason == "Persoonlijke gegevens"
    # the restore button on the thread page
    response = client.post(url, data={"action": "restore"})
    assert response.status_code == 302
    assert post(thread, 3).hidden_at is None


def test_members_cannot_reach_the_moderation_pages(app, thread, member):
    client = logged_in(app, member)
    assert client.get(f"/discussie/{thread.ref}/bericht/3/verbergen").status_code == 403
    assert (
        client.post(f"/discussie/{thread.ref}/verbergen", data={"action": "hide", "reason": "x"}).status_code
        == 403
    )
    assert client.get(f"/discussie/{thread.ref}/modereren").status_code == 403
    assert post(thread, 3).hidden_at is None and not thread.is_hidden


# --- hiding a thread ------------------------------------------------------------------------------


def test_a_hidden_thread_is_gone_for_members_from_every_list(app, thread, author, member, moderator, heard):
    chapter = Chapter(number=1, title="Vooraf")  # stored directly: only the lesson matters here
    db.session.add(chapter)
    db.session.commit()
    lesson = make_lesson(chapter, "1.1", "Een les")
    about = start_thread(
        author, thread.container, title="Over de les", body="Wat vinden jullie?", lesson=lesson
    )
    services.set_follow_level(about, member, "following")
    services.reply(about, author, "Nog een reactie.")
    moderating.hide_thread(about, moderator, "Reclame")
    assert heard[-1] == (
        "thread_moderated",
        about,
        {"actor": moderator, "action": "hide", "reason": "Reclame"},
    )

    for viewer in (None, member):
        assert about.id not in {row.thread.id for row in queries.active_threads(viewer)}
        assert about.id not in {row.thread.id for row in queries.lesson_threads(lesson.id, viewer)}
        assert about.id not in {
            row.thread.id for row in queries.recent_threads("theme", thread.container_id, viewer)
        }
        page = queries.container_threads("theme", thread.container_id, viewer, None, 1)
        assert about.id not in {row.thread.id for row in page.items} and page.total == 1
    assert queries.followed_with_unread(member) == []
    client = logged_in(app, member)
    assert client.get(f"/discussie/{about.ref}").status_code == 404
    assert client.get(f"/discussie/{about.ref}/bericht/1").status_code == 404
    for path in ("/thema/burgerschap/discussies", "/thema/burgerschap", f"/les/{lesson.ref}", "/", "/mijn"):
        assert "Over de les" not in client.get(path, follow_redirects=True).get_data(as_text=True), path
    # the member's notification of the reply is gone too
    assert "Over de les" not in client.get("/meldingen").get_data(as_text=True)

    moderator_client = logged_in(app, moderator)
    page = moderator_client.get(f"/discussie/{about.ref}").get_data(as_text=True)
    assert "verborgen door een moderator" in page and "Reclame" in page
    assert "Over de les" in moderator_client.get("/thema/burgerschap/discussies").get_data(as_text=True)

    moderating.restore_thread(about, moderator, "Toch in orde")
    assert heard[-1][2] == {"actor": moderator, "action": "unhide", "reason": "Toch in orde"}
    assert client.get(f"/discussie/{about.ref}").status_code == 200


def test_the_thread_visibility_rule_agrees_with_is_visible_to(thread, member, moderator):
    moderating.hide_thread(thread, moderator, "Reclame")
    for viewer in (None, member, moderator):
        in_sql = db.session.scalar(
            select(Thread.id).where(Thread.visible_clause(viewer), Thread.id == thread.id)
        )
        assert (in_sql is not None) == thread.is_visible_to(viewer)


def test_hiding_a_thread_through_the_page(app, thread, moderator):
    client = logged_in(app, moderator)
    page = client.get(f"/discussie/{thread.ref}/modereren").get_data(as_text=True)
    assert "Verbergen" in page and "Samenvoegen" in page
    response = client.post(f"/discussie/{thread.ref}/verbergen", data={"action": "hide", "reason": ""})
    assert response.status_code == 400
    assert not db.session.get(Thread, thread.id).is_hidden
    response = client.post(f"/discussie/{thread.ref}/verbergen", data={"action": "hide", "reason": "Reclame"})
    assert response.status_code == 302
    assert db.session.get(Thread, thread.id).hidden_reason == "Reclame"


# --- moving ---------------------------------------------------------------------------------------


def test_moving_a_thread_keeps_its_posts_and_address(app, thread, other_theme, moderator, heard):
    client = logged_in(app, moderator)
    response = client.post(
        f"/discussie/{thread.ref}/verplaatsen", data={"theme": "zorg", "move_reason": "Past beter"}
    )
    assert response.status_code == 302
    moved = db.session.get(Thread, thread.id)
    assert (moved.container_kind, moved.container_id, moved.last_number) == ("theme", other_theme.id, 3)
    assert heard[-1][2]["action"] == "move" and heard[-1][2]["new_theme"].id == other_theme.id
    assert heard[-1][2]["reason"] == "Past beter"
    anonymous = app.test_client()
    assert anonymous.get(f"/discussie/{thread.ref}").status_code == 200
    assert "Buurtbudgetten" in anonymous.get("/thema/zorg/discussies").get_data(as_text=True)
    assert "Buurtbudgetten" not in anonymous.get("/thema/burgerschap/discussies").get_data(as_text=True)


def test_moving_refuses_the_same_theme_a_retired_one_and_a_circle_thread(
    thread, theme, other_theme, moderator
):
    with pytest.raises(DomainError):
        moderating.move_thread(thread, theme, moderator)
    other_theme.retired_at = thread.created_at
    with pytest.raises(DomainError):
        moderating.move_thread(thread, other_theme, moderator)
    thread.container_kind = "circle"
    with pytest.raises(DomainError):
        moderating.move_thread(thread, theme, moderator)
    db.session.rollback()


def test_moving_to_an_unknown_theme_is_a_message_not_a_500(app, thread, other_theme, moderator):
    response = logged_in(app, moderator).post(
        f"/discussie/{thread.ref}/verplaatsen", data={"theme": "bestaat-niet"}
    )
    assert response.status_code == 400
    assert "Kies een thema" in response.get_data(as_text=True)


# --- merging --------------------------------------------------------------------------------------


@pytest.fixture
def duplicate(theme):
    other = make_user(display_name="Bas Dubbel")
    thread = start_thread(other, theme, title="Buurtbudgetten (dubbel)", body="Ook mijn vraag: wie weet het?")
    services.reply(thread, other, "Een antwoord in het dubbele.")
    return thread


def test_merging_appends_the_posts_in_order_and_redirects_the_old_addresses(
    app, thread, duplicate, member, moderator, heard
):
    before = [(p.author_id, p.created_at, p.body) for p in queries.page_posts(duplicate, 1)]
    services.set_follow_level(duplicate, member, "following")
    client = logged_in(app, moderator)
    response = client.post(f"/discussie/{duplicate.ref}/samenvoegen", data={"target": str(thread.id)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/discussie/{thread.ref}")
    assert heard[-1][0] == "thread_moderated" and heard[-1][2]["action"] == "merge"
    assert heard[-1][2]["into"].id == thread.id

    target = db.session.get(Thread, thread.id)
    posts = queries.page_posts(target, 1)
    assert [p.number for p in posts] == [1, 2, 3, 4, 5]
    assert [(p.author_id, p.created_at, p.body) for p in posts[3:]] == before
    assert (target.last_number, target.reply_count) == (5, 4)
    assert target.last_poster_id == duplicate.author_id
    # the member who followed the duplicate follows the target
    assert db.session.get(ThreadReader, (member.id, thread.id)).level == FollowLevel.FOLLOWING

    anonymous = app.test_client()
    old = anonymous.get(f"/discussie/{duplicate.ref}")
    assert old.status_code == 301 and old.headers["Location"].endswith(f"/discussie/{thread.ref}")
    link = anonymous.get(f"/discussie/{duplicate.ref}/bericht/2")
    assert link.status_code == 301 and link.headers["Location"].endswith(f"/discussie/{thread.ref}/bericht/5")
    assert anonymous.get(f"/discussie/{duplicate.ref}/bericht/9").status_code == 404
    listing = anonymous.get("/thema/burgerschap/discussies").get_data(as_text=True)
    assert "(dubbel)" not in listing
    # replying to the old thread lands in the target; editing through its numbers is not possible
    assert services.reply.__name__
    with pytest.raises(DomainError):
        services.reply(db.session.get(Thread, duplicate.id), member, "Te laat")


def test_links_survive_a_second_merge(thread, duplicate, theme, moderator):
    third = start_thread(moderator, theme, title="Derde", body="Nog een.")
    moderating.merge_thread(duplicate, thread, moderator)
    moderating.merge_thread(db.session.get(Thread, thread.id), third, moderator)
    assert db.session.get(Thread, duplicate.id).merged_into_id == third.id
    moved = queries.moved_post(db.session.get(Thread, duplicate.id), 2)
    assert moved.thread_id == third.id and moved.body == "Een antwoord in het dubbele."


def test_merging_by_address_and_the_rules(app, thread, duplicate, moderator):
    client = logged_in(app, moderator)
    url = f"/discussie/{duplicate.ref}/samenvoegen"
    response = client.post(url, data={})
    assert response.status_code == 400 and "Kies één discussie" in response.get_data(as_text=True)
    response = client.post(url, data={"ref": f"/discussie/{duplicate.ref}"})
    assert response.status_code == 400 and "niet met zichzelf" in response.get_data(as_text=True)
    response = client.post(url, data={"ref": "99999"})
    assert response.status_code == 400
    response = client.post(url, data={"ref": f"https://example.nl/discussie/{thread.ref}?pagina=1"})
    assert response.status_code == 302
    assert db.session.get(Thread, duplicate.id).merged_into_id == thread.id


# --- query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_the_thread_and_moderation_pages_run_a_fixed_number_of_queries(app, count_queries, role):
    """A thread with hidden posts, its list and the moderation page cost the same with 10 posts as
    with 2,000 (a page of posts is 20, whatever the thread's size)."""
    from tests.conftest import empty_all_tables

    counts = []
    for size in (10, 2000):
        theme = make_theme(slug="burgerschap", title="Burgerschap")
        make_theme(slug="zorg", title="Zorg", position=1)
        authors = [make_user(display_name=f"Schrijver {i}") for i in range(3)]
        moderator = make_user("moderator", display_name="Mo Derator")
        thread = start_thread(authors[0], theme, title="Een lange discussie", body="Begin.")
        bulk_posts(thread, authors, size - 1)
        for number in (2, 5, size - 1):
            moderating.hide_post(post(thread, number), moderator, "Persoonlijke gegevens")
        for i in range(size // 10):
            start_thread(authors[i % 3], theme, title=f"Ander onderwerp {i}", body="Tekst.")
        viewer = moderator if role == "moderator" else authors[1]
        client = logged_in(app, viewer)
        last = (size - 1) // 20 + 1
        paths = {
            "thread last page": f"/discussie/{thread.ref}?pagina={last}",
            "theme list": "/thema/burgerschap/discussies",
        }
        if role == "moderator":
            paths["moderation page"] = f"/discussie/{thread.ref}/modereren"
            paths["hide page"] = f"/discussie/{thread.ref}/bericht/2/verbergen"
        client.get(paths["thread last page"])  # the reading position is recorded once
        measured = {}
        for name, path in paths.items():
            with count_queries() as counter:
                assert client.get(path).status_code == 200, path
            measured[name] = counter.count
        counts.append(measured)
        empty_all_tables()
    small, large = counts
    assert small == large, counts
    print(f"\n{role}: {large}")


@pytest.mark.commits  # the merge and the replies must race for real
def test_a_merge_racing_with_replies_loses_no_post_and_leaves_no_gap(app, theme, author):
    import threading

    target = start_thread(author, theme, title="Origineel", body="Begin")
    source = start_thread(author, theme, title="Dubbel", body="Ook begin")
    members = [make_user() for _ in range(3)]
    moderator = make_user("moderator")
    db.session.commit()
    barrier = threading.Barrier(len(members) + 1)
    errors, refused = [], []

    def write(member_id, thread_id):
        with app.app_context():
            try:
                member = db.session.get(type(author), member_id)
                barrier.wait(timeout=10)
                for n in range(5):
                    try:
                        services.reply(db.session.get(Thread, thread_id), member, f"Bericht {n}")
                    except DomainError:
                        refused.append(thread_id)  # the source after the merge: refused, not lost
                        db.session.rollback()
            except Exception as error:  # noqa: BLE001 - collected and reported below
                errors.append(repr(error))
            finally:
                db.session.remove()

    def merge():
        with app.app_context():
            try:
                actor = db.session.get(type(author), moderator.id)
                barrier.wait(timeout=10)
                moderating.merge_thread(
                    db.session.get(Thread, source.id), db.session.get(Thread, target.id), actor
                )
            except Exception as error:  # noqa: BLE001
                errors.append(repr(error))
            finally:
                db.session.remove()

    workers = [threading.Thread(target=write, args=(members[0].id, source.id))]
    workers += [threading.Thread(target=write, args=(member.id, target.id)) for member in members[1:]]
    workers.append(threading.Thread(target=merge))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert errors == []
    assert set(refused) <= {source.id}
    db.session.expire_all()
    numbers = sorted(db.session.scalars(select(Post.number).where(Post.thread_id == target.id)))
    stored = db.session.get(Thread, target.id)
    # 2 opening posts, 10 replies to the target, and the replies to the source that came before the merge
    assert numbers == list(range(1, stored.last_number + 1))
    assert len(numbers) == 2 + 10 + (5 - len(refused))
    assert db.session.scalar(select(func.count()).select_from(Post).where(Post.thread_id == source.id)) == 0


def test_notifications_about_a_merged_thread_stay_with_their_reader(thread, duplicate, author, moderator):
    from cop.notifications import reading

    starter = duplicate.author
    services.reply(duplicate, author, "Een reactie die de starter gemeld krijgt.")
    assert reading.unread_count(starter) == 1
    moderating.merge_thread(duplicate, thread, moderator)
    assert reading.unread_count(starter) == 1  # not lost with the thread that went away
    [entry] = reading.page(starter, 1).items
    assert entry.first.thread_id == thread.id
