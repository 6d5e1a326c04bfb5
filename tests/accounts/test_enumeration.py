"""Nobody can tell from the login, registration or password-reset forms whether an address has an
account: the answers are the same byte for byte (apart from the address typed), and take as long.

The timings use the production argon2 parameters (the suite otherwise hashes cheaply), since the
hash is what would give the difference away; each compares the medians of 20 tries.
"""

from __future__ import annotations

import statistics
import time
from contextlib import contextmanager

import pytest

from config import Config
from tests.conftest import mails_to
from tests.factories import make_user

TRIES = 20
ARGON2 = ("ARGON2_TIME_COST", "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM")


@contextmanager
def production_hashing(app):
    cheap = {key: app.config[key] for key in ARGON2}
    app.config.update({key: getattr(Config, key) for key in ARGON2})
    try:
        yield
    finally:
        app.config.update(cheap)


def timed(send) -> float:
    start = time.perf_counter()
    response = send()
    elapsed = time.perf_counter() - start
    response.close()  # work queued for after the response runs now, outside the measurement
    return elapsed


def assert_same_time(known: list[float], unknown: list[float]) -> None:
    a, b = statistics.median(known), statistics.median(unknown)
    assert abs(a - b) / max(a, b) < 0.20, (
        f"medians {a * 1000:.1f} ms and {b * 1000:.1f} ms differ by 20 % or more"
    )


def test_login_answers_alike_for_a_wrong_password_and_an_unknown_address(app, client):
    user = make_user(email="bekend@example.nl")
    data = {"password": "niet het goede wachtwoord"}
    known = client.post("/account/inloggen", data={**data, "email": user.email})
    unknown = client.post("/account/inloggen", data={**data, "email": "onbekend@example.nl"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data().replace(b"bekend@example.nl", b"ADDRESS") == unknown.get_data().replace(
        b"onbekend@example.nl", b"ADDRESS"
    )


def test_login_takes_as_long_for_an_unknown_address(app, client):
    """Before: 7 ms for an unknown address against 200 ms for a known one (the hash was skipped)."""
    with production_hashing(app):
        user = make_user()  # hashed with the production parameters, as every account is after a login
        known, unknown = [], []
        for n in range(TRIES):
            data = {"password": f"fout wachtwoord {n}"}
            known.append(
                timed(
                    lambda d=data: client.post(
                        "/account/inloggen", data={**d, "email": user.email}, buffered=False
                    )
                )
            )
            unknown.append(
                timed(
                    lambda d=data, n=n: client.post(
                        "/account/inloggen", data={**d, "email": f"x{n}@example.nl"}, buffered=False
                    )
                )
            )
    assert_same_time(known, unknown)


REGISTRATION = {
    "display_name": "Anna de Vries",
    "organisation": "Gemeente Arnhem",
    "job_title": "Wijkmanager",
    "password": "de wijk begint bij de voordeur",
}


def test_registering_a_known_address_answers_like_a_new_one_and_tells_the_owner(app, client):
    make_user(email="bekend@example.nl", display_name="Bekend Lid")
    for address in ("bekend@example.nl", "nieuw@example.nl"):
        response = client.post("/account/registreren", data={**REGISTRATION, "email": address})
        assert response.status_code == 302
        assert response.headers["Location"] == "/account/registreren/verstuurd"
    pages = []
    for address in ("bekend@example.nl", "nieuw@example.nl"):
        fresh = app.test_client()
        fresh.post("/account/registreren", data={**REGISTRATION, "email": address})
        pages.append(
            fresh.get("/account/registreren/verstuurd").get_data().replace(address.encode(), b"ADDRESS")
        )
    assert pages[0] == pages[1]
    notices = mails_to(app, "bekend@example.nl")
    assert notices and all(
        mail["Subject"] == "Je hebt al een account bij de Wijkengids-community" for mail in notices
    )
    body = notices[0].get_body(("plain",)).get_content()
    assert (
        "http://localhost/account/inloggen" in body and "http://localhost/account/wachtwoord-vergeten" in body
    )
    assert "Bekend Lid" in body
    [confirmation, _again] = mails_to(app, "nieuw@example.nl")
    assert confirmation["Subject"].startswith("Bevestig")


def test_registering_a_known_address_takes_as_long_as_a_new_one(app, client):
    make_user(email="bekend@example.nl")
    with production_hashing(app):
        known, new = [], []
        for n in range(TRIES):
            known.append(
                timed(
                    lambda: app.test_client().post(
                        "/account/registreren",
                        data={**REGISTRATION, "email": "bekend@example.nl"},
                        buffered=False,
                    )
                )
            )
            new.append(
                timed(
                    lambda n=n: app.test_client().post(
                        "/account/registreren",
                        data={**REGISTRATION, "email": f"nieuw{n}@example.nl"},
                        buffered=False,
                    )
                )
            )
    assert_same_time(known, new)


def test_reset_requests_answer_alike_and_take_as_long(app, client):
    make_user(email="bekend@example.nl")
    answers = [
        client.post("/account/wachtwoord-vergeten", data={"email": address}, buffered=False)
        for address in ("bekend@example.nl", "onbekend@example.nl")
    ]
    for response in answers:
        response.close()
    assert answers[0].headers["Location"] == answers[1].headers["Location"] == "/account/inloggen"
    assert answers[0].get_data() == answers[1].get_data()
    assert len(mails_to(app, "bekend@example.nl")) == 1  # sent after the response went out
    known, unknown = [], []
    for n in range(TRIES):
        known.append(
            timed(
                lambda: client.post(
                    "/account/wachtwoord-vergeten", data={"email": "bekend@example.nl"}, buffered=False
                )
            )
        )
        unknown.append(
            timed(
                lambda n=n: client.post(
                    "/account/wachtwoord-vergeten", data={"email": f"x{n}@example.nl"}, buffered=False
                )
            )
        )
    assert_same_time(known, unknown)
    assert len(mails_to(app, "bekend@example.nl")) == 1 + TRIES


@pytest.mark.parametrize("field", ["email", "password"])
def test_the_login_message_is_the_same_whichever_part_is_wrong(client, field):
    user = make_user()
    data = {"email": user.email, "password": "fout maar lang genoeg"}
    if field == "email":
        data = {"email": "niemand@example.nl", "password": "lange zin over de wijk"}
    page = client.post("/account/inloggen", data=data).get_data(as_text=True)
    assert "Het e-mailadres of wachtwoord klopt niet." in page
