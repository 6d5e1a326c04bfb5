"""Flags: a member reports what they may see, once per item; moderators dismiss the reports about an
item or resolve them with an action (hide, suspend the author); the reporters are told."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cop.accounts import User
from cop.discussions import Post
from cop.extensions import db
from cop.moderation import AuditEntry, Flag, FlagStatus, services
from cop.moderation.subjects import KINDS, describe
from cop.notifications.models import Notification
from cop.transactions import DomainError
from tests.circles.factories import add_member, make_circle
from tests.conftest import logged_in, login
from tests.discussions.factories import start_thread
from tests.factories import make_user


@pytest.fixture
def scene():
    author = make_user(display_name="Sjaak Schrijver")
    thread = start_thread(author, title="Buurtbudget", body="Bel mij op 06-12345678, goedkoop advies!")
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.number == 1))
    return {"author": author, "thread": thread, "post": post}


def _flags() -> list[Flag]:
    return list(db.session.scalars(select(Flag).order_by(Flag.id)))


def test_a_member_reports_a_post_once(app, scene, member):
    client = logged_in(app, member)
    page = client.get(f"/melden/bericht/{scene['post'].id}").get_data(as_text=True)
    assert "Wat is er mis mee?" in page and "Bel mij op" in page
    response = client.post(
        f"/melden/bericht/{scene['post'].id}", data={"reason": "spam", "text": "Reclame voor advies."}
    )
    assert response.status_code == 302
    [flag] = _flags()
    assert (flag.subject_kind, flag.subject_id, flag.reporter_id) == ("post", scene["post"].id, member.id)
    assert (
        flag.reason.value == "spam" and flag.text == "Reclame voor advies." and flag.status == FlagStatus.OPEN
    )

    again = client.post(
        f"/melden/bericht/{scene['post'].id}", data={"reason": "offensive", "text": "Nog eens"}
    )
    page = again.get_data(as_text=True)
    assert again.status_code == 200
    assert "Je hebt dit al gemeld" in page and 'id="reason-error"' in page
    assert "Nog eens" in page  # the input is kept
    assert len(_flags()) == 1


def test_other_needs_an_explanation_and_a_reason_is_required(app, scene, member):
    client = logged_in(app, member)
    response = client.post(f"/melden/bericht/{scene['post'].id}", data={"reason": "other", "text": ""})
    assert response.status_code == 200 and "Zeg in een paar woorden wat er mis is." in response.get_data(
        as_text=True
    )
    response = client.post(f"/melden/bericht/{scene['post'].id}", data={"text": "iets"})
    assert "Kies een reden." in response.get_data(as_text=True)
    response = client.post(f"/melden/bericht/{scene['post'].id}", data={"reason": "spam", "text": "x" * 1001})
    assert "Gebruik maximaal 1000 tekens." in response.get_data(as_text=True) or response.status_code == 200
    assert _flags() == []


def test_one_cannot_report_ones_own_things(app, scene):
    client = logged_in(app, scene["author"])
    assert client.get(f"/melden/bericht/{scene['post'].id}").status_code == 403
    assert client.post(f"/melden/bericht/{scene['post'].id}", data={"reason": "spam"}).status_code == 403
    assert client.get(f"/melden/lid/{scene['author'].id}").status_code == 403
    with pytest.raises(DomainError):
        services.flag(scene["author"], "post", scene["post"], "spam")


def test_the_report_link_shows_to_members_who_did_not_write_it(app, scene, member):
    path = f"/discussie/{scene['thread'].ref}"
    link = f'href="/melden/bericht/{scene["post"].id}"'
    assert link in logged_in(app, member).get(path).get_data(as_text=True)
    assert link not in logged_in(app, scene["author"]).get(path).get_data(as_text=True)
    assert link not in app.test_client().get(path).get_data(as_text=True)
    unconfirmed = make_user(confirmed=False)
    assert link not in logged_in(app, unconfirmed).get(path).get_data(as_text=True)
    profile = logged_in(app, member).get(f"/leden/{scene['author'].handle}").get_data(as_text=True)
    assert f'href="/melden/lid/{scene["author"].id}"' in profile


def test_a_private_circles_thread_cannot_be_reported_by_outsiders(app, member):
    facilitator = make_user()
    circle = make_circle(facilitator, name="Geheime kring", visibility="prive")
    insider = make_user()
    add_member(circle, insider)
    from cop.discussions import services as discussions

    thread = discussions.start_thread(
        container_kind="circle",
        container=circle,
        author=facilitator,
        kind="discussion",
        title="Binnen",
        body="Tekst",
    )
    assert logged_in(app, member).get(f"/melden/discussie/{thread.id}").status_code == 404
    assert (
        logged_in(app, member).post(f"/melden/discussie/{thread.id}", data={"reason": "spam"}).status_code
        == 404
    )
    assert logged_in(app, member).get(f"/melden/leerkring/{circle.id}").status_code == 404
    assert logged_in(app, insider).get(f"/melden/discussie/{thread.id}").status_code == 200
    assert logged_in(app, member).get("/melden/bericht/999999").status_code == 404
    assert logged_in(app, member).get("/melden/bericht/99999999999").status_code == 404
    assert _flags() == []


def _report(scene, *members, reason="spam"):
    for who in members:
        services.flag(who, "post", scene["post"], reason, "Dit hoort hier niet.")


def test_the_dashboard_groups_open_reports_per_item(app, scene, moderator):
    first, second = make_user(display_name="Eerste Melder"), make_user(display_name="Tweede Melder")
    _report(scene, first)
    services.flag(second, "post", scene["post"], "personal_data", "Telefoonnummer")
    services.flag(second, "member", scene["author"], "spam")
    page = logged_in(app, moderator).get("/moderatie/").get_data(as_text=True)
    assert "2 onderdelen hebben open meldingen." in page
    assert "2 meldingen" in page and "Eerste Melder" in page and "Tweede Melder" in page
    assert "spam, persoonsgegevens" in page
    assert "Bel mij op" in page  # the excerpt
    assert f'href="/moderatie/meldingen/bericht/{scene["post"].id}"' in page
    assert "/moderatie/beoordelen" in page


def test_dismissing_tells_the_reporters_and_writes_the_log(app, scene, moderator):
    first, second = make_user(), make_user()
    _report(scene, first, second)
    client = logged_in(app, moderator)
    response = client.post(
        f"/moderatie/meldingen/bericht/{scene['post'].id}",
        data={"decision": "dismiss", "note": "Geen reclame, een tip.", "duration": "7"},
    )
    assert response.status_code == 302
    assert {flag.status for flag in _flags()} == {FlagStatus.DISMISSED}
    notes = list(db.session.scalars(select(Notification).where(Notification.kind == "flag_resolved")))
    assert sorted(n.user_id for n in notes) == sorted([first.id, second.id])
    page = logged_in(app, first).get("/meldingen").get_data(as_text=True)
    assert "Je melding over “Buurtbudget #1” is afgehandeld." in page
    assert "geen reden om in te grijpen" in page
    assert "Geen reclame, een tip." not in page  # the note is for the log
    [entry] = db.session.scalars(select(AuditEntry))
    assert (entry.action, entry.subject_kind, entry.subject_id) == (
        "flag_dismissed",
        "post",
        scene["post"].id,
    )
    assert entry.actor_id == moderator.id and entry.reason == "Geen reclame, een tip."
    assert entry.details == {"action": "", "flags": 2}
    # handled: no form any more, and a second decision is refused
    again = client.post(
        f"/moderatie/meldingen/bericht/{scene['post'].id}",
        data={"decision": "resolve", "note": "x", "duration": "7"},
    )
    assert "Deze meldingen zijn al afgehandeld." in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 1


def test_resolving_by_hiding_the_post(app, scene, moderator):
    reporter = make_user()
    _report(scene, reporter)
    response = logged_in(app, moderator).post(
        f"/moderatie/meldingen/bericht/{scene['post'].id}",
        data={"decision": "hide", "note": "Telefoonnummer en reclame.", "duration": "7"},
    )
    assert response.status_code == 302
    db.session.refresh(scene["post"])
    assert scene["post"].is_hidden
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert actions == {"flag_resolved", "post_hidden"}
    assert _flags()[0].outcome == "hide"
    text = logged_in(app, reporter).get("/meldingen").get_data(as_text=True)
    assert "actie ondernomen" in text


def test_resolving_by_suspending_the_author(app, scene, moderator):
    reporter = make_user()
    _report(scene, reporter)
    response = logged_in(app, moderator).post(
        f"/moderatie/meldingen/bericht/{scene['post'].id}",
        data={
            "decision": "suspend",
            "note": "Herhaalde reclame.",
            "duration": "30",
            "suspension_reason": "Reclame in berichten",
        },
    )
    assert response.status_code == 302
    author = db.session.get(User, scene["author"].id)
    assert author.is_suspended and author.suspension_reason == "Reclame in berichten"
    entries = {e.action: e for e in db.session.scalars(select(AuditEntry))}
    assert set(entries) == {"flag_resolved", "member_suspended"}
    assert entries["member_suspended"].reason == "Reclame in berichten"
    assert entries["member_suspended"].subject_id == author.id
    # the author cannot log in and is told why and until when
    page = login(app.test_client(), author.email).get_data(as_text=True)
    assert "geschorst tot" in page and "Reclame in berichten" in page


def test_a_suspension_needs_its_reason_and_a_moderator_cannot_suspend_staff(app, scene, moderator):
    reporter = make_user()
    _report(scene, reporter)
    client = logged_in(app, moderator)
    response = client.post(
        f"/moderatie/meldingen/bericht/{scene['post'].id}",
        data={"decision": "suspend", "note": "Weg ermee", "duration": "7", "suspension_reason": ""},
    )
    assert response.status_code == 200 and "Geef een reden op." in response.get_data(as_text=True)
    assert not db.session.get(User, scene["author"].id).is_suspended
    assert _flags()[0].status == FlagStatus.OPEN
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0

    other_moderator = make_user("moderator")
    thread = start_thread(other_moderator, title="Van een moderator", body="Tekst")
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    services.flag(reporter, "post", post, "offensive")
    item = describe("post", post.id, post)
    with pytest.raises(DomainError):
        services.handle(item, moderator, "suspend", "nee", days=7, suspension_reason="x")
    page = client.get(f"/moderatie/meldingen/bericht/{post.id}").get_data(as_text=True)
    assert 'value="suspend"' not in page and 'value="hide"' in page


def test_members_cannot_see_the_moderation_pages(app, scene, member):
    client = logged_in(app, member)
    _report(scene, make_user())
    for path in ("/moderatie/", "/moderatie/logboek", f"/moderatie/meldingen/bericht/{scene['post'].id}"):
        assert client.get(path).status_code == 403, path
    staff = logged_in(app, make_user("moderator"))
    assert staff.get("/moderatie/meldingen/bericht/99999999999").status_code == 404
    assert staff.get("/moderatie/meldingen/lid/12345").status_code == 404  # nothing reported


def test_every_kind_has_a_label_and_address(app, scene, member):
    item = describe("post", scene["post"].id, scene["post"])
    assert (
        item.label == "Buurtbudget #1"
        and item.path.endswith("/bericht/1")
        and item.author_id == scene["author"].id
    )
    assert set(KINDS) == {"post", "thread", "contribution", "circle", "member"}


def test_a_moderators_dashboard_counts_the_reported_items(app, scene, moderator, member):
    _report(scene, make_user())
    page = logged_in(app, moderator).get("/mijn").get_data(as_text=True)
    assert "1 gemeld onderdeel wacht" in page and 'href="/moderatie/"' in page
    assert "gemeld onderdeel" not in logged_in(app, member).get("/mijn").get_data(as_text=True)
