"""`flask db upgrade` from an empty database, then `flask db check` finds no difference."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_database(tmp_path):
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    url = make_url(base).set(drivername="postgresql+psycopg")
    name = f"cop_migrate_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def flask(*args, database_url, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "COP_INSTANCE_PATH": str(tmp_path / "instance"),
        "FLASK_CONFIG": "development",
    }
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "cop", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_upgrade_from_empty_then_check_finds_nothing(empty_database, tmp_path):
    upgrade = flask("db", "upgrade", database_url=empty_database, tmp_path=tmp_path)
    assert upgrade.returncode == 0, upgrade.stderr
    check = flask("db", "check", database_url=empty_database, tmp_path=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr


def test_downgrade_to_base_and_up_again(empty_database, tmp_path):
    for args in (("db", "upgrade"), ("db", "downgrade", "base"), ("db", "upgrade")):
        result = flask(*args, database_url=empty_database, tmp_path=tmp_path)
        assert result.returncode == 0, f"{args}: {result.stderr}"
