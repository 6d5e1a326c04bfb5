"""A member's own pages in the page cache (cop/member_pages.py): served again to that session alone,
and never once something the member could see changed, or the session ended.

Members log in through the login form, as a browser does, so that their session carries what
Flask-Login checks (the address and browser it was made for). Two apps stand for two workers.
"""

from __future__ import annotations

import struct
import time

import pytest
from flask_login.utils import _create_identifier

from cop.accounts import services as accounts
from cop.accounts.models import User
from cop.circles import services as circles
from cop.discussions import services as discussions
from cop.discussions.models import Thread
from cop.extensions import db
from cop.member_pages import identifier
from tests.circles.factories import add_member, make_circle
from tests.conftest import make_test_app
from tests.discussions.factories import start_thread
from tests.factories import PASSWORD, make_user
from tests.guide.factories import make_chapter, make_lesson
from tests.platform.test_page_cache import anonymous_get, workers  # noqa: F401 - the fixture

pytestmark = pytest.mark.commits

FOLLOWING = "Je volgt deze discussie."
NOT_FOLLOWING = "Je krijgt alleen een melding van deze discussie als iemand je noemt."


def browser(app, user, agent="Firefox/140.0"):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    response = client.post("/account/inloggen", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return client


def carrying(app, cookie: str, agent="Firefox/140.0"):
    """A client that sends a session cookie it did not log in for (copied, or another browser)."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    client.set_cookie("cop_session", cookie)
    return client


def header(page) -> str:
    """The page above its main content: where it names who is logged in."""
    return page.text.split("<main", 1)[0]


def stored(client, path):
    """Ask ``path`` until the store serves it, and the stored page. The first answers show the
    login's message, record the session and then store the page: at most three renders."""
    for _attempt in range(4):
        response = client.get(path)
        assert response.status_code == 200
        if response.headers.get("X-Cache") == "hit":
            return response
    raise AssertionError(f"{path} was never served from the store")


def served(client, path) -> bool:
    return client.get(path).headers.get("X-Cache") == "hit"


@pytest.fixture
def people():
    return make_user("member", display_name="Marieke Lid"), make_user("member", display_name="Joost Buur")


@pytest.fixture
def thread(people):
    return start_thread(people[1], title="Buurtkamer in de wijk", body="Wie heeft er een buurtkamer opgezet?")


def test_a_members_page_is_served_again_to_that_session_alone(workers, people, thread):  # noqa: F811
    a, b = workers
    marieke, joost = people
    path = f"/discussie/{thread.ref}"
    page = stored(browser(a, marieke), path)
    assert "Marieke Lid" in page.text
    assert page.headers["Cache-Control"] == "no-store"  # the browser and proxies keep nothing

    other = browser(b, joost)  # another member, on the other worker
    page = other.get(path)
    assert page.headers.get("X-Cache") != "hit"
    assert "Joost Buur" in page.text and "Marieke Lid" not in header(page)
    assert "Marieke Lid" not in header(anonymous_get(a, path))

    laptop = browser(b, marieke)  # the same member's other session has entries of its own
    assert laptop.get(path).headers.get("X-Cache") != "hit"
    assert "Marieke Lid" in stored(laptop, path).text


def test_a_change_to_what_the_member_sees_shows_at_once_on_every_worker(workers, people, thread):  # noqa: F811
    a, b = workers
    marieke, joost = people
    path = f"/discussie/{thread.ref}"
    on_a, other = browser(a, marieke), browser(a, joost)
    assert NOT_FOLLOWING in stored(on_a, path).text
    stored(other, path)
    assert served(on_a, path)

    with b.app_context():  # Marieke follows the thread, through worker b: her own rows only
        discussions.set_follow_level(
            db.session.get(Thread, thread.id), db.session.get(User, marieke.id), "following"
        )
    page = on_a.get(path)
    assert page.headers.get("X-Cache") != "hit"
    assert FOLLOWING in page.text
    assert served(other, path)  # Joost's page did not change

    with b.app_context():  # a reply changes the page for everyone
        browser(b, joost).post(f"{path}/reageren", data={"body": "Wij: in de oude bibliotheek."})
    for client in (on_a, other):
        page = client.get(path)
        assert page.headers.get("X-Cache") != "hit"
        assert "in de oude bibliotheek" in page.text


def test_a_session_that_ended_never_gets_a_stored_page(workers, people, thread):  # noqa: F811
    a, b = workers
    marieke, _joost = people
    path = f"/discussie/{thread.ref}"
    phone = browser(a, marieke)
    stored(phone, path)
    kept = phone.get_cookie("cop_session").value  # as someone who copied the cookie would

    laptop = browser(b, marieke)
    assert laptop.post("/account/uitloggen").status_code == 302  # ends every session of hers
    thief = carrying(a, kept)
    for _attempt in range(3):
        page = thief.get(path)
        assert page.headers.get("X-Cache") != "hit"
        assert "Marieke Lid" not in header(page)


def test_a_suspended_member_and_a_changed_role_get_a_fresh_page(workers, people, thread):  # noqa: F811
    a, b = workers
    marieke, joost = people
    path = f"/discussie/{thread.ref}"
    admin = make_user("admin", display_name="Beheerder")
    joosts = browser(a, joost)
    assert 'aria-label="Moderatie"' not in stored(joosts, path).text
    with b.app_context():
        accounts.set_role(db.session.get(User, joost.id), "moderator", db.session.get(User, admin.id))
        db.session.commit()
    page = joosts.get(path)
    assert page.headers.get("X-Cache") != "hit"
    assert 'aria-label="Moderatie"' in page.text

    mariekes = browser(a, marieke)
    stored(mariekes, path)
    with b.app_context():
        accounts.suspend(db.session.get(User, marieke.id), 7, "Test", db.session.get(User, admin.id))
        db.session.commit()
    page = mariekes.get(path)
    assert page.headers.get("X-Cache") != "hit"
    assert "Marieke Lid" not in header(page)


def test_another_browser_with_the_same_cookie_goes_to_flask(workers, people, thread):  # noqa: F811
    a, _b = workers
    marieke, _joost = people
    path = f"/discussie/{thread.ref}"
    stored(phone := browser(a, marieke), path)
    elsewhere = carrying(a, phone.get_cookie("cop_session").value, agent="curl/8.0")
    assert elsewhere.get(path).headers.get("X-Cache") != "hit"


def test_messages_and_account_pages_are_never_stored(workers, people, thread):  # noqa: F811
    a, _b = workers
    marieke, _joost = people
    path = f"/discussie/{thread.ref}"
    client = browser(a, marieke)
    stored(client, path)
    client.post(f"{path}/volgen", data={"level": "following"})
    page = client.get(path)
    assert page.headers.get("X-Cache") != "hit"
    assert "Je volgt deze discussie: je krijgt een melding van elke reactie." in page.text  # the message
    assert "Je volgt deze discussie: je krijgt" not in client.get(path).text  # shown once
    for _attempt in range(3):
        assert client.get("/account/wachtwoord").headers.get("X-Cache") != "hit"


def test_the_session_identifier_is_flask_logins(app):
    for environ in (
        {"REMOTE_ADDR": "10.0.0.7", "HTTP_USER_AGENT": "Firefox/140.0"},
        {"REMOTE_ADDR": "10.0.0.7"},
        {"REMOTE_ADDR": "10.0.0.7", "HTTP_X_FORWARDED_FOR": "192.0.2.4, 10.0.0.1", "HTTP_USER_AGENT": "Édge"},
    ):
        with app.test_request_context(environ_base=environ):
            assert identifier(environ) == _create_identifier()


def test_pages_are_kept_again_after_the_entries_expired(database_url, tmp_path, people, thread):
    """The session's entry in the store expires with the pages; the next page records it again
    (cachelib's file store keeps an expired entry's file, which its ``add`` takes for a live one)."""
    app = make_test_app(
        database_url, tmp_path, CACHE_URL=f"file://{tmp_path / 'cache'}", PAGE_CACHE_SECONDS=2
    )
    # cachelib's file store counts whole seconds (it expires at int(now) + timeout): two seconds
    # keep an entry at least one, long enough for the few requests that store a page.
    path = f"/discussie/{thread.ref}"
    client = browser(app, people[0])
    stored(client, path)
    time.sleep(3.1)
    slept = time.time()
    assert expired_files(tmp_path / "cache", slept)  # cachelib leaves them until it holds 5,000
    assert client.get(path).headers.get("X-Cache") != "hit"
    assert "Marieke Lid" in stored(client, path).text
    # Swept when the page was stored again. What was stored after the sleep may have expired too
    # by now on a slow machine (its second): only what had expired before it counts.
    assert not expired_files(tmp_path / "cache", slept)


def expired_files(folder, moment: float) -> list:
    """The store's files whose entry had expired at ``moment`` (cachelib writes the expiry time
    first)."""
    found = []
    for file in folder.iterdir():
        expires = struct.unpack("I", file.read_bytes()[:4])[0]
        if 0 < expires < moment:
            found.append(file)
    return found


def test_reading_her_own_notifications_changes_her_pages_and_no_one_elses(workers, people, thread):  # noqa: F811
    a, b = workers
    marieke, joost = people
    path = f"/discussie/{thread.ref}"
    mariekes, joosts = browser(a, marieke), browser(b, joost)
    stored(mariekes, path)
    stored(joosts, path)
    assert served(mariekes, path)
    mariekes.post("/meldingen/alles-gelezen")  # UPDATE notifications … WHERE user_id = hers
    mariekes.get("/meldingen")  # shows the message
    assert not served(mariekes, path)
    assert served(joosts, path)


def test_a_name_under_read_it_in_a_circle_shows_to_the_other_members_at_once(workers, people):  # noqa: F811
    a, b = workers
    marieke, joost = people
    circle = make_circle(joost, name="Kring Hoograven")
    add_member(circle, marieke)
    item = circles.add_reading(circle, make_lesson(make_chapter(), "1.1"), "", None)
    path = f"/leerkring/{circle.slug}"
    joosts = browser(a, joost)
    assert "Marieke Lid" not in stored(joosts, path).text
    browser(b, marieke).post(f"{path}/leesplan/{item.id}/gelezen", data={"read": "ja", "shown": "y"})
    page = joosts.get(path)
    assert page.headers.get("X-Cache") != "hit"
    assert "1 lid heeft het gelezen: Marieke Lid" in page.text
