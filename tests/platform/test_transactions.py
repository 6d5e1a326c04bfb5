"""The transaction core: signals whose rows share the change's transaction, work after the commit,
work after the response, one conflict error; and the extension points the app owns."""

from __future__ import annotations

import pytest
from flask import render_template_string
from sqlalchemy import func, select

from cop import mail, panels, signals
from cop.accounts import services
from cop.accounts.models import User
from cop.extensions import db
from cop.mail import OutboxMail
from cop.transactions import CONFLICT_MESSAGE, DomainError, after_commit, after_response, commit
from tests.conftest import mails_to, make_test_app
from tests.factories import make_user
from tests.guide.factories import make_chapter, make_lesson


def outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMail))


@pytest.fixture
def mail_on_role_changed():
    """A subscriber like the notifications will be: it adds a mail to the change's transaction."""

    def subscriber(user, actor=None, old=None, new=None):
        mail.queue("redactie@example.nl", "confirm", user=user, link=f"http://localhost/{new}")

    signals.role_changed.connect(subscriber)
    yield
    signals.role_changed.disconnect(subscriber)


def test_a_subscribers_rows_are_committed_with_the_change(app, mail_on_role_changed):
    services.set_role(make_user(), "moderator", actor=None)
    assert outbox_count() == 1
    assert len(mails_to(app, "redactie@example.nl")) == 1  # delivered after the commit


def test_a_change_that_fails_at_its_commit_leaves_none_of_its_subscribers_rows(app, mail_on_role_changed):
    user, other = make_user(), make_user()
    other.handle = user.handle  # makes the commit fail on the unique handle
    with pytest.raises(DomainError):
        services.set_role(user, "moderator", actor=None)  # the subscriber has queued its mail by then
    assert outbox_count() == 0
    assert mails_to(app, "redactie@example.nl") == []
    assert db.session.get(User, user.id).role.value == "member"


def test_work_after_commit_runs_once_committed_and_never_after_a_rollback():
    done = []
    user = make_user()
    user.job_title = "Iets anders"
    after_commit(lambda: done.append("first"))
    db.session.rollback()
    assert done == []
    user = db.session.get(User, user.id)
    user.job_title = "Wijkmanager"
    after_commit(lambda: done.append("second"))
    assert done == []
    commit()
    assert done == ["second"]
    commit()
    assert done == ["second"]  # once


def test_a_unique_conflict_becomes_a_domain_error_and_keeps_nothing():
    first = make_user()
    second = make_user()
    second.handle = first.handle
    second.job_title = "Niet bewaard"
    with pytest.raises(DomainError) as error:
        commit()
    assert error.value.message == str(CONFLICT_MESSAGE)
    assert db.session.get(User, second.id).job_title != "Niet bewaard"


def test_work_after_the_response_waits_for_the_response(database_url, tmp_path):
    order = []
    app = make_test_app(database_url, tmp_path)

    @app.route("/_test/after-response")
    def after_response_view():
        after_response(lambda: order.append("after"))
        order.append("view")
        return "ok"

    response = app.test_client().get("/_test/after-response", buffered=False)
    assert order == ["view"]
    assert response.get_data() == b"ok"
    response.close()
    assert order == ["view", "after"]
    after_response(lambda: order.append("now"))  # outside a request: at once
    assert order[-1] == "now"


def test_work_after_the_response_runs_once_even_when_the_server_never_closes_it(database_url, tmp_path):
    """Werkzeug's development server skips close() when the browser resets the connection right
    after a redirect; the work (a mail) must run all the same, and only once."""
    order = []
    app = make_test_app(database_url, tmp_path)

    @app.route("/_test/after-response-redirect", methods=["POST"])
    def redirecting_view():
        after_response(lambda: order.append("mail"))
        return "", 302, {"Location": "/"}

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/_test/after-response-redirect",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": __import__("io").BytesIO(b""),
        "wsgi.errors": __import__("sys").stderr,
        "CONTENT_LENGTH": "0",
    }
    body = app(environ, lambda status, headers, exc_info=None: None)
    assert order == []
    for _chunk in body:  # the server writes the body, then (here) never calls body.close()
        pass
    assert order == ["mail"]
    body.close()  # a server that does close it: nothing runs twice
    assert order == ["mail"]


def test_panels_are_kept_per_app_and_render_in_order(app):
    def first(lesson):
        return ("_test_panel.html", {"text": f"eerste {lesson.number}"})

    def nothing(lesson):
        return None

    point = app.extensions["cop_extension_points"]["lesson"]
    before = list(point)
    point[:] = []
    panels.contribute(app, "lesson", first)
    panels.contribute(app, "lesson", nothing)
    panels.contribute(app, "lesson", first)  # once is enough
    try:
        lesson = make_lesson(make_chapter(), "1.2")
        assert panels.panels("lesson", lesson) == [("_test_panel.html", {"text": "eerste 1.2"})]
    finally:
        point[:] = before
    with pytest.raises(KeyError):
        panels.contribute(app, "lesson-typo", first)


def test_packages_put_their_main_page_in_the_menu(app):
    with app.test_request_context():
        html = render_template_string("{% for e, label in main_menu %}{{ e }}={{ label }};{% endfor %}")
    assert html.startswith("site.home=Home;guide.index=Gids;")
