"""Wijkengids: a community of practice around the Dutch guide to the neighbourhood approach."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, has_request_context, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import CONFIGS, INSTANCE_DIR
from cop import urls

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_class=None, **overrides) -> Flask:
    """Build the application. ``config_class`` defaults to FLASK_CONFIG or development."""
    import os

    if config_class is None:
        config_class = CONFIGS[os.environ.get("FLASK_CONFIG", "development")]
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(config_class.load())
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    urls.init_app(app)
    _init_extensions(app)
    _register_packages(app)
    _init_templates(app)
    return app


def _init_extensions(app: Flask) -> None:
    from cop import backup, cache, errors, mail, menu, panels, querycount, security, transactions
    from cop.extensions import babel, csrf, db, limiter, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    limiter.init_app(app)
    security.init_app(app)
    cache.init_app(app)
    errors.init_app(app)
    mail.init_app(app)
    backup.init_app(app)
    transactions.init_app(app)
    panels.init_app(app)
    menu.init_app(app)
    querycount.init_app(app)


def _register_packages(app: Flask) -> None:
    """Lower packages first: a higher one may contribute to the points of those below it."""
    from cop import (
        accounts,
        api,
        circles,
        contributions,
        demo,
        discussions,
        guide,
        moderation,
        notifications,
        places,
        search,
        site,
    )

    for package in (
        accounts,
        guide,
        places,
        discussions,
        circles,
        contributions,
        moderation,
        notifications,
        search,
        api,
        demo,
        site,
    ):
        package.init_app(app)


def select_locale() -> str:
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def machine_time(value) -> str:
    """A datetime as HTML's <time datetime> wants it: UTC, whole seconds."""
    from datetime import UTC

    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def age(value) -> str:
    """How long ago, in words of the reader's language: "3 dagen"."""
    from flask_babel import format_timedelta

    from cop.db_types import utcnow

    return format_timedelta(utcnow() - value, threshold=1.0)


def _init_templates(app: Flask) -> None:
    from flask_babel import get_locale

    from cop.forms import EmptyForm, csrf_field
    from cop.permissions import JINJA_GLOBALS
    from cop.urls import public_url

    app.jinja_env.globals.update(JINJA_GLOBALS)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["EmptyForm"] = EmptyForm
    app.jinja_env.globals["csrf_field"] = csrf_field
    app.jinja_env.globals["public_url"] = public_url
    app.jinja_env.filters["machine_time"] = machine_time
    app.jinja_env.filters["age"] = age

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


@event.listens_for(Engine, "connect")
def _connection_settings(dbapi_connection, connection_record) -> None:
    """WAL, foreign keys and a busy timeout (the app's SQLITE_BUSY_TIMEOUT_MS) on every SQLite
    connection. On PostgreSQL, psycopg does not prepare statements by itself: it would forget them
    at the rollback that ends every request that wrote nothing, all of them, those the app prepared
    too (``cop.sql.execute_prepared``)."""
    import sqlite3

    from flask import current_app, has_app_context

    if type(dbapi_connection).__module__.startswith("psycopg"):
        dbapi_connection.prepare_threshold = None
    if isinstance(dbapi_connection, sqlite3.Connection):
        timeout = current_app.config.get("SQLITE_BUSY_TIMEOUT_MS", 5000) if has_app_context() else 5000
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(timeout)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
