"""Handles (gebruikersnamen): the one rule of what a handle is, and proposing one from a name."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from cop.text import slugify

MIN_LENGTH = 3
MAX_LENGTH = 30
HANDLE_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
# Words that would read as a role or the platform itself in a mention or a profile address.
RESERVED = frozenset(
    {"admin", "beheer", "beheerder", "moderator", "moderatie", "wijkengids", "iedereen", "allen", "systeem"}
)

FORMAT_MESSAGE = _l(
    "Use %(min)d to %(max)d lower-case letters, digits and hyphens, starting and ending with a letter "
    "or digit, for example sanne-de-vries.",
    min=MIN_LENGTH,
    max=MAX_LENGTH,
)
RESERVED_MESSAGE = _l("This username is reserved. Choose another.")
TAKEN_MESSAGE = _l("This username is taken. Choose another.")


def problem(handle: str):
    """Why ``handle`` cannot be a handle (whatever its owner), or None."""
    if not MIN_LENGTH <= len(handle or "") <= MAX_LENGTH or not HANDLE_RE.match(handle or ""):
        return FORMAT_MESSAGE
    if handle in RESERVED:
        return RESERVED_MESSAGE
    return None


def base_from_name(name: str) -> str:
    """'Sanne de Vries' -> 'sanne-de-vries': a valid handle, or 'lid' when the name gives none."""
    base = slugify(name, MAX_LENGTH - 4)
    if len(base) < MIN_LENGTH or base in RESERVED:
        base = (base + "-lid").strip("-") if base else "lid"
    return base
