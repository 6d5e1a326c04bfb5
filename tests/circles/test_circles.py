"""Circles: starting one, who sees what, joining by request and by invitation, the facilitator rules,
the reading plan, and "private means private" on every surface."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cop.circles import queries, services
from cop.circles.models import Circle, CircleMember, JoinRequest
from cop.discussions import services as discussions
from cop.extensions import db
from cop.notifications.models import Notification
from cop.transactions import DomainError
from tests.circles.factories import add_member, make_circle, plan_meeting
from tests.conftest import link_in, local_path, logged_in, mails_to
from tests.factories import make_user
from tests.guide.factories import make_chapter, make_lesson, make_theme


@pytest.fixture
def anna():
    return make_user(display_name="Anna de Vries", email="anna@example.nl")


@pytest.fixture
def theme():
    return make_theme(slug="burgerschap", title="Burgerschap")


def circle_form(**changes) -> dict:
    data = {
        "kind": "leerkring",
        "name": "Leerkring Bewonersparticipatie",
        "description": "Wij leren **samen**.",
        "goal": "Hoe bereiken we stille bewoners?",
        "municipality": "Utrecht",
        "visibility": "open",
    }
    data.update(changes)
    return data


# --- starting a circle ----------------------------------------------------------------------------


def test_a_confirmed_member_starts_a_circle_and_facilitates_it(app, anna, theme):
    client = logged_in(app, anna)
    response = client.post("/leerkringen/nieuw", data={**circle_form(), "themes": [str(theme.id)]})
    circle = db.session.scalar(select(Circle))
    assert response.status_code == 302 and response.location.endswith(
        "/leerkring/leerkring-bewonersparticipatie"
    )
    assert circle.is_facilitator(anna) and circle.themes == [theme]
    page = client.get(response.location).get_data(as_text=True)
    assert "<strong>samen</strong>" in page and "Je bent begeleider van deze kring." in page
    again = client.post("/leerkringen/nieuw", data=circle_form())
    assert again.location.endswith("/leerkring/leerkring-bewonersparticipatie-2")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Geef de kring een naam."),
        ({"name": "x" * 300}, "name", "Gebruik maximaal 120 tekens."),
        ({"starts_on": "2027-05-01", "ends_on": "2027-04-01"}, "ends_on", "voor het begin"),
        ({"visibility": "geheim"}, "visibility", "Ongeldige keuze"),
        ({"name": "Naam\x00met nul"}, "name", "niet is toegestaan"),
    ],
)
def test_bad_circle_input_is_refused_at_the_field(app, anna, changes, field, message):
    response = logged_in(app, anna).post("/leerkringen/nieuw", data=circle_form(**changes))
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert db.session.scalar(select(func.count()).select_from(Circle)) == 0


def test_unconfirmed_members_cannot_start_or_join(app, anna):
    circle = make_circle(anna)
    pending = logged_in(app, make_user(confirmed=False))
    assert pending.get("/leerkringen/nieuw").location.startswith("/account/bevestigen")
    assert pending.post(f"/leerkring/{circle.slug}/lid-worden").location.startswith("/account/bevestigen")
    assert queries.member_count(circle) == 1


# --- who sees what --------------------------------------------------------------------------------


def test_the_list_shows_what_each_viewer_may_see_with_counts_and_next_meeting(app, client, anna, member):
    open_circle = make_circle(anna, name="Open kring")
    closed = make_circle(anna, name="Besloten kring", visibility="besloten")
    private = make_circle(anna, name="Geheime kring", visibility="prive")
    plan_meeting(open_circle, anna, title="Open bijeenkomst")
    plan_meeting(closed, anna, title="Besloten bijeenkomst")
    listing = client.get("/leerkringen/").get_data(as_text=True)
    assert "Open kring" in listing and "Besloten kring" in listing and "Geheime kring" not in listing
    assert listing.count("volgende bijeenkomst") == 1  # the closed circle's meetings are for members
    assert "2 kringen" in listing
    add_member(private, member)
    mine = logged_in(app, member).get("/leerkringen/").get_data(as_text=True)
    assert "Geheime kring" in mine and "Je bent lid" in mine and "3 kringen" in mine
    assert "Open kring" in client.get("/leerkringen/?soort=leerkring").get_data(as_text=True)
    assert "Open kring" not in client.get("/leerkringen/?soort=vakgroep").get_data(as_text=True)
    assert "Open kring" not in client.get("/leerkringen/?gemeente=Delft").get_data(as_text=True)


def test_a_closed_circle_shows_outsiders_its_name_description_facilitators_and_the_way_in(
    app, client, anna, member
):
    closed = make_circle(anna, name="Vakgroep wijkregisseurs", kind="vakgroep", visibility="besloten")
    add_member(closed, member)
    thread = discussions.start_thread(
        container_kind="circle",
        container=closed,
        author=member,
        kind="discussion",
        title="Intern overleg",
        body="Alleen voor ons",
    )
    meeting = plan_meeting(closed, anna, title="Vakgroepoverleg")
    outsider = logged_in(app, make_user(display_name="Buiten Staander"))
    page = outsider.get(f"/leerkring/{closed.slug}").get_data(as_text=True)
    assert "Vakgroep wijkregisseurs" in page and "Anna de Vries" in page and "Vraag om lid te worden" in page
    assert "Intern overleg" not in page and "Vakgroepoverleg" not in page and member.display_name not in page
    for path in (
        f"/leerkring/{closed.slug}/leden",
        f"/leerkring/{closed.slug}/discussies",
        f"/discussie/{thread.ref}",
        f"/bijeenkomst/{meeting.id}",
        f"/bijeenkomst/{meeting.id}.ics",
    ):
        assert outsider.get(path).status_code == 404, path
        assert client.get(path).status_code == 404, path
        assert logged_in(app, member).get(path).status_code == 200, path


def test_a_closed_circle_refuses_a_request_with_a_message_then_accepts_the_next(app, anna):
    closed = make_circle(anna, name="Vakgroep opbouwwerk", kind="vakgroep", visibility="besloten")
    thread = discussions.start_thread(
        container_kind="circle",
        container=closed,
        author=anna,
        kind="discussion",
        title="Werkoverleg",
        body="Tekst",
    )
    dirk = make_user(display_name="Dirk de Vries", email="dirk@example.nl")
    dirks = logged_in(app, dirk)
    dirks.post(f"/leerkring/{closed.slug}/lid-worden", data={"message": "Ik ben opbouwwerker in Zwolle."})
    [request] = db.session.scalars(select(JoinRequest)).all()
    assert [n.kind for n in db.session.scalars(select(Notification).filter_by(user_id=anna.id))] == [
        "circle_request"
    ]
    members_page = logged_in(app, anna).get(f"/leerkring/{closed.slug}/leden").get_data(as_text=True)
    assert "Ik ben opbouwwerker in Zwolle." in members_page
    logged_in(app, anna).post(
        f"/leerkring/{closed.slug}/verzoeken/{request.id}",
        data={"decision": "refuse", "answer": "Deze vakgroep is alleen voor wijkregisseurs."},
    )
    told = db.session.scalar(select(Notification).filter_by(user_id=dirk.id, kind="circle_decided"))
    assert told is not None
    inbox = dirks.get("/meldingen").get_data(as_text=True)
    assert "Je verzoek is niet geaccepteerd. Deze vakgroep is alleen voor wijkregisseurs." in inbox
    assert (
        "Deze vakgroep is alleen voor wijkregisseurs."
        in mails_to(app, "dirk@example.nl")[-1].get_body(("plain",)).get_content()
    )
    assert dirks.get(f"/discussie/{thread.ref}").status_code == 404
    dirks.post(f"/leerkring/{closed.slug}/lid-worden", data={"message": "Toch graag, als gast."})
    second = db.session.scalar(select(JoinRequest).where(JoinRequest.decided_at.is_(None)))
    logged_in(app, anna).post(f"/leerkring/{closed.slug}/verzoeken/{second.id}", data={"decision": "accept"})
    assert closed.is_member(dirk)
    assert dirks.get(f"/discussie/{thread.ref}").status_code == 200


# --- invitations ----------------------------------------------------------------------------------


def test_an_invitation_by_email_works_for_someone_who_still_has_to_register(app, client, anna):
    private = make_circle(anna, name="Leerkring Kanaleneiland", visibility="prive")
    response = logged_in(app, anna).post(
        f"/leerkring/{private.slug}/uitnodigen", data={"who": "Bea@Gemeente.nl"}
    )
    assert response.status_code == 302
    [mail] = mails_to(app, "bea@gemeente.nl")
    assert "Anna de Vries" in mail.get_body(("plain",)).get_content()
    invitation_path = local_path(link_in(mail))
    page = client.get(invitation_path).get_data(as_text=True)
    assert "Leerkring Kanaleneiland" in page and "Maak een account aan" in page
    register = f"/account/registreren?next={invitation_path}&email=bea@gemeente.nl"
    assert 'value="bea@gemeente.nl"' in client.get(register).get_data(as_text=True)
    client.post(
        register,
        data={
            "email": "bea@gemeente.nl",
            "display_name": "Bea Bakker",
            "organisation": "Gemeente Utrecht",
            "job_title": "Wijkadviseur",
            "password": "een lang wachtwoord voor bea",
        },
    )
    confirm_path = local_path(link_in(mails_to(app, "bea@gemeente.nl")[-1]))
    after = client.post(confirm_path)
    assert after.location.startswith("/account/inloggen?next=") and "uitnodiging" in after.location
    client.post(after.location, data={"email": "bea@gemeente.nl", "password": "een lang wachtwoord voor bea"})
    assert client.post(invitation_path).status_code == 302
    bea = db.session.scalar(
        select(CircleMember).join(Circle).where(Circle.id == private.id, CircleMember.role == "member")
    )
    assert bea is not None
    assert client.get(f"/leerkring/{private.slug}").status_code == 200


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("iemand@@voorbeeld", "zoals naam@voorbeeld.nl"),
        ("@bestaat-niet", "geen lid met deze gebruikersnaam"),
        ("", "Vul een gebruikersnaam"),
    ],
)
def test_a_bad_invitation_gets_a_message_and_stores_nothing(app, anna, who, message):
    circle = make_circle(anna)
    response = logged_in(app, anna).post(f"/leerkring/{circle.slug}/uitnodigen", data={"who": who})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and 'id="who-error"' in page
    assert queries.open_invitations(circle) == []


# --- the facilitator rules ------------------------------------------------------------------------


def test_the_last_facilitator_cannot_leave_or_be_removed_without_handing_over(app, anna, member):
    circle = make_circle(anna, visibility="besloten")
    add_member(circle, member)
    with pytest.raises(DomainError, match="laatste begeleider"):
        services.leave(circle, anna)
    other = make_user()
    add_member(circle, other)
    services.set_facilitator(circle, other, True, anna)
    services.remove_member(circle, anna, "Overgedragen", other)
    with pytest.raises(DomainError):
        services.remove_member(circle, other, "Niemand meer", other)
    with pytest.raises(DomainError):
        services.set_facilitator(circle, other, False, other)
    assert circle.is_facilitator(other)
    response = logged_in(app, member).post(
        f"/leerkring/{circle.slug}/leden/{other.handle}/verwijderen", data={"reason": "x"}
    )
    assert response.status_code == 403


def test_a_removed_member_is_told_why_and_loses_access_at_once(app, anna, member):
    private = make_circle(anna, visibility="prive")
    add_member(private, member)
    meeting = plan_meeting(private, anna, title="Geheim overleg")
    feed = services.calendar_feed(member)
    client = logged_in(app, member)
    assert "Geheim overleg" in client.get(f"/agenda/{feed.token}.ics").get_data(as_text=True)
    assert "Geheim overleg" in client.get("/meldingen").get_data(as_text=True)
    response = logged_in(app, anna).post(
        f"/leerkring/{private.slug}/leden/{member.handle}/verwijderen",
        data={"reason": "Je bent van functie gewisseld."},
    )
    assert response.status_code == 302
    assert client.get(f"/leerkring/{private.slug}").status_code == 404
    assert client.get(f"/bijeenkomst/{meeting.id}").status_code == 404
    assert "Geheim overleg" not in client.get(f"/agenda/{feed.token}.ics").get_data(as_text=True)
    inbox = client.get("/meldingen").get_data(as_text=True)
    assert "Geheim overleg" not in inbox
    assert "Reden: Je bent van functie gewisseld." in inbox


def test_an_archived_circle_is_read_only(app, anna, member):
    circle = make_circle(anna)
    add_member(circle, member)
    thread = discussions.start_thread(
        container_kind="circle", container=circle, author=member, kind="discussion", title="Oud", body="Tekst"
    )
    logged_in(app, anna).post(f"/leerkring/{circle.slug}/archiveren", data={"choice": "ja"})
    client = logged_in(app, member)
    assert "gearchiveerd" in client.get(f"/leerkring/{circle.slug}").get_data(as_text=True)
    assert client.get(f"/discussie/{thread.ref}").status_code == 200
    client.post(f"/discussie/{thread.ref}/reageren", data={"body": "Nog iets"})
    assert db.session.get(type(thread), thread.id).last_number == 1
    assert client.get(f"/leerkring/{circle.slug}/discussies/nieuw").status_code == 403


# --- the reading plan -----------------------------------------------------------------------------


def test_the_reading_plan_counts_readers_and_shows_names_only_by_choice(app, anna, member):
    chapter = make_chapter()
    first = make_lesson(chapter, "1.2", "Wat de wijkengids beoogt")
    second = make_lesson(chapter, "1.3", "Doel en samenstelling")
    circle = make_circle(anna)
    add_member(circle, member)
    facilitator = logged_in(app, anna)
    for lesson, note in ((first, "Lees dit als eerste."), (second, "Denk na over: wie doet mee?")):
        facilitator.post(
            f"/leerkring/{circle.slug}/leesplan", data={"lesson": str(lesson.id), "note": note, "meeting": ""}
        )
    items = [row.item for row in queries.reading_plan(circle, None)]
    assert [item.lesson_id for item in items] == [first.id, second.id]
    logged_in(app, member).post(
        f"/leerkring/{circle.slug}/leesplan/{items[0].id}/gelezen", data={"read": "ja"}
    )
    logged_in(app, anna).post(
        f"/leerkring/{circle.slug}/leesplan/{items[0].id}/gelezen", data={"read": "ja", "shown": "y"}
    )
    page = logged_in(app, make_user()).get(f"/leerkring/{circle.slug}").get_data(as_text=True)
    assert "2 leden hebben het gelezen: Anna de Vries" in page and member.display_name not in page
    duplicate = facilitator.post(
        f"/leerkring/{circle.slug}/leesplan", data={"lesson": str(first.id), "note": ""}
    )
    assert "staat al in het leesplan" in duplicate.get_data(as_text=True)
    assert "Besproken in leerkringen" in logged_in(app, member).get(f"/les/{first.ref}").get_data(
        as_text=True
    )


# --- private means private ------------------------------------------------------------------------


def test_a_private_circle_leaves_no_trace_for_non_members(app, anna, member, theme):
    lesson = make_lesson(make_chapter(), "1.2", "Wat de wijkengids beoogt", themes=[theme])
    private = make_circle(anna, name="Geheime leerkring", visibility="prive", themes=[theme])
    add_member(private, member)
    services.add_reading(private, lesson, "", None)
    thread = discussions.start_thread(
        container_kind="circle",
        container=private,
        author=anna,
        kind="discussion",
        title="Vertrouwelijk",
        body="Tekst",
        lesson=lesson,
    )
    meeting = plan_meeting(private, anna, title="Besloten avond")
    carla = logged_in(app, make_user(display_name="Carla Claes"))
    for path in (
        f"/leerkring/{private.slug}",
        f"/leerkring/{private.slug}/leden",
        f"/leerkring/{private.slug}/discussies",
        f"/leerkring/{private.slug}/discussies/nieuw",
        f"/discussie/{thread.ref}",
        f"/bijeenkomst/{meeting.id}",
        f"/bijeenkomst/{meeting.id}.ics",
    ):
        assert carla.get(path).status_code == 404, path
    for path in (
        "/leerkringen/",
        "/thema/burgerschap",
        f"/les/{lesson.ref}",
        f"/leden/{anna.handle}",
        "/mijn",
        "/meldingen",
    ):
        page = carla.get(path).get_data(as_text=True)
        for secret in ("Geheime leerkring", "Vertrouwelijk", "Besloten avond"):
            assert secret not in page, (path, secret)
    member_view = logged_in(app, member).get(f"/les/{lesson.ref}").get_data(as_text=True)
    assert "Geheime leerkring" in member_view and "Vertrouwelijk" in member_view


# --- scale ----------------------------------------------------------------------------------------


def test_circle_pages_run_a_fixed_number_of_queries(app, count_queries):
    """/leerkringen/ with 10 and 500 circles, a circle page with 200 members and 50 meetings, /mijn
    for a member of 30 circles: each the same count at both sizes."""
    from sqlalchemy import insert

    from tests.conftest import empty_all_tables

    results = []
    for circles, members, meetings in ((10, 5, 2), (500, 200, 50)):
        anna = make_user(display_name="Anna")
        viewer = make_user(display_name="Lezer")
        first = make_circle(anna, name="Kring 0")
        db.session.execute(
            insert(Circle),
            [
                {
                    "slug": f"kring-{n}",
                    "kind": "leerkring",
                    "name": f"Kring {n}",
                    "visibility": ("open", "besloten", "prive")[n % 3],
                }
                for n in range(1, circles)
            ],
        )
        ids = db.session.scalars(select(Circle.id).where(Circle.id != first.id)).all()
        db.session.execute(
            insert(CircleMember), [{"circle_id": i, "user_id": viewer.id, "role": "member"} for i in ids[:30]]
        )
        people = [make_user() for _ in range(min(members, 20))]
        db.session.execute(
            insert(CircleMember),
            [{"circle_id": first.id, "user_id": p.id, "role": "member"} for p in people],
        )
        db.session.commit()
        for n in range(meetings):
            plan_meeting(first, anna, title=f"Bijeenkomst {n}")
        client = logged_in(app, viewer)
        counts = {}
        for name, path in (
            ("list", "/leerkringen/"),
            ("circle", f"/leerkring/{first.slug}"),
            ("mijn", "/mijn"),
        ):
            client.get(path)
            with count_queries() as counter:
                assert client.get(path).status_code == 200, path
            counts[name] = counter.count
        results.append(counts)
        empty_all_tables()
    assert results[0] == results[1], results
    assert max(results[1].values()) <= 12, results[1]
    print(f"\ncircle query counts: {results[1]}")


def test_editing_a_circle_keeps_a_theme_that_was_retired_since(app, anna, theme):
    from cop.guide.services.themes import retire_theme

    circle = make_circle(anna, themes=[theme])
    retire_theme(theme, make_user("admin"))
    client = logged_in(app, anna)
    page = client.get(f"/leerkring/{circle.slug}/bewerken").get_data(as_text=True)
    assert f'<input checked id="themes-0" name="themes" type="checkbox" value="{theme.id}">' in page
    new_page = client.get("/leerkringen/nieuw").get_data(as_text=True)
    assert "Burgerschap" not in new_page  # not offered for a new circle
