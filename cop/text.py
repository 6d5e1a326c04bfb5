"""Plain-text helpers shared by every capability."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str, max_length: int) -> str:
    """'Zoë's buurt & wijk' -> 'zoes-buurt-wijk': lower-case ASCII letters, digits and single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")
    return slug[:max_length].rstrip("-")


def first_free(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is not in ``taken``."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
