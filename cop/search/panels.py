"""What search adds to the home page: a search box (no queries)."""

from __future__ import annotations


def home_panel(viewer):
    return "search/_home_panel.html", {}
