"""Neighbourhoods for tests: the shipped list, and proposals."""

from __future__ import annotations

from pathlib import Path

from cop.places import queries, services

SHIPPED = Path(__file__).resolve().parents[2] / "content" / "wijken" / "krachtwijken.csv"


def import_places():
    return services.import_csv(SHIPPED)


def place(slug: str):
    return queries.by_slug(slug)


def propose(user, name="Lombok", municipality="Utrecht", programme="other", description=""):
    return services.propose(user, name, municipality, programme, description)
