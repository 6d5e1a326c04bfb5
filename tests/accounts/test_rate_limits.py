"""Rate limits that slow guessing down without letting anyone lock a member out.

CI runs these once more against Redis (RATELIMIT_STORAGE_URI=redis://…), the store production uses.
"""

from __future__ import annotations

import pytest

from tests.conftest import logged_in, login
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.ratelimit

ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}


def client_at(app, environ):
    client = app.test_client()
    client.environ_base.update(environ)
    return client


def assert_429(response):
    assert response.status_code == 429
    assert "te vaak geprobeerd" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0


def test_guessing_one_accounts_password_is_stopped_for_the_guesser(limited_app):
    user = make_user()
    attacker = client_at(limited_app, ATTACKER)
    statuses = [login(attacker, user.email, "fout wachtwoord").status_code for _ in range(5)]
    assert statuses == [200] * 5
    assert_429(login(attacker, user.email, "fout wachtwoord"))
    assert_429(login(attacker, user.email, PASSWORD))  # the right one does not help the guesser now


def test_someone_elses_guessing_does_not_lock_the_member_out(limited_app):
    """Before: five wrong passwords from anyone made the member's own right password answer 429."""
    user = make_user()
    attacker = client_at(limited_app, ATTACKER)
    for _ in range(6):
        login(attacker, user.email, "fout wachtwoord")
    owner = client_at(limited_app, OWNER)
    response = login(owner, user.email, PASSWORD)
    assert response.status_code == 302
    assert owner.get("/account/profiel").status_code == 200


def test_many_addresses_guessing_one_account_are_each_stopped_and_the_member_still_gets_in(limited_app):
    limited_app.config["RATELIMIT_LOGIN_ACCOUNT_ALL"] = "4 per hour"
    user = make_user()
    guessers = [client_at(limited_app, {"REMOTE_ADDR": f"203.0.113.{n}"}) for n in range(1, 6)]
    for guesser in guessers[:4]:
        assert login(guesser, user.email, "fout wachtwoord").status_code == 200
    # The account has had its four failures this hour: a client that failed for it is stopped …
    assert_429(login(guessers[0], user.email, "nog een gok"))
    # … a new address still gets a single try (a soft lockout, as OWASP ASVS V2.2.1 asks) …
    assert login(guessers[4], user.email, "weer een gok").status_code == 200
    assert_429(login(guessers[4], user.email, "en nog een"))
    # … and the member, from a client that has not failed, logs in.
    assert login(client_at(limited_app, OWNER), user.email, PASSWORD).status_code == 302


def test_every_login_attempt_counts_per_client_address(limited_app):
    limited_app.config["RATELIMIT_LOGIN_ACCOUNT"] = "100 per minute"
    client = client_at(limited_app, ATTACKER)
    statuses = [login(client, f"lid{n}@example.nl", "fout wachtwoord").status_code for n in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert int(limited_app.test_client().post("/account/inloggen").headers.get("Retry-After", 1)) > 0


def test_guessing_the_current_password_on_the_change_form_is_limited(limited_app):
    user = make_user()
    client = logged_in(limited_app, user)
    data = {"current_password": "geraden wachtwoord", "password": "een nieuw lang wachtwoord"}
    statuses = [client.post("/account/wachtwoord", data=data).status_code for _ in range(5)]
    assert statuses == [200] * 5
    assert_429(client.post("/account/wachtwoord", data={**data, "current_password": PASSWORD}))


def registration(number: int, **changes) -> dict:
    return {
        "email": f"nieuw{number}@example.nl",
        "display_name": f"Nieuw Lid {number}",
        "organisation": "Gemeente Delft",
        "job_title": "Wijkmanager",
        "password": "een lange zin als wachtwoord",
        **changes,
    }


def test_registration_is_limited_per_address_with_retry_after(limited_app):
    client = limited_app.test_client()
    statuses = [client.post("/account/registreren", data=registration(n)).status_code for n in range(5)]
    assert statuses == [302] * 5
    assert_429(client.post("/account/registreren", data=registration(5)))


def test_registrations_sent_back_with_errors_do_not_count(limited_app):
    """Before: every POST counted, so five typing mistakes locked a newcomer out for an hour."""
    client = limited_app.test_client()
    mistakes = [
        {},
        registration(1, email="nieuw1-at-example.nl"),
        registration(1, password="kort"),
        registration(1, display_name=""),
        registration(1, password="password123"),
        registration(1, job_title=""),
    ]
    statuses = [client.post("/account/registreren", data=data).status_code for data in mistakes]
    assert statuses == [200] * 6
    assert client.post("/account/registreren", data=registration(1)).status_code == 302
    # … and the limit still holds for registrations that pass: four more, then 429.
    statuses = [client.post("/account/registreren", data=registration(n)).status_code for n in range(2, 6)]
    assert statuses == [302] * 4
    assert_429(client.post("/account/registreren", data=registration(6)))
    assert client.post("/account/registreren", data={}).status_code == 200  # mistakes still get answers


def test_address_changes_are_limited_per_account(limited_app):
    user = make_user()
    client = logged_in(limited_app, user)
    statuses = [
        client.post(
            "/account/e-mailadres", data={"email": f"ander{n}@example.nl", "current_password": PASSWORD}
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302] * 3
    assert_429(
        client.post("/account/e-mailadres", data={"email": "ander9@example.nl", "current_password": PASSWORD})
    )


def test_guessing_the_current_password_on_the_address_change_form_is_limited(limited_app):
    user = make_user()
    client = logged_in(limited_app, user)
    data = {"email": "ander@example.nl", "current_password": "geraden wachtwoord"}
    statuses = [client.post("/account/e-mailadres", data=data).status_code for _ in range(5)]
    assert statuses == [200] * 5
    assert_429(client.post("/account/e-mailadres", data={**data, "current_password": PASSWORD}))


def test_password_reset_is_limited_with_retry_after(limited_app):
    client = limited_app.test_client()
    statuses = [
        client.post("/account/wachtwoord-vergeten", data={"email": "x@example.nl"}).status_code
        for _ in range(3)
    ]
    assert statuses == [302] * 3
    assert_429(client.post("/account/wachtwoord-vergeten", data={"email": "x@example.nl"}))


def test_the_counters_live_in_the_configured_store(limited_app):
    """Memory by default; Redis when CI sets RATELIMIT_STORAGE_URI, so several workers share them."""
    from cop.extensions import limiter

    scheme = limited_app.config["RATELIMIT_STORAGE_URI"].split(":", 1)[0]
    assert type(limiter.storage).__name__.lower().startswith(scheme)
    user = make_user()
    login(client_at(limited_app, ATTACKER), user.email, "fout wachtwoord")
    assert limiter.storage.check()  # the store answers
