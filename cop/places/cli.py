"""``flask places import [CSV]``: load the neighbourhoods shipped with the platform."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from cop.transactions import DomainError

places_cli = AppGroup("places", help="Neighbourhoods (wijken).")
DEFAULT_CSV = Path(__file__).resolve().parents[2] / "content" / "wijken" / "krachtwijken.csv"


@places_cli.command("import")
@click.argument("csv_file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(csv_file: Path | None) -> None:
    """Load the neighbourhoods from CSV_FILE (default: content/wijken/krachtwijken.csv) and Hoograven.
    Running it again changes nothing."""
    from cop.places.services import import_csv

    try:
        report = import_csv(csv_file or DEFAULT_CSV)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(
        f"Neighbourhoods: {report.added} added, {report.updated} updated, {report.unchanged} unchanged."
    )
