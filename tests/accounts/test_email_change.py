"""Changing the email address: the password first, a link to the new address, the change only when
that link is used, a notice to the old address, and no hint on the page whether an address is known."""

from __future__ import annotations

from cop.accounts import tokens
from cop.extensions import db
from tests.conftest import link_in, local_path, logged_in, login, mails_to
from tests.factories import PASSWORD, make_user

NEW = "nieuw.adres@example.nl"


def ask(client, email=NEW, password=PASSWORD):
    return client.post("/account/e-mailadres", data={"email": email, "current_password": password})


def change_link(app, address=NEW) -> str:
    [mail] = mails_to(app, address)
    return local_path(link_in(mail))


def test_the_profile_links_to_the_address_change(member_client):
    page = member_client.get("/account/profiel").get_data(as_text=True)
    assert 'href="/account/e-mailadres"' in page
    form = member_client.get("/account/e-mailadres").get_data(as_text=True)
    assert "Nieuw e-mailadres" in form and "Huidig wachtwoord" in form


def test_the_address_changes_only_when_the_link_to_the_new_one_is_used(app, member, member_client):
    old = member.email
    response = ask(member_client)
    assert response.status_code == 302 and response.location.endswith("/account/profiel")
    db.session.refresh(member)
    assert member.email == old  # nothing changed yet
    assert mails_to(app, old) == []  # the old address hears of it when it happens

    path = change_link(app)
    assert path.startswith("/account/e-mailadres/bevestigen/")
    assert member_client.get(path).status_code == 200  # a page with a button: mail scanners change nothing
    db.session.refresh(member)
    assert member.email == old

    done = member_client.post(path)
    assert done.status_code == 302 and done.location.endswith("/account/profiel")
    db.session.refresh(member)
    assert member.email == NEW
    [notice] = mails_to(app, old)
    assert "gewijzigd" in notice["Subject"]
    assert NEW not in notice.get_body(("plain",)).get_content()  # the new address stays private
    page = member_client.get("/account/profiel", follow_redirects=True).get_data(as_text=True)
    assert NEW in page


def test_the_change_ends_other_sessions_and_keeps_this_one(app, member, member_client):
    other_device = logged_in(app, member)
    ask(member_client)
    member_client.post(change_link(app))
    assert member_client.get("/account/profiel").status_code == 200  # this session goes on
    assert other_device.get("/account/profiel").status_code == 302  # every other one ended


def test_the_new_address_logs_in_and_the_old_one_no_longer(app, member, client):
    old = member.email
    ask(logged_in(app, member))
    response = client.post(change_link(app))  # opened in another browser, not logged in
    assert response.status_code == 302 and "/account/inloggen" in response.location
    assert login(client, old).status_code == 200  # refused: the form again
    assert login(client, NEW).status_code == 302


def test_a_wrong_password_is_refused_at_the_field_and_nothing_is_sent(app, member, member_client):
    response = ask(member_client, password="niet mijn wachtwoord")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dit is niet je huidige wachtwoord" in page and 'id="current_password-error"' in page
    assert mails_to(app, NEW) == []


def test_the_own_address_is_refused_at_the_field(app, member, member_client):
    response = ask(member_client, email=member.email.upper())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="email-error"' in page and "Dit is al je e-mailadres" in page
    assert mails_to(app, member.email) == []


def test_an_address_with_an_account_gets_the_same_answer_and_its_owner_a_mail(app, member, member_client):
    """The page does not tell whether another account has the address (as registration does not):
    the owner of that address gets a mail saying so instead of a link."""
    taken = make_user(email="bezet@example.nl")
    fresh = ask(member_client, email="vrij@example.nl")
    busy = ask(member_client, email="bezet@example.nl")
    assert busy.status_code == fresh.status_code == 302 and busy.location == fresh.location
    page = member_client.get(busy.location, follow_redirects=True).get_data(as_text=True)
    assert "bezet@example.nl" in page  # the same message as for any address
    [mail] = mails_to(app, "bezet@example.nl")
    assert "al een account" in mail["Subject"]
    assert "/account/e-mailadres/bevestigen/" not in mail.get_body(("plain",)).get_content()
    db.session.refresh(member)
    db.session.refresh(taken)
    assert member.email != "bezet@example.nl" and taken.email == "bezet@example.nl"


def test_the_link_works_once(app, member, member_client):
    ask(member_client)
    path = change_link(app)
    member_client.post(path)
    again = member_client.post(path, follow_redirects=True)
    assert "ongeldig, verlopen of al gebruikt" in again.get_data(as_text=True)


def test_a_new_password_cancels_a_change_asked_for_before(app, member, member_client):
    ask(member_client)
    path = change_link(app)
    member_client.post(
        "/account/wachtwoord", data={"current_password": PASSWORD, "password": "een nieuwe zin"}
    )
    response = member_client.post(path, follow_redirects=True)
    assert "ongeldig, verlopen of al gebruikt" in response.get_data(as_text=True)
    db.session.refresh(member)
    assert member.email != NEW


def test_an_address_taken_meanwhile_is_refused_when_the_link_is_used(app, member, member_client):
    old = member.email
    ask(member_client)
    path = change_link(app)
    make_user(email=NEW)  # someone registered it in the meantime
    response = member_client.post(path, follow_redirects=True)
    assert "in de tussentijd" in response.get_data(as_text=True)
    db.session.refresh(member)
    assert member.email == old


def test_tampered_and_expired_links_are_refused(app, member, client):
    tampered = client.post("/account/e-mailadres/bevestigen/niet-echt", follow_redirects=True)
    assert "ongeldig" in tampered.get_data(as_text=True)
    with app.test_request_context():
        token = tokens.make_email_change_token(member, NEW)
    app.config["CONFIRM_TOKEN_MAX_AGE"] = -1
    try:
        expired = client.post(f"/account/e-mailadres/bevestigen/{token}", follow_redirects=True)
    finally:
        app.config["CONFIRM_TOKEN_MAX_AGE"] = 60 * 60 * 48
    assert "verlopen" in expired.get_data(as_text=True)
    db.session.refresh(member)
    assert member.email != NEW


def test_an_unconfirmed_member_mends_a_mistyped_address_and_the_link_confirms_it(app):
    """Registered with a typing mistake, the confirmation never arrives: the member logs in, changes
    the address, and the link to the new address confirms the account too."""
    user = make_user(confirmed=False, email="anna@gemeente-arnhme.nl")
    client = logged_in(app, user)
    assert client.get("/account/e-mailadres").status_code == 200
    response = ask(client, email="anna@gemeente-arnhem.nl")
    assert response.status_code == 302 and response.location.endswith("/account/bevestigen")
    client.post(change_link(app, "anna@gemeente-arnhem.nl"))
    db.session.refresh(user)
    assert user.email == "anna@gemeente-arnhem.nl" and user.is_confirmed
    assert client.get("/account/profiel").status_code == 200


def test_the_page_needs_a_login(client):
    response = client.get("/account/e-mailadres")
    assert response.status_code == 302 and "/account/inloggen" in response.location


def test_a_suspended_members_pending_change_does_not_happen(app, member, member_client):
    from cop.accounts import services

    old = member.email
    ask(member_client)
    path = change_link(app)
    services.suspend(member, 7, "Test", actor=None)
    response = app.test_client().post(path, follow_redirects=True)
    assert "ongeldig" in response.get_data(as_text=True)
    db.session.refresh(member)
    assert member.email == old
