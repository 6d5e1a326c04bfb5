"""Fixtures for the whole suite.

The schema is built once per run through the migrations, on a throw-away SQLite file or, when
TEST_DATABASE_URL is set, on a new PostgreSQL database created for this run and dropped after it.

Every test starts with empty tables. Most tests run inside one database transaction that is rolled
back at the end: the app's sessions (the test's own and every request's) share one connection and
work in savepoints of that transaction, so a commit in a service behaves as a commit and the test
leaves nothing behind, however many tables there are. Tests that need other connections to see
what they wrote (a live server for the browser, two connections racing) are marked
``@pytest.mark.commits`` (or use ``live_server``): they commit for real and the tables are emptied
afterwards.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import request_tearing_down
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from config import TestingConfig
from cop import create_app
from cop.extensions import db, limiter
from tests.databases import new_postgresql_database
from tests.factories import PASSWORD, make_user

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A fresh, empty database for this test run."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        return
    with new_postgresql_database(base, "cop_test") as url:
        yield url


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (its own ``g`` and database session), as in
    production, even though the test itself holds an app context open. What the test's session
    wrote is committed first, and the response is read to its end and closed, so that work queued
    for after the response (writing notifications, delivering mail) has run when the request
    returns. As in production, the request's session ends with the request, before that work:
    left open, its savepoint would take that work with it when it rolled back."""

    def open(self, *args, **kwargs):
        if db.session().in_transaction():
            db.session.commit()
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            request_tearing_down.connect(_end_request_session, self.application)
            try:
                response = super().open(*args, **kwargs)
            finally:
                request_tearing_down.disconnect(_end_request_session, self.application)
        db.session.expire_all()  # the test's own session sees what the request committed
        return response


def _end_request_session(sender, **extra) -> None:
    db.session.remove()


