"""Demo data: ``flask --app cop demo seed`` fills a database with plausible Dutch demo data, in bulk,
for trying the platform out and for measuring it at scale (``--scale small|forum|large``).

Every demo account has an address ``demo-<n>@example.org`` and the password ``DEMO_PASSWORD``; the
command refuses a database that holds any other account. This package may import every other one
(it sits just below ``site`` in the order) and is not used by any of them.
"""

from __future__ import annotations

from flask import Flask

from cop.demo.seed import DEMO_PASSWORD, PRESETS, RefusedError, Sizes, seed

__all__ = ["DEMO_PASSWORD", "PRESETS", "RefusedError", "Sizes", "init_app", "seed"]


def init_app(app: Flask) -> None:
    from cop.demo import cli

    app.cli.add_command(cli.demo_cli)
