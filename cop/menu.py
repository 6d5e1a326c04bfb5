"""The main menu: each package adds its main page when the app is created."""

from __future__ import annotations

from flask import Flask, current_app

_KEY = "cop_menu"


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = []

    @app.context_processor
    def main_menu():
        return {"main_menu": items()}


def add(app: Flask, endpoint: str, label, order: int) -> None:
    """Add ``endpoint`` with ``label`` (a lazy string); lower ``order`` comes first."""
    app.extensions[_KEY].append((order, endpoint, label))
    app.extensions[_KEY].sort(key=lambda item: item[0])


def items() -> list[tuple[str, str]]:
    return [(endpoint, str(label)) for _order, endpoint, label in current_app.extensions[_KEY]]
