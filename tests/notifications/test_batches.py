"""A reply's and a new thread's notifications to more than a few followers are written right after
the response (cop/notifications/batches.py): who hears of it is fixed in the reply's own
transaction, each batch is written exactly once, a batch whose worker stopped is written by the
next response or by ``flask notifications write``, and one that keeps failing stays to be looked
at. Here every follower counts as many (``WRITE_AT_ONCE`` is 0), except where a test says not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import func, select, update

from cop.db_types import utcnow
from cop.discussions import services as discussions
from cop.extensions import db
from cop.mail import OutboxMail
from cop.notifications import batches, making
from cop.notifications.models import IMMEDIATELY, Notification, NotificationBatch, NotificationSetting
from tests.conftest import logged_in
from tests.discussions.factories import start_thread
from tests.factories import make_user
from tests.guide.factories import make_theme


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def heard(user, post=None) -> list[tuple[int, str]]:
    where = [Notification.user_id == user.id]
    if post is not None:
        where.append(Notification.post_id == post.id)
    return [
        tuple(row)
        for row in db.session.execute(select(Notification.post_id, Notification.kind).where(*where))
    ]


@pytest.fixture(autouse=True)
def every_reply_in_a_batch(monkeypatch):
    monkeypatch.setattr(making, "WRITE_AT_ONCE", 0)


@pytest.fixture
def thread():
    return start_thread(make_user(display_name="Starter"), make_theme(), title="Buurtbudget", body="Begin")


@pytest.fixture
def follower(thread):
    member = make_user(display_name="Volger")
    discussions.set_follow_level(thread, member, "following")
    db.session.add(NotificationSetting(user_id=member.id, kind="reply", delivery=IMMEDIATELY))
    db.session.commit()
    return member


def reply_whose_worker_stops(app, thread, author, text: str):
    """A reply in a request whose response never goes out: its after-response work never runs."""
    with app.test_request_context(method="POST"):
        post = discussions.reply(thread, author, text)
        g.pop("cop_after_response", None)  # the worker stopped here
        return post


def test_the_notifications_are_there_when_the_reply_form_has_answered(app, thread, follower):
    response = logged_in(app, make_user()).post(f"/discussie/{thread.ref}/reageren", data={"body": "Hallo"})
    assert response.status_code == 302
    assert [kind for _post, kind in heard(follower)] == ["reply"]
    assert count(OutboxMail, OutboxMail.recipient_id == follower.id) == 1
    assert count(NotificationBatch) == 0


def test_a_batch_whose_worker_stopped_is_written_by_the_command_once(app, runner, thread, follower):
    post = reply_whose_worker_stops(app, thread, make_user(), "Een reactie die blijft liggen")
    assert heard(follower) == [] and count(NotificationBatch) == 1
    result = runner.invoke(args=["notifications", "write"])
    assert result.exit_code == 0, result.output
    assert "1 batch(es) written, 0 failed 5 times." in result.output
    assert heard(follower) == [(post.id, "reply")]
    assert count(OutboxMail, OutboxMail.recipient_id == follower.id) == 1
    # a second run, and a second claim of the same batch, write nothing more
    assert "0 batch(es) written" in runner.invoke(args=["notifications", "write"]).output
    assert heard(follower) == [(post.id, "reply")]


def test_one_batch_claimed_twice_is_written_once(app, thread, follower):
    reply_whose_worker_stops(app, thread, make_user(), "Twee keer opgepakt")
    (batch_id,) = db.session.scalars(select(NotificationBatch.id)).all()
    assert batches.write(batch_id) == 1
    assert batches.write(batch_id) == 0
    assert len(heard(follower)) == 1


def test_a_batch_left_by_a_stopped_worker_is_written_by_the_next_reply_after_a_minute(app, thread, follower):
    first = reply_whose_worker_stops(app, thread, make_user(), "Eerste")
    client = logged_in(app, make_user())
    client.post(f"/discussie/{thread.ref}/reageren", data={"body": "Tweede"})
    assert first.id not in [post_id for post_id, _kind in heard(follower)]  # it might still be written
    db.session.execute(
        update(NotificationBatch).values(created_at=utcnow() - batches.STALE - timedelta(seconds=1))
    )
    db.session.commit()
    client.post(f"/discussie/{thread.ref}/reageren", data={"body": "Derde"})
    assert first.id in [post_id for post_id, _kind in heard(follower)]
    assert len(heard(follower)) == 3 and count(NotificationBatch) == 0


def test_who_hears_of_a_reply_is_fixed_when_it_is_posted(app, thread, follower):
    """A member who replies becomes a follower from their reply on: a batch written after that
    does not tell them of the reply before theirs."""
    earlier = reply_whose_worker_stops(app, thread, make_user(), "Eerder")
    later_member = make_user(display_name="Later")
    logged_in(app, later_member).post(f"/discussie/{thread.ref}/reageren", data={"body": "Ik ook"})
    assert batches.write_waiting() == 1
    assert heard(later_member) == []  # not of the reply before they followed
    assert (earlier.id, "reply") in heard(follower)


def test_a_reply_that_is_rolled_back_leaves_no_batch(app, thread, follower):
    post = discussions.reply(thread, make_user(), "Wordt bewaard")
    db.session.execute(select(1))
    making.on_post_created(post, make_user(), [])  # the subscriber's work, in a transaction …
    db.session.rollback()  # … that does not commit
    assert count(NotificationBatch) == 0
    assert len(heard(follower)) == 1  # of the reply that was committed, once


def test_a_batch_that_keeps_failing_stays_and_is_counted(app, runner, thread, follower):
    reply_whose_worker_stops(app, thread, make_user(), "Kapot")
    db.session.execute(update(NotificationBatch).values(payload={"broken": True}))
    db.session.commit()
    for attempt in range(1, batches.MAX_ATTEMPTS + 1):
        assert batches.write_waiting() == 0
        assert db.session.scalar(select(NotificationBatch.attempts)) == attempt
    result = runner.invoke(args=["notifications", "write"])  # given up on: not tried again
    assert "0 batch(es) written, 1 failed 5 times." in result.output
    assert db.session.scalar(select(NotificationBatch.attempts)) == batches.MAX_ATTEMPTS
    assert heard(follower) == []


def test_a_member_who_deleted_their_account_meanwhile_hears_nothing(app, thread, follower):
    from cop.accounts.privacy import delete_account

    reply_whose_worker_stops(app, thread, make_user(), "Net voor het verwijderen")
    delete_account(follower)
    assert batches.write_waiting() == 1
    assert heard(follower) == []
    assert count(OutboxMail, OutboxMail.recipient_id == follower.id) == 0


def test_an_edit_before_the_batch_is_written_mentions_nobody_twice(app, thread, follower):
    mentioned = make_user(display_name="Genoemd Lid")
    author = make_user()
    post = reply_whose_worker_stops(app, thread, author, f"Wat vind jij, @{mentioned.handle}?")
    assert heard(mentioned) == [(post.id, "mention")]  # a mention is told at once, not in the batch
    discussions.edit_post(post, author, f"Wat vind jij ervan, @{mentioned.handle}?")
    assert batches.write_waiting() == 1
    assert heard(mentioned) == [(post.id, "mention")]
    assert count(OutboxMail, OutboxMail.recipient_id == mentioned.id) == 1
    assert heard(follower) == [(post.id, "reply")]


def test_a_batch_written_after_its_thread_was_merged_points_at_the_thread_it_went_into(app, thread, follower):
    from cop.discussions import moderating

    target = start_thread(make_user(), thread.container, title="Het grote gesprek", body="Hier verder")
    post = reply_whose_worker_stops(app, thread, make_user(), "Nog even hier")
    moderating.merge_thread(thread, target, make_user(role="moderator"), "Dubbel")
    assert batches.write_waiting() == 1
    (made,) = db.session.scalars(select(Notification).where(Notification.user_id == follower.id)).all()
    assert (made.post_id, made.thread_id) == (post.id, target.id)
    client = logged_in(app, follower)
    assert "Het grote gesprek" in client.get("/meldingen").get_data(as_text=True)


def test_a_batch_that_fails_outside_a_request_does_not_undo_or_repeat_the_reply(
    app, thread, follower, monkeypatch
):
    """Outside a request (the command line, a script) a batch is written right after the reply's
    commit; its failure is logged and counted, and the reply stands, once."""
    from cop.discussions.models import Post

    def broken(payload):
        raise RuntimeError("kapot")

    monkeypatch.setattr(making, "write_batch", broken)
    discussions.reply(thread, make_user(), "Eén keer")
    assert count(Post, Post.body == "Eén keer") == 1
    assert db.session.scalar(select(NotificationBatch.attempts)) == 1


def test_a_busy_database_does_not_count_as_a_failed_attempt(app, thread, follower, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def busy(payload):
        raise OperationalError("INSERT …", {}, Exception("database is locked"))

    reply_whose_worker_stops(app, thread, make_user(), "Even wachten")
    monkeypatch.setattr(making, "write_batch", busy)
    assert batches.write_waiting() == 0
    assert db.session.scalar(select(NotificationBatch.attempts)) == 0
    monkeypatch.undo()
    assert batches.write_waiting() == 1
    assert heard(follower) != []


def test_a_few_followers_hear_of_a_reply_in_its_own_transaction(app, thread, follower, monkeypatch):
    monkeypatch.setattr(making, "WRITE_AT_ONCE", 50)
    post = reply_whose_worker_stops(app, thread, make_user(), "Een rustig gesprek")
    assert heard(follower) == [(post.id, "reply")]  # although nothing ran after the response
    assert count(NotificationBatch) == 0
    assert count(OutboxMail, OutboxMail.recipient_id == follower.id) == 1
