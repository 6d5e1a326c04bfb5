"""The page cache (cop/cache.py): what anonymous visitors get from the shared store, and that a
change shows on the very next anonymous request on every worker.

Two apps stand for two workers (or two hosts): each has its own engine and its own process-local
state, and they share only the database and the cache store, a folder or Redis, as in production.
"""

from __future__ import annotations

import secrets

import pytest
import redis

from cop.discussions import moderating
from cop.discussions.models import Post
from cop.extensions import db
from tests.conftest import logged_in, make_test_app
from tests.discussions.factories import start_thread
from tests.factories import make_user

pytestmark = pytest.mark.commits

REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture(params=["file", "redis"])
def workers(request, database_url, tmp_path):
    """Two apps sharing one cache store."""
    settings = {"CACHE_URL": f"file://{tmp_path / 'page-cache'}"}
    if request.param == "redis":
        prefix = f"cop-test-{secrets.token_hex(4)}:"  # parallel test runs share the server
        settings = {"CACHE_URL": REDIS_URL, "CACHE_KEY_PREFIX": prefix}
    apps = [make_test_app(database_url, tmp_path / name, **settings) for name in ("a", "b")]
    yield apps
    if request.param == "redis":
        server = redis.Redis.from_url(REDIS_URL)
        keys = list(server.scan_iter(f"{prefix}*"))
        if keys:
            server.delete(*keys)
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def anonymous_get(app, path, **headers):
    return app.test_client().get(path, headers=headers)


def warm(apps, path):
    """Ask ``path`` on every worker until each answers from the store."""
    for app in apps:
        anonymous_get(app, path)
    for app in apps:
        response = anonymous_get(app, path)
        assert response.status_code == 200
        assert response.headers.get("X-Cache") == "hit", path
    return response


@pytest.fixture
def thread(member):
    return start_thread(member, title="Buurtkamer in de wijk", body="Wie heeft er een buurtkamer opgezet?")


def test_a_new_reply_an_edit_and_a_hidden_post_show_at_once_on_every_worker(workers, thread, member):
    a, b = workers
    path = f"/discussie/{thread.ref}"
    assert "Wie heeft er een buurtkamer" in warm(workers, path).text

    with a.app_context():  # the reply is posted through worker a
        reply = {"body": "Wij: in de oude bibliotheek."}
        assert logged_in(a, member).post(f"{path}/reageren", data=reply).status_code == 302
    page = anonymous_get(b, path)
    assert page.headers.get("X-Cache") != "hit"
    assert "in de oude bibliotheek" in page.text
    page = anonymous_get(a, path)  # stored again by b, under the new state
    assert page.headers.get("X-Cache") == "hit"
    assert "in de oude bibliotheek" in page.text

    with a.app_context():
        response = logged_in(a, member).post(
            f"{path}/bericht/2/bewerken", data={"body": "Wij: in het buurthuis aan de Kade."}
        )
        assert response.status_code == 302
    page = anonymous_get(b, path).text
    assert "buurthuis aan de Kade" in page
    assert "oude bibliotheek" not in page

    moderator = make_user("moderator")
    warm(workers, path)
    with a.app_context():
        post = db.session.query(Post).filter_by(thread_id=thread.id, number=2).one()
        moderating.hide_post(post, db.session.merge(moderator), "Persoonlijke gegevens")
    page = anonymous_get(b, path).text
    assert "buurthuis aan de Kade" not in page
    assert "Verborgen door een moderator" in page


def test_a_profile_made_private_disappears_on_every_worker(workers):
    from cop.accounts import services as accounts

    person = make_user(display_name="Petra Openbaar")
    person.profile_public = True
    db.session.commit()
    path = f"/leden/{person.handle}"
    assert "Petra Openbaar" in warm(workers, path).text
    a, b = workers
    with a.app_context():
        accounts.update_profile(db.session.merge(person), profile_public=False)
    assert anonymous_get(b, path).status_code == 404
    assert anonymous_get(a, path).status_code == 404


def test_a_change_that_rolls_back_leaves_the_store_alone(workers, thread, member):
    a, b = workers
    path = f"/discussie/{thread.ref}"
    warm(workers, path)
    before = a.extensions["cop_page_cache"].generation()
    with a.app_context():
        db.session.merge(thread).title = "Dit wordt niet bewaard."
        db.session.flush()
        db.session.rollback()
    assert a.extensions["cop_page_cache"].generation() == before
    page = anonymous_get(b, path)
    assert page.headers.get("X-Cache") == "hit"
    assert "niet bewaard" not in page.text


