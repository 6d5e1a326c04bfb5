"""Notifications in the app and by mail: mentions, replies, answers, best answers, new threads;
following and muting; /meldingen; the settings; the daily digest; unsubscribing with one click;
and the fan-out to a thousand followers in a few statements."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cop.db_types import utcnow
from cop.discussions import services as discussions
from cop.discussions.models import Post, ThreadReader
from cop.extensions import db
from cop.mail import OutboxMail
from cop.notifications import mailing
from cop.notifications.models import Notification
from cop.transactions import DomainError
from tests.conftest import link_in, local_path, logged_in, mails_to
from tests.discussions.factories import start_thread
from tests.factories import make_user
from tests.guide.factories import make_theme


def notifications_of(user, kind=None) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query))


def outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMail))


@pytest.fixture
def theme():
    return make_theme(slug="burgerschap", title="Burgerschap")


@pytest.fixture
def anna():
    return make_user(display_name="Anna de Vries", email="anna@example.nl")


@pytest.fixture
def bram():
    return make_user(display_name="Bram Bakker", email="bram@example.nl")


# --- mentions -------------------------------------------------------------------------------------


def test_a_mention_links_to_the_profile_notifies_once_and_mails_at_once(app, theme, anna, bram):
    thread = start_thread(
        anna, theme, title="Buurtbudget", body="Wat denk jij, @bram-bakker? En @Bram-Bakker?"
    )
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    assert '<a href="/leden/bram-bakker" class="mention"' in post.body_html
    [mention] = notifications_of(bram)
    assert (mention.kind, mention.actor_id, mention.delivery) == ("mention", anna.id, "immediately")
    [mail] = mails_to(app, "bram@example.nl")
    assert mail["Subject"] == "Je werd genoemd in “Buurtbudget”"
    body = mail.get_body(("plain",)).get_content()
    assert "Anna de Vries noemde je in “Buurtbudget” (Burgerschap)" in body
    assert f"http://localhost/discussie/{thread.ref}/bericht/1" in body
    assert "omdat een lid je noemde" in body  # why it came


def test_unknown_handles_quotes_and_code_do_not_notify(theme, anna, bram):
    body = "> @bram-bakker schreef dit eerder\n\nZie `@bram-bakker` en @niemand-bekend."
    thread = start_thread(anna, theme, body=body)
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    assert "@niemand-bekend" in post.body_html and 'href="/leden/niemand-bekend"' not in post.body_html
    assert '<a href="/leden/bram-bakker" class="mention"' in post.body_html  # the quote still links
    assert notifications_of(bram) == []


def test_an_unconfirmed_member_is_not_notified_and_self_mentions_are_ignored(theme, anna):
    pending = make_user(confirmed=False, display_name="Nog Niet")
    start_thread(anna, theme, body=f"Hallo @{pending.handle} en @{anna.handle}")
    assert notifications_of(pending) == [] and notifications_of(anna) == []


def test_an_edit_that_adds_a_mention_notifies_only_the_new_one(theme, anna, bram):
    carla = make_user(display_name="Carla Claes")
    thread = start_thread(anna, theme, body="Vraag aan @bram-bakker")
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    discussions.edit_post(post, anna, "Vraag aan @bram-bakker en @carla-claes")
    assert len(notifications_of(bram)) == 1 and len(notifications_of(carla)) == 1


# --- replies, answers, best answers, following ----------------------------------------------------


def test_a_reply_notifies_followers_the_asker_gets_answer_and_nobody_the_author(app, theme, anna, bram):
    follower = make_user(display_name="Volger")
    question = start_thread(anna, theme, kind="question", title="Wie weet het?", body="Vraag")
    discussions.set_follow_level(question, follower, "following")
    discussions.reply(question, bram, "Ik weet het")
    [answer] = notifications_of(anna)
    assert answer.kind == "answer" and answer.delivery == "immediately"
    [reply] = notifications_of(follower)
    assert reply.kind == "reply" and reply.delivery == "digest"
    assert notifications_of(bram) == []
    assert [mail["Subject"] for mail in mails_to(app, "anna@example.nl")] == [
        "Een reactie op je vraag “Wie weet het?”"
    ]
    assert mails_to(app, follower.email) == []  # in the digest, by default
    assert db.session.get(ThreadReader, (bram.id, question.id)).level.value == "following"  # replying follows


def test_a_muted_thread_is_silent_but_a_mention_still_comes_through(theme, anna, bram):
    thread = start_thread(anna, theme)
    discussions.set_follow_level(thread, anna, "muted")
    discussions.reply(thread, bram, "Een reactie")
    assert notifications_of(anna) == []
    discussions.reply(thread, bram, "Toch even @anna-de-vries erbij")
    assert [n.kind for n in notifications_of(anna)] == ["mention"]


def test_the_best_answer_is_told_to_its_author(app, theme, anna, bram):
    question = start_thread(anna, theme, kind="question", title="Wie weet het?", body="Vraag")
    reply = discussions.reply(question, bram, "Zo")
    discussions.choose_best_answer(question, reply, anna)
    assert [n.kind for n in notifications_of(bram)] == ["best_answer"]
    assert (
        mails_to(app, "bram@example.nl")[-1]["Subject"]
        == "Jouw reactie is het beste antwoord op “Wie weet het?”"
    )


def test_following_a_theme_tells_of_every_new_thread(app, theme, anna, bram):
    client = logged_in(app, bram)
    assert client.post("/thema/burgerschap/volgen", data={"volgen": "ja"}).status_code == 302
    start_thread(anna, theme, title="Nieuw onderwerp", body="Tekst")
    assert [n.kind for n in notifications_of(bram)] == ["new_thread"]
    client.post("/thema/burgerschap/volgen", data={"volgen": "nee"})
    start_thread(anna, theme, title="Nog een", body="Tekst")
    assert len(notifications_of(bram)) == 1


def test_a_post_that_fails_leaves_no_notification_and_no_mail(theme, anna, bram, moderator):
    thread = start_thread(anna, theme)
    before = (db.session.scalar(select(func.count()).select_from(Notification)), outbox_count())
    discussions.moderate(thread, "lock", moderator)
    with pytest.raises(DomainError):
        discussions.reply(thread, bram, "Hallo @anna-de-vries")
    assert (db.session.scalar(select(func.count()).select_from(Notification)), outbox_count()) == before


# --- /meldingen -----------------------------------------------------------------------------------


def test_meldingen_groups_replies_per_thread_and_marks_read_by_opening(app, theme, anna, bram):
    carla = make_user(display_name="Carla Claes")
    thread = start_thread(anna, theme, title="Druk bezocht", body="Tekst")
    for author, text in ((bram, "Een"), (carla, "Twee"), (bram, "Drie")):
        discussions.reply(thread, author, text)
    start_thread(bram, theme, title="Ander onderwerp", body=f"Ook voor @{anna.handle}")
    client = logged_in(app, anna)
    home = client.get("/").get_data(as_text=True)
    assert 'class="notifications-count">4<' in home
    page = client.get("/meldingen").get_data(as_text=True)
    assert "3 nieuwe reacties in “Druk bezocht”" in page and "Bram Bakker, Carla Claes" in page
    assert page.index("Ander onderwerp") < page.index("Druk bezocht")  # newest first
    grouped = max(notifications_of(anna), key=lambda n: n.id if n.kind == "reply" else 0)
    response = client.get(f"/meldingen/{grouped.id}")
    assert response.location == f"/discussie/{thread.ref}/bericht/4"
    assert 'class="notifications-count">1<' in client.get("/").get_data(as_text=True)
    client.post("/meldingen/alles-gelezen")
    assert "notifications-count" not in client.get("/").get_data(as_text=True)


def test_a_member_cannot_open_anothers_notification(app, theme, anna, bram):
    start_thread(bram, theme, body=f"Hoi @{anna.handle}")
    [notification] = notifications_of(anna)
    assert logged_in(app, bram).get(f"/meldingen/{notification.id}").status_code == 404
    assert app.test_client().get(f"/meldingen/{notification.id}").status_code == 302
    assert notifications_of(anna)[0].read_at is None


# --- settings -------------------------------------------------------------------------------------


def test_settings_choose_per_kind(app, theme, anna, bram):
    client = logged_in(app, anna)
    page = client.get("/account/meldingen").get_data(as_text=True)
    assert "Een reactie in een discussie die ik volg" in page
    choices = {
        **mailing.settings_for(anna),
        "mention": "off",
        "answer": "digest",
        "best_answer": "immediately",
        "reply": "immediately",
        "new_thread": "off",
    }
    assert client.post("/account/meldingen", data=choices).status_code == 302
    assert mailing.settings_for(anna) == choices
    thread = start_thread(anna, theme)
    discussions.reply(thread, bram, f"Reactie met @{anna.handle}")
    assert {n.kind: n.delivery for n in notifications_of(anna)} == {"mention": "off"}
    discussions.reply(thread, bram, "Nog een reactie")
    assert [m["Subject"] for m in mails_to(app, "anna@example.nl")] == [
        "Een nieuwe reactie in “Hoe betrek je bewoners?”"
    ]
    bad = client.post("/account/meldingen", data={**choices, "reply": "altijd"})
    assert bad.status_code == 200 and 'id="reply-error"' in bad.get_data(as_text=True)


# --- the digest -----------------------------------------------------------------------------------


def test_the_digest_holds_exactly_what_is_due_and_is_sent_once(app, runner, theme, anna, bram):
    thread = start_thread(anna, theme, title="Overzichtswaardig", body="Tekst")
    follower = make_user(display_name="Lezer", email="lezer@example.nl")
    discussions.set_follow_level(thread, follower, "following")
    discussions.reply(thread, bram, "Eerste")
    discussions.reply(thread, anna, "Tweede")
    read = discussions.reply(thread, bram, "Derde, al gelezen")
    db.session.scalar(select(Notification).filter_by(user_id=follower.id, post_id=read.id)).read_at = utcnow()
    db.session.commit()
    result = runner.invoke(args=["mail", "digest"])
    assert result.exit_code == 0, result.output
    digests = [m for m in mails_to(app, "lezer@example.nl") if "overzicht" in m["Subject"]]
    assert len(digests) == 1
    body = digests[0].get_body(("plain",)).get_content()
    assert "Bram Bakker reageerde in “Overzichtswaardig”" in body
    assert "Anna de Vries reageerde in “Overzichtswaardig”" in body
    assert body.count("reageerde in") == 2  # the read one is not in it
    assert f"http://localhost/discussie/{thread.ref}/bericht/2" in body
    assert digests[0]["List-Unsubscribe"].startswith("<http://localhost/meldingen/afmelden/")
    # a second run the same day sends nothing, a new reply waits for tomorrow
    discussions.reply(thread, bram, "Vierde")
    runner.invoke(args=["mail", "digest"])
    assert len([m for m in mails_to(app, "lezer@example.nl") if "overzicht" in m["Subject"]]) == 1
    assert mailing.send_digests(now=utcnow() + timedelta(days=1)) == 2  # the reader and Anna
    later = [m for m in mails_to(app, "lezer@example.nl") if "overzicht" in m["Subject"]][-1]
    later_body = later.get_body(("plain",)).get_content()
    assert "reageerde in" in later_body and later_body.count("reageerde in") == 1


# --- unsubscribing --------------------------------------------------------------------------------


def test_the_unsubscribe_link_works_without_logging_in_for_that_member_and_kind(
    app, client, theme, anna, bram
):
    start_thread(anna, theme, title="Onderwerp", body=f"Hoi @{bram.handle}")
    [mail] = mails_to(app, "bram@example.nl")
    link = mail["List-Unsubscribe"].strip("<>")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in mail.get_body(("plain",)).get_content()
    assert link_in(mail)  # the mail has links
    path = local_path(link)
    assert "geen mails meer" in client.get(path).get_data(as_text=True).lower()
    assert mailing.settings_for(bram)["mention"] == "immediately"  # a GET changes nothing
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})  # what a mail program sends
    assert response.status_code == 200
    assert mailing.settings_for(bram)["mention"] == "off"
    assert mailing.settings_for(bram)["answer"] == "immediately"  # only that kind
    assert mailing.settings_for(anna)["mention"] == "immediately"  # only that member
    forged = path[:-3] + ("abc" if not path.endswith("abc") else "xyz")
    assert client.post(forged).status_code == 404


# --- scale ----------------------------------------------------------------------------------------


def test_a_reply_to_a_thousand_followers_takes_a_few_statements(app, theme, anna, bram, count_queries):
    from sqlalchemy import insert

    from cop.accounts.models import User
    from cop.notifications.models import NotificationSetting

    thread = start_thread(anna, theme, title="Populair", body="Tekst")
    now = utcnow()
    db.session.execute(
        insert(User),
        [
            {
                "email": f"volger{n}@example.nl",
                "handle": f"volger-{n}",
                "password_hash": "x",
                "display_name": f"Volger {n}",
                "confirmed_at": now,
                "session_token": f"token-{n}",
            }
            for n in range(1000)
        ],
    )
    follower_ids = db.session.scalars(select(User.id).where(User.email.like("volger%"))).all()
    db.session.execute(
        insert(ThreadReader),
        [{"user_id": i, "thread_id": thread.id, "last_read": 1, "level": "following"} for i in follower_ids],
    )
    # a tenth of them want every reply mailed at once
    db.session.execute(
        insert(NotificationSetting),
        [{"user_id": i, "kind": "reply", "delivery": "immediately"} for i in follower_ids[::10]],
    )
    db.session.commit()
    app.config["MAIL_SEND_ON_COMMIT"] = False  # measure the post, not the mail server
    try:
        timings = []
        for n in range(5):
            with count_queries() as counter:
                start = time.perf_counter()
                discussions.reply(thread, bram, f"Reactie {n} voor iedereen")
                timings.append(time.perf_counter() - start)
            # the post, its follow, its search entry, the batch; then its notifications and mails
            inserts = [s for s in counter.statements if s.lstrip().upper().startswith("INSERT")]
            assert len(inserts) <= 6, inserts
    finally:
        app.config["MAIL_SEND_ON_COMMIT"] = True
    assert (
        db.session.scalar(select(func.count()).select_from(Notification).where(Notification.kind == "reply"))
        == 5 * 1001
    )
    assert outbox_count() >= 5 * 100
    print(
        f"\nposting a reply to 1,000 followers: median {statistics.median(timings) * 1000:.0f} ms, "
        f"{len(counter.statements)} statements"
    )


def test_meldingen_runs_a_fixed_number_of_queries(app, count_queries, theme, anna, bram):
    """The same with a few notifications and with hundreds on many threads."""
    from tests.conftest import empty_all_tables

    counts = []
    for threads in (2, 60):
        theme = make_theme(slug="burgerschap", title="Burgerschap")
        reader = make_user(display_name="Lezer")
        writer = make_user(display_name="Schrijver")
        for n in range(threads):
            thread = start_thread(writer, theme, title=f"Onderwerp {n}", body=f"Voor @{reader.handle}")
            discussions.set_follow_level(thread, reader, "following")
            for _ in range(5):
                discussions.reply(thread, writer, "Nog een reactie")
        client = logged_in(app, reader)
        client.get("/meldingen")
        with count_queries() as counter:
            assert client.get("/meldingen").status_code == 200
        counts.append(counter.count)
        empty_all_tables()
    assert counts[0] == counts[1] <= 6, counts
