"""Admins list, search and page through members, change roles and suspend."""

from __future__ import annotations

from cop.accounts.models import Role
from cop.extensions import db
from tests.conftest import login
from tests.factories import make_user


def test_admin_lists_and_searches_members(admin_client):
    make_user(display_name="Fatima Woonstad", organisation="Woonstad Rotterdam")
    make_user(display_name="Piet Politie", organisation="Politie Eenheid Oost")
    page = admin_client.get("/beheer/leden?q=woonstad").get_data(as_text=True)
    assert "Fatima Woonstad" in page
    assert "Piet Politie" not in page
    assert "1 lid gevonden" in page


def test_search_treats_wildcards_literally(admin_client):
    make_user(display_name="Honderd Procent")
    page = admin_client.get("/beheer/leden?q=%25").get_data(as_text=True)
    assert "0 leden gevonden" in page


def test_member_list_is_paginated(admin_client):
    for _ in range(30):
        make_user()
    first = admin_client.get("/beheer/leden").get_data(as_text=True)
    second = admin_client.get("/beheer/leden?pagina=2").get_data(as_text=True)
    assert first.count("/beheer/leden/") - first.count("/beheer/leden/?") >= 25
    assert 'aria-label="Pagina\'s"' in first or "Pagina&#39;s" in first
    assert "Volgende" in first and "Vorige" in second


def test_admin_list_needs_a_bounded_number_of_queries(admin_client, count_queries):
    make_user()
    with count_queries() as few:
        admin_client.get("/beheer/leden")
    for _ in range(40):
        make_user()
    with count_queries() as many:
        admin_client.get("/beheer/leden")
    assert many.count == few.count <= 4


def test_role_change_takes_effect_on_the_next_request(app, admin_client):
    user = make_user()
    client = app.test_client()
    login(client, user.email)
    assert client.get("/beheer/leden").status_code == 403
    response = admin_client.post(f"/beheer/leden/{user.id}/rol", data={"role": "admin"})
    assert response.status_code == 302
    assert client.get("/beheer/leden").status_code == 200
    db.session.refresh(user)
    assert user.role is Role.ADMIN


def test_invalid_role_is_refused_at_the_field(admin_client):
    user = make_user()
    response = admin_client.post(f"/beheer/leden/{user.id}/rol", data={"role": "superuser"})
    assert response.status_code == 400
    assert "Er is een probleem" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.role is Role.MEMBER


def test_admin_cannot_demote_or_suspend_themselves(admin_client, admin):
    admin_client.post(f"/beheer/leden/{admin.id}/rol", data={"role": "member"})
    admin_client.post(f"/beheer/leden/{admin.id}/schorsen", data={"duration": "1", "reason": "x"})
    db.session.refresh(admin)
    assert admin.role is Role.ADMIN and not admin.is_suspended


def test_suspension_needs_a_reason_and_can_be_lifted(app, admin_client):
    user = make_user()
    missing = admin_client.post(f"/beheer/leden/{user.id}/schorsen", data={"duration": "7", "reason": ""})
    assert missing.status_code == 400
    assert "Geef een reden" in missing.get_data(as_text=True)
    db.session.refresh(user)
    assert not user.is_suspended

    admin_client.post(f"/beheer/leden/{user.id}/schorsen", data={"duration": "0", "reason": "Herhaald spam"})
    db.session.refresh(user)
    assert user.is_suspended
    assert login(app.test_client(), user.email).status_code == 200

    admin_client.post(f"/beheer/leden/{user.id}/schorsing-opheffen")
    db.session.refresh(user)
    assert not user.is_suspended
    assert login(app.test_client(), user.email).status_code == 302


def test_unknown_member_is_404(admin_client, member_client):
    assert admin_client.get("/beheer/leden/999999").status_code == 404
    assert member_client.get("/leden/niemand-hier").status_code == 404


def test_profile_shows_work_details_but_never_the_email(member_client):
    user = make_user(display_name="Sanne Welzijn", organisation="Stichting Welzijn Oost")
    page = member_client.get(f"/leden/{user.handle}").get_data(as_text=True)
    assert "Sanne Welzijn" in page and "Stichting Welzijn Oost" in page and "@sanne-welzijn" in page
    assert user.email not in page


def test_profile_edit_renders_bio_markdown_safely(member_client, member):
    response = member_client.post(
        "/account/profiel",
        data={
            "display_name": "Marieke",
            "organisation": "Gemeente",
            "job_title": "Wijkregisseur",
            "handle": member.handle,
            "bio": "Ik werk aan **buurtbudgetten**. <script>alert(1)</script>",
        },
    )
    assert response.status_code == 302
    page = member_client.get(f"/leden/{member.handle}").get_data(as_text=True)
    assert "<strong>buurtbudgetten</strong>" in page
    assert "<script>alert(1)</script>" not in page


def test_profile_bad_input_keeps_what_was_typed(member_client, member):
    response = member_client.post(
        "/account/profiel",
        data={
            "display_name": "",
            "organisation": "Gemeente Zwolle",
            "job_title": "x" * 121,
        },
    )
    page = response.get_data(as_text=True)
    assert "Vul een weergavenaam in" in page
    assert "Gebruik maximaal 120 tekens" in page
    assert 'value="Gemeente Zwolle"' in page
    db.session.refresh(member)
    assert member.organisation == "Gemeente Utrecht"


def test_an_admins_own_page_offers_no_role_or_suspension_form(admin_client, admin):
    """Before: the page offered both forms, and both were refused when used."""
    own = admin_client.get(f"/beheer/leden/{admin.id}").get_data(as_text=True)
    assert f"/beheer/leden/{admin.id}/rol" not in own
    assert f"/beheer/leden/{admin.id}/schorsen" not in own
    assert "Dit is je eigen account" in own
    other = make_user()
    page = admin_client.get(f"/beheer/leden/{other.id}").get_data(as_text=True)
    assert f"/beheer/leden/{other.id}/rol" in page and f"/beheer/leden/{other.id}/schorsen" in page


def test_suspending_oneself_anyway_is_refused_with_a_message(admin_client, admin):
    response = admin_client.post(
        f"/beheer/leden/{admin.id}/schorsen", data={"duration": "1", "reason": "x"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "Je kunt jezelf niet schorsen" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert not admin.is_suspended
