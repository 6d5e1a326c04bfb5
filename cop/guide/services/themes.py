"""Admins manage the themes in the browser: create, rename, describe, order, retire and restore.
A theme's slug is made once, when it is created, and never changes, so that every address of the
theme (and of its discussions) keeps working after a rename. Retiring keeps the theme's page and
threads readable; it only leaves the choices for new threads, contributions and circles, and the
theme grids. Each change sends ``theme_saved`` (action create, rename, describe, order, retire,
restore) before the commit."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from cop import signals
from cop.db_types import utcnow
from cop.extensions import db
from cop.guide.models import THEME_GROUPS, Theme
from cop.permissions import is_admin
from cop.sanitize import render
from cop.text import first_free, slugify
from cop.transactions import DomainError, commit

TITLE_MAX = 120
DESCRIPTION_MAX = 2000
SLUG_MAX = 80


def _check(actor, title: str, description: str, group: str) -> None:
    if not is_admin(actor):
        raise DomainError(_("Only admins manage the themes."))
    if not title.strip():
        raise DomainError(_("Enter a title."), "title")
    if len(title) > TITLE_MAX:
        raise DomainError(_("Use at most %(max)d characters.", max=TITLE_MAX), "title")
    if len(description) > DESCRIPTION_MAX:
        raise DomainError(_("Use at most %(max)d characters.", max=DESCRIPTION_MAX), "description")
    if group not in THEME_GROUPS:
        raise DomainError(_("Choose a group."), "group")
    if not slugify(title, SLUG_MAX):
        raise DomainError(_("Use at least one letter or digit in the title."), "title")


def create_theme(actor, title: str, description: str = "", group: str = "thema") -> Theme:
    """A new theme at the end of the order, with a slug made from its title."""
    title, description = title.strip(), (description or "").strip()
    _check(actor, title, description, group)
    taken = set(db.session.scalars(select(Theme.slug)))
    last = db.session.scalar(select(func.max(Theme.position))) or 0
    theme = Theme(
        slug=first_free(slugify(title, SLUG_MAX - 4), taken),
        title=title,
        description=description,
        description_html=render(description),
        position=last + 1,
        group=group,
    )
    db.session.add(theme)
    db.session.flush()
    signals.theme_saved.send(theme, actor=actor, action="create")
    commit(_("A theme with this address already exists. Choose another title."))
    return theme


def update_theme(theme: Theme, actor, title: str, description: str, group: str) -> bool:
    """Rename and describe (and regroup) the theme; its slug stays. False when nothing changed."""
    title, description = title.strip(), (description or "").strip()
    _check(actor, title, description, group)
    actions = []
    if title != theme.title:
        theme.title = title
        actions.append("rename")
    if description != theme.description or group != theme.group:
        theme.description = description
        theme.description_html = render(description)
        theme.group = group
        actions.append("describe")
    if not actions:
        return False
    for action in actions:
        signals.theme_saved.send(theme, actor=actor, action=action)
    commit()
    return True


def move_theme(theme: Theme, actor, direction: str) -> bool:
    """Swap the theme with its neighbour above ("up") or below ("down") in the order. The order is
    renumbered 1, 2, 3 … first, so that equal positions (from an import) cannot block a move."""
    if not is_admin(actor):
        raise DomainError(_("Only admins manage the themes."))
    if direction not in ("up", "down"):
        raise DomainError(_("Unknown choice."))
    themes = list(db.session.scalars(select(Theme).order_by(Theme.position, Theme.title, Theme.id)))
    index = themes.index(theme)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(themes):
        return False
    themes[index], themes[other] = themes[other], themes[index]
    for position, item in enumerate(themes, start=1):
        item.position = position
    signals.theme_saved.send(theme, actor=actor, action="order")
    commit()
    return True


def retire_theme(theme: Theme, actor) -> None:
    if not is_admin(actor):
        raise DomainError(_("Only admins manage the themes."))
    if theme.is_retired:
        return
    theme.retired_at = utcnow()
    signals.theme_saved.send(theme, actor=actor, action="retire")
    commit()


def restore_theme(theme: Theme, actor) -> None:
    if not is_admin(actor):
        raise DomainError(_("Only admins manage the themes."))
    if not theme.is_retired:
        return
    theme.retired_at = None
    signals.theme_saved.send(theme, actor=actor, action="restore")
    commit()
