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


def assert_same_time(send_known, send_unknown, rounds: int = 3) -> int:
    """Time ``send_known(n)`` and ``send_unknown(n)`` alternately, TRIES each, and require their
    medians to differ by less than 20 %. A real difference (a hash skipped, a mail sent in the
    request) shows in every round; noise from a busy machine does not, so up to ``rounds`` rounds
    are tried. Returns how many rounds ran."""
    seen = []
    for round_ in range(1, rounds + 1):
        known, unknown = [], []
        for n in range(TRIES):
            known.append(timed(lambda n=n: send_known(n)))
            unknown.append(timed(lambda n=n: send_unknown(n)))
        a, b = statistics.median(known), statistics.median(unknown)
        if abs(a - b) / max(a, b) < 0.20:
            return round_
        seen.append(f"{a * 1000:.1f} ms against {b * 1000:.1f} ms")
    pytest.fail(f"medians differ by 20 % or more in every round: {'; '.join(seen)}")


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
        assert_same_time(
            lambda n: client.post(
                "/account/inloggen",
                data={"password": f"fout wachtwoord {n}", "email": user.email},
                buffered=False,
            ),
            lambda n: client.post(
                "/account/inloggen",
                data={"password": f"fout wachtwoord {n}", "email": f"x{n}@example.nl"},
                buffered=False,
            ),
        )


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
        assert_same_time(
            lambda n: app.test_client().post(
                "/account/registreren", data={**REGISTRATION, "email": "bekend@example.nl"}, buffered=False
            ),
            lambda n: app.test_client().post(
                "/account/registreren", data={**REGISTRATION, "email": f"nieuw{n}@example.nl"}, buffered=False
            ),
        )


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
    rounds = assert_same_time(
        lambda n: client.post(
            "/account/wachtwoord-vergeten", data={"email": "bekend@example.nl"}, buffered=False
        ),
        lambda n: client.post(
            "/account/wachtwoord-vergeten", data={"email": f"x{n}@example.nl"}, buffered=False
        ),
    )
    assert len(mails_to(app, "bekend@example.nl")) == 1 + TRIES * rounds
