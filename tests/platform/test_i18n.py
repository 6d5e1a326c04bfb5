"""Dutch by default, English selectable and remembered, and a complete Dutch catalogue."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from cop.extensions import db
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "cop/translations/nl/LC_MESSAGES/messages.po"


def test_dutch_is_the_default(client):
    page = client.get("/account/inloggen").get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert "Wachtwoord vergeten?" in page


def test_english_can_be_chosen_and_is_remembered(client):
    response = client.post("/taal", data={"language": "en", "next": "/account/inloggen"})
    assert response.status_code == 302 and response.headers["Location"] == "/account/inloggen"
    page = client.get("/account/inloggen").get_data(as_text=True)
    assert '<html lang="en">' in page and "Forgot your password?" in page
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_a_logged_in_member_keeps_their_language_on_another_device(app, member_client, member):
    member_client.post("/taal", data={"language": "en"})
    db.session.refresh(member)
    assert member.locale == "en"
    from tests.conftest import login

    other = app.test_client()
    login(other, member.email)
    assert '<html lang="en">' in other.get("/").get_data(as_text=True)


def test_an_unknown_language_is_refused(client):
    assert client.post("/taal", data={"language": "xx"}).status_code == 400


def test_confirmation_mail_is_in_the_members_language(app, client):
    client.post("/taal", data={"language": "en"})
    client.post(
        "/account/registreren",
        data={
            "email": "en@example.nl",
            "display_name": "E",
            "organisation": "O",
            "job_title": "J",
            "password": "an english speaking member",
        },
    )
    from tests.conftest import mails_to

    [mail] = mails_to(app, "en@example.nl")
    assert mail["Subject"].startswith("Confirm your email address")
    make_user(confirmed=False, email="nl@example.nl")
    [dutch] = mails_to(app, "nl@example.nl")
    assert dutch["Subject"].startswith("Bevestig")


def test_catalogue_has_every_source_string_translated(tmp_path):
    """Every string in the code and templates is in the Dutch catalogue, translated, not fuzzy."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "--ignore-dirs",
            ".* __pycache__ node_modules instance",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        source = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    translated = set()
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and all(strings) and not message.fuzzy:
            translated.add(message.id if isinstance(message.id, str) else message.id[0])
    missing = sorted(source - translated)
    assert not missing, f"untranslated strings (run `make update-messages` and translate): {missing}"