def test_members_never_get_a_stored_page_and_their_pages_are_not_kept(workers, thread, member):
    a, _b = workers
    path = f"/discussie/{thread.ref}"
    warm(workers, path)
    with a.app_context():
        response = logged_in(a, member).get(path)
    assert response.headers.get("X-Cache") != "hit"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Marieke Lid" in response.text  # the header names who is logged in
    assert "Marieke Lid" not in anonymous_get(a, path).text.split("<main", 1)[0]


def with_csrf(database_url, tmp_path):
    """A worker whose forms carry CSRF tokens, as in production."""
    return make_test_app(
        database_url, tmp_path, CACHE_URL=f"file://{tmp_path / 'page-cache'}", WTF_CSRF_ENABLED=True
    )


def test_pages_that_hand_out_a_session_are_neither_stored_nor_public(database_url, tmp_path):
    a = with_csrf(database_url, tmp_path)
    for _ in range(2):
        response = anonymous_get(a, "/account/inloggen")
        assert response.headers.get("X-Cache") != "hit"
        assert "Set-Cookie" in response.headers
        assert response.headers["Cache-Control"] == "no-store"


def test_a_visitor_who_kept_an_empty_session_is_served_from_the_store(database_url, tmp_path, thread):
    a = with_csrf(database_url, tmp_path)
    path = f"/discussie/{thread.ref}"
    warm([a], path)
    client = a.test_client()
    client.get("/account/inloggen")  # the login form gives the visitor a session with a CSRF token
    assert client.get_cookie("cop_session") is not None
    assert client.get(path).headers.get("X-Cache") == "hit"


def test_a_message_waiting_in_the_session_is_shown_not_a_stored_page(workers, thread, member):
    a, _b = workers
    warm(workers, "/")
    client = logged_in(a, member)
    with a.app_context():
        response = client.post("/account/uitloggen", follow_redirects=True)
    assert response.headers.get("X-Cache") != "hit"
    assert "uitgelogd" in response.text.lower()


def test_the_language_is_part_of_what_is_stored(workers, thread):
    a, _b = workers
    warm(workers, "/gids/")
    client = a.test_client()
    client.set_cookie("lang", "en")
    english = client.get("/gids/")
    assert english.headers.get("X-Cache") != "hit"
    assert 'lang="en"' in english.text.split(">", 2)[1]
    assert client.get("/gids/").headers.get("X-Cache") == "hit"
    assert 'lang="nl"' in anonymous_get(a, "/gids/").text.split(">", 2)[1]


def test_conditional_requests_get_304(workers, thread):
    a, _b = workers
    path = f"/discussie/{thread.ref}"
    page = warm(workers, path)
    etag, modified = page.headers["ETag"], page.headers["Last-Modified"]
    assert "s-maxage=10" in page.headers["Cache-Control"]
    assert "public" in page.headers["Cache-Control"]
    assert "Cookie" in page.headers["Vary"]
    not_modified = anonymous_get(a, path, **{"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.data == b""
    assert anonymous_get(a, path, **{"If-Modified-Since": modified}).status_code == 304
    assert anonymous_get(a, path, **{"If-None-Match": '"something-else"'}).status_code == 200


def test_the_api_and_feeds_are_not_stored(workers, thread):
    a, _b = workers
    for path in ("/api/v1/themes", "/feeds/lessen.atom"):
        anonymous_get(a, path)
        assert anonymous_get(a, path).headers.get("X-Cache") != "hit"


def test_an_unreachable_store_slows_pages_down_but_never_breaks_them(database_url, tmp_path, thread):
    app = make_test_app(database_url, tmp_path, CACHE_URL="redis://127.0.0.1:1/0")
    for _ in range(2):
        response = anonymous_get(app, f"/discussie/{thread.ref}")
        assert response.status_code == 200
        assert "Buurtkamer in de wijk" in response.text
    with app.app_context():
        db.engine.dispose()


def test_a_visitor_chooses_a_language_without_a_token_but_only_from_this_site(database_url, tmp_path, member):
    app = make_test_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    page = app.test_client().get("/gids/")
    assert "csrf_token" not in page.text  # one rendering serves every visitor
    assert "Set-Cookie" not in page.headers
    same_site = app.test_client().post(
        "/taal", data={"language": "en", "next": "/gids/"}, headers={"Origin": "http://localhost"}
    )
    assert same_site.status_code == 302
    assert "lang=en" in same_site.headers["Set-Cookie"]
    for headers in ({"Origin": "https://evil.example"}, {"Referer": "https://evil.example/x"}, {}):
        refused = app.test_client().post("/taal", data={"language": "en"}, headers=headers)
        assert refused.status_code == 400
        assert "lang=" not in refused.headers.get("Set-Cookie", "")
    with app.app_context():  # a member's choice is stored with the account: the token is required
        response = logged_in(app, member).post(
            "/taal", data={"language": "en"}, headers={"Origin": "http://localhost"}
        )
    assert response.status_code == 400
    with app.app_context():
        db.engine.dispose()
