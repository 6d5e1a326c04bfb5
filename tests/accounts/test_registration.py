"""Registration, confirmation and the unconfirmed state."""

from __future__ import annotations

from sqlalchemy import func, select

from cop.accounts.models import User
from cop.extensions import db
from tests.conftest import link_in, local_path, login, mails_to
from tests.factories import PASSWORD, make_user

VALID = {
    "email": "Anna.de.Vries@Gemeente.NL",
    "display_name": "Anna de Vries",
    "organisation": "Gemeente Arnhem",
    "job_title": "Wijkmanager",
    "municipality": "Arnhem",
    "password": "de wijk begint bij de voordeur",
}


def register(client, **changes):
    data = {**VALID, **changes}
    return client.post("/account/registreren", data=data)


def users_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_registration_creates_an_unconfirmed_account_and_sends_a_confirmation_mail(app, client):
    response = register(client)
    assert response.status_code == 302
    assert "/account/registreren/verstuurd" in response.headers["Location"]
    user = db.session.scalar(select(User))
    assert user.email == "anna.de.vries@gemeente.nl"  # stored lower-case
    assert not user.is_confirmed
    assert user.password_hash.startswith("$argon2id$")
    assert VALID["password"] not in user.password_hash
    [mail] = mails_to(app, "anna.de.vries@gemeente.nl")
    assert "/account/bevestigen/" in link_in(mail)


def test_confirmation_link_confirms_once(app, client):
    register(client)
    link = link_in(mails_to(app, "anna.de.vries@gemeente.nl")[0])
    path = link.split("localhost", 1)[1]
    assert client.get(path).status_code == 200  # a page with a button: mail scanners change nothing
    assert not db.session.scalar(select(User)).is_confirmed
    response = client.post(path, follow_redirects=True)
    assert "bevestigd" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(User)).is_confirmed
    again = client.post(path, follow_redirects=True)
    assert "al gebruikt" in again.get_data(as_text=True)


def test_tampered_confirmation_link_is_refused(client):
    register(client)
    response = client.post("/account/bevestigen/not-a-real-token", follow_redirects=True)
    assert "ongeldig" in response.get_data(as_text=True)
    assert not db.session.scalar(select(User)).is_confirmed


def test_unconfirmed_account_can_log_in_and_read_but_not_write(client):
    register(client)
    assert client.get("/account/profiel").status_code == 302  # registering does not log in
    assert login(client, VALID["email"], VALID["password"]).status_code == 302
    assert client.get("/").status_code == 200
    response = client.get("/account/profiel")
    assert response.status_code == 302
    assert "/account/bevestigen" in response.headers["Location"]


def test_unconfirmed_account_can_ask_for_a_new_link(app, client):
    register(client)
    login(client, VALID["email"], VALID["password"])
    response = client.post("/account/bevestiging-opnieuw", follow_redirects=True)
    assert response.status_code == 200
    assert len(mails_to(app, "anna.de.vries@gemeente.nl")) == 2


def test_a_known_address_in_another_case_makes_no_second_account(app, client):
    make_user(email="anna.de.vries@gemeente.nl")
    response = register(client, email="ANNA.de.vries@gemeente.nl")
    assert response.status_code == 302 and response.location.endswith("/account/registreren/verstuurd")
    assert users_count() == 1
    [notice] = mails_to(app, "anna.de.vries@gemeente.nl")
    assert "al een account" in notice["Subject"]


def test_empty_form_gets_a_dutch_message_at_every_required_field(client):
    response = client.post("/account/registreren", data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for message in (
        "Vul je e-mailadres in",
        "Vul een weergavenaam in",
        "Vul je organisatie in",
        "Vul je functie in",
        "Kies een wachtwoord",
    ):
        assert message in page, message
    assert 'aria-invalid="true"' in page
    assert "Er is een probleem" in page  # the error summary
    assert users_count() == 0


def test_malformed_email_is_refused_with_input_kept(client):
    response = register(client, email="anna-at-arnhem")
    page = response.get_data(as_text=True)
    assert "naam@voorbeeld.nl" in page
    assert 'value="anna-at-arnhem"' in page
    assert users_count() == 0


def test_too_long_fields_are_refused(client):
    response = register(client, display_name="x" * 81, organisation="o" * 121)
    page = response.get_data(as_text=True)
    assert "Gebruik maximaal 80 tekens" in page
    assert "Gebruik maximaal 120 tekens" in page
    assert users_count() == 0


def test_password_policy(client):
    short = register(client, password="kort")
    assert "tussen de 10 en 128 tekens" in short.get_data(as_text=True)
    common = register(client, password="password123")
    assert "te vaak gebruikt" in common.get_data(as_text=True)
    personal = register(client, password="anna.de.vries1")
    assert "naam of e-mailadres" in personal.get_data(as_text=True)
    too_long = register(client, password="a b c d e " * 13)
    assert "tussen de 10 en 128 tekens" in too_long.get_data(as_text=True)
    assert users_count() == 0


def test_password_field_is_never_echoed_back(client):
    response = register(client, email="broken")
    assert VALID["password"] not in response.get_data(as_text=True)


def test_logged_in_user_is_sent_home_from_registration(member_client):
    assert member_client.get("/account/registreren").status_code == 302


def test_factory_password_logs_in(client):
    user = make_user()
    response = client.post("/account/inloggen", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


def confirmation_path(app) -> str:
    return local_path(link_in(mails_to(app, "anna.de.vries@gemeente.nl")[-1]))


def test_confirming_while_logged_in_lands_on_the_members_page(app, client):
    register(client)
    login(client, VALID["email"], VALID["password"])
    response = client.post(confirmation_path(app))
    assert response.status_code == 302 and response.location.endswith("/mijn")
    assert client.get("/mijn").status_code == 200


def test_confirming_while_logged_out_lands_on_the_members_page_after_logging_in(app, client):
    register(client)
    response = client.post(confirmation_path(app))
    assert response.status_code == 302
    login_page = response.location
    assert login_page == "/account/inloggen?next=/mijn"
    logged_in = client.post(login_page, data={"email": VALID["email"], "password": VALID["password"]})
    assert logged_in.status_code == 302 and logged_in.location.endswith("/mijn")


NOTICE = "is nog niet bevestigd"


def test_an_unconfirmed_member_sees_the_notice_on_every_page_with_a_button_to_resend(app, client):
    register(client)
    login(client, VALID["email"], VALID["password"])
    for path in ("/", "/mijn", "/gids/", "/account/wachtwoord", "/bestaat-niet"):
        page = client.get(path).get_data(as_text=True)
        assert NOTICE in page, path
        assert 'action="/account/bevestiging-opnieuw"' in page, path
    response = client.post("/account/bevestiging-opnieuw", follow_redirects=True)
    assert "nieuwe link gestuurd" in response.get_data(as_text=True)
    assert len(mails_to(app, "anna.de.vries@gemeente.nl")) == 2


def test_the_notice_is_not_shown_once_confirmed_nor_to_visitors_nor_on_the_pages_about_the_address(
    app, client, member_client
):
    assert NOTICE not in client.get("/").get_data(as_text=True)
    assert NOTICE not in member_client.get("/").get_data(as_text=True)
    register(client)
    login(client, VALID["email"], VALID["password"])
    assert NOTICE not in client.get("/account/bevestigen").get_data(as_text=True)  # says it itself
    assert NOTICE not in client.get("/account/e-mailadres").get_data(as_text=True)  # mends it
    assert NOTICE not in client.get(confirmation_path(app)).get_data(as_text=True)
