"""Every account form meets bad input with a Dutch message at the field, keeps the input,
stores nothing, and never answers 500; a 1 MB body gets 413."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cop.accounts.models import User
from cop.extensions import db
from tests.factories import make_user

# (path, who is logged in, the fields of the form)
FORMS = [
    ("/account/registreren", None, ["email", "display_name", "organisation", "job_title", "password"]),
    ("/account/inloggen", None, ["email", "password"]),
    ("/account/wachtwoord-vergeten", None, ["email"]),
    ("/account/wachtwoord", "member", ["current_password", "password"]),
    ("/account/profiel", "member", ["display_name", "organisation", "job_title"]),
    ("/beheer/leden/{other}/schorsen", "admin", ["reason"]),
]


@pytest.fixture
def as_role(app, member_client, admin_client):
    clients = {None: app.test_client(), "member": member_client, "admin": admin_client}
    return clients.__getitem__


def snapshot():
    return [
        (u.email, u.display_name, u.organisation, u.password_hash, u.suspended_until)
        for u in db.session.scalars(select(User).order_by(User.id))
    ]


@pytest.mark.parametrize(("path", "role", "fields"), FORMS)
def test_empty_form_gets_a_message_at_each_required_field(as_role, path, role, fields):
    other = make_user()
    client = as_role(role)
    before = snapshot()
    response = client.post(path.format(other=other.id), data=dict.fromkeys(fields, ""))
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 400)
    assert "Er is een probleem" in page
    for name in fields:
        assert f'id="{name}-error"' in page, name
    assert snapshot() == before


@pytest.mark.parametrize(("path", "role", "fields"), FORMS)
def test_too_long_input_is_refused_and_kept(as_role, path, role, fields):
    other = make_user()
    client = as_role(role)
    before = snapshot()
    data = dict.fromkeys(fields, "Lang" + "x" * 3000)
    response = client.post(path.format(other=other.id), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 400)
    assert "Gebruik maximaal" in page or "tussen de 10 en 128" in page
    visible = [name for name in fields if "password" not in name]
    for name in visible:
        assert "Lang" + "x" * 3000 in page, f"{name} not kept"
    assert snapshot() == before


@pytest.mark.parametrize(("path", "role", "fields"), FORMS)
def test_a_one_megabyte_body_gets_413(as_role, path, role, fields):
    other = make_user()
    client = as_role(role)
    response = client.post(path.format(other=other.id), data={fields[0]: "x" * (1024 * 1024)})
    assert response.status_code == 413


@pytest.mark.parametrize(
    "path", ["/account/registreren", "/account/inloggen", "/account/wachtwoord-vergeten"]
)
def test_malformed_email_gets_the_email_message(client, path):
    response = client.post(path, data={"email": "niet@@goed", "password": "iets"})
    page = response.get_data(as_text=True)
    assert "zoals naam@voorbeeld.nl" in page
    assert 'value="niet@@goed"' in page


def test_garbage_in_selects_and_tokens_is_not_a_500(admin_client, client):
    other = make_user()
    assert (
        admin_client.post(
            f"/beheer/leden/{other.id}/schorsen", data={"duration": "abc", "reason": "x"}
        ).status_code
        == 400
    )
    assert client.get("/account/wachtwoord-herstellen/%ff%fe").status_code == 302
    assert client.get("/account/wachtwoord-herstellen/%00%ff").status_code == 404  # a NUL is no page
    assert client.post("/account/bevestigen/" + "a" * 5000).status_code == 302
    assert client.get("/beheer/leden?pagina=-5").status_code == 302  # anonymous: to the login
    assert admin_client.get("/beheer/leden?pagina=abc&q=" + "z" * 5000).status_code == 200
