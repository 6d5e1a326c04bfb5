"""Backing up the database and restoring a backup into a new, empty database.

``flask --app cop backup create PATH`` writes one file while the app keeps serving:

- SQLite: SQLite's online backup API copies a consistent snapshot page by page (in WAL mode the
  copy blocks no writer), into a single self-contained file (journal mode DELETE, no -wal beside it).
- PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot; ``pg_restore`` reads it).

``flask --app cop backup restore PATH`` fills the database DATABASE_URL names, which must be empty
(no tables: a new SQLite file, or a database just made with ``createdb``); it never overwrites data.

Either writes to a temporary file beside PATH (readable by its owner only: a backup holds password
hashes and members' data) and renames it when complete, so a PATH that exists is always a whole
backup. The PostgreSQL tools get the URL's credentials through libpq's environment
variables (PGPASSWORD …), never on their command line, where every user of the host could read them.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL

from cop.extensions import db

SQLITE_HEADER = b"SQLite format 3\x00"
# libpq's connection parameters that a URL's query may carry, and the variables that set them.
LIBPQ_QUERY_VARIABLES = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
}
POSTGRESQL_BIN = Path("/usr/lib/postgresql")  # Debian and Ubuntu keep each version's tools here


class BackupError(Exception):
    """The backup or restore could not be done; the message says why and what to do."""


# --- creating -------------------------------------------------------------------------------------


def create(path: Path) -> str:
    """Back up the app's database to ``path``; return a line for the operator."""
    engine = db.engine
    path = Path(path).resolve()
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a folder.")
    temporary = _temporary_beside(path)
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(temporary)
        elif engine.dialect.name == "postgresql":
            dump = pg_tool("pg_dump")
            _run(dump, "--format=custom", "--no-password", f"--file={temporary}", url=engine.url)
        else:
            raise BackupError(f"Backing up {engine.dialect.name} is not supported.")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return f"Backed up {_describe(engine.url)} to {path} ({path.stat().st_size:,} bytes)."


def _temporary_beside(path: Path) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    return Path(name)


def _sqlite_backup(target: Path) -> None:
    source = db.engine.raw_connection()
    try:
        with closing(sqlite3.connect(target)) as copy:
            source.driver_connection.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one file, whatever mode the source is in
    finally:
        source.close()


# --- restoring ------------------------------------------------------------------------------------


def restore(path: Path) -> str:
    """Fill the app's (empty) database from the backup at ``path``; return a line for the operator."""
    engine = db.engine
    path = Path(path).resolve()
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    if engine.dialect.name not in {"sqlite", "postgresql"}:
        raise BackupError(f"Restoring into {engine.dialect.name} is not supported.")
    tables = inspect(engine).get_table_names()
    db.session.remove()
    engine.dispose()  # restore from fresh connections; none of the app's may hold the file open
    if tables:
        raise BackupError(
            f"{_describe(engine.url)} is not empty ({len(tables)} tables, e.g. {sorted(tables)[0]}). "
            "A backup is restored only into an empty database: point DATABASE_URL at a new SQLite "
            "file or at a database made with createdb (do not run `flask db upgrade` on it first)."
        )
    if engine.dialect.name == "sqlite":
        _sqlite_restore(path, engine.url)
    else:
        _postgresql_restore(path, engine.url)
    engine.dispose()
    with engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return (
        f"Restored {path} into {_describe(engine.url)} (schema revision {revision}). "
        "Run `flask --app cop db upgrade` if this code is newer than the backup."
    )


def _sqlite_restore(path: Path, url: URL) -> None:
    target = url.database
    if not target or target == ":memory:" or target.startswith("file:"):
        raise BackupError(
            "Restoring needs a SQLite database file: set DATABASE_URL=sqlite:////path/new.sqlite."
        )
    with path.open("rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(
                f"{path} is not a SQLite database (a pg_dump backup restores only into PostgreSQL)."
            )
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as source:
        try:
            source.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            raise BackupError(f"{path} is not a backup of this platform (no alembic_version).") from None
        if not Path(target).parent.is_dir():
            raise BackupError(f"{Path(target).parent} is not a folder.")
        with closing(sqlite3.connect(target)) as copy:
            copy.execute("PRAGMA journal_mode=DELETE")  # not into WAL mode; the app sets WAL again
            source.backup(copy)


def _postgresql_restore(path: Path, url: URL) -> None:
    listing = _run(pg_tool("pg_restore"), "--list", str(path), url=url, check=False)
    if listing.returncode != 0:
        raise BackupError(f"{path} is not a pg_dump archive (a SQLite backup restores only into SQLite).")
    if not re.search(r"TABLE public alembic_version ", listing.stdout):
        raise BackupError(f"{path} is not a backup of this platform (no alembic_version).")
    _run(
        pg_tool("pg_restore"),
        "--no-password",
        "--no-owner",  # the objects belong to the user DATABASE_URL names, whoever made the backup
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",  # all or nothing
        f"--dbname={url.database}",
        str(path),
        url=url,
    )


# --- PostgreSQL's tools ---------------------------------------------------------------------------


def libpq_environment(url: URL) -> dict[str, str]:
    """The environment that makes pg_dump and pg_restore connect as ``url`` says, password included."""
    settings = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }
    for key, value in url.query.items():
        if key in LIBPQ_QUERY_VARIABLES:
            settings[LIBPQ_QUERY_VARIABLES[key]] = value if isinstance(value, str) else value[-1]
    return {name: value for name, value in settings.items() if value}


def pg_tool(name: str) -> str:
    """``name`` from PATH, else the newest one under /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name)
    if found:
        return found

    def version(candidate: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", candidate.parts[-3]))

    candidates = sorted(POSTGRESQL_BIN.glob(f"*/bin/{name}"), key=version)
    if candidates:
        return str(candidates[-1])
    raise BackupError(
        f"{name} not found: install PostgreSQL's client tools (postgresql-client) of the server's "
        "version or newer, or put their bin folder on PATH."
    )


def _run(*command: str, url: URL, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, **libpq_environment(url)}
    # The tool's path and fixed options; the only outside value is PATH, passed as one argument.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0 and check:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")
    return result


def _describe(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return f"SQLite {url.database or ':memory:'}"
    return f"PostgreSQL database {url.database} on {url.host or 'the local socket'}"


# --- command line ---------------------------------------------------------------------------------

backup_cli = click.Group("backup", help="Back up the database, and restore a backup into an empty one.")


@backup_cli.command("create")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def create_command(path: Path) -> None:
    """Write a backup of the database to PATH, while the app keeps running (SQLite: a database
    file; PostgreSQL: a pg_dump archive). An existing PATH is replaced once the new backup is whole."""
    try:
        click.echo(create(path))
    except BackupError as error:
        raise click.ClickException(str(error)) from None


@backup_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def restore_command(path: Path) -> None:
    """Restore the backup at PATH into the database DATABASE_URL names, which must be empty."""
    try:
        click.echo(restore(path))
    except BackupError as error:
        raise click.ClickException(str(error)) from None


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_cli)
