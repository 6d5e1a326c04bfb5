"""`flask backup create` and `flask backup restore`: a backup of a live database, restored into a new
empty one, is the same platform (every row, the pages, the search index, the schema revision)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import check
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from cop import backup
from cop.discussions import services
from cop.extensions import db
from tests.conftest import make_test_app
from tests.databases import flask, new_postgresql_database
from tests.discussions.factories import start_thread
from tests.factories import make_user
from tests.guide.factories import make_chapter, make_lesson

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.commits  # the CLI runs in other processes: they must see the data


@pytest.fixture
def empty_database(database_url, tmp_path):
    """A new, empty database beside the test database: a new SQLite file, or cop_restore_<random>."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    with new_postgresql_database(database_url, "cop_restore") as url:
        yield url


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def fill():
    author = make_user(display_name="Bram Bewaard")
    neighbour = make_user(display_name="Nina Buur")
    thread = start_thread(author, title="Oude nummers van de buurtkrant", body="Wie bewaart ze?")
    services.reply(thread, neighbour, "Het wijkcentrum heeft een kast vol.")
    services.reply(thread, author, "Dank, ik ga langs.")
    lesson = make_lesson(make_chapter(), "1.1", title="Bewaar wat de wijk maakte")
    return thread, lesson


def test_a_backup_restored_into_an_empty_database_is_the_same_platform(
    app, database_url, empty_database, tmp_path
):
    thread, lesson = fill()
    thread_path, lesson_path = f"/discussie/{thread.ref}", f"/les/{lesson.ref}"
    before = row_counts()
    assert before["users"] == 2 and before["threads"] == 1 and before["posts"] == 3 and before["lessons"] == 1
    path = tmp_path / "wijkengids.backup"

    made = flask("backup", "create", str(path), database_url=database_url, tmp_path=tmp_path)
    assert made.returncode == 0, made.stderr
    assert path.stat().st_size > 0 and "Backed up" in made.stdout
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, "a backup holds members' data: owner only"
    assert not list(tmp_path.glob("*.partial"))

    restored = flask("backup", "restore", str(path), database_url=empty_database, tmp_path=tmp_path)
    assert restored.returncode == 0, restored.stderr

    restored_app = make_test_app(empty_database, tmp_path / "restored")
    head = ScriptDirectory(str(ROOT / "migrations")).get_current_head()
    try:
        with restored_app.app_context():
            assert row_counts() == before
            assert db.session.scalar(text("SELECT version_num FROM alembic_version")) == head
            check()  # `flask db check`: the restored schema is the models' (exits 1 on a difference)
            client = restored_app.test_client()
            page = client.get(thread_path)
            assert page.status_code == 200
            assert "Oude nummers van de buurtkrant" in page.text and "een kast vol" in page.text
            assert "Bewaar wat de wijk maakte" in client.get(lesson_path).text
            found = client.get("/zoeken?q=buurtkrant")  # the search index came along
            assert thread_path in found.text
            make_user(email="na-herstel@example.nl")  # ids go on after the restored ones
            assert row_counts()["users"] == 3
            db.session.remove()
    finally:
        with restored_app.app_context():
            for engine in db.engines.values():
                engine.dispose()


def test_restore_refuses_a_database_that_has_tables(app, database_url, tmp_path):
    make_user(display_name="Blijft Staan")
    path = tmp_path / "wijkengids.backup"
    backup.create(path)
    before = row_counts()

    refused = flask("backup", "restore", str(path), database_url=database_url, tmp_path=tmp_path)
    assert refused.returncode != 0
    assert "is not empty" in refused.stderr and "empty database" in refused.stderr
    db.session.expire_all()
    assert row_counts() == before


def test_restore_refuses_a_file_that_is_no_backup_of_this_database_kind(empty_database, tmp_path):
    other = tmp_path / "notities.txt"
    other.write_text("geen back-up\n")
    restored_app = make_test_app(empty_database, tmp_path / "restored")
    try:
        with restored_app.app_context(), pytest.raises(backup.BackupError) as refused:
            backup.restore(other)
    finally:
        with restored_app.app_context():
            for engine in db.engines.values():
                engine.dispose()
    expected = "not a SQLite database" if empty_database.startswith("sqlite") else "not a pg_dump archive"
    assert expected in str(refused.value)


def test_postgresql_tools_get_the_urls_credentials_through_libpq_environment_variables():
    url = make_url("postgresql+psycopg://wijk:ge%40heim@db.example:6543/cop?sslmode=require")
    assert backup.libpq_environment(url) == {
        "PGHOST": "db.example",
        "PGPORT": "6543",
        "PGUSER": "wijk",
        "PGPASSWORD": "ge@heim",
        "PGDATABASE": "cop",
        "PGSSLMODE": "require",
    }
