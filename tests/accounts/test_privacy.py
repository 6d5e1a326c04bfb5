"""Mijn gegevens: the export holds the member's data and nothing of circles they are not in; deleting
the account leaves the member's address, name and handle in no text or JSON column of any table."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from cop import mail
from cop.accounts import services as account_services
from cop.accounts.models import User
from cop.circles import services as circle_services
from cop.circles.models import CalendarFeed
from cop.contributions import services as contribution_services
from cop.discussions import services as discussion_services
from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.guide import queries as guide_queries
from cop.notifications.models import Notification
from cop.places import services as place_services
from tests.circles.factories import add_member, make_circle, plan_meeting
from tests.conftest import logged_in
from tests.contributions import factories as contribution_factories
from tests.factories import PASSWORD, make_user
from tests.guide.factories import import_shipped
from tests.places.factories import import_places, place

NAME = "Zwaantje Privacyproef"
EMAIL = "zwaantje.privacy@example.nl"


@pytest.fixture
def guide():
    import_shipped()
    import_places()


@pytest.fixture
def scene(app, guide):
    """A member who did a bit of everything, and what others wrote about her."""
    me = make_user(display_name=NAME, email=EMAIL, organisation="Gemeente Zwolle", job_title="Wijkcoach")
    other = make_user(display_name="Otto Anders")
    moderator = make_user("moderator", display_name="Mo Derator")
    theme = guide_queries.themes()[0]

    # discussions: her thread, a reply by someone else that quotes and mentions her, her edited reply
    thread = discussion_services.start_thread(
        container_kind="theme",
        container=theme,
        author=me,
        kind="discussion",
        title="Buurtbudget in Zwolle",
        body="Hoe verdelen jullie het buurtbudget?",
    )
    quote = (
        f"> [{NAME} schreef](/discussie/{thread.ref}#bericht-1):\n>\n"
        "> Hoe verdelen jullie het buurtbudget?\n\n"
    )
    answer = discussion_services.reply(thread, other, quote + f"Goede vraag @{me.handle}!")
    discussion_services.edit_post(
        answer, other, quote + f"Goede vraag, @{me.handle}, zie ook {NAME}s notitie."
    )
    mine = discussion_services.reply(thread, me, "Eerste versie van mijn antwoord.")
    discussion_services.edit_post(mine, me, "Tweede versie van mijn antwoord.")

    # circles: a private circle she is in (with a meeting she comes to), one she is not in
    circle = make_circle(other, name="Kring Zwolle-Zuid", visibility="prive")
    add_member(circle, me)
    meeting = plan_meeting(circle, other, title="Bijeenkomst over budgetten")
    circle_services.answer(meeting, me, "ja")
    circle_services.save_notes(meeting, f"{NAME} vertelde over het buurtbudget.")
    circle_services.calendar_feed(me)
    secret = make_circle(other, name="Geheime kring Noord", visibility="prive")
    discussion_services.start_thread(
        container_kind="circle",
        container=secret,
        author=other,
        kind="discussion",
        title="Geheim onderwerp",
        body="Alleen voor leden van de geheime kring.",
    )

    # contributions: hers, promoted into lesson 1.2; someone else's she writes along on and endorses
    contribution = contribution_factories.practice(me, title="Buurtbudget met bewoners")
    contribution_factories.in_review(contribution, me, moderator)
    contribution_factories.promote_into(contribution, moderator)
    others = contribution_factories.submitted(
        contribution_factories.practice(other, title="Buurttafels"), other
    )
    contribution_services.invite_coauthor(others, other, f"@{me.handle}")
    contribution_services.answer_invitation(others, me, True)
    endorsed = contribution_factories.submitted(
        contribution_factories.practice(moderator, title="Wijkteams"), moderator
    )
    contribution_services.endorse(endorsed, me, "herkenbaar")

    # moderation: a suspension and its lifting, in the audit log with her as subject
    account_services.suspend(me, 1, "Even afkoelen", actor=moderator)
    account_services.unsuspend(me, actor=moderator)

    # places, the guide, mail
    place_services.set_working_area(me, place("kanaleneiland-utrecht"), public=True)
    logged_in(app, me).get("/les/1.2", follow_redirects=True)
    db.session.add_all(
        [
            mail.OutboxMail(to_address=EMAIL, subject="Welkom", body_text="Hallo"),
            mail.OutboxMail(to_address="otto@example.nl", subject="Nieuw", body_text=f"{NAME} reageerde."),
            mail.OutboxMail(to_address="otto@example.nl", subject="Iets anders", body_text="Los hiervan."),
        ]
    )
    db.session.commit()
    return {"me": me, "other": other, "moderator": moderator, "thread": thread, "circle": circle}


def _download(client) -> zipfile.ZipFile:
    response = client.post("/account/gegevens/download")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_the_page_explains_and_offers_download_and_deletion(app):
    me = make_user(display_name=NAME)
    page = logged_in(app, me).get("/account/gegevens").get_data(as_text=True)
    assert "Download mijn gegevens" in page
    assert 'href="/account/verwijderen"' in page
    assert 'href="/privacy"' in page


def test_the_export_holds_my_data_and_nothing_of_a_private_circle_i_am_not_in(app, scene):
    archive = _download(logged_in(app, scene["me"]))
    names = set(archive.namelist())
    assert "overzicht.md" in names
    for part in (
        "profiel",
        "berichten",
        "discussies",
        "bijdragen",
        "steunbetuigingen",
        "leerkringen",
        "aanwezigheid",
        "meldingen",
        "instellingen_meldingen",
        "werkgebied",
        "gelezen_lessen",
        "discussies_volgen",
    ):
        assert f"{part}.json" in names, part
    parts = {name[:-5]: json.loads(archive.read(name)) for name in names if name.endswith(".json")}
    assert parts["profiel"]["email"] == EMAIL
    assert parts["profiel"]["organisatie"] == "Gemeente Zwolle"
    my_answer = next(p for p in parts["berichten"] if p["tekst"] == "Tweede versie van mijn antwoord.")
    assert [v["tekst"] for v in my_answer["eerdere_versies"]] == ["Eerste versie van mijn antwoord."]
    assert [t["titel"] for t in parts["discussies"]] == ["Buurtbudget in Zwolle"]
    titles = {c["titel"]: c for c in parts["bijdragen"]}
    assert set(titles) == {"Buurtbudget met bewoners", "Buurttafels"}
    assert any(step["actie"] == "promote" for step in titles["Buurtbudget met bewoners"]["verloop"])
    assert [e["bijdrage"] for e in parts["steunbetuigingen"]] == ["Wijkteams"]
    assert [c["leerkring"] for c in parts["leerkringen"]] == ["Kring Zwolle-Zuid"]
    assert parts["aanwezigheid"][0]["antwoord"] == "ja"
    assert parts["agenda_abonnement"]["actief"] is True
    assert parts["meldingen"], "the mention made a notification"
    assert parts["werkgebied"][0]["wijk"] == "Kanaleneiland"
    assert [r["les"] for r in parts["gelezen_lessen"]] == ["1.2"]
    assert len(parts["audit_entries_about_me"]) == 2  # moderation's part: suspended, lifted
    summary = archive.read("overzicht.md").decode()
    assert summary.startswith("# ") and NAME in summary and "## berichten" in summary

    everything = "\n".join(archive.read(name).decode() for name in names)
    for secret in ("Geheime kring Noord", "Geheim onderwerp", "Alleen voor leden van de geheime kring"):
        assert secret not in everything
    assert "otto@example.nl" not in everything and scene["other"].email not in everything


def test_the_download_is_rate_limited(limited_app):
    me = make_user()
    client = logged_in(limited_app, me)
    answers = [client.post("/account/gegevens/download").status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]


def test_a_wrong_password_deletes_nothing(app):
    me = make_user(display_name=NAME, email=EMAIL)
    client = logged_in(app, me)
    response = client.post("/account/verwijderen", data={"current_password": "niet mijn wachtwoord"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dit is niet je huidige wachtwoord." in page
    db.session.refresh(me)
    assert me.email == EMAIL and not me.is_deleted
    assert client.get("/account/gegevens").status_code == 200


def _texts(value) -> str:
    if value is None or isinstance(value, bool | int | float):
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def leftovers(needles: list[str]) -> list[str]:
    """Every text or JSON value of every table that holds one of ``needles`` (case-insensitive)."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            for column, value in row.items():
                text = _texts(value).lower()
                for needle in needles:
                    if needle.lower() in text:
                        found.append(f"{table.name}.{column}: {needle!r} in {text[:120]!r}")
    return found


