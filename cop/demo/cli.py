"""``flask demo seed``: fill an empty (or demo-only) database with demo data."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("seed")
@click.option("--scale", type=click.Choice(["small", "forum", "large"]), default="small", show_default=True)
@click.option("--users", type=click.IntRange(min=2), help="Members (overrides the preset).")
@click.option("--threads", type=click.IntRange(min=1), help="Threads.")
@click.option(
    "--posts", type=click.IntRange(min=1), help="Posts, opening posts included (at least one per thread)."
)
@click.option("--contributions", type=click.IntRange(min=0), help="Contributions.")
@click.option("--circles", type=click.IntRange(min=0), help="Learning circles and professional groups.")
@click.option("--lessons", type=click.IntRange(min=1), help="Lessons (each with several revisions).")
@click.option("--no-index", is_flag=True, help="Leave the search index alone (rebuild it later).")
def seed_command(scale, users, threads, posts, contributions, circles, lessons, no_index) -> None:
    """Fill the database with Dutch demo data (accounts demo-<n>@example.org)."""
    from cop.demo.seed import PRESETS, RefusedError, refuse_unless_empty, seed

    sizes = PRESETS[scale].with_counts(
        users=users,
        threads=threads,
        posts=posts,
        contributions=contributions,
        circles=circles,
        lessons=lessons,
    )
    if sizes.posts < sizes.threads:
        raise click.BadParameter("needs at least one post per thread", param_hint="--posts")
    try:
        refuse_unless_empty()
    except RefusedError as error:
        raise click.ClickException(str(error)) from error
    started = time.perf_counter()
    with click.progressbar(length=sizes.work(), label="Demo data", show_pos=True) as bar:
        try:
            counts = seed(sizes, progress=bar.update, index=not no_index)
        except RefusedError as error:
            raise click.ClickException(str(error)) from error
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    click.echo(f"Demo data: {summary} in {elapsed:.1f} s.")
