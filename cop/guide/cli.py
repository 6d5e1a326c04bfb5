"""`flask --app cop guide …`: load the guide's content files into the database and write them back."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from cop.guide.content import ContentError, export_content, import_content, load_directory

guide_cli = click.Group("guide", help="Import and export the guide's content files.")


def _directory(directory: str | None) -> Path:
    return Path(directory or current_app.config["CONTENT_DIR"])


def _fail(error: ContentError, summary: str):
    """Print every problem as ``file:line: reason`` on stderr, then exit with ``summary``."""
    for problem in error.problems:
        click.echo(f"{problem}", err=True)
    raise click.ClickException(summary) from None


@guide_cli.command("import")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
def import_command(directory):
    """Load the content files in DIRECTORY (default: the CONTENT_DIR setting) into the database."""
    path = _directory(directory)
    try:
        report = import_content(path)
    except ContentError as error:
        _fail(error, f"Nothing was imported: {len(error.problems)} problem(s) in {path}.")
    if not report.changed:
        click.echo(f"The guide is up to date with {path}; nothing changed.")
        return
    click.echo(
        f"Imported {path}: {report.lessons_created} new and {report.lessons_updated} changed lesson(s), "
        f"{report.revisions} new revision(s), {report.chapters} chapter(s) and {report.themes} theme(s) "
        "created or changed."
    )
    if report.edition is not None:
        click.echo(f"Recorded edition {report.edition}.")


@guide_cli.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
def check_command(directory):
    """Check the content files in DIRECTORY without storing anything."""
    path = _directory(directory)
    try:
        bundle = load_directory(path)
    except ContentError as error:
        _fail(error, f"{len(error.problems)} problem(s) in {path}.")
    click.echo(f"{path}: {len(bundle.chapters)} chapter(s) and {len(bundle.lessons)} lesson(s), all valid.")


@guide_cli.command("export")
@click.argument("directory", type=click.Path(file_okay=False))
def export_command(directory):
    """Write the guide's current content to DIRECTORY in the content file format."""
    names = export_content(Path(directory))
    click.echo(f"Wrote {len(names)} file(s) to {directory}.")
