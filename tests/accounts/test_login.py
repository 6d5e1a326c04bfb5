"""Login, logout, sessions that really end, password reset and change."""

from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher

from cop.accounts import services
from cop.db_types import utcnow
from cop.extensions import db
from tests.conftest import link_in, login, mails_to
from tests.factories import PASSWORD, make_user


def test_login_with_wrong_password_gives_one_message_for_both_cases(client):
    user = make_user()
    wrong = login(client, user.email, "niet het goede wachtwoord")
    unknown = login(client, "niemand@example.nl", "niet het goede wachtwoord")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "Het e-mailadres of wachtwoord klopt niet" in response.get_data(as_text=True)
    assert f'value="{user.email}"' in wrong.get_data(as_text=True)


def test_login_is_case_insensitive_in_the_email(client):
    user = make_user(email="jan@arnhem.nl")
    assert login(client, "JAN@Arnhem.nl").status_code == 302
    assert client.get("/account/profiel").status_code == 200
    assert user.last_login_at is not None


def test_cookie_from_before_logout_is_anonymous_after_it(app, client):
    user = make_user()
    login(client, user.email, remember=True)
    stolen = {cookie.key: cookie.value for cookie in client._cookies.values()}
    assert "cop_remember" in stolen
    assert client.post("/account/uitloggen").status_code == 302

    replay = app.test_client()
    for key, value in stolen.items():
        replay.set_cookie(key, value)
    response = replay.get("/account/profiel")
    assert response.status_code == 302
    assert "/account/inloggen" in response.headers["Location"]


def test_logout_is_post_only(member_client):
    assert member_client.get("/account/uitloggen").status_code == 405
    assert member_client.get("/account/profiel").status_code == 200


def test_suspended_users_session_ends_and_login_is_refused(app, client, admin_client):
    user = make_user()
    login(client, user.email)
    assert client.get("/account/profiel").status_code == 200
    admin_client.post(f"/beheer/leden/{user.id}/schorsen", data={"duration": "7", "reason": "Spam"})
    db.session.expire_all()
    assert user.is_suspended
    assert client.get("/account/profiel").status_code == 302  # the old session is gone
    response = login(app.test_client(), user.email)
    page = response.get_data(as_text=True)
    assert "Je account is geschorst tot" in page
    assert "Reden: Spam" in page


def test_password_reset_flow(app, client):
    user = make_user(email="kees@example.nl")
    response = client.post("/account/wachtwoord-vergeten", data={"email": "KEES@example.nl"})
    assert response.status_code == 302
    [mail] = mails_to(app, "kees@example.nl")
    path = link_in(mail).split("localhost", 1)[1]
    new_password = "een nieuw lang wachtwoord"
    assert client.post(path, data={"password": new_password}).status_code == 302
    assert login(app.test_client(), user.email, PASSWORD).status_code == 200  # old one refused
    assert login(app.test_client(), user.email, new_password).status_code == 302
    # the link works once
    reused = client.get(path, follow_redirects=True)
    assert "al gebruikt" in reused.get_data(as_text=True)


def test_password_reset_answers_the_same_for_unknown_addresses(app, client):
    make_user(email="bekend@example.nl")
    known = client.post(
        "/account/wachtwoord-vergeten", data={"email": "bekend@example.nl"}, follow_redirects=True
    )
    unknown = client.post(
        "/account/wachtwoord-vergeten", data={"email": "onbekend@example.nl"}, follow_redirects=True
    )

    def message(response):
        text = response.get_data(as_text=True)
        return text.split('class="flash', 1)[1].split("</p>", 1)[0].replace("onbekend", "bekend")

    assert message(known) == message(unknown)
    assert mails_to(app, "onbekend@example.nl") == []


def test_expired_reset_link_is_refused(app, client):
    user = make_user()
    with app.test_request_context():
        from cop.accounts import tokens

        token = tokens.make_reset_token(user)
    app.config["RESET_TOKEN_MAX_AGE"] = -1
    try:
        response = client.get(f"/account/wachtwoord-herstellen/{token}", follow_redirects=True)
    finally:
        app.config["RESET_TOKEN_MAX_AGE"] = 3600
    assert "verlopen" in response.get_data(as_text=True)


def test_change_password_needs_the_current_one_and_ends_other_sessions(app, client):
    user = make_user()
    login(client, user.email)
    other_device = app.test_client()
    login(other_device, user.email)

    wrong = client.post(
        "/account/wachtwoord", data={"current_password": "fout fout fout", "password": "nieuw en lang genoeg"}
    )
    assert "Dit is niet je huidige wachtwoord" in wrong.get_data(as_text=True)

    ok = client.post(
        "/account/wachtwoord", data={"current_password": PASSWORD, "password": "nieuw en lang genoeg"}
    )
    assert ok.status_code == 302
    assert client.get("/account/profiel").status_code == 200  # this session goes on
    assert other_device.get("/account/profiel").status_code == 302  # the other one ended


def test_old_password_hashes_are_upgraded_on_login(app, client):
    """The suite hashes cheaply; here the production parameters apply, and a member whose hash was
    made with weaker ones gets a new hash at the next login."""
    from config import Config

    user = make_user()
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    db.session.commit()
    cheap = {key: app.config[key] for key in ("ARGON2_TIME_COST", "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM")}
    app.config.update({key: getattr(Config, key) for key in cheap})
    try:
        assert login(client, user.email).status_code == 302
    finally:
        app.config.update(cheap)
    db.session.refresh(user)
    assert "$argon2id$v=19$m=65536,t=3,p=4$" in user.password_hash


def test_safe_next_redirect_only_to_this_site(client):
    user = make_user()
    inside = client.post(
        "/account/inloggen?next=/account/profiel", data={"email": user.email, "password": PASSWORD}
    )
    assert inside.headers["Location"] == "/account/profiel"
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"):
        other = make_user()
        response = client.post(
            f"/account/inloggen?next={target}", data={"email": other.email, "password": PASSWORD}
        )
        assert response.headers["Location"] == "/", target
        client.post("/account/uitloggen")


def test_suspension_expires(client):
    user = make_user()
    services.suspend(user, 1, "even pauze", actor=None)
    user.suspended_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert login(client, user.email).status_code == 302


def test_changing_the_password_to_the_current_one_is_refused_at_the_field(member, member_client):
    before = (member.password_hash, member.session_token)
    response = member_client.post(
        "/account/wachtwoord", data={"current_password": PASSWORD, "password": PASSWORD}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="password-error"' in page and "Dit is je huidige wachtwoord" in page
    db.session.refresh(member)
    assert (member.password_hash, member.session_token) == before  # nothing changed, nobody logged out


def test_a_wrong_current_password_typed_again_as_the_new_one_is_only_called_wrong(member_client):
    """The message about the same password needs the current one verified: otherwise the new-password
    field would tell a guesser, without the throttle on the current one, which guess was right."""
    data = {"current_password": "een gok naar het wachtwoord", "password": "een gok naar het wachtwoord"}
    page = member_client.post("/account/wachtwoord", data=data).get_data(as_text=True)
    assert "Dit is niet je huidige wachtwoord" in page
    assert "Dit is je huidige wachtwoord" not in page
