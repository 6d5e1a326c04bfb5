"""What discussions add to the guide's pages (cop.panels): the theme page's recent threads and the
lesson page's threads with "Bespreek deze les"."""

from __future__ import annotations

from flask_login import current_user

from cop.discussions import queries


def theme_panel(theme):
    """The theme's five most recently active threads: one query."""
    return "discussions/_theme_panel.html", {
        "theme": theme,
        "rows": queries.recent_threads("theme", theme.id, current_user),
    }


def lesson_panel(lesson):
    """The threads about the lesson and the way to start one: one query (the themes are loaded)."""
    theme = lesson.themes[0] if lesson.themes else None
    return "discussions/_lesson_panel.html", {
        "lesson": lesson,
        "theme": theme,
        "rows": queries.lesson_threads(lesson.id, current_user),
    }


def dashboard_panel(member):
    """The threads the member follows with unread posts: one query."""
    return "discussions/_dashboard_panel.html", {"rows": queries.followed_with_unread(member)}


def home_panel(viewer):
    """Active discussions and open questions: two queries."""
    return "discussions/_home_panel.html", {
        "active": queries.active_threads(viewer),
        "questions": queries.open_questions(viewer),
    }
