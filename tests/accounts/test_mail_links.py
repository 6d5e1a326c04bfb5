"""Links in mail lead to the configured public address, whatever Host a request claims.

Before, the reset and confirmation mails built their links from the request's Host (and, behind a
proxy, from X-Forwarded-Host): a request for someone's address with ``Host: evil.example`` mailed
them a real reset token on a link to the attacker's site.
"""

from __future__ import annotations

import pytest

from config import ProductionConfig
from tests.conftest import link_in, mails_to
from tests.factories import make_user

REGISTRATION = {
    "email": "nieuw@gemeente.nl",
    "display_name": "Nieuw Lid",
    "organisation": "Gemeente Tiel",
    "job_title": "Beleidsadviseur",
    "password": "de buurt is van ons allemaal",
}


def test_a_reset_asked_for_with_a_foreign_host_links_to_the_public_address(app, client):
    user = make_user(email="slachtoffer@example.nl")
    response = client.post(
        "/account/wachtwoord-vergeten", data={"email": user.email}, headers={"Host": "evil.example"}
    )
    assert response.status_code == 302
    [mail] = mails_to(app, user.email)
    assert link_in(mail).startswith("http://localhost/account/wachtwoord-herstellen/")
    assert "evil.example" not in mail.get_body(("plain",)).get_content()


def test_a_confirmation_asked_for_with_a_foreign_host_links_to_the_public_address(app, client):
    client.post("/account/registreren", data=REGISTRATION, headers={"Host": "evil.example:8080"})
    [mail] = mails_to(app, "nieuw@gemeente.nl")
    assert link_in(mail).startswith("http://localhost/account/bevestigen/")


def test_production_refuses_other_hosts_and_ignores_a_forwarded_host(production_app):
    user = make_user(email="slachtoffer@example.nl")
    client = production_app.test_client()
    foreign = client.post(
        "/account/wachtwoord-vergeten", data={"email": user.email}, base_url="https://evil.example"
    )
    assert foreign.status_code == 400  # TRUSTED_HOSTS comes from PUBLIC_URL
    assert mails_to(production_app, user.email) == []

    behind_proxy = client.post(
        "/account/wachtwoord-vergeten",
        data={"email": user.email},
        base_url="https://wijkengids.example",
        headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-For": "203.0.113.9"},
    )
    assert behind_proxy.status_code == 302
    [mail] = mails_to(production_app, user.email)
    assert link_in(mail).startswith("https://wijkengids.example/account/wachtwoord-herstellen/")


def test_a_proxy_trusted_for_its_host_header_cannot_bring_in_another_host(
    production_app, monkeypatch, tmp_path
):
    from cop import create_app

    monkeypatch.setenv("TRUST_PROXY_HOST", "1")
    app = create_app(ProductionConfig, MAIL_BACKEND="file", MAIL_FILE_DIR=str(tmp_path / "mail2"))
    response = app.test_client().get(
        "/healthz", base_url="https://wijkengids.example", headers={"X-Forwarded-Host": "evil.example"}
    )
    assert response.status_code == 400


def test_production_does_not_start_without_a_public_address(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://db.example/wijkengids")
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        ProductionConfig.load()


@pytest.mark.parametrize(
    "value", ["wijkengids.example", "ftp://wijkengids.example", "https://", "https://x.example/?a=b"]
)
def test_a_malformed_public_address_is_refused_at_start(monkeypatch, tmp_path, value):
    from config import TestingConfig
    from cop import create_app

    with pytest.raises(ValueError, match="PUBLIC_URL"):
        create_app(TestingConfig, PUBLIC_URL=value, MAIL_FILE_DIR=str(tmp_path))
