"""Profiles show only what members chose to show, at an address that gives nothing away; handles."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cop.accounts import handles, services
from cop.accounts.models import User
from cop.extensions import db
from tests.conftest import logged_in
from tests.factories import make_user


def profile_data(user, **changes) -> dict:
    data = {
        "display_name": user.display_name,
        "handle": user.handle,
        "organisation": user.organisation,
        "job_title": user.job_title,
        "municipality": user.municipality,
        "bio": user.bio,
    }
    if user.profile_public:
        data["profile_public"] = "y"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_profiles_are_for_logged_in_members_unless_made_public(app, client, member_client):
    """Before: anyone could read /leden/<id> of every account, unconfirmed and suspended ones too."""
    sanne = make_user(display_name="Sanne de Vries", organisation="Woonstad Rotterdam")
    assert client.get(f"/leden/{sanne.handle}").status_code == 404
    page = member_client.get(f"/leden/{sanne.handle}").get_data(as_text=True)
    assert "Sanne de Vries" in page and "Woonstad Rotterdam" in page and sanne.email not in page

    own = logged_in(app, sanne)
    assert own.post("/account/profiel", data=profile_data(sanne, profile_public="y")).status_code == 302
    assert "Woonstad Rotterdam" in client.get(f"/leden/{sanne.handle}").get_data(as_text=True)


def test_unconfirmed_accounts_have_no_profile_for_others(app, client, member_client, moderator_client):
    pending = make_user(confirmed=False)
    services.update_profile(pending, profile_public=True)
    assert client.get(f"/leden/{pending.handle}").status_code == 404
    assert member_client.get(f"/leden/{pending.handle}").status_code == 404
    assert logged_in(app, pending).get(f"/leden/{pending.handle}").status_code == 200
    assert moderator_client.get(f"/leden/{pending.handle}").status_code == 200


def test_a_suspended_members_public_profile_is_not_public(client):
    user = make_user()
    services.update_profile(user, profile_public=True)
    services.suspend(user, 7, "Spam", actor=None)
    assert client.get(f"/leden/{user.handle}").status_code == 404


def test_profile_addresses_do_not_count_members(member_client):
    """The address holds the handle, not the row number: /leden/1 is nobody's profile."""
    first = make_user(display_name="Eerste Lid")
    assert member_client.get(f"/leden/{first.id}").status_code == 404
    assert member_client.get("/leden/eerste-lid").status_code == 200
    assert member_client.get("/leden/EERSTE-LID").headers["Location"].endswith("/leden/eerste-lid")


def test_handles_are_proposed_from_the_name_and_kept_unique():
    first = make_user(display_name="Sanne de Vries")
    second = make_user(display_name="Sanne de Vries")
    accented = make_user(display_name="Zoë Çelik-Öztürk")
    short = make_user(display_name="Al")
    assert (first.handle, second.handle) == ("sanne-de-vries", "sanne-de-vries-2")
    assert accented.handle == "zoe-celik-ozturk"
    assert short.handle == "al-lid"
    assert all(handles.problem(user.handle) is None for user in (first, second, accented, short))


def test_a_member_changes_their_handle(app):
    user = make_user(display_name="Piet Politie")
    client = logged_in(app, user)
    assert (
        client.post("/account/profiel", data=profile_data(user, handle="wijkagent-piet")).status_code == 302
    )
    db.session.refresh(user)
    assert user.handle == "wijkagent-piet"
    assert "@wijkagent-piet" in client.get("/leden/wijkagent-piet").get_data(as_text=True)


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        ("Hoofd Letters!", "kleine letters, cijfers en koppeltekens"),
        ("ab", "kleine letters, cijfers en koppeltekens"),
        ("-begint-met-streep", "kleine letters, cijfers en koppeltekens"),
        ("x" * 31, "Gebruik maximaal 30 tekens"),
        ("beheer", "gereserveerd"),
        ("bezet-door-ander", "al in gebruik"),
    ],
)
def test_a_bad_or_taken_handle_is_refused_at_the_field(app, handle, message):
    make_user(display_name="Bezet Door Ander")
    user = make_user(display_name="Mijn Naam")
    response = logged_in(app, user).post("/account/profiel", data=profile_data(user, handle=handle))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="handle-error"' in page and message in page
    db.session.refresh(user)
    assert user.handle == "mijn-naam"


def test_line_breaks_do_not_reach_a_display_name(app):
    """A display name goes into the text of mails: control characters are taken out of one-line fields."""
    user = make_user()
    client = logged_in(app, user)
    client.post(
        "/account/profiel", data=profile_data(user, display_name="Jan\r\nBcc: iedereen@example.nl\t!")
    )
    assert (
        db.session.scalar(select(User.display_name).where(User.id == user.id))
        == "JanBcc: iedereen@example.nl !"
    )


@pytest.mark.parametrize("password", ["sannedevries1", "SanneDeVries2024", "vries.sanne!!", "sanne@woonstad"])
def test_passwords_built_from_the_members_own_name_are_refused(client, password):
    """The README promised this; 'sannedevries1' used to be accepted for Sanne de Vries."""
    response = client.post(
        "/account/registreren",
        data={
            "email": "sanne@woonstad.nl",
            "display_name": "Sanne de Vries",
            "organisation": "Woonstad",
            "job_title": "Buurtconsulent",
            "password": password,
        },
    )
    assert "Gebruik je naam of e-mailadres niet in je wachtwoord" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "sanne@woonstad.nl")) is None