def make_test_app(database_url: str, tmp_path: Path, **overrides):
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": str(tmp_path / "mail"),
    }
    settings.update(overrides)
    app = create_app(TestingConfig, **settings)
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = make_test_app(database_url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        upgrade()  # the schema comes from the migrations, on SQLite and PostgreSQL alike
    return app


def empty_all_tables() -> None:
    """Delete every row (in the rolled-back transaction, or for real after a committing test)."""
    tables = list(reversed(db.metadata.sorted_tables))
    db.session.rollback()
    in_rolled_back_transaction = not isinstance(db.engines[None], Engine)
    if db.engine.dialect.name == "postgresql" and not in_rolled_back_transaction:
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@contextmanager
def _rolled_back(app):
    """Bind every session of ``app`` to one connection inside a transaction, and roll it back."""
    engines = db.engines  # the app's {bind key: engine}, which Flask-SQLAlchemy's sessions ask
    engine = engines[None]
    connection = engine.connect()
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        # pysqlite starts transactions by itself and forgets savepoints; take over (SQLAlchemy's recipe)
        driver = connection.connection.driver_connection
        driver.isolation_level = None
        driver.execute("BEGIN")
    transaction = connection.begin()
    db.session.remove()
    db.session.session_factory.configure(join_transaction_mode="create_savepoint")
    engines[None] = connection
    try:
        yield
    finally:
        db.session.remove()
        engines[None] = engine
        db.session.session_factory.kw.pop("join_transaction_mode", None)
        transaction.rollback()
        if sqlite:
            connection.connection.driver_connection.isolation_level = ""
        connection.close()


# Fixtures whose app has an engine of its own: what the test writes must really be committed.
REAL_COMMIT_FIXTURES = {"live_server", "limited_app", "production_app"}


def _needs_real_commits(request) -> bool:
    marked = request.node.get_closest_marker("commits") is not None
    return marked or bool(REAL_COMMIT_FIXTURES & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _app_context(app, request):
    """Each test runs inside an app context and starts with empty tables."""
    with app.app_context():
        if _needs_real_commits(request):
            yield
            empty_all_tables()
            db.session.remove()
        else:
            with _rolled_back(app):
                yield
    if limiter.enabled:
        limiter.reset()
    mail_dir = Path(app.config["MAIL_FILE_DIR"])
    if mail_dir.exists():
        for path in [*mail_dir.glob("*.eml"), *mail_dir.glob("*.txt")]:
            path.unlink()


@pytest.fixture
def limited_app(database_url, tmp_path):
    """An app with its rate limits on, counting in RATELIMIT_STORAGE_URI (memory, or Redis in CI)."""
    app = make_test_app(database_url, tmp_path, RATELIMIT_ENABLED=True)
    with app.app_context():
        limiter.reset()
        yield app
        limiter.reset()
    limiter.enabled = False


@pytest.fixture
def production_app(database_url, tmp_path, monkeypatch):
    """The production configuration (against the test database, mail to files, CSRF off: it has
    tests of its own)."""
    from config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("PUBLIC_URL", "https://wijkengids.example")
    monkeypatch.setenv("TRUST_PROXY_HOPS", "1")
    app = create_app(
        ProductionConfig, MAIL_BACKEND="file", MAIL_FILE_DIR=str(tmp_path / "mail"), WTF_CSRF_ENABLED=False
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def login(client, email: str, password: str = PASSWORD, remember: bool = False):
    """Log in through the form (for tests about logging in)."""
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/account/inloggen", data=data)


def logged_in(app, user):
    """A client with ``user``'s session, set up without the login form."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
    return client


@pytest.fixture
def member():
    return make_user("member", display_name="Marieke Lid")


@pytest.fixture
def moderator():
    return make_user("moderator", display_name="Mo Derator")


@pytest.fixture
def admin():
    return make_user("admin", display_name="Ada Beheer")


@pytest.fixture
def member_client(app, member):
    return logged_in(app, member)


@pytest.fixture
def moderator_client(app, moderator):
    return logged_in(app, moderator)


@pytest.fixture
def admin_client(app, admin):
    return logged_in(app, admin)


@pytest.fixture
def shipped_guide():
    """The guide as it ships (content/), imported."""
    from tests.guide.factories import import_shipped

    return import_shipped()


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries():
    """``with count_queries() as counter: …`` then ``counter.count`` SQL statements ran."""

    @contextmanager
    def counting():
        counter = QueryCounter()

        def record(conn, cursor, statement, parameters, context, executemany):
            if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK|PRAGMA|BEGIN)", statement, re.I):
                counter.statements.append(statement)

        target = db.engine
        event.listen(target, "before_cursor_execute", record)
        try:
            yield counter
        finally:
            event.remove(target, "before_cursor_execute", record)

    return counting


def mails_to(app, address: str) -> list:
    """The messages of the .eml files written for ``address``, oldest first."""
    from email import message_from_bytes, policy

    folder = Path(app.config["MAIL_FILE_DIR"])
    found = []
    for path in sorted(folder.glob("*.eml")) if folder.exists() else []:
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["To"] == address:
            found.append(message)
    return found


def link_in(message) -> str:
    body = message.get_body(("plain",)).get_content()
    match = re.search(r"https?://\S+", body)
    assert match, "no link in the mail"
    return match.group(0)


def local_path(link: str) -> str:
    """The path (and query) of a link to this site, for the test client."""
    assert link.startswith(TestingConfig.PUBLIC_URL + "/"), link
    return link[len(TestingConfig.PUBLIC_URL) :]


# --- real browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(database_url, tmp_path_factory, app):
    """The app served over HTTP on a free port, with CSRF on, against the test database."""
    from tests.browser import LiveServer, free_port

    port = free_port()
    live_app = make_test_app(
        database_url,
        tmp_path_factory.mktemp("live"),
        WTF_CSRF_ENABLED=True,
        TESTING=False,
        PUBLIC_URL=f"http://127.0.0.1:{port}",  # links in its mail lead back to it
    )
    server = LiveServer(live_app, port).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    home = tmp_path_factory.mktemp("chromium-home")
    os.environ.setdefault("HOME", str(home))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _record_errors(page, errors: list[str]) -> None:
    """Collect console errors (a CSP violation, a JS error) and failed stylesheets, scripts or
    images; pages themselves may answer 4xx on purpose."""

    def on_console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.status} for {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: errors.append(str(error)))


@pytest.fixture
def new_page(browser, live_server):
    """``new_page()`` opens a tab in a browser context of its own (its own cookies: one member
    each; ``base_url=`` for another server). The test fails on any console error or failed resource
    in any of them."""
    contexts, errors = [], []

    def make(**options):
        context = browser.new_context(**{"base_url": live_server.url, "locale": "nl-NL", **options})
        contexts.append(context)
        page = context.new_page()
        _record_errors(page, errors)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"browser console errors: {errors}"


@pytest.fixture
def page(new_page):
    """A fresh browser tab (see ``new_page``)."""
    return new_page()


AXE_CHECKED: list[str] = []


@pytest.fixture
def axe():
    from tests.browser import AxeChecker

    checker = AxeChecker()
    yield checker
    AXE_CHECKED.extend(checker.checked)


def pytest_sessionfinish(session):
    """Under pytest-xdist each worker hands the pages it checked to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["axe_checked"] = list(AXE_CHECKED)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    AXE_CHECKED.extend(getattr(node, "workeroutput", {}).get("axe_checked", []))


def pytest_terminal_summary(terminalreporter):
    if AXE_CHECKED:
        paths = {url.split("://", 1)[-1].split("/", 1)[-1].split("?")[0] for url in AXE_CHECKED}
        terminalreporter.write_line(
            f"axe-core (WCAG 2.1 A+AA): {len(AXE_CHECKED)} page visits on {len(paths)} distinct paths, "
            "every one without violations"
        )
