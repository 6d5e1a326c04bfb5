"""`flask db upgrade` from an empty database, then `flask db check` finds no difference."""

from __future__ import annotations

import os

import pytest

from tests.databases import flask, new_postgresql_database


@pytest.fixture
def empty_database(tmp_path):
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    with new_postgresql_database(base, "cop_migrate") as url:
        yield url


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
