"""Security baseline: headers, CSRF, body size, rate limits, roles that cannot be self-granted."""

from __future__ import annotations

import pytest

from cop.accounts.models import Role
from cop.extensions import db
from tests.conftest import login, make_test_app
from tests.factories import PASSWORD, make_user


def test_every_page_sends_strict_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # only in production
    assert response.headers.get("Cache-Control") != "no-store"


def test_pages_for_logged_in_users_are_not_cached(member_client):
    assert member_client.get("/").headers["Cache-Control"] == "no-store"


def test_error_pages_carry_the_headers_too(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_production_config_adds_hsts_and_secure_cookies(production_app):
    app = production_app
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    response = app.test_client().get("/healthz", base_url="https://wijkengids.example")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    from config import ProductionConfig

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ProductionConfig.load()


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


def test_post_without_csrf_token_is_refused_with_a_dutch_400(csrf_app):
    client = csrf_app.test_client()
    user = make_user()
    response = client.post("/account/inloggen", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Het formulier is verlopen" in response.get_data(as_text=True)


def test_post_with_a_wrong_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    client.get("/account/inloggen")
    response = client.post("/account/registreren", data={"csrf_token": "forged", "email": "a@b.nl"})
    assert response.status_code == 400


def test_logout_without_csrf_token_keeps_the_session(csrf_app):
    client = csrf_app.test_client()
    user = make_user()
    page = client.get("/account/inloggen").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    assert login_with_token(client, user.email, token).status_code == 302
    client.post("/account/uitloggen", data={})
    assert client.get("/account/profiel").status_code == 200


def login_with_token(client, email, token):
    return client.post("/account/inloggen", data={"email": email, "password": PASSWORD, "csrf_token": token})


def test_a_one_megabyte_body_gets_413(client):
    response = client.post("/account/registreren", data={"display_name": "x" * (1024 * 1024)})
    assert response.status_code == 413
    assert "te groot" in response.get_data(as_text=True)


def test_role_posted_to_the_profile_form_changes_nothing(member_client, member):
    response = member_client.post(
        "/account/profiel",
        data={
            "display_name": "Marieke",
            "organisation": "Woonstad",
            "job_title": "Buurtconsulent",
            "role": "admin",
            "email": "other@example.nl",
            "confirmed_at": "",
            "session_token": "x",
        },
    )
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.role is Role.MEMBER
    assert member.email.startswith("lid")
    assert member.display_name == "Marieke"


def test_member_gets_403_on_admin_pages(member_client, member):
    assert member_client.get("/beheer/leden").status_code == 403
    assert member_client.get(f"/beheer/leden/{member.id}").status_code == 403
    assert member_client.post(f"/beheer/leden/{member.id}/rol", data={"role": "admin"}).status_code == 403
    db.session.refresh(member)
    assert member.role is Role.MEMBER


def test_moderator_gets_403_on_admin_pages(moderator_client):
    assert moderator_client.get("/beheer/leden").status_code == 403


def test_anonymous_visitor_is_sent_to_login_from_admin_pages(client):
    response = client.get("/beheer/leden")
    assert response.status_code == 302
    assert "/account/inloggen?next=" in response.headers["Location"]


def test_security_events_are_logged_without_secrets(client, caplog):
    user = make_user()
    with caplog.at_level("INFO", logger="cop.security"):
        login(client, user.email, "verkeerd wachtwoord")
        login(client, user.email)
    text = caplog.text
    assert "event=login_failed" in text and "event=login_succeeded" in text
    assert f"user_id={user.id}" in text
    assert PASSWORD not in text and "verkeerd wachtwoord" not in text
    assert user.session_token not in text


def test_an_unexpected_error_gives_a_dutch_500_page_without_details(database_url, tmp_path):
    broken = make_test_app(database_url, tmp_path, PROPAGATE_EXCEPTIONS=False)

    def explode():
        raise RuntimeError("secret internals")

    broken.add_url_rule("/ontploffen", "explode", explode)
    response = broken.test_client().get("/ontploffen")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging iets mis" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_an_unexpected_error_on_a_link_with_a_token_logs_the_path_without_it(database_url, tmp_path, caplog):
    broken = make_test_app(database_url, tmp_path, PROPAGATE_EXCEPTIONS=False)

    def explode(token):
        raise RuntimeError("boom")

    broken.add_url_rule("/account/wachtwoord-herstellen-test/<token>", "explode", explode)
    secret = "eyJ1IjoxMn0.geheim-herstelteken"
    with caplog.at_level("ERROR"):
        response = broken.test_client().get(f"/account/wachtwoord-herstellen-test/{secret}")
    assert response.status_code == 500
    assert "Unhandled error on /account/wachtwoord-herstellen-test/[token]" in caplog.text
    assert secret not in caplog.text


def test_wrong_method_gives_a_dutch_405_page(client):
    response = client.get("/account/uitloggen")
    assert response.status_code == 405
    assert '<html lang="nl">' in response.get_data(as_text=True)


def test_a_failed_statement_keeps_its_values_out_of_the_log(app):
    """The error of a failed statement (and so the error log) names no bound value: no password hash,
    no session token."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    secret = "geheim-sessietoken-12345"
    with pytest.raises(DBAPIError) as error:
        db.session.execute(text("SELECT * FROM tabel_die_niet_bestaat WHERE x = :token"), {"token": secret})
    db.session.rollback()
    assert secret not in str(error.value)
    assert "hidden due to hide_parameters" in str(error.value)