def test_deleting_leaves_my_address_name_and_handle_nowhere(app, scene):
    me = scene["me"]
    handle, member_id = me.handle, me.id
    assert leftovers([EMAIL, NAME, handle]), "the scene names the member somewhere"
    client = logged_in(app, me)
    other_device = logged_in(app, me)
    assert other_device.get("/account/gegevens").status_code == 200
    response = client.post("/account/verwijderen", data={"current_password": PASSWORD})
    assert response.status_code == 302

    assert leftovers([EMAIL, NAME, handle]) == []

    gone = db.session.get(User, member_id)
    assert gone.is_deleted and gone.display_name == "verwijderd lid"
    assert gone.handle == f"verwijderd-{member_id}" and "@" not in gone.email
    assert gone.organisation == gone.job_title == gone.bio == ""
    assert db.session.get(CalendarFeed, member_id) is None
    assert db.session.scalars(select(Notification).where(Notification.user_id == member_id)).all() == []
    outbox = db.session.scalars(select(mail.OutboxMail.subject)).all()
    assert outbox.count("Iets anders") == 1 and "Welkom" not in outbox and "Nieuw" not in outbox
    # posts stay, with "verwijderd lid" as their author and in the quote
    posts = db.session.scalars(
        select(Post).where(Post.thread_id == scene["thread"].id).order_by(Post.number)
    ).all()
    assert [p.author_id for p in posts] == [member_id, scene["other"].id, member_id]
    assert "[verwijderd lid schreef]" in posts[1].body and "verwijderd lid!" not in posts[1].body
    assert "Goede vraag, verwijderd lid," in posts[1].body
    # this browser is logged out, and every other session ended
    assert client.get("/account/gegevens").status_code == 302
    assert other_device.get("/account/gegevens").headers["Location"].startswith("/account/inloggen")
    thread_page = logged_in(app, scene["other"]).get(
        f"/discussie/{db.session.get(Thread, scene['thread'].id).ref}"
    )
    assert "verwijderd lid" in thread_page.get_data(as_text=True)
    assert f'href="/leden/{gone.handle}"' not in thread_page.get_data(as_text=True)  # no link to nowhere
    # the lesson credits "een deelnemer"
    lesson = logged_in(app, scene["other"]).get("/les/1.2", follow_redirects=True).get_data(as_text=True)
    assert "een deelnemer" in lesson and NAME not in lesson
    # the profile is gone, and so is logging in
    assert logged_in(app, scene["other"]).get(f"/leden/{gone.handle}").status_code == 404
    login = app.test_client().post("/account/inloggen", data={"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 200 and "Het e-mailadres of wachtwoord klopt niet." in login.get_data(
        as_text=True
    )


def test_deleting_can_keep_my_name_on_lessons_from_my_contributions(app, scene):
    handle = scene["me"].handle
    client = logged_in(app, scene["me"])
    response = client.post("/account/verwijderen", data={"current_password": PASSWORD, "keep_name": "y"})
    assert response.status_code == 302
    lesson = logged_in(app, scene["other"]).get("/les/1.2", follow_redirects=True).get_data(as_text=True)
    assert NAME in lesson
    assert leftovers([EMAIL, handle]) == []


def test_deleting_is_all_or_nothing(app, scene):
    """A part that fails leaves every part undone."""
    from cop import panels

    def failing(member):
        raise RuntimeError("a part failed")

    panels.contribute(app, "account-deletion", failing)
    try:
        with pytest.raises(RuntimeError):
            from cop.accounts import privacy

            privacy.delete_account(scene["me"])
        db.session.rollback()
    finally:
        app.extensions[panels._KEY]["account-deletion"].remove(failing)
    me = db.session.get(User, scene["me"].id)
    assert me.email == EMAIL and not me.is_deleted
    assert db.session.get(CalendarFeed, me.id) is not None
    assert len(leftovers([NAME])) > 3


def test_an_administrator_exports_and_deletes_an_account_from_the_command_line(app, tmp_path):
    me = make_user(display_name=NAME, email=EMAIL)
    runner = app.test_cli_runner()
    target = tmp_path / "export.zip"
    result = runner.invoke(args=["user", "export", EMAIL, str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(zipfile.ZipFile(target).read("profiel.json"))["email"] == EMAIL
    result = runner.invoke(args=["user", "delete", EMAIL, "--yes"])
    assert result.exit_code == 0, result.output
    assert db.session.get(User, me.id).is_deleted
    assert runner.invoke(args=["user", "delete", EMAIL, "--yes"]).exit_code == 1


def test_a_contribution_promoted_after_its_writer_left_credits_a_participant(app, guide):
    from cop.accounts import privacy
    from cop.guide.models import LessonRevision

    me = make_user(display_name=NAME, email=EMAIL)
    moderator = make_user("moderator", display_name="Mo Derator")
    contribution = contribution_factories.in_review(
        contribution_factories.practice(me, title="Later opgenomen"), me, moderator
    )
    privacy.delete_account(me)
    contribution_factories.promote_into(contribution, moderator)
    note = db.session.scalars(select(LessonRevision.change_note).order_by(LessonRevision.id.desc())).first()
    assert "een deelnemer" in note and NAME not in note
    lesson = logged_in(app, moderator).get("/les/1.2", follow_redirects=True).get_data(as_text=True)
    assert "Later opgenomen" in lesson and "een deelnemer" in lesson
