"""The audit log: every action of a moderator or admin writes an entry in its own transaction; an
entry cannot be changed or removed (only pseudonymised when its member deletes the account); the
log page lists them newest first and filters by actor, action and dates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, insert, select, update

from cop.accounts import services as accounts
from cop.circles import services as circle_services
from cop.contributions import services as contribution_services
from cop.db_types import utcnow
from cop.discussions import Post, moderating
from cop.discussions import services as discussions
from cop.extensions import db
from cop.guide.services import themes
from cop.moderation import AuditEntry, pseudonymise_actor
from cop.moderation.audit import pseudonym_for
from cop.moderation.models import AuditLogIsAppendOnly
from cop.panels import contributions as point
from cop.transactions import DomainError
from tests.circles.factories import add_member, make_circle
from tests.conftest import logged_in
from tests.contributions.factories import in_review, practice, promote_into
from tests.discussions.factories import start_thread
from tests.factories import make_user
from tests.guide.factories import import_shipped, make_theme


def entries() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def actions() -> list[str]:
    return [entry.action for entry in entries()]


def test_accounts_actions_are_logged(admin):
    member = make_user(display_name="Piet Lid")
    accounts.set_role(member, "moderator", actor=admin)
    accounts.suspend(member, 7, "Ruzie gezocht", actor=admin)
    accounts.unsuspend(member, actor=admin)
    role, suspended, lifted = entries()
    assert (role.action, role.actor_id, role.subject_kind, role.subject_id) == (
        "role_changed",
        admin.id,
        "member",
        member.id,
    )
    assert role.details == {"old": "member", "new": "moderator"}
    assert role.subject_label == f"Piet Lid (@{member.handle})" and role.actor_label == admin.display_name
    assert suspended.action == "member_suspended" and suspended.reason == "Ruzie gezocht"
    assert "until" in suspended.details
    assert lifted.action == "member_unsuspended"


def test_discussion_moderation_is_logged(moderator):
    author = make_user()
    theme, other_theme = make_theme(), make_theme("wonen", "Wonen", 1)
    thread = start_thread(author, theme, title="Een draad", body="Begin")
    post = discussions.reply(thread, author, "Een reactie")
    own = discussions.reply(thread, author, "Mijn eigen vergissing")
    discussions.delete_post(own, author)  # one's own: not a moderator's action
    assert actions() == []
    other = discussions.reply(thread, author, "Nog een")
    discussions.moderate(thread, "pin", moderator)
    discussions.moderate(thread, "lock", moderator)
    moderating.hide_post(post, moderator, "Persoonsgegevens")
    moderating.restore_post(post, moderator, "Aangepast")
    discussions.delete_post(other, moderator)
    moderating.move_thread(thread, other_theme, moderator, "Past beter")
    duplicate = start_thread(author, other_theme, title="Dubbel", body="Nog eens")
    moderating.merge_thread(duplicate, thread, moderator, "Dubbel")
    hidden = start_thread(author, theme, title="Reclame", body="Koop nu")
    moderating.hide_thread(hidden, moderator, "Reclame")
    assert actions() == [
        "thread_pin",
        "thread_lock",
        "post_hidden",
        "post_restored",
        "post_deleted",
        "thread_move",
        "thread_merge",
        "thread_hide",
    ]
    by_action = {entry.action: entry for entry in entries()}
    assert by_action["post_hidden"].reason == "Persoonsgegevens"
    assert by_action["post_hidden"].subject_label == "Een draad #2"
    assert by_action["thread_merge"].details.get("into") == thread.id
    assert all(entry.actor_id == moderator.id for entry in entries())


def test_theme_contribution_and_circle_actions_are_logged(app, admin, moderator):
    import_shipped()
    theme = themes.create_theme(admin, "Veiligheid", "Over veiligheid in de wijk.")
    themes.retire_theme(theme, admin)
    writer = make_user()
    declined = in_review(practice(writer, "Niet passend"), writer, moderator)
    contribution_services.decide(declined, moderator, "decline", "Past niet in de gids.")
    promoted = in_review(practice(writer, "Buurttafels"), writer, moderator)
    promote_into(promoted, moderator)
    facilitator, member = make_user(), make_user()
    circle = make_circle(facilitator, name="Kring")
    add_member(circle, member)
    circle_services.remove_member(circle, member, "Niet actief", facilitator)
    got = actions()
    assert got[:2] == ["theme_create", "theme_retire"]
    assert "contribution_decline" in got and "contribution_promoted" in got
    assert "contribution_take" not in got  # taking into review is not a decision
    assert got[-1] == "circle_member_removed"
    decline = next(e for e in entries() if e.action == "contribution_decline")
    assert decline.reason == "Past niet in de gids." and decline.subject_label == "Niet passend"


def test_a_failed_action_leaves_no_entry(admin):
    with pytest.raises(DomainError):
        accounts.suspend(admin, 7, "Mezelf", actor=admin)
    db.session.rollback()
    assert entries() == []


def test_entries_cannot_be_changed_or_removed(admin):
    member = make_user()
    accounts.set_role(member, "moderator", actor=admin)
    [entry] = entries()
    entry.reason = "Achteraf anders"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    [entry] = entries()
    db.session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(update(AuditEntry).values(reason="x"))
    db.session.rollback()
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(delete(AuditEntry))
    db.session.rollback()
    assert entries()[0].reason == ""


def test_account_deletion_pseudonymises_the_member_in_the_log(app, admin):
    member = make_user(display_name="Weg Gaan")
    moderator = make_user("moderator", display_name="Mod Eratorix")
    accounts.set_role(member, "moderator", actor=admin)
    accounts.suspend(make_user(), 1, "Test", actor=moderator)
    [deletion] = [fn for fn in point("account-deletion") if fn.__module__.startswith("cop.moderation")]
    deletion(member)
    deletion(moderator)
    db.session.commit()
    about, by = entries()
    assert about.subject_label == pseudonym_for(member.id) and "Weg Gaan" not in about.subject_label
    assert by.actor_label == pseudonym_for(moderator.id) and by.actor_id == moderator.id
    assert pseudonymise_actor(member.id, "x") == 1  # as subject once; never as actor


def test_privacy_export_lists_entries_about_the_member(admin):
    member = make_user()
    accounts.suspend(member, 7, "Schelden", actor=admin)
    [export] = [fn for fn in point("privacy-export") if fn.__module__.startswith("cop.moderation")]
    data = export(member)
    [entry] = data["audit_entries_about_me"]
    assert entry["action"] == "member_suspended" and entry["reason"] == "Schelden"
    assert export(admin)["audit_entries_about_me"] == []


def _bulk(actor, count: int, start, label: str = "Draad") -> None:
    db.session.execute(
        insert(AuditEntry),
        [
            {
                "created_at": start + timedelta(hours=n),
                "actor_id": actor.id,
                "actor_label": actor.display_name,
                "action": ("thread_lock", "post_hidden")[n % 2],
                "subject_kind": "thread",
                "subject_id": n,
                "subject_label": f"{label} {n:03d}",
                "reason": "",
                "details": {},
            }
            for n in range(count)
        ],
    )
    db.session.commit()


def test_the_log_page_filters_and_pages(app, moderator, admin):
    start = utcnow().replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=10)
    _bulk(moderator, 60, start)  # 2.5 days of hourly entries
    _bulk(admin, 2, start + timedelta(days=5), "Thema")
    client = logged_in(app, moderator)
    page = client.get("/moderatie/logboek").get_data(as_text=True)
    assert "62 regels" in page
    assert page.index(admin.display_name) < page.index("Draad 059")  # newest first
    assert "Draad 000" not in page  # 50 a page: the oldest are on page 2
    assert "Draad 000" in client.get("/moderatie/logboek?pagina=2").get_data(as_text=True)
    only_admin = client.get(f"/moderatie/logboek?wie={admin.id}").get_data(as_text=True)
    assert "2 regels" in only_admin
    hidden = client.get("/moderatie/logboek?actie=post_hidden").get_data(as_text=True)
    assert "31 regels" in hidden and "Draad 001" in hidden and "Draad 002" not in hidden
    day = (start + timedelta(days=1)).date().isoformat()
    one_day = client.get(f"/moderatie/logboek?van={day}&tot={day}").get_data(as_text=True)
    assert "24 regels" in one_day and "Draad 024" in one_day and "Draad 023" not in one_day


@pytest.mark.parametrize("value", ["31-12-2026", "2026-02-30", "gisteren", "9999-01-01"])
def test_a_bad_date_gets_a_dutch_message_at_the_field(app, moderator, value):
    response = logged_in(app, moderator).get(f"/moderatie/logboek?van={value}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="van-error"' in page and "Vul een datum in zoals 2026-03-31." in page
    assert f'value="{value}"' in page  # what was typed stays


def test_an_end_before_the_start_is_refused(app, moderator):
    page = (
        logged_in(app, moderator)
        .get("/moderatie/logboek?van=2026-03-10&tot=2026-03-01")
        .get_data(as_text=True)
    )
    assert "De einddatum ligt voor de begindatum." in page


def test_there_is_no_way_to_edit_or_delete_an_entry(app):
    rules = [rule for rule in app.url_map.iter_rules() if "logboek" in rule.rule]
    assert [(rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"})) for rule in rules] == [
        ("/moderatie/logboek", ["GET"])
    ]


def test_a_post_row_of_the_dashboard(app, moderator):
    author = make_user()
    thread = start_thread(author, title="Oud", body="Tekst")
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    moderating.hide_post(post, moderator, "Reden")
    page = logged_in(app, moderator).get("/moderatie/").get_data(as_text=True)
    assert "Recente acties" in page and "Bericht verborgen" in page and "Oud #1" in page
