"""Databases made for a test and the ``flask`` command run against one, in another process."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def new_postgresql_database(base_url: str, prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of ``base_url``, named ``<prefix>_<random>``;
    its URL is yielded, and afterwards it is dropped with whatever connections are left on it."""
    url = make_url(base_url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def flask(*args: str, database_url: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """``flask --app cop ARGS`` in a process of its own on ``database_url``, as a developer runs it
    (development settings, an instance folder in ``tmp_path``); its output is captured."""
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
