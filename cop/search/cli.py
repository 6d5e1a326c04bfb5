"""``flask search reindex``: rebuild the search index from everything that can be found."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

search_cli = AppGroup("search", help="The search index.")


@search_cli.command("reindex")
def reindex_command() -> None:
    """Empty the search index and fill it again (in one transaction)."""
    from cop.search.index import rebuild

    started = time.perf_counter()
    count = rebuild()
    click.echo(f"Search index: {count} documents in {time.perf_counter() - started:.1f} s.")
