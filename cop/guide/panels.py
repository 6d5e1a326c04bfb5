"""What the guide adds to the home page (cop.panels): its entry (chapters, and the themes in the
guide's own groups with their lesson counts) and the lessons that changed last."""

from __future__ import annotations

from itertools import groupby

from cop.guide import queries
from cop.guide.models import THEME_GROUPS


def home_panel(viewer):
    """Three queries."""
    themes = queries.themes_with_counts()
    groups = {name: [] for name in THEME_GROUPS}
    for name, rows in groupby(
        sorted(themes, key=lambda row: THEME_GROUPS.index(row[0].group)), key=lambda r: r[0].group
    ):
        groups[name] = list(rows)
    return "guide/_home_panel.html", {
        "chapters": queries.chapters_with_counts(),
        "groups": groups,
        "recent": queries.recently_changed(),
    }
